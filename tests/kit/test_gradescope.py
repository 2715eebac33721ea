"""`nnlings gradescope-bundle`: the autograder zip, and one simulated Gradescope run of it."""
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from nnlings.grader import cli, gradescope, registry
from nnlings.grader.release import shipped_files
from nnlings.grader.suite import graded_tests

pytestmark = pytest.mark.kit


def test_bundle_grades_a_submission_like_gradescope(tmp_path):
    bundle = tmp_path / "autograder.zip"
    unit = registry.units()[1]
    os.environ["NNLINGS_SEED_OFFSET"] = "4243"  # the course's secret: hidden tests
    try:
        assert cli.main(["gradescope-bundle", str(bundle), "--units", str(unit.number)]) == 0
    finally:
        del os.environ["NNLINGS_SEED_OFFSET"]
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        archive.extractall(tmp_path / "source")
    units = registry.units()
    expected = {"setup.sh", "run_autograder", "course.env", "nnlings/pyproject.toml",
                "nnlings/README.md", "nnlings/grader/worker/__main__.py",
                "nnlings/grader/judge/child.py"}
    expected |= {f"nnlings/{path.as_posix()}" for path in shipped_files()}
    expected |= {f"nnlings/{folder}/{u.module}.py" for u in units
                 for folder in ("solutions", "exercises")}
    assert expected <= names, sorted(expected - names)
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, script
        text = (tmp_path / "source" / script).read_text()
        assert text.startswith("#!/usr/bin/env bash\n")
        (tmp_path / "source" / script).chmod(0o755)  # extractall drops the mode bits
    setup = (tmp_path / "source" / "setup.sh").read_text()
    assert "python3 -m venv venv" in setup and "venv/bin/python -m pip install -e ./nnlings" in setup
    assert "bubblewrap" in setup and "chmod -R go-rwx nnlings/solutions" in setup
    run_autograder = (tmp_path / "source" / "run_autograder").read_text()
    assert "\"$NNLINGS\" grade" in run_autograder and "venv/bin/nnlings" in run_autograder
    assert f'NNLINGS_UNITS="${{NNLINGS_UNITS:-{unit.number}}}"' in run_autograder

    # Gradescope: the student's file in a subfolder of the upload, a stray file beside it.
    root = tmp_path / "autograder"
    upload = root / "submission" / "my-exercises"
    upload.mkdir(parents=True)
    shutil.copyfile(registry.kit_root() / "solutions" / f"{unit.module}.py",
                    upload / f"{unit.module}.py")
    (root / "submission" / "notes.txt").write_text("not graded")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root),  # units: those of the bundle
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    env.pop("NNLINGS_UNITS", None)
    done = subprocess.run([str(tmp_path / "source" / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((root / "results" / "results.json").read_text())
    points = sum(t.points for ex in unit.exercises for t in graded_tests(ex.id))
    assert results["score"] == points > 0
    assert {"score", "output", "output_format", "visibility", "tests"} <= set(results)
    assert "Isolation: bubblewrap sandbox" in results["output"]
    for test in results["tests"]:
        assert {"name", "number", "score", "max_score", "status", "output", "output_format",
                "visibility"} <= set(test)
        assert test["status"] == "passed" and test["number"].startswith(f"{unit.number}.")
    # Each test ran twice: on the published inputs (visible, no points) and on fresh ones
    # (hidden until the grades are published, with the points).
    hidden = [t for t in results["tests"] if t["visibility"] == "after_published"]
    visible = [t for t in results["tests"] if t["visibility"] == "visible"]
    assert len(hidden) == len(visible) > 0
    assert sum(t["max_score"] for t in hidden) == points
    assert all(t["max_score"] == 0 for t in visible)
    assert "4243" not in json.dumps(results)


def test_run_autograder_without_unit_files_scores_zero_and_says_why(tmp_path):
    script = tmp_path / "run_autograder"
    script.write_text(gradescope.RUN_AUTOGRADER.replace("{units}", ""))
    script.chmod(0o755)
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "answers.ipynb").write_text("{}")
    done = subprocess.run([str(script)], env={**os.environ, "AUTOGRADER_ROOT": str(root)},
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "unit02_activations.py" in results["output"]
