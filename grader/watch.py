"""`nnlings watch`: the student's loop. Save the file, see the result, move on.

The watcher grades every exercise once, then follows the first exercise not yet done. Each time
its file is saved (noticed by polling the file's modification time, no extra dependency), that
exercise's graded tests run again in a child process of the standalone grader, so a crash or an
endless loop in the student's code cannot take the watcher down, and each run imports the file
afresh. It shows a progress bar over all exercises and the first failing test's message; when
the exercise passes it moves on to the next one. Ctrl-C ends it.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from . import grade, registry

# Student code gets less time here than under the grader: a loop shows up quickly.
LIMITS = grade.Limits(unit_seconds=60, test_seconds=10)
OUTPUT_LINES = 15  # the last lines the student's own code printed, shown under a failure


def impl_folder(impl: str) -> Path:
    """The folder of unit files an implementation name stands for."""
    if impl in ("exercises", "solutions"):
        return registry.kit_root() / impl
    folder = Path(impl).resolve()
    if not folder.is_dir():
        raise ValueError(f"watch: {impl} is not 'exercises', 'solutions' or a folder")
    return folder


class Watcher:
    """The watch loop's state: points per exercise, the current exercise and its last result."""

    def __init__(self, folder: Path, out=None, colour: bool = False,
                 limits: grade.Limits = LIMITS, start: registry.Exercise | None = None):
        self.folder, self.limits, self.colour = Path(folder), limits, colour
        self.start = start
        self.out = out if out is not None else sys.stdout
        self.points: dict[str, tuple[int, int]] = {}
        self.current: registry.Exercise | None = None
        self.last: grade.UnitGrade | None = None
        self.seen_mtime: int | None = None

    # What is done and what is next --------------------------------------------------------

    def grade_all(self) -> None:
        """Grade every exercise once (one child process per unit)."""
        graded = grade.grade_submission(self.folder, self.limits)
        self.points = graded.exercise_points()
        self.current = self.start or self.first_open()
        if self.current is not None:
            self.last = next(u for u in graded.units if u.module == self.current.module)

    def first_open(self) -> registry.Exercise | None:
        """The first exercise, in curriculum order, with tests and points still to earn."""
        for ex in registry.all_exercises():
            earned, possible = self.points.get(ex.id, (0, 0))
            if possible and earned < possible:
                return ex
        return None

    def file_of(self, ex: registry.Exercise) -> Path:
        return self.folder / f"{ex.module}.py"

    def check_current(self) -> None:
        """Grade the current exercise again; while it passes, move on and check the next one
        (the same save may have finished several exercises of one file)."""
        while self.current is not None:
            ex = self.current
            unit = registry.unit_for_module(ex.module)
            self.last = grade.grade_unit(self.folder, unit, self.limits, only=(ex.id,))
            self.points[ex.id] = (self.last.earned, self.last.possible)
            self.current = self.first_open()
            if self.current == ex or self.current is None:
                return
            self.show_passed(ex)
            self.seen_mtime = self.mtime()

    def mtime(self) -> int | None:
        """The current exercise file's modification time, None if it cannot be read."""
        if self.current is None:
            return None
        try:
            return self.file_of(self.current).stat().st_mtime_ns
        except OSError:
            return None

    def saved(self) -> bool:
        """True once when the current exercise's file has changed since it was last seen."""
        now = self.mtime()
        if now == self.seen_mtime:
            return False
        self.seen_mtime = now
        return True

    # The loop -----------------------------------------------------------------------------

    def step(self) -> bool:
        """One poll: on a save, re-check and show the result. Returns whether a check ran."""
        if self.current is None or not self.saved():
            return False
        self.check_current()
        self.show()
        return True

    def run(self, iterations: int | None = None, poll_seconds: float = 0.2,
            sleep=time.sleep) -> int:
        """Watch until Ctrl-C (or for `iterations` polls, for tests); returns the exit code."""
        try:
            self.grade_all()
            self.seen_mtime = self.mtime()
            self.show()
            count = 0
            while self.current is not None and (iterations is None or count < iterations):
                sleep(poll_seconds)
                self.step()
                count += 1
        except KeyboardInterrupt:
            self.write("\nStopped watching. Your progress: `nnlings progress`.")
        return 0

    # The display --------------------------------------------------------------------------

    def write(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def bar(self, width: int = 40) -> str:
        done = sum(1 for e, p in self.points.values() if p and e == p)
        total = sum(1 for _, p in self.points.values() if p)
        earned = sum(e for e, _ in self.points.values())
        possible = sum(p for _, p in self.points.values())
        filled = width * done // max(total, 1)
        full, empty = ("█", "░") if self.colour else ("#", ".")
        return (f"[{self.paint(full * filled, '32')}{empty * (width - filled)}] "
                f"{done}/{total} exercises done, {earned}/{possible} points")

    def show_passed(self, ex: registry.Exercise) -> None:
        earned, possible = self.points[ex.id]
        self.write(self.paint(f"Exercise {ex.id} passes ({earned}/{possible} points). "
                              "Moving on.", "32"))

    def show(self) -> None:
        if self.colour:
            self.out.write("\033[2J\033[H")  # clear the screen, cursor home
        else:
            self.write("-" * 78)
        self.write(f"nnlings watch: {self.folder}   (Ctrl-C to stop)")
        self.write(self.bar())
        self.write()
        if self.current is None:
            self.write(self.paint("Every exercise passes. Well done!", "32"))
            return
        ex = self.current
        earned, possible = self.points.get(ex.id, (0, 0))
        self.write(f"Exercise {ex.id}: {ex.title}")
        self.write(f"  in {self.file_of(ex)}: {', '.join(ex.functions)}")
        self.write(f"  {self.paint(f'{earned}/{possible} points', '33')}")
        self.write()
        for line in self.failure_lines():
            self.write(line)
        self.write()
        self.write(f"Save the file to check again. Stuck? `nnlings hint {ex.id}`.")

    def failure_lines(self) -> list[str]:
        """The first failing test's message and the last lines the student's code printed."""
        if self.last is None:
            return []
        lines = []
        if self.last.problem:
            lines += self.last.problem.splitlines()
        failed = [t for t in self.last.tests if not t.passed and t.exercise == self.current.id]
        if failed and not self.last.problem:
            lines.append(f"{failed[0].id.split('::')[-1]} fails:")
            lines += ["  " + line for line in failed[0].message.splitlines()]
        printed = self.last.output_tail.strip().splitlines()[-OUTPUT_LINES:]
        if printed and failed:
            lines += ["", "Your code printed (last lines):"] + ["  " + p for p in printed]
        return lines


def use_colour(stream) -> bool:
    return (stream.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def watch(impl: str = "exercises", start: str | None = None) -> int:
    """`nnlings watch [5.3]`: from exercise `start`, or the first one not done."""
    first = registry.exercise(start) if start is not None else None
    return Watcher(impl_folder(impl), colour=use_colour(sys.stdout), start=first).run()
