"""The standalone grader: grade a submitted copy of `exercises/` with the kit's own tests.

    nnlings grade SUBMISSION [--json FILE] [--gradescope FILE]
    nnlings grade FOLDER_OF_SUBMISSIONS [--jobs N] [--csv FILE]

Only the submission's ``unitNN_*.py`` files are used: the tests, their points and the expected
values are the kit's. The graded tests run here, in the grading process (the judge); the
student's module is loaded only in a child process (`nnlings.grader.worker`, which imports
nothing of the judge) and every call of it crosses as data. Where an instructor grades, the
child runs in a bubblewrap sandbox (`judge.sandbox`): the kit read-only, the reference, tests
and mistake catalogue hidden, no network, its own PID namespace, time, memory, file-size and
process limits. A call that loops, crashes, exits or exhausts memory fails the running test
only; a fresh child takes over at the next test. The report says which isolation ran.
"""
from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import registry
from .cases import course_seed_offset
from .judge import UNIT_FILE_PATTERN, sandbox, stage
from .judge.run import MESSAGE_CHARS, run_unit


@dataclass(frozen=True)
class Limits:
    """What a child process may use while it grades one unit."""
    unit_seconds: float = 120.0         # wall clock for the whole unit
    test_seconds: float = 20.0          # wall clock for one test (a loop in Python code)
    memory_bytes: int = 2 * 1024 ** 3   # address space (RLIMIT_AS)
    file_bytes: int = 256 * 1024 ** 2   # largest file the child may write (RLIMIT_FSIZE)
    processes: int = 512                # processes and threads (RLIMIT_NPROC)


# The grade of a submission ----------------------------------------------------------------------

@dataclass
class Outcome:
    id: str            # "test_unit02_activations::test_sigmoid_values"
    exercise: str
    points: int
    passed: bool = False
    finished: bool = False  # the test ran to its end (passed or failed)
    message: str = ""  # why the points were not given; empty when passed
    # The hidden run on fresh inputs (where the course has a seed offset): {"passed", "message",
    # "published_passed"}. The points need both runs passed.
    fresh: dict | None = None

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
    isolation: str = ""  # how the student's code was kept apart: see judge.sandbox

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
                "isolation": self.isolation,
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


# Grading ---------------------------------------------------------------------------------------

def grade_submission(submission: Path, limits: Limits = Limits(),
                     units: list[int] | None = None, hide=()) -> Grade:
    """Grade every unit (or only the unit numbers in `units`) of one submission folder; the
    folders `hide` are kept out of the sandbox too (the other submissions of a batch)."""
    submission = Path(submission).resolve()
    isolation = sandbox.available()
    grade = Grade(str(submission), isolation=isolation)
    for unit in registry.units():
        if units is None or unit.number in units:
            grade.units.append(grade_unit(submission, unit, limits, hide=hide,
                                          isolation=isolation))
    return grade


def grade_unit(submission: Path, unit: registry.Unit, limits: Limits,
               only: tuple[str, ...] = (), hide=(), isolation: str | None = None) -> UnitGrade:
    """Grade one unit of a submission (only the exercise ids `only`, if given), its module in
    a child process; never raises."""
    submission = Path(submission).resolve()
    kit_tests = kit_tests_of_unit(unit, only)
    tests = [Outcome(graded_test_id(t), t.exercise, t.points) for t in kit_tests]
    result = UnitGrade(unit.number, unit.module, unit.title, tests)
    if not tests:
        return result
    path = submission / f"{unit.module}.py"
    if path.is_symlink():
        return _fail_all(result, f"{unit.module}.py is missing from the submission (a symbolic "
                                 "link is not graded: submit the file itself)")
    if not path.is_file():
        return _fail_all(result, f"{unit.module}.py is missing from the submission")
    started = time.monotonic()
    isolation = isolation or sandbox.available()
    offset = course_seed_offset()
    try:
        with tempfile.TemporaryDirectory(prefix="nnlings-grade-") as scratch:
            staged = stage(submission, Path(scratch) / "impl")
            run = run_unit(staged, unit.module, kit_tests, limits, isolation,
                           hide=[submission, *hide])
            fresh = run_unit(staged, unit.module, kit_tests, limits, isolation,
                             hide=[submission, *hide], seed_offset=offset) if offset else None

            def rename(text):  # messages name the submission's files, not the staged copies
                return text.replace(str(staged), str(submission))
            for index, (outcome, test) in enumerate(zip(tests, run.results)):
                outcome.passed, outcome.finished = test.passed, test.finished
                outcome.message = "" if test.passed else rename(test.message)[:MESSAGE_CHARS]
                if fresh is not None:
                    hidden = fresh.results[index]
                    outcome.fresh = {"passed": hidden.passed,
                                     "message": rename(hidden.message)[:MESSAGE_CHARS],
                                     "published_passed": test.passed}
                    if outcome.passed and not hidden.passed:
                        outcome.passed = False
                        outcome.message = (f"Exercise {outcome.exercise}: this test passes on "
                                           "the published inputs but not on the hidden, fresh "
                                           "ones: does your code depend on the exact inputs?")
            result.output_tail = rename(run.output_tail)
            problems = [run.import_error] if run.import_error else run.problems
            if fresh is not None and not run.import_error:
                problems += [f"on fresh inputs: {p}" for p in fresh.problems]
            result.problem = rename("\n".join(problems))
    except Exception as error:  # the grader itself failed: say so, credit nothing
        _fail_all(result, f"the grader could not run this unit ({error!r})")
    result.seconds = round(time.monotonic() - started, 2)
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
    lines = [f"nnlings grade: {grade.submission}"]
    if grade.isolation:
        lines.append(f"Isolation: {sandbox.describe(grade.isolation)}")
    lines.append("")
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
    """Gradescope's results.json: one entry per graded test. Where the course has a seed offset,
    each test also has a hidden entry (visibility "after_published") for its run on fresh
    inputs, which carries the points; the visible entry then shows the published inputs' result
    for 0 points."""
    tests = []
    for unit in grade.units:
        for test in unit.tests:
            name = f"{test.exercise} {test.id.split('::')[-1]}"
            entry = {"name": name, "number": test.exercise, "output_format": "text",
                     "visibility": "visible"}
            if test.fresh is None:
                tests.append({**entry, "score": test.earned, "max_score": test.points,
                              "status": "passed" if test.passed else "failed",
                              "output": test.message})
                continue
            public = test.fresh["published_passed"]
            tests.append({**entry, "score": 0, "max_score": 0,
                          "status": "passed" if public else "failed",
                          "output": "" if public else test.message})
            tests.append({**entry, "name": f"{name} (hidden: fresh inputs)",
                          "score": test.earned, "max_score": test.points,
                          "status": "passed" if test.passed else "failed",
                          "output": test.fresh["message"], "visibility": "after_published"})
    problems = [u.problem for u in grade.units if u.problem]
    if grade.isolation:
        problems.append(f"Isolation: {sandbox.describe(grade.isolation)}")
    return {"score": grade.earned, "output": "\n".join(problems) or "All units were graded.",
            "output_format": "text", "visibility": "visible", "stdout_visibility": "hidden",
            "tests": tests}


def write_json(path: Path, data) -> None:
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# A folder of submissions ------------------------------------------------------------------------

def is_submission(folder: Path) -> bool:
    return any(folder.glob(UNIT_FILE_PATTERN))


def grade_many(folder: Path, jobs: int, limits: Limits = Limits(),
               units: list[int] | None = None, progress=None) -> list[Grade]:
    """Grade every submission folder inside `folder`, `jobs` at a time, in name order.

    Each job is a judge process of its own (a judge's test sets process-wide state, such as
    the global random state, around the calls it makes); the whole batch folder is hidden from
    every child, so no student sees or changes another's files."""
    folder = Path(folder).resolve()
    submissions = sorted(p for p in folder.iterdir() if p.is_dir())
    grades: dict[Path, Grade] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        futures = {pool.submit(grade_submission, s, limits, units, (folder,)): s
                   for s in submissions}
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


def main(argv: list[str] | None = None) -> int:
    """`python -m nnlings.grader.grade` grades like `nnlings grade`."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="nnlings grade", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except ValueError as error:
        print(f"nnlings: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
