"""After the student install alone (`pip install -e .`, no dev extra), pytest works: the test
modules that need hypothesis skip, and pytest run from a folder inside the kit finds the graded
tests as it does from the kit's root."""
import os
import re
import subprocess
import sys

import pytest

from nnlings.grader import registry

pytestmark = pytest.mark.kit


def test_pytest_from_exercises_without_hypothesis_runs_the_graded_tests(tmp_path):
    blocker = tmp_path / "hypothesis"
    blocker.mkdir()
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'hypothesis'\", name='hypothesis')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    ex = registry.all_exercises()[1]
    # Installed here, hypothesis' own pytest plugin would load; a student install has none.
    run = subprocess.run([sys.executable, "-m", "pytest", "-m", ex.marker, "--impl", "solutions",
                          "-q", "-rs", "-p", "no:xdist", "-p", "no:hypothesispytest"],
                         cwd=registry.kit_root() / "exercises", env=env, text=True,
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "error" not in run.stdout.lower()
    assert re.search(r"\b[1-9]\d* passed", run.stdout), run.stdout  # found from exercises/
    assert "the dev extra" in run.stdout  # the property tests say why they skipped
