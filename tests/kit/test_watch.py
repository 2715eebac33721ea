"""`nnlings watch`, driven without a terminal: its loop runs in a thread, the test saves files
and presses keys by putting events in the watcher's queue, and reads what the student sees."""
import dataclasses
import io
import os
import queue
import shutil
import threading
import time

import pytest

from nnlings.grader import cli, generate, registry, watch

pytestmark = [pytest.mark.kit, pytest.mark.xdist_group("watch")]

SOLUTIONS = registry.kit_root() / "solutions"
PATIENCE = 60  # seconds to wait for a screen; a check takes about half a second warm


def solved_except(source: str, unsolved: set[str]) -> str:
    """A reference module's source with the functions in `unsolved` left as stubs."""
    lines, out, inside = source.splitlines(keepends=True), [], None
    for line in lines:
        if line.startswith("def "):
            inside = line[4:].split("(")[0]
        if line.strip() in (generate.BEGIN, generate.END) and inside not in unsolved:
            continue  # drop the markers: the region stays as written
        out.append(line)
    return generate.make_stub("".join(out), "unit02_activations")


def unit02_with(done: set[str]) -> str:
    """unit02_activations.py with only the functions in `done` written."""
    every = {f for ex in registry.unit_for_module("unit02_activations").exercises
             for f in ex.functions}
    return solved_except((SOLUTIONS / "unit02_activations.py").read_text(), every - done)


@pytest.fixture
def student(tmp_path):
    """A student who has finished unit 1 and not started unit 2 (later units are absent)."""
    shutil.copyfile(SOLUTIONS / "unit01_neuron.py", tmp_path / "unit01_neuron.py")
    (tmp_path / "unit02_activations.py").write_text(unit02_with(set()))
    return tmp_path


class Screen(io.StringIO):
    """What the watcher wrote, readable while it writes."""

    def wait_for(self, text: str, after: int = 0) -> int:
        """Wait until `text` appears past position `after`; return where it ends."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            found = self.getvalue().find(text, after)
            if found >= 0:
                return found + len(text)
            time.sleep(0.02)
        pytest.fail(f"{text!r} never appeared; the screen:\n{self.getvalue()[after:]}")


@pytest.fixture
def session(student):
    """Start a watcher on `student` in a thread; yields (watcher, screen); quits at the end."""
    started = []

    def start(**options):
        screen = Screen()
        watcher = watch.Watcher(student, out=screen, **options)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        started.append((watcher, thread))
        return watcher, screen

    yield start
    for watcher, thread in started:
        watcher.events.put(("key", "q"))
        thread.join(timeout=PATIENCE)
        assert not thread.is_alive()


def save(watcher, path, text):
    """Write `text` as an editor does; the watcher's file events (or its polling) see it."""
    path.write_text(text)


def test_the_watcher_starts_at_the_first_exercise_not_done(session):
    watcher, screen = session()
    screen.wait_for("Checking every exercise once...")
    end = screen.wait_for("Exercise 2.1: Identity")
    screen.wait_for("is not implemented yet", end)
    assert watcher.points["1.1"][0] == watcher.points["1.1"][1] > 0
    assert "\033" not in screen.getvalue() and "[" + "#" in screen.getvalue()


def test_it_can_start_at_a_chosen_exercise(session):
    watcher, screen = session(start=registry.exercise("2.3"))
    screen.wait_for("Exercise 2.3: Tanh")
    assert watcher.current.id == "2.3"


def test_a_save_says_checking_at_once_then_moves_on_when_the_exercise_passes(session, student):
    watcher, screen = session()
    end = screen.wait_for("Exercise 2.1 (identity) is not implemented yet")
    save(watcher, student / "unit02_activations.py", unit02_with({"identity", "identity_grad"}))
    end = screen.wait_for("Checking exercise 2.1...", end)
    end = screen.wait_for("Exercise 2.1 passes (2/2 points). Moving on.", end)
    end = screen.wait_for("Exercise 2.2 (sigmoid) is not implemented yet", end)
    screen.wait_for("Stuck? `nnlings hint 2.2`.", end)
    assert watcher.current.id == "2.2"


def test_a_save_during_an_endless_loop_stops_that_check(session, student):
    # A limit far above the time a check takes: the result below can only come this soon
    # because the check of the loop was stopped, not because the loop ran out of time.
    watcher, screen = session(limits=dataclasses.replace(watch.LIMITS, test_seconds=120,
                                                         unit_seconds=300))
    end = screen.wait_for("Exercise 2.1 (identity) is not implemented yet")
    good = unit02_with({"identity"})
    endless = good.replace("def identity(x):\n", "def identity(x):\n    while True:\n"
                                                 "        pass\n", 1)
    save(watcher, student / "unit02_activations.py", endless)
    end = screen.wait_for("Checking exercise 2.1...", end)
    time.sleep(1.0)  # the loop is running
    looping = watcher.checker.process
    saved = time.monotonic()
    save(watcher, student / "unit02_activations.py", good)
    screen.wait_for("Exercise 2.1 (identity_grad) is not implemented yet", end)
    assert time.monotonic() - saved < 60
    assert watcher.points["2.1"] == (1, 2)
    looping.wait(timeout=10)  # stopped, and its grading child with it
    with pytest.raises(ProcessLookupError):
        os.killpg(looping.pid, 0)


def test_keys_show_hints_and_the_list_skip_and_quit(session):
    watcher, screen = session()
    end = screen.wait_for("Exercise 2.1: Identity")
    end = screen.wait_for("is not implemented yet", end)
    ex = registry.exercise("2.1")
    for level in (1, 2):
        watcher.events.put(("key", "h"))
        end = screen.wait_for(f"Hint {level} of 3: {ex.hints[level - 1].split()[0]}", end)
    watcher.events.put(("key", "l"))
    end = screen.wait_for("Unit 10", end)
    assert ">[ ] 2.1" in screen.getvalue() and "[x] 1.5" in screen.getvalue()
    watcher.events.put(("key", "n"))
    end = screen.wait_for("Exercise 2.2 (sigmoid) is not implemented yet", end)
    assert watcher.current.id == "2.2" and watcher.hint_level == 0
    watcher.events.put(("key", "q"))
    screen.wait_for("Stopped watching", end)


def test_polling_notices_a_save_when_file_events_are_missing(student):
    events, stop = queue.Queue(), threading.Event()
    poller = threading.Thread(target=watch.poll_saves, args=(student, events, stop, 0.05))
    poller.start()
    try:
        time.sleep(0.2)
        path = student / "unit02_activations.py"
        later = time.time() + 5
        os.utime(path, (later, later))
        assert events.get(timeout=PATIENCE) == ("saved", "unit02_activations.py")
    finally:
        stop.set()
        poller.join()


def test_ctrl_c_stops_with_exit_code_0(student, monkeypatch):
    def interrupted(self):
        raise KeyboardInterrupt
    monkeypatch.setattr(watch.Watcher, "next_event", interrupted)
    out = io.StringIO()
    assert watch.Watcher(student, out=out).run() == 0
    assert "Stopped watching" in out.getvalue()


def test_a_finished_kit_has_nothing_to_watch(student):
    watcher = watch.Watcher(student, out=io.StringIO())
    watcher.points = {ex.id: (1, 1) for ex in registry.all_exercises()}
    watcher.move_to(watcher.next_open())
    assert watcher.current is None
    assert "Every exercise passes" in watcher.out.getvalue()


def test_plain_nnlings_watches_on_a_terminal_and_prints_progress_otherwise(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(watch, "watch", lambda impl, start: started.append((impl, start)) or 0)
    monkeypatch.setattr(cli, "show_progress", lambda impl: print("progress table") or 0)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdout", Terminal())
    assert cli.main([]) == 0 and started == [("exercises", None)]
    assert cli.main(["watch", "5.3"]) == 0 and started[-1] == ("exercises", "5.3")
    monkeypatch.undo()
    monkeypatch.setattr(watch, "watch", lambda impl, start: started.append(impl) or 0)
    monkeypatch.setattr(cli, "show_progress", lambda impl: print("progress table") or 0)
    assert cli.main([]) == 0 and len(started) == 2
    assert "progress table" in capsys.readouterr().out
