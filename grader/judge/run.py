"""Run the graded tests of one unit in the judge against a child holding the student's module.

The tests are the kit's plain functions of an implementation; here the implementation is the
child's stand-in module, so every call of the student's code crosses to the child and every
check, expected value and mistake diagnosis stays in this process. One child serves the whole
unit; a call that hangs, crashes, exits or breaks the connection fails the running test only,
and a fresh child takes over at the next test.
"""
from __future__ import annotations

import signal
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import sandbox
from .child import CallOverdue, CannotCrossError, Child, ChildStopped, TimeLimitReached

MESSAGE_CHARS = 4000


@dataclass
class TestResult:
    passed: bool = False
    finished: bool = False
    message: str = ""


@dataclass
class UnitRun:
    results: list[TestResult]
    problems: list[str] = field(default_factory=list)
    import_error: str = ""
    output_tail: str = ""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def stopped_reason(returncode: int | None, limits) -> str:
    """Why a child's process ended during a call, in a student's words."""
    if returncode is None:
        return "its process stopped answering and was ended"
    if returncode < 0:
        name = _signal_name(-returncode)
        what = {"SIGSEGV": "a segmentation fault (the code read or wrote memory it does not own)",
                "SIGKILL": "SIGKILL (most often the system running out of memory)",
                "SIGXFSZ": f"SIGXFSZ (it wrote a file larger than {limits.file_bytes} bytes)",
                "SIGABRT": "SIGABRT (an abort in compiled code)"}.get(name, name)
        return f"its process crashed with {what}"
    return (f"its process ended early with exit code {returncode} (a call to os._exit, or a "
            "crash in compiled code)")


def explain(error: BaseException, test_seconds: float) -> str:
    """What a student should read about an exception their code raised (without the exercise)."""
    try:
        text = str(error)[:MESSAGE_CHARS]
    except Exception:
        text = "(its message cannot be shown)"
    kind = getattr(error, "remote_type", type(error).__name__)
    if isinstance(error, TimeLimitReached):
        what = (f"your code did not finish within the time limit of {test_seconds:g} s. "
                "Look for a loop whose condition never becomes false")
    elif isinstance(error, MemoryError):
        what = "your code ran out of memory (the grader allows each unit a fixed amount)"
    elif isinstance(error, SystemExit):
        what = (f"your code called sys.exit({error.code!r}) or exit(): graded code must return "
                "its result, not end the program")
    elif isinstance(error, (Warning, FloatingPointError)):
        what = (f"your code hit a floating-point problem: {text}. Rewrite the computation so "
                "that no intermediate value can overflow")
    elif isinstance(error, CannotCrossError):
        what = (f"your code returned {text}, which cannot be sent back to the grader: return "
                "NumPy arrays, numbers, strings, None, or lists, tuples and dicts of them")
    else:
        what = f"your code raised {kind}: {text}"
    return f"{what}\n{getattr(error, 'remote_lines', '')}".rstrip()


def test_failure(error: BaseException, exercise: str, test_seconds: float) -> str:
    """The message for a graded test that raised `error`."""
    from ..expect import GradedFailure
    if isinstance(error, (GradedFailure, NotImplementedError)):
        try:
            text = str(error)[:MESSAGE_CHARS]
        except Exception:
            text = type(error).__name__
        if text.startswith("Exercise"):
            return text
    return f"Exercise {exercise}: {explain(error, test_seconds)}"


def run_one(test, module, seconds: float, peer, seed_offset: int = 0) -> BaseException | None:
    """Call one graded test on the stand-in module with the warnings the pytest run uses (on
    inputs from seeds shifted by `seed_offset`: the hidden tests)."""
    from ..cases import fresh_seeds
    peer.deadline = time.monotonic() + seconds
    try:
        with warnings.catch_warnings(), fresh_seeds(seed_offset):
            warnings.simplefilter("error", RuntimeWarning)
            test(module)
    except BaseException as error:  # everything: the student's errors come back as data
        return error
    finally:
        peer.deadline = None
    return None


def run_unit(staged: Path, module: str, tests: list, limits, isolation: str,
             hide=(), seed_offset: int = 0) -> UnitRun:
    """Run `tests` (graded test functions) on the unit `module` of the folder `staged`, on
    fresh inputs if `seed_offset` is not 0."""
    run = UnitRun([TestResult() for _ in tests])
    unit_deadline = time.monotonic() + limits.unit_seconds
    child: Child | None = None
    try:
        for index, test in enumerate(tests):
            result = run.results[index]
            left = unit_deadline - time.monotonic()
            if left <= 0:
                reason = (f"the unit ran past its time limit of {limits.unit_seconds:g} s")
                if not any(reason in p for p in run.problems):
                    run.problems.append(f"{reason}; {len(tests) - index} test(s) were not run "
                                        "and score 0")
                result.message = f"Exercise {test.exercise}: not run: {reason}."
                continue
            if child is not None and child.alive:
                try:
                    child.reset()
                except (TimeLimitReached, ChildStopped):
                    child.stop()
            if child is None or not child.alive:
                if child is not None:
                    child.stop()
                child, error = _start(staged, module, limits, isolation, hide, left)
                if error is not None:
                    run.import_error = _import_message(module, error, limits)
                    run.output_tail = child.output()
                    for rest, later in zip(run.results[index:], tests[index:]):
                        rest.message = f"Exercise {later.exercise}: {run.import_error}"
                    break
            seconds = min(limits.test_seconds, left)
            error = run_one(test, child.module, seconds, child.peer, seed_offset)
            result.finished = True
            if error is None:
                result.passed = True
                continue
            name = test.__name__
            if isinstance(error, (CallOverdue, ChildStopped)):
                if isinstance(error, CallOverdue):
                    child.stop()
                    why = (f"your code did not finish within the time limit of {seconds:g} s and "
                           "did not stop when asked, so its process was ended")
                else:
                    code = child.wait_for_exit()
                    why = stopped_reason(code, limits) + child.crash_site()
                    child.stop()
                run.output_tail = child.output()
                run.problems.append(f"{module}.py: {why} during {name}; a fresh process "
                                    "graded the tests after it.")
                result.message = f"Exercise {test.exercise}: this test was running when {why}."
            else:
                result.message = test_failure(error, test.exercise, seconds)
    finally:
        if child is not None:
            child.stop()
            if not run.output_tail:
                run.output_tail = child.output()
    if isolation == sandbox.BUBBLEWRAP:  # the child's name for the staged folder
        inside, outside = sandbox.INSIDE + "/", str(staged) + "/"
        for result in run.results:
            result.message = result.message.replace(inside, outside)
        run.problems = [p.replace(inside, outside) for p in run.problems]
        run.import_error = run.import_error.replace(inside, outside)
    return run


def _start(staged, module, limits, isolation, hide, left):
    """A fresh child with the unit imported, and the import's error as data (or None)."""
    child = Child(staged, module, limits, isolation, hide)
    try:
        return child, child.start(min(limits.test_seconds * 3, max(left, 1.0)))
    except (TimeLimitReached, ChildStopped) as stopped:
        code = child.wait_for_exit(0.5)
        child.stop()
        message = ("it did not finish importing within the time limit"
                   if isinstance(stopped, TimeLimitReached) else stopped_reason(code, limits))
        return child, {"type": "stopped", "message": message, "lines": ""}


def _import_message(module: str, error: dict, limits) -> str:
    if error.get("type") == "stopped":
        return f"{module}.py cannot be imported: {error['message']}"
    kind, text = error.get("type", "Exception"), error.get("message", "")
    lines = error.get("lines", "")
    if kind == "SystemExit":
        code = error.get("args", [None])
        what = (f"your code called sys.exit({(code or [None])[0]!r}) or exit(): graded code "
                "must return its result, not end the program")
    elif kind == "TimeLimitReached":
        what = (f"importing it did not finish within the time limit. Look for a loop at the "
                "top level of the file")
    elif kind == "MemoryError":
        what = "your code ran out of memory (the grader allows each unit a fixed amount)"
    else:
        what = f"your code raised {kind}: {text}"
    return f"{module}.py cannot be imported: {what}\n{lines}".rstrip()


def isolation_for(sandboxed: bool) -> str:
    """The isolation to use: the strongest available where an instructor grades (sandboxed),
    a plain separate process on a student's own machine."""
    return sandbox.available() if sandboxed else "split"
