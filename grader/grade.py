"""The standalone grader: grade a submitted copy of `exercises/` with the kit's own tests.

    nnlings grade SUBMISSION [--json FILE] [--gradescope FILE]
    nnlings grade FOLDER_OF_SUBMISSIONS [--jobs N] [--csv FILE]

Only the submission's ``unitNN_*.py`` files are used: the tests, their points and the expected
values are the kit's. Each unit is graded in a child process of its own (``python -m
nnlings.grader.grade --child MODULE --impl FOLDER ...``) that runs under a time limit and a
memory limit. A submission whose unit loops forever, exhausts memory, exits, crashes or tampers
with NumPy or the grader therefore loses the points of that unit's unfinished tests only.

The child reports through a results file, never through its output: one JSON line when a test
starts and one when it ends, flushed at once, so a child that dies mid-unit leaves the results of
the tests it finished. The parent credits a test only when an end line says it passed, takes the
points from its own copy of the suite, and explains every test it could not credit.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import registry

MESSAGE_CHARS = 4000        # the longest failure message kept per test
OUTPUT_TAIL_BYTES = 16000   # how much of a child's last output is kept for diagnosis
RESULTS_MAX_BYTES = 10_000_000  # a results file longer than this is read no further
UNIT_FILE_PATTERN = "unit[0-9][0-9]_*.py"


@dataclass(frozen=True)
class Limits:
    """What a child process may use while it grades one unit."""
    unit_seconds: float = 120.0         # wall clock for the whole unit
    test_seconds: float = 20.0          # wall clock for one test (a loop in Python code)
    memory_bytes: int = 2 * 1024 ** 3   # address space (RLIMIT_AS)
    file_bytes: int = 256 * 1024 ** 2   # largest file the child may write (RLIMIT_FSIZE)


# The grade of a submission ----------------------------------------------------------------------

@dataclass
class Outcome:
    id: str            # "test_unit02_activations::test_sigmoid_values"
    exercise: str
    points: int
    passed: bool = False
    finished: bool = False  # the child reported this test's end
    message: str = ""  # why the points were not given; empty when passed

    @property
    def earned(self) -> int:
        return self.points if self.passed else 0


@dataclass
class UnitGrade:
    number: int
    module: str
    title: str
    tests: list[Outcome]
    problem: str = ""  # what went wrong with the unit's process, if anything
    seconds: float = 0.0
    output_tail: str = ""

    @property
    def earned(self) -> int:
        return sum(t.earned for t in self.tests)

    @property
    def possible(self) -> int:
        return sum(t.points for t in self.tests)


@dataclass
class Grade:
    submission: str
    units: list[UnitGrade] = field(default_factory=list)

    @property
    def earned(self) -> int:
        return sum(u.earned for u in self.units)

    @property
    def possible(self) -> int:
        return sum(u.possible for u in self.units)

    def exercise_points(self) -> dict[str, tuple[int, int]]:
        """Points earned and possible per exercise id, in curriculum order."""
        points = {ex.id: [0, 0] for unit in registry.units() for ex in unit.exercises}
        for unit in self.units:
            for test in unit.tests:
                points.setdefault(test.exercise, [0, 0])
                points[test.exercise][0] += test.earned
                points[test.exercise][1] += test.points
        return {ex: (earned, possible) for ex, (earned, possible) in points.items()}

    def to_json(self) -> dict:
        return {"submission": self.submission, "earned": self.earned, "possible": self.possible,
                "exercises": {ex: {"earned": e, "possible": p}
                              for ex, (e, p) in self.exercise_points().items()},
                "units": [asdict(unit) | {"earned": unit.earned, "possible": unit.possible}
                          for unit in self.units]}


def kit_tests_of_unit(unit: registry.Unit, only: tuple[str, ...] = ()) -> list:
    """The kit's graded test functions of `unit` (of the exercises `only`, if given)."""
    from .suite import graded_tests
    ids = set(only) or {ex.id for ex in unit.exercises}
    return [t for t in graded_tests() if t.exercise in ids]


def graded_test_id(test) -> str:
    return f"{test.__module__.rsplit('.', 1)[-1]}::{test.__name__}"


# Grading in the parent ---------------------------------------------------------------------------

def grade_submission(submission: Path, limits: Limits = Limits(),
                     units: list[int] | None = None) -> Grade:
    """Grade every unit (or only the unit numbers in `units`) of one submission folder."""
    submission = Path(submission).resolve()
    grade = Grade(str(submission))
    for unit in registry.units():
        if units is None or unit.number in units:
            grade.units.append(grade_unit(submission, unit, limits))
    return grade


def grade_unit(submission: Path, unit: registry.Unit, limits: Limits,
               only: tuple[str, ...] = ()) -> UnitGrade:
    """Grade one unit of a submission (only the exercise ids `only`, if given) in a child
    process; never raises."""
    tests = [Outcome(graded_test_id(t), t.exercise, t.points)
             for t in kit_tests_of_unit(unit, only)]
    result = UnitGrade(unit.number, unit.module, unit.title, tests)
    if not tests:
        return result
    if not (submission / f"{unit.module}.py").is_file():
        return _fail_all(result, f"{unit.module}.py is missing from the submission")
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="nnlings-grade-") as scratch:
            scratch = Path(scratch)
            staged = _stage(submission, scratch / "impl")
            records, problem, tail = _run_child(unit.module, staged, scratch, limits, only)
            # Messages name the submission's files, not the staged copies.
            def rename(text):
                return text.replace(str(staged), str(submission))
            for record in records:
                if isinstance(record.get("message"), str):
                    record["message"] = rename(record["message"])
            problem, tail = rename(problem), rename(tail)
    except Exception as error:  # the grader itself failed: say so, credit nothing
        records, problem, tail = [], f"the grader could not run this unit ({error!r})", ""
    result.seconds = round(time.monotonic() - started, 2)
    result.output_tail = tail
    return _apply_records(result, records, problem)


def _stage(submission: Path, folder: Path) -> Path:
    """Copy only the submission's unit files into a fresh folder, the child's `--impl`."""
    folder.mkdir()
    for path in submission.glob(UNIT_FILE_PATTERN):
        if path.is_file():
            shutil.copyfile(path, folder / path.name)
    return folder


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    # One BLAS thread per child: parallel jobs do not oversubscribe the machine, and the
    # address-space limit is not spent on per-thread buffers.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"
    env["PYTHONIOENCODING"] = "utf-8:replace"
    env["MPLBACKEND"] = "Agg"
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def _run_child(module: str, staged: Path, scratch: Path, limits: Limits, only: tuple[str, ...]):
    """Run one unit's child; return (result records, problem or "", last output)."""
    results = scratch / "results.jsonl"
    workdir = scratch / "work"
    workdir.mkdir()
    isolated = ["-S"] if sys.flags.no_site else []  # the parent's own import setup
    command = [sys.executable, *isolated, "-m", "nnlings.grader.grade", "--child", module,
               "--impl", str(staged), "--results", str(results),
               "--test-time-limit", str(limits.test_seconds),
               "--memory-limit", str(limits.memory_bytes),
               "--file-limit", str(limits.file_bytes), "--only", ",".join(only)]
    child = subprocess.Popen(command, cwd=workdir, env=_child_environment(),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
    tail: deque[bytes] = deque()
    reader = threading.Thread(target=_drain, args=(child.stdout, tail), daemon=True)
    reader.start()
    timed_out = False
    try:
        child.wait(timeout=limits.unit_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:  # also on Ctrl-C: the child is in a session of its own and would outlive us
        _kill_group(child)
        child.wait()
    reader.join(timeout=5)
    records = _read_records(results)
    output = b"".join(tail).decode("utf-8", "replace")
    problem = _diagnose(child.returncode, timed_out, records, limits)
    if problem and child.returncode < 0:
        problem += _crash_site(output, staged)
    elif problem and not records and output.strip():
        problem += f" before grading began: {output.strip().splitlines()[-1][:300]}"
    return records, problem, output


def _crash_site(output: str, staged: Path) -> str:
    """Where in the submission a crash happened, from the faulthandler's traceback."""
    pattern = re.escape(str(staged)) + r'/(unit\d\d_\w+\.py)", line (\d+) in (\w+)'
    found = re.search(pattern, output)
    return f" in {found[3]} ({found[1]}, line {found[2]})" if found else ""


def _drain(stream, tail: deque) -> None:
    """Read a child's output to its end, keeping only the last OUTPUT_TAIL_BYTES."""
    kept = 0
    for chunk in iter(lambda: stream.read1(65536), b""):
        tail.append(chunk)
        kept += len(chunk)
        while kept - len(tail[0]) >= OUTPUT_TAIL_BYTES:
            kept -= len(tail.popleft())
    stream.close()


def _kill_group(child: subprocess.Popen) -> None:
    """Kill the child and anything it started (it leads its own process group)."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_records(path: Path) -> list[dict]:
    records = []
    if not path.exists():
        return records
    with open(path, "rb") as lines:
        for line in lines:
            if lines.tell() > RESULTS_MAX_BYTES:
                break
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
    return records


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _diagnose(returncode: int, timed_out: bool, records: list[dict], limits: Limits) -> str:
    """One line saying why the child stopped early, or "" if it finished its work."""
    if timed_out:
        return f"it ran past the unit's time limit of {limits.unit_seconds:g} s and was stopped"
    if any(r.get("event") == "done" for r in records):
        return ""
    if returncode < 0:
        name = _signal_name(-returncode)
        what = {"SIGSEGV": "a segmentation fault (the code read or wrote memory it does not own)",
                "SIGKILL": "SIGKILL (most often the system running out of memory)",
                "SIGXFSZ": f"SIGXFSZ (it wrote a file larger than {limits.file_bytes} bytes)",
                "SIGABRT": "SIGABRT (an abort in compiled code)"}.get(name, name)
        return f"its process crashed with {what}"
    return (f"its process ended early with exit code {returncode} (a call to os._exit, or a "
            "crash in compiled code)")


def _apply_records(result: UnitGrade, records: list[dict], problem: str) -> UnitGrade:
    """Fill the unit's tests from the child's records; explain every test not credited."""
    for record in records:
        if record.get("event") == "import" and not record.get("ok", True):
            return _fail_all(result, str(record.get("message", ""))[:MESSAGE_CHARS])
    by_id, running = {t.id: t for t in result.tests}, None
    for record in records:
        test = by_id.get(record.get("test"))
        if test is None:
            continue
        if record.get("event") == "start":
            running = test
        elif record.get("event") == "end":
            test.finished, test.passed = True, record.get("passed") is True
            test.message = "" if test.passed else str(record.get("message", ""))[:MESSAGE_CHARS]
            running = None
    unfinished = [t for t in result.tests if not t.finished]
    if problem:
        result.problem = (f"{result.module}.py: {problem}"
                          + (f" during {running.id.split('::')[-1]}" if running else "")
                          + f"; {len(unfinished)} unfinished test(s) score 0.")
    for test in unfinished:
        here = "this test was running when" if test is running else "not run:"
        test.message = (f"Exercise {test.exercise}: {here} the unit stopped "
                        f"({problem or 'it reported no result for this test'}).")
    return result


def _fail_all(result: UnitGrade, reason: str) -> UnitGrade:
    result.problem = reason
    for test in result.tests:
        test.passed, test.message = False, f"Exercise {test.exercise}: {reason}"
    return result


# Reports --------------------------------------------------------------------------------------

def format_table(grade: Grade, details: bool = False) -> str:
    """The per-unit, per-exercise table of points, with the reason for every lost unit."""
    titles = {ex.id: ex.title for ex in registry.all_exercises()}
    points = grade.exercise_points()
    lines = [f"nnlings grade: {grade.submission}", ""]
    for unit in grade.units:
        lines.append(f"Unit {unit.number:<2} {unit.title:<50} {unit.earned:>3} / {unit.possible}")
        if unit.problem:
            lines.append("  !! " + unit.problem.replace("\n", "\n     "))
        if not unit.tests:
            lines.append("     (no graded tests yet)")
        exercises = dict.fromkeys(t.exercise for t in unit.tests)
        for ex in exercises:
            earned, possible = points[ex]
            mark = "ok" if earned == possible else "  "
            lines.append(f"  {mark} {ex:<5} {titles.get(ex, ''):<46} {earned:>3} / {possible}")
            if details:
                for test in unit.tests:
                    if test.exercise == ex and test.finished and not test.passed:
                        first = test.message.strip().splitlines()[0] if test.message else ""
                        lines.append(f"        - {test.id.split('::')[-1]}: {first[:160]}")
    lines.append("")
    lines.append(f"Total: {grade.earned} / {grade.possible} points")
    return "\n".join(lines)


def gradescope_results(grade: Grade) -> dict:
    """Gradescope's results.json: one entry per graded test."""
    tests = []
    for unit in grade.units:
        for test in unit.tests:
            tests.append({"name": f"{test.exercise} {test.id.split('::')[-1]}",
                          "number": test.exercise, "score": test.earned,
                          "max_score": test.points,
                          "status": "passed" if test.passed else "failed",
                          "output": test.message, "visibility": "visible"})
    problems = [u.problem for u in grade.units if u.problem]
    return {"score": grade.earned, "output": "\n".join(problems) or "All units were graded.",
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def write_json(path: Path, data) -> None:
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# A folder of submissions ------------------------------------------------------------------------

def is_submission(folder: Path) -> bool:
    return any(folder.glob(UNIT_FILE_PATTERN))


def grade_many(folder: Path, jobs: int, limits: Limits = Limits(),
               units: list[int] | None = None, progress=None) -> list[Grade]:
    """Grade every submission folder inside `folder`, `jobs` at a time, in name order."""
    submissions = sorted(p for p in Path(folder).iterdir() if p.is_dir())
    grades: dict[Path, Grade] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade_submission, s, limits, units): s for s in submissions}
        for future in as_completed(futures):
            grades[futures[future]] = future.result()
            if progress is not None:
                progress(len(grades), len(submissions))
    return [grades[s] for s in submissions]


def progress_bar(width: int = 30):
    """A callback drawing `[#####.....] 3/10` in place on a terminal, one line per step else."""
    def draw(done: int, total: int) -> None:
        stream = sys.stderr
        filled = width * done // max(total, 1)
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} submissions graded"
        if stream.isatty():
            stream.write("\r" + bar + ("\n" if done == total else ""))
        else:
            stream.write(bar + "\n")
        stream.flush()
    return draw


def write_csv(path: Path, grades: list[Grade]) -> None:
    """One row per submission: its name, total, points per exercise and the units' problems."""
    exercises = [ex.id for ex in registry.all_exercises()]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["submission", "earned", "possible", *exercises, "problems"])
        for grade in grades:
            points = grade.exercise_points()
            problems = [u.problem.splitlines()[0] for u in grade.units if u.problem]
            writer.writerow([Path(grade.submission).name, grade.earned, grade.possible,
                             *(points.get(ex, (0, 0))[0] for ex in exercises),
                             " | ".join(problems)])


def run(args) -> int:
    """`nnlings grade`: grade one submission, or a folder of submission folders."""
    folder = Path(args.submission)
    if not folder.is_dir():
        raise ValueError(f"grade: {folder} is not a folder (expected a copy of exercises/ "
                         "or a folder of such copies)")
    limits = Limits(unit_seconds=args.time_limit,
                    test_seconds=min(args.test_time_limit, args.time_limit),
                    memory_bytes=args.memory_limit * 1024 ** 2)
    units = parse_units(args.units) if args.units else None
    if is_submission(folder):
        grade = grade_submission(folder, limits, units)
        print(format_table(grade, details=True))
        if args.json:
            write_json(args.json, grade.to_json())
        if args.gradescope:
            write_json(args.gradescope, gradescope_results(grade))
        return 0
    if not any(p.is_dir() for p in folder.iterdir()):
        raise ValueError(f"grade: {folder} holds no unitNN_*.py files and no submission folders")
    grades = grade_many(folder, args.jobs, limits, units, progress=progress_bar())
    csv_path = Path(args.csv)
    write_csv(csv_path, grades)
    for grade in grades:
        print(f"{grade.earned:>4} / {grade.possible:<4} {Path(grade.submission).name}")
    print(f"Wrote {csv_path} ({len(grades)} submissions).")
    if args.json:
        write_json(args.json, [g.to_json() for g in grades])
    return 0


def parse_units(text: str) -> list[int]:
    """ "1-3,5" -> [1, 2, 3, 5]; a clear error for anything else."""
    numbers = []
    try:
        for part in text.split(","):
            first, _, last = part.partition("-")
            numbers.extend(range(int(first), int(last or first) + 1))
    except ValueError:
        raise ValueError(f"grade: --units {text!r}: expected unit numbers like 1-3,5") from None
    known = {unit.number for unit in registry.units()}
    if not numbers or not set(numbers) <= known:
        raise ValueError(f"grade: --units {text!r}: the units are {sorted(known)}")
    return numbers


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submission", help="a submitted copy of exercises/, or a folder of them")
    parser.add_argument("--json", help="also write the full report as JSON to this file")
    parser.add_argument("--gradescope", help="also write Gradescope's results.json to this file")
    parser.add_argument("--jobs", type=int, default=1,
                        help="submissions graded at once, for a folder of submissions")
    parser.add_argument("--csv", default="grades.csv",
                        help="where a folder of submissions' grades go (default grades.csv)")
    parser.add_argument("--units", help="grade only these units, e.g. 1-3,5 (default: all)")
    parser.add_argument("--time-limit", type=float, default=Limits.unit_seconds,
                        help="seconds allowed per unit (default %(default)g)")
    parser.add_argument("--test-time-limit", type=float, default=Limits.test_seconds,
                        help="seconds allowed per test (default %(default)g)")
    parser.add_argument("--memory-limit", type=int, default=Limits.memory_bytes // 1024 ** 2,
                        help="MiB of address space per unit, 0 for no limit "
                             "(default %(default)d)")


# The child: one unit, in its own process --------------------------------------------------

class TimeLimitReached(BaseException):
    """Raised in a test that runs past its time limit (a BaseException, so that a student's
    `except Exception` cannot swallow it)."""


class TamperGuard:
    """Notices a submission replacing attributes of NumPy, math, builtins or the kit's modules,
    and puts the originals back."""

    BASE = ("builtins", "math", "numpy", "numpy.linalg", "numpy.random")
    VOLATILE = {"__warningregistry__", "_"}

    def __init__(self):
        names = [n for n in self.BASE if n in sys.modules]
        names += sorted(n for n in sys.modules if n.startswith(("nnlings.", "nnlings_graded.")))
        self._saved = [(sys.modules[n], n, dict(vars(sys.modules[n]))) for n in names]

    def changed(self) -> list[str]:
        missing = object()
        return [f"{name}.{key}" for module, name, saved in self._saved
                for key, value in saved.items()
                if key not in self.VOLATILE and vars(module).get(key, missing) is not value]

    def restore(self) -> None:
        for module, _, saved in self._saved:
            for key, value in saved.items():
                if vars(module).get(key) is not value:
                    setattr(module, key, value)


def _limit_resources(memory_bytes: int, file_bytes: int) -> None:
    """Cap the address space and file size (0: no cap), and write no core files."""
    import resource
    caps = {resource.RLIMIT_CORE: 0, resource.RLIMIT_AS: memory_bytes,
            resource.RLIMIT_FSIZE: file_bytes}
    for limit, value in caps.items():
        if value <= 0 and limit != resource.RLIMIT_CORE:
            continue
        hard = resource.getrlimit(limit)[1]
        resource.setrlimit(limit, (value if hard == resource.RLIM_INFINITY else min(value, hard),
                                   hard))
    # Past the file limit a write fails with an error (which fails the test) instead of a signal.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _on_alarm(signum, frame):
    raise TimeLimitReached()


def _lines_in(folder: Path, error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if Path(f.filename).resolve().is_relative_to(folder)]
    return "".join(traceback.format_list(frames)).rstrip()


def _explain(error: BaseException, folder: Path, test_seconds: float) -> str:
    """What a student should read about an exception their code raised (without the exercise)."""
    try:
        text = str(error)[:MESSAGE_CHARS]
    except Exception:
        text = "(its message cannot be shown)"
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
    else:
        what = f"your code raised {type(error).__name__}: {text}"
    return f"{what}\n{_lines_in(folder, error)}".rstrip()


def _test_failure(error: BaseException, exercise: str, folder: Path, test_seconds: float) -> str:
    """The message for a graded test that raised `error`."""
    from .expect import GradedFailure
    if isinstance(error, (GradedFailure, NotImplementedError)):
        try:
            text = str(error)[:MESSAGE_CHARS]
        except Exception:
            text = type(error).__name__
        if text.startswith("Exercise"):
            return text
    return f"Exercise {exercise}: {_explain(error, folder, test_seconds)}"


def _run_one(test, module, test_seconds: float) -> BaseException | None:
    """Call one graded test with the time limit and warnings the pytest run uses."""
    import warnings
    signal.setitimer(signal.ITIMER_REAL, test_seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            test(module)
    except BaseException as error:  # everything, SystemExit and the time limit included
        return error
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return None


def child_main(args) -> None:
    """Grade one unit of the folder `args.impl`, one JSON line per event to `args.results`."""
    _limit_resources(args.memory_limit, args.file_limit)
    signal.signal(signal.SIGALRM, _on_alarm)
    results = open(args.results, "a", encoding="utf-8")

    def report(**record):
        results.write(json.dumps(record) + "\n")
        results.flush()

    from .implementation import load_unit
    unit = registry.unit_for_module(args.child)
    tests = kit_tests_of_unit(unit, tuple(filter(None, args.only.split(","))))
    folder = Path(args.impl).resolve()
    guard = TamperGuard()
    signal.setitimer(signal.ITIMER_REAL, args.test_time_limit)
    try:
        module = load_unit(str(folder), unit.module)
    except BaseException as error:
        signal.setitimer(signal.ITIMER_REAL, 0)
        report(event="import", ok=False,
               message=f"{unit.module}.py cannot be imported: "
                       + _explain(error, folder, args.test_time_limit))
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    if guard.changed():
        report(event="import", ok=False,
               message=f"{unit.module}.py changes {', '.join(guard.changed()[:5])} when it is "
                       "imported. A submission must not replace parts of NumPy, Python or the "
                       "grader; the whole unit scores 0.")
        return
    for test in tests:
        report(event="start", test=graded_test_id(test))
        error = _run_one(test, module, args.test_time_limit)
        tampered = guard.changed()
        if tampered:
            guard.restore()
            message = (f"Exercise {test.exercise}: your code replaced {', '.join(tampered[:5])} "
                       "while this test ran. A submission must not change NumPy, Python or the "
                       "grader; the test scores 0.")
            report(event="end", test=graded_test_id(test), passed=False, message=message)
        elif error is None:
            report(event="end", test=graded_test_id(test), passed=True)
        else:
            message = _test_failure(error, test.exercise, folder, args.test_time_limit)
            report(event="end", test=graded_test_id(test), passed=False, message=message)
    report(event="done")


def _child_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nnlings.grader.grade --child")
    parser.add_argument("--child", required=True, help="the unit's module, e.g. unit02_activations")
    parser.add_argument("--impl", required=True, help="the folder of unit files to grade")
    parser.add_argument("--results", required=True, help="the JSON-lines file to append to")
    parser.add_argument("--test-time-limit", type=float, default=Limits.test_seconds)
    parser.add_argument("--memory-limit", type=int, default=Limits.memory_bytes, help="bytes")
    parser.add_argument("--file-limit", type=int, default=Limits.file_bytes, help="bytes")
    parser.add_argument("--only", default="", help="exercise ids to grade, e.g. 2.3 (default all)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """`python -m nnlings.grader.grade` grades like `nnlings grade`; with --child, one unit."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child_main(_child_parser().parse_args(argv))
        sys.stdout.flush()
        sys.stderr.flush()
        # Skip interpreter shutdown: a thread or atexit handler the submission left behind
        # could keep the process alive, or change its exit code, after every result is written.
        os._exit(0)
    parser = argparse.ArgumentParser(prog="nnlings grade", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except ValueError as error:
        print(f"nnlings: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
