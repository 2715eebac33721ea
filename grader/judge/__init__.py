"""The grading process's side: run the kit's graded tests against a child's stand-in module.

`run.run_unit` grades one unit of a staged submission; `child.Child` is one child process (in the
sandbox of `sandbox` where an instructor grades); `check_exercise` is what a student's own
machine uses (the watch loop): the split without a sandbox.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

UNIT_FILE_PATTERN = "unit[0-9][0-9]_*.py"


def stage(submission: Path, folder: Path) -> Path:
    """Copy only the submission's unit files into a fresh folder, the child's only view of it."""
    folder.mkdir()
    for path in Path(submission).glob(UNIT_FILE_PATTERN):
        if path.is_file() and not path.is_symlink():
            shutil.copyfile(path, folder / path.name)
    return folder


def check_exercise(impl_folder, exercise_id: str, limits=None, sandboxed: bool = False) -> list:
    """Run the graded tests of one exercise on the unit file in `impl_folder`, the student's
    module in a child process of its own (in the sandbox too if `sandboxed`).

    Returns one `run.TestResult` per graded test of the exercise (passed, finished, message),
    in the suite's order, each with the test's `name` and `points` set."""
    from .. import registry
    from ..grade import Limits
    from ..suite import graded_tests
    from .run import isolation_for, run_unit
    exercise = registry.exercise(exercise_id)
    tests = graded_tests(exercise_id)
    limits = limits or Limits()
    with tempfile.TemporaryDirectory(prefix="nnlings-check-") as scratch:
        staged = stage(Path(impl_folder), Path(scratch) / "impl")
        run = run_unit(staged, exercise.module, tests, limits, isolation_for(sandboxed))
    for test, result in zip(tests, run.results):
        result.name, result.points = test.__name__, test.points
        result.message = result.message.replace(str(staged), str(Path(impl_folder).resolve()))
    return run.results
