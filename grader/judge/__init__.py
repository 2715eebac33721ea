"""The grading process's side: run the kit's graded tests against a child's stand-in module.

`run.run_unit` grades one unit of a staged submission; `child.Child` is one child process (in the
sandbox of `sandbox` where one can be made). `nnlings grade`, Gradescope and the watch loop
reach them through `grade.grade_unit`; nbgrader's autograde through `notebooks.JudgeExecute`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

UNIT_FILE_PATTERN = "unit[0-9][0-9]_*.py"


def stage(submission: Path, folder: Path) -> Path:
    """Copy only the submission's unit files into a fresh folder, the child's only view of it."""
    folder.mkdir()
    for path in Path(submission).glob(UNIT_FILE_PATTERN):
        if path.is_file() and not path.is_symlink():
            shutil.copyfile(path, folder / path.name)
    return folder

