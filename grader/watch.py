"""`nnlings watch`: the student's loop. Save the file, see the result, move on.

The watcher grades every exercise once, then follows the first exercise not yet done (or the
one named: `nnlings watch 5.3`). Each save of its file starts that exercise's check at once, in
a process of its own (the checker), and the screen says "Checking exercise 5.3..." until the
result is in; a save while a check still runs (an endless loop, a long training) stops that
check and starts a fresh one. Student code never runs in the watcher: a crash or an endless
loop cannot take it down, and every check imports the file afresh. When the exercise passes,
the watcher moves on to the next one.

Saves are noticed through the operating system's file events (`watchfiles`), or by polling the
files' modification times where those are not available. On a terminal single keys steer:
h the next hint level, l the list of exercises, n (or s) skip to the next exercise, q quit.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from . import grade, registry

# Student code gets less time here than under the grader: a loop shows up quickly.
LIMITS = grade.Limits(unit_seconds=60, test_seconds=10)
OUTPUT_LINES = 15  # the last lines the student's own code printed, shown under a failure
POLL_SECONDS = 0.2  # how often the fallback looks at modification times
RESULT = "nnlings-watch-result "  # the checker's line that carries its result
EVERY = "every"  # what the checker is asked to check at first
PROGRESS = "nnlings-watch-progress "  # the checker's line that says how far it has come
SPARE_AFTER_SECONDS = 1.0
KEYS = "h hint · l list · n next · q quit"


def impl_folder(impl: str) -> Path:
    """The folder of unit files an implementation name stands for."""
    if impl in ("exercises", "solutions"):
        return registry.kit_root() / impl
    folder = Path(impl).resolve()
    if not folder.is_dir():
        raise ValueError(f"watch: {impl} is not 'exercises', 'solutions' or a folder")
    return folder


# The check ----------------------------------------------------------------------------------------

def check(folder: Path, unit: registry.Unit, limits: grade.Limits,
          only: tuple[str, ...] = ()) -> grade.UnitGrade:
    """Grade the exercises `only` (all when empty) of one unit file of `folder`.

    The one place where the watch loop asks for a verdict; it runs in the checker process.
    """
    return grade.grade_unit(folder, unit, limits, only=only)


def prepare() -> None:
    """Import what `check` needs (the graded suites, the reference) before it is asked."""
    from .suite import graded_tests
    graded_tests()


def checker_main(argv: list[str]) -> int:
    """The checker process: wait for an exercise id (or EVERY) on stdin, run `check`, print
    its result as one JSON line (and, for EVERY, a PROGRESS line per unit), exit.

    It starts before it is needed (imports done), so a save waits only for the check itself.
    SIGTERM (a newer save) ends it through Python's own exit, so the grading child it started
    is killed on the way out instead of finishing an endless loop nobody waits for."""
    parser = argparse.ArgumentParser(prog="python -m nnlings.grader.watch")
    parser.add_argument("folder")
    parser.add_argument("--unit-seconds", type=float, default=LIMITS.unit_seconds)
    parser.add_argument("--test-seconds", type=float, default=LIMITS.test_seconds)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    limits = dataclasses.replace(LIMITS, unit_seconds=args.unit_seconds,
                                 test_seconds=args.test_seconds)
    prepare()
    request = sys.stdin.readline().strip()
    if not request:  # the watcher ended before it needed this checker
        return 0
    folder = Path(args.folder).resolve()
    if request == EVERY:
        units = []
        for unit in registry.units():
            print(f"{PROGRESS}unit {unit.number} of {len(registry.units())}", flush=True)
            units.append(check(folder, unit, limits))
    else:
        ex = registry.exercise(request)
        units = [check(folder, registry.unit_for_module(ex.module), limits, only=(ex.id,))]
    print(RESULT + json.dumps([dataclasses.asdict(unit) for unit in units]), flush=True)
    return 0


def _unit_grade(data: dict) -> grade.UnitGrade:
    tests = [grade.Outcome(**test) for test in data.pop("tests")]
    return grade.UnitGrade(tests=tests, **data)


class Checker:
    """Runs one check at a time in a process of its own; starting another stops the first.

    When a check ends, ("result", number, exercise id, unit grades or None, problem) goes into
    `events`, and ("progress", number, text) while the first check of everything runs;
    `number` tells a stopped check's late answer from the current one's."""

    def __init__(self, folder: Path, limits: grade.Limits, events: queue.Queue):
        self.folder, self.limits, self.events = folder, limits, events
        self.number = 0
        self.process: subprocess.Popen | None = None  # the running check
        self.spare: subprocess.Popen | None = None  # the next one, ready and waiting
        self.lock = threading.Lock()
        self.closed = False

    def start(self, exercise_id: str | None) -> None:
        self.stop()
        self.number += 1
        with self.lock:
            process, self.spare = self.spare or self._spawn(), None
        process.stdin.write(f"{exercise_id or EVERY}\n")
        process.stdin.close()
        self.process = process
        threading.Thread(target=self._wait, args=(process, self.number, exercise_id),
                         daemon=True).start()
        # The next check's process starts once this one is done, or once it has run a while
        # (a loop, a long training): not at once, where it would slow this check down.
        timer = threading.Timer(SPARE_AFTER_SECONDS, self._ensure_spare)
        timer.daemon = True
        timer.start()

    def _ensure_spare(self) -> None:
        with self.lock:
            if self.spare is None and not self.closed:
                self.spare = self._spawn()

    def _spawn(self) -> subprocess.Popen:
        """A checker process, started ahead of time: it waits for its exercise id."""
        command = [sys.executable, "-m", "nnlings.grader.watch", str(self.folder),
                   "--unit-seconds", str(self.limits.unit_seconds),
                   "--test-seconds", str(self.limits.test_seconds)]
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def _wait(self, process: subprocess.Popen, number: int, exercise_id: str | None) -> None:
        lines = []
        for line in process.stdout:
            if line.startswith(PROGRESS):
                self.events.put(("progress", number, line[len(PROGRESS):].strip()))
            lines.append(line.rstrip("\n"))
        process.wait()
        self._ensure_spare()
        results = [line for line in lines if line.startswith(RESULT)]
        if results:
            units = [_unit_grade(d) for d in json.loads(results[-1][len(RESULT):])]
            self.events.put(("result", number, exercise_id, units, ""))
        else:
            why = ([line for line in lines if line.strip()]
                   or [f"exit status {process.returncode}"])[-1]
            self.events.put(("result", number, exercise_id, None,
                             f"the check could not run ({why})"))

    def stop(self) -> None:
        """Stop the running check, if any (its grading child goes with it)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            threading.Thread(target=_kill_if_lingering, args=(process,), daemon=True).start()

    def close(self) -> None:
        """Stop the running check and the spare: the watcher ends."""
        self.stop()
        with self.lock:
            self.closed = True
            spare, self.spare = self.spare, None
        if spare is not None:
            spare.kill()
            spare.wait()


def _kill_if_lingering(process: subprocess.Popen, grace: float = 2.0) -> None:
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# Where events come from ---------------------------------------------------------------------------

def watch_saves(folder: Path, events: queue.Queue, stop: threading.Event) -> None:
    """Put ("saved", file name) into `events` for every unit file of `folder` that changes."""
    try:
        import watchfiles
        for changes in watchfiles.watch(folder, step=30, stop_event=stop, recursive=False,
                                        raise_interrupt=False, rust_timeout=500):
            for name in sorted({Path(path).name for _, path in changes}):
                events.put(("saved", name))
    except Exception:  # not installed, or no file events here: look at the files instead
        if not stop.is_set():
            poll_saves(folder, events, stop)


def poll_saves(folder: Path, events: queue.Queue, stop: threading.Event,
               seconds: float = POLL_SECONDS) -> None:
    """The fallback: compare the unit files' modification times every `seconds`."""
    def stamps():
        found = {}
        for path in folder.glob("unit*.py"):
            try:
                found[path.name] = path.stat().st_mtime_ns
            except OSError:
                pass
        return found

    seen = stamps()
    while not stop.wait(seconds):
        now = stamps()
        for name in sorted(now):
            if now[name] != seen.get(name):
                events.put(("saved", name))
        seen = now


def read_keys(stream, events: queue.Queue, stop: threading.Event) -> None:
    """Put ("key", character) into `events` for every key pressed on `stream`."""
    import select
    fd = stream.fileno()
    while not stop.is_set():
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            data = os.read(fd, 32)
            if not data:
                return
            for char in data.decode("utf-8", "ignore"):
                events.put(("key", char))


class RawKeys:
    """The terminal in cbreak mode while the watcher runs: keys arrive without Enter."""

    def __init__(self, stream):
        self.stream, self.saved = stream, None

    def __enter__(self):
        try:
            import termios
            import tty
            self.saved = termios.tcgetattr(self.stream.fileno())
            tty.setcbreak(self.stream.fileno())
        except (ImportError, OSError, ValueError):
            self.saved = None
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            import termios
            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self.saved)


# The loop -----------------------------------------------------------------------------------------

class Watcher:
    """The watch loop's state: points per exercise, the current exercise and its last result."""

    def __init__(self, folder: Path, out=None, colour: bool = False,
                 limits: grade.Limits = LIMITS, start: registry.Exercise | None = None,
                 keys=None):
        self.folder, self.limits, self.colour = Path(folder), limits, colour
        self.out = out if out is not None else sys.stdout
        self.keys = keys  # a terminal to read single keys from, or None
        self.start = start
        self.events: queue.Queue = queue.Queue()
        self.checker = Checker(self.folder, limits, self.events)
        self.points: dict[str, tuple[int, int]] = {}
        self.results: dict[str, grade.UnitGrade] = {}  # exercise id -> its last check
        self.current: registry.Exercise | None = None
        self.checking: str | None = None  # what the running check is about ("all" at first)
        self.hint_level = 0
        self.listing = False
        self.problem = ""  # why the last check could not run, if it could not
        self.progress = ""  # how far the first check of every exercise has come

    # What is done and what is next --------------------------------------------------------

    def done(self, exercise_id: str) -> bool:
        earned, possible = self.points.get(exercise_id, (0, 0))
        return not possible or earned == possible

    def next_open(self, after: registry.Exercise | None = None) -> registry.Exercise | None:
        """The first exercise not done after `after` in curriculum order, wrapping round."""
        order = list(registry.all_exercises())
        if after is not None:
            cut = order.index(after) + 1
            order = order[cut:] + order[:cut]
        return next((ex for ex in order if not self.done(ex.id)), None)

    def file_of(self, ex: registry.Exercise) -> Path:
        return self.folder / f"{ex.module}.py"

    def begin_check(self, exercise_id: str | None) -> None:
        self.checking = exercise_id or "all"
        self.checker.start(exercise_id)
        self.show()

    def move_to(self, ex: registry.Exercise | None) -> None:
        if ex != self.current:
            self.hint_level = 0
        self.current = ex
        if ex is not None:
            self.begin_check(ex.id)
        else:
            self.show()

    # Events -------------------------------------------------------------------------------

    def handle(self, event: tuple) -> bool:
        """React to one event; return False when the loop should end."""
        kind = event[0]
        if kind == "saved":
            if self.current is not None and event[1] == self.file_of(self.current).name:
                self.listing = False
                self.begin_check(self.current.id)
        elif kind == "result":
            self.take_result(*event[1:])
        elif kind == "progress" and event[1] == self.checker.number:
            self.progress = event[2]
            self.show()
        elif kind == "key":
            return self.press(event[1])
        return True

    def take_result(self, number, exercise_id, units, problem) -> None:
        if number != self.checker.number:
            return  # a check a newer save stopped
        self.checking = None
        if units is None:
            self.problem = problem
            self.show()
            return
        self.problem = ""
        for unit in units:
            for ex in registry.unit_for_module(unit.module).exercises:
                tests = [t for t in unit.tests if t.exercise == ex.id]
                if tests or exercise_id is None:
                    self.points[ex.id] = (sum(t.earned for t in tests),
                                          sum(t.points for t in tests))
                    self.results[ex.id] = unit
        if exercise_id is None:  # the first grading of everything
            self.move_to(self.start or self.next_open())
            return
        ex = registry.exercise(exercise_id)
        if ex == self.current and self.done(ex.id):
            self.show_passed(ex)
            self.move_to(self.next_open(after=ex))
        else:
            self.show()

    def press(self, key: str) -> bool:
        if key in ("q", "Q", "\x04"):
            return False
        if key == "h" and self.current is not None:
            self.hint_level = min(self.hint_level + 1, registry.HINT_LEVELS)
            self.listing = False
            self.show()
        elif key == "l":
            self.listing = not self.listing
            self.show()
        elif key in ("n", "s") and self.current is not None:
            self.listing = False
            following = self.next_open(after=self.current)
            if following is not None and following != self.current:
                self.move_to(following)
        return True

    def next_event(self) -> tuple:
        while True:  # short waits: Ctrl-C is noticed between them on every platform
            try:
                return self.events.get(timeout=0.5)
            except queue.Empty:
                pass

    def run(self) -> int:
        """Watch until q or Ctrl-C; returns the exit code."""
        stop = threading.Event()
        threading.Thread(target=watch_saves, args=(self.folder, self.events, stop),
                         daemon=True).start()
        if self.keys is not None:
            threading.Thread(target=read_keys, args=(self.keys, self.events, stop),
                             daemon=True).start()
        try:
            with RawKeys(self.keys) if self.keys is not None else contextlib.nullcontext():
                self.begin_check(None)
                while self.handle(self.next_event()):
                    if self.current is None and self.checking is None:
                        break  # every exercise passes
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            self.checker.close()
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
        keys = f"   ({KEYS})" if self.keys is not None else "   (Ctrl-C to stop)"
        self.write(f"nnlings watch: {self.folder}{keys}")
        if self.checking == "all":
            self.write()
            self.write(self.paint("Checking every exercise once...", "33")
                       + (f" ({self.progress})" if self.progress else ""))
            return
        self.write(self.bar())
        self.write()
        if self.listing:
            for line in self.exercise_list():
                self.write(line)
            return
        if self.current is None:
            self.write(self.paint("Every exercise passes. Well done!", "32"))
            return
        ex = self.current
        earned, possible = self.points.get(ex.id, (0, 0))
        self.write(f"Exercise {ex.id}: {ex.title}")
        self.write(f"  in {self.file_of(ex)}: {', '.join(ex.functions)}")
        if self.checking == ex.id:
            self.write()
            self.write(self.paint(f"Checking exercise {ex.id}...", "33"))
            return
        self.write(f"  {self.paint(f'{earned}/{possible} points', '33')}")
        self.write()
        for line in self.failure_lines():
            self.write(line)
        width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 1
        for level in range(1, self.hint_level + 1):
            self.write()
            self.write(textwrap.fill(f"Hint {level} of {registry.HINT_LEVELS}: "
                                     f"{ex.hints[level - 1]}", width, subsequent_indent="  "))
        self.write()
        more = "h: the next hint" if self.hint_level < registry.HINT_LEVELS else "no more hints"
        stuck = f"{more}." if self.keys is not None else f"`nnlings hint {ex.id}`."
        self.write(f"Save the file to check again. Stuck? {stuck}")

    def exercise_list(self) -> list[str]:
        lines = []
        for unit in registry.units():
            marks = []
            for ex in unit.exercises:
                mark = "x" if self.done(ex.id) else ("~" if self.points.get(ex.id, (0,))[0]
                                                     else " ")
                here = ">" if ex == self.current else " "
                marks.append(f"{here}[{mark}] {ex.id}")
            for start in range(0, len(marks), 8):
                lines.append(f"{f'Unit {unit.number}' if not start else '':<8}"
                             + " ".join(marks[start:start + 8]))
        lines += ["", "l: back to the exercise"]
        return lines

    def failure_lines(self) -> list[str]:
        """The first failing test's message and the last lines the student's code printed."""
        if self.problem:
            return [self.problem]
        last = self.results.get(self.current.id)
        if last is None:
            return []
        lines = []
        if last.problem:
            lines += last.problem.splitlines()
        failed = [t for t in last.tests if not t.passed and t.exercise == self.current.id]
        if failed and not last.problem:
            lines.append(f"{failed[0].id.split('::')[-1]} fails:")
            lines += ["  " + line for line in failed[0].message.splitlines()]
        printed = last.output_tail.strip().splitlines()[-OUTPUT_LINES:]
        if printed and failed:
            lines += ["", "Your code printed (last lines):"] + ["  " + p for p in printed]
        return lines


def use_colour(stream) -> bool:
    return (stream.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def watch(impl: str = "exercises", start: str | None = None) -> int:
    """`nnlings watch [5.3]`: from exercise `start`, or the first one not done."""
    first = registry.exercise(start) if start is not None else None
    keys = sys.stdin if sys.stdin.isatty() else None

    def stopped(number, frame):  # `kill`: end as Ctrl-C does, checks stopped, terminal restored
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stopped)
    return Watcher(impl_folder(impl), colour=use_colour(sys.stdout), start=first,
                   keys=keys).run()


if __name__ == "__main__":
    sys.exit(checker_main(sys.argv[1:]))
