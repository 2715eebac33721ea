"""The pytest side of grading: `--impl`, the `impl` fixture, and failure reports for students.

Loaded by `tests/conftest.py`. For every graded test it

* loads the unit module under test from the selected implementation (``--impl``);
* adds the exercise id as a keyword, so ``pytest -k 2.3`` selects exercise 2.3;
* rewrites a failure into the words a student can act on: the check's own message, the
  not-implemented notice, or the exception the student's code raised with only the student's
  own lines of the traceback;
* prints the points earned per exercise at the end of the run.
"""
from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from . import registry
from .expect import GradedFailure
from .implementation import load_unit

_POINTS = pytest.StashKey[dict]()  # exercise id -> (points earned, points possible)


def pytest_addoption(parser):
    parser.addoption("--impl", default="exercises",
                     help="implementation to grade: 'exercises' (yours, the default), "
                          "'solutions' (the reference) or a folder of unitNN_*.py files")


def pytest_configure(config):
    for ex in registry.all_exercises():
        config.addinivalue_line("markers", f"{ex.marker}: exercise {ex.id}, {ex.title}")
    config.stash[_POINTS] = {}
    if config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR:
        # Run with no paths from a folder inside the kit (say `exercises/`), pytest would look
        # for tests in that folder alone; look where the kit keeps them, as from its root.
        config.args = [str(config.rootpath / path) for path in config.getini("testpaths")]


def graded_marker(item):
    return item.get_closest_marker("graded")


def pytest_collection_modifyitems(items):
    for item in items:
        marker = graded_marker(item)
        if marker is not None:
            item.extra_keyword_matches.add(marker.kwargs["exercise"])


@pytest.fixture
def impl(request):
    """The unit module of the selected implementation that the graded test exercises."""
    marker = graded_marker(request.node)
    if marker is None:
        raise RuntimeError("the `impl` fixture is only for tests decorated with @graded")
    exercise = registry.exercise(marker.kwargs["exercise"])
    choice = request.config.getoption("--impl")
    try:
        return load_unit(choice, exercise.module)
    except Exception as error:  # the student's file does not even import
        where = _student_lines(error, None)
        pytest.fail(f"Exercise {exercise.id}: {exercise.module}.py of '{choice}' cannot be "
                    f"imported: {type(error).__name__}: {error}\n{where}", pytrace=False)


def _student_lines(error: BaseException, folder: Path | None) -> str:
    """The traceback lines that lie in the student's (or submission's) files."""
    kit = registry.kit_root()
    skip = (kit / "grader", kit / "tests")
    frames = traceback.extract_tb(error.__traceback__)
    if folder is not None:
        keep = [f for f in frames if Path(f.filename).resolve().is_relative_to(folder)]
    else:
        keep = [f for f in frames
                if not any(Path(f.filename).resolve().is_relative_to(s) for s in skip)
                and "site-packages" not in f.filename and "/lib/python" not in f.filename]
    return "".join(traceback.format_list(keep)).rstrip()


def _student_message(item, error: BaseException) -> str | None:
    exercise = graded_marker(item).kwargs["exercise"]
    if isinstance(error, GradedFailure):
        return str(error)
    if isinstance(error, NotImplementedError):
        text = str(error) or "NotImplementedError"
        if not text.startswith("Exercise"):
            text = f"Exercise {exercise}: your code raised NotImplementedError: {text}"
        return text
    if type(error).__name__ == "Failed" and "Timeout" in str(error):
        return (f"Exercise {exercise}: your code did not finish within the time limit "
                f"({item.config.getini('timeout')} s). Look for a loop whose condition never "
                f"becomes false.\n{_student_lines(error, None)}")
    module = item.funcargs.get("impl") if hasattr(item, "funcargs") else None
    folder = Path(module.__file__).resolve().parent if getattr(module, "__file__", None) else None
    where = _student_lines(error, folder)
    if not where:
        return None  # not the student's code: keep pytest's full report
    if isinstance(error, (Warning, FloatingPointError)):
        what = (f"your code hit a floating-point problem: {error}. Overflow, division by zero "
                "and invalid values mean lost results: rewrite the computation so that no "
                f"intermediate value can overflow (`nnlings hint {exercise}`)")
    else:
        what = f"your code raised {type(error).__name__}: {error}"
    return f"Exercise {exercise}: {what}\n{where}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = graded_marker(item)
    if marker is None or report.when != "call":
        return
    exercise, points = marker.kwargs["exercise"], marker.kwargs["points"]
    earned, possible = item.config.stash[_POINTS].get(exercise, (0, 0))
    item.config.stash[_POINTS][exercise] = (earned + points * report.passed, possible + points)
    if report.failed and call.excinfo is not None:
        message = _student_message(item, call.excinfo.value)
        if message is not None:
            report.longrepr = message


def pytest_terminal_summary(terminalreporter, config):
    points = config.stash.get(_POINTS, {})
    if not points:
        return
    write = terminalreporter.write_line
    terminalreporter.section("nnlings: points earned")
    for exercise in sorted(points, key=lambda e: tuple(int(p) for p in e.split("."))):
        earned, possible = points[exercise]
        title = registry.exercise(exercise).title
        mark = "done" if earned == possible else "    "
        write(f"  {exercise:>5}  {title:<44} {earned:>3}/{possible:<3} {mark}")
    total = sum(e for e, _ in points.values()), sum(p for _, p in points.values())
    write(f"  total {'':<44} {total[0]:>3}/{total[1]:<3}")

