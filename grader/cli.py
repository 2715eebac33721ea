"""The `nnlings` command: progress, hints and checking one exercise.

    nnlings                       `nnlings watch` on a terminal, else the progress table
    nnlings watch [5.3] [--impl X]  re-check the current exercise on every save of its file
    nnlings progress [--impl X]   points earned per unit and exercise
    nnlings hint 2.3 [--level N]  one hint level at a time (1 nudge, 2 approach, 3 near-solution)
    nnlings check 2.3 [--impl X]  run exercise 2.3's graded tests with full messages (2: unit 2)
    nnlings grade SUBMISSION      grade a submitted copy of exercises/ (see grader/grade.py)
    nnlings bench [--json]        time the reference trainer: numba vs NumPy, PyTorch and JAX
    nnlings gpu-check             run every CUDA kernel on this machine's GPU against NumPy
    nnlings gallery --out DIR     draw every figure of units 1-9 with your code (or --impl)
    nnlings release OUT           write the student kit, without solution code (grader/release.py)
    nnlings notebooks --out DIR   write an nbgrader course from solutions/ (grader/notebooks.py)
    nnlings gradescope-bundle Z   write a Gradescope autograder zip (grader/gradescope.py)
"""
from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import importlib.util
import os
import sys

import pytest

from . import gallery, grade, progress, registry, watch

COLOURS = {"done": "32", "in progress": "33", "not started": "0", "no tests yet": "2"}
MARKS = {"done": "[x]", "in progress": "[~]", "not started": "[ ]", "no tests yet": "[-]"}


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def show_progress(impl: str) -> int:
    results = progress.run_graded(impl)
    colour = _use_colour()
    who = "your exercises/" if impl == "exercises" else impl
    print(f"nnlings progress: {who}\n")
    total_earned = total_possible = done = count = 0
    first_open = None
    for unit in registry.units():
        rows, unit_earned, unit_possible = [], 0, 0
        for ex in unit.exercises:
            result = results.get(ex.id, progress.ExerciseResult())
            unit_earned += result.earned
            unit_possible += result.possible
            count += 1
            done += result.status == "done"
            if first_open is None and result.status not in ("done", "no tests yet"):
                first_open = ex
            line = (f"  {MARKS[result.status]} {ex.id:<5} {ex.title:<46} "
                    f"{result.earned:>3} / {result.possible:<3} {result.status}")
            rows.append(_paint(line, result.status, colour))
        total_earned += unit_earned
        total_possible += unit_possible
        print(f"Unit {unit.number:<2} {unit.title:<51} {unit_earned:>3} / {unit_possible}")
        print("\n".join(rows))
    print(f"\nTotal: {total_earned} / {total_possible} points, "
          f"{done} of {count} exercises done.")
    if first_open is not None:
        print(f"Next: exercise {first_open.id}, {first_open.title}, in "
              f"exercises/{first_open.module}.py. Check it with `nnlings check {first_open.id}`; "
              f"stuck? `nnlings hint {first_open.id}`.")
    return 0


def show_hint(exercise_id: str, level: int) -> int:
    ex = registry.exercise(exercise_id)
    if not 1 <= level <= registry.HINT_LEVELS:
        raise ValueError(f"--level must be 1 to {registry.HINT_LEVELS}, got {level}")
    names = {1: "a nudge", 2: "the approach", 3: "nearly the solution"}
    print(f"Exercise {ex.id}, {ex.title} (exercises/{ex.module}.py: {', '.join(ex.functions)})")
    print(f"Hint {level} of {registry.HINT_LEVELS}, {names[level]}:\n")
    print(f"  {ex.hints[level - 1]}\n")
    if level < registry.HINT_LEVELS:
        print(f"Still stuck? `nnlings hint {ex.id} --level {level + 1}`")
    return 0


def check(exercise_or_unit: str, impl: str) -> int:
    """Run the graded tests of one exercise (``2.3``) or of a whole unit (``2``)."""
    if exercise_or_unit.isdigit():
        unit = next((u for u in registry.units() if u.number == int(exercise_or_unit)), None)
        if unit is None:
            raise ValueError(f"there is no unit {exercise_or_unit}; the units are 1 to "
                             f"{registry.units()[-1].number}")
        selection = " or ".join(ex.marker for ex in unit.exercises)
    else:
        selection = registry.exercise(exercise_or_unit).marker
    return int(pytest.main(progress.pytest_args(impl, "-m", selection, "-q", "--tb=short")))


INSTRUCTOR_MODULES = ("nbformat", "nbgrader")


def missing_instructor_tools(command: str) -> str | None:
    """What to install for an instructor command a student install lacks, or None."""
    missing = [m for m in INSTRUCTOR_MODULES if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    return (f"`nnlings {command}` needs {' and '.join(missing)}, which the student install "
            "leaves out. Install the instructor tools from the kit's folder with\n"
            "    python -m pip install -e '.[instructor]'")


def version() -> str:
    try:
        return importlib.metadata.version("nnlings")
    except importlib.metadata.PackageNotFoundError:  # run from a folder, not installed
        return "unknown version"


def unknown_command(argv: list[str], commands: list[str]) -> str | None:
    """A "did you mean" message when the first word is not a command, else None."""
    if not argv or argv[0].startswith("-") or argv[0] in commands:
        return None
    word = argv[0]
    near = difflib.get_close_matches(word, commands, n=2, cutoff=0.5)
    guess = f" Did you mean `nnlings {near[0]}`?" if near else ""
    return (f"'{word}' is not a command.{guess} The commands are: {', '.join(commands)} "
            "(`nnlings --help` says what each does).")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnlings", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"nnlings {version()}")
    commands = parser.add_subparsers(dest="command")
    impl_help = "'exercises' (yours, default), 'solutions' (the reference) or a folder"
    p = commands.add_parser("progress", help="points earned per unit and exercise")
    p.add_argument("--impl", default="exercises", help=impl_help)
    p = commands.add_parser("hint", help="show a hint for an exercise")
    p.add_argument("exercise", help="exercise id, e.g. 2.3")
    p.add_argument("--level", type=int, default=1, help="1 nudge, 2 approach, 3 near-solution")
    p = commands.add_parser("check", help="run one exercise's (or one unit's) graded tests")
    p.add_argument("exercise", help="exercise id, e.g. 2.3, or a unit number, e.g. 2")
    p.add_argument("--impl", default="exercises", help=impl_help)
    p = commands.add_parser("watch", help="re-check the current exercise on every save")
    p.add_argument("exercise", nargs="?",
                   help="start at this exercise, e.g. 5.3 (default: the first one not done)")
    p.add_argument("--impl", default="exercises", help=impl_help)
    p = commands.add_parser("grade", help="grade a submitted copy of exercises/ (or a folder "
                                          "of them), each unit in its own process")
    grade.add_arguments(p)
    p = commands.add_parser("bench", help="time the reference trainer: numba vs NumPy, PyTorch "
                                          "and JAX (see grader/bench.py)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.add_argument("--epochs", type=int, default=400, help="epochs per run (default 400)")
    p = commands.add_parser("gpu-check", help="run every CUDA kernel on this machine's GPU "
                                              "against NumPy, with times (grader/gpu_check.py)")
    p.add_argument("--simulator", action="store_true",
                   help="tiny arrays in numba's CUDA simulator (NUMBA_ENABLE_CUDASIM=1)")
    p = commands.add_parser("gallery", help="draw every figure of units 1-9 into a folder")
    gallery.add_arguments(p)
    p = commands.add_parser("release", help="write the kit a student receives, without "
                                            "solution code, into a folder")
    p.add_argument("out", help="a new or empty folder")
    p = commands.add_parser("notebooks", help="write an nbgrader course (one notebook per unit) "
                                              "generated from solutions/")
    p.add_argument("--out", required=True, help="the course folder to write")
    p.add_argument("--units", help="only these units, e.g. 1-3,5 (default: all)")
    p.add_argument("--cell-timeout", type=int, default=600,
                   help="seconds a notebook cell may run when autograded (default 600)")
    p = commands.add_parser("gradescope-bundle", help="write a Gradescope autograder zip that "
                                                      "grades with `nnlings grade`")
    p.add_argument("out", help="the zip to write, e.g. autograder.zip")
    p.add_argument("--units", help="grade only these units, e.g. 1-3,5 (default: all)")
    p.add_argument("--seed-offset", type=int, default=None,
                   help="the course's secret seed offset for hidden tests (default: "
                        "NNLINGS_SEED_OFFSET, or none)")
    parser.command_names = list(commands.choices)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    complaint = unknown_command(argv, parser.command_names)
    if complaint is not None:
        print(f"nnlings: {complaint}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        missing = missing_instructor_tools(args.command) if args.command == "notebooks" else None
        if missing is not None:
            print(f"nnlings: {missing}", file=sys.stderr)
            return 2
        if args.command == "hint":
            return show_hint(args.exercise, args.level)
        if args.command == "check":
            return check(args.exercise, args.impl)
        if args.command == "grade":
            return grade.run(args)
        if args.command == "gallery":
            return gallery.run(args)
        if args.command == "release":
            from . import release  # the full kit only: a student release does not ship it
            return release.run(args)
        if args.command == "notebooks":
            from . import notebooks  # the full kit only, like release
            return notebooks.run(args)
        if args.command == "gradescope-bundle":
            from . import gradescope  # the full kit only: the bundle holds solutions/
            return gradescope.run(args)
        if args.command == "watch" or (args.command is None and sys.stdout.isatty()):
            return watch.watch(getattr(args, "impl", "exercises"),
                               getattr(args, "exercise", None))
        if args.command == "gpu-check":
            from . import gpu_check  # imports numba.cuda only when asked
            return gpu_check.run(args.simulator)
        if args.command == "bench":
            if args.epochs < 1:
                raise ValueError(f"--epochs must be at least 1, got {args.epochs}")
            from . import bench  # imports numba and the trainer only when asked
            return bench.main(args.epochs, args.json)
        return show_progress(getattr(args, "impl", "exercises"))
    except (KeyError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"nnlings: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `nnlings progress | head`: the reader left, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
