"""`nnlings watch`, driven without a terminal for a bounded number of polls."""
import io
import os
import shutil
import time

import pytest

from nnlings.grader import cli, generate, registry, watch

pytestmark = pytest.mark.kit

SOLUTIONS = registry.kit_root() / "solutions"


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


def save(path, text):
    """Write `text` and move the file's modification time on, as an editor's save does."""
    path.write_text(text)
    later = time.time() + 1
    os.utime(path, (later, later))


def test_the_current_exercise_is_the_first_one_not_done(student):
    watcher = watch.Watcher(student, out=io.StringIO())
    watcher.grade_all()
    assert watcher.current.id == "2.1"
    assert watcher.points["1.1"][0] == watcher.points["1.1"][1] > 0


def test_a_save_is_detected_once(student):
    watcher = watch.Watcher(student, out=io.StringIO())
    watcher.grade_all()
    watcher.seen_mtime = watcher.mtime()
    assert not watcher.saved()
    save(student / "unit02_activations.py", unit02_with(set()))
    assert watcher.saved() and not watcher.saved()


def test_saving_a_passing_exercise_moves_on_and_shows_the_next_failure(student):
    out = io.StringIO()
    saves = iter([lambda: save(student / "unit02_activations.py",
                               unit02_with({"identity", "identity_grad"}))])

    def sleep(seconds):  # the student's edits happen while the watcher sleeps
        next(saves, lambda: None)()

    watcher = watch.Watcher(student, out=out)
    assert watcher.run(iterations=3, sleep=sleep) == 0
    text = out.getvalue()
    assert "Exercise 2.1: Identity" in text and "is not implemented yet" in text
    assert "Exercise 2.1 passes (2/2 points). Moving on." in text
    assert watcher.current.id == "2.2"
    after = text.split("Moving on.")[1]
    assert "Exercise 2.2:" in after and "Exercise 2.2 (sigmoid) is not implemented yet" in after
    assert "nnlings hint 2.2" in after
    # No terminal: plain ASCII frame, no colour codes.
    assert "\033" not in text and "[" + "#" in text


def test_a_save_shows_its_result_quickly(student):
    watcher = watch.Watcher(student, out=io.StringIO())
    watcher.grade_all()
    watcher.seen_mtime = watcher.mtime()
    save(student / "unit02_activations.py", unit02_with({"identity"}))
    started = time.monotonic()
    assert watcher.step()
    assert time.monotonic() - started < 10  # measured about 0.5 s warm; generous for CI
    assert watcher.current.id == "2.1"


def test_ctrl_c_stops_with_exit_code_0(student):
    out = io.StringIO()

    def sleep(seconds):
        raise KeyboardInterrupt

    assert watch.Watcher(student, out=out).run(sleep=sleep) == 0
    assert "Stopped watching" in out.getvalue()


def test_a_finished_kit_has_nothing_to_watch(tmp_path, monkeypatch):
    def everything_done(watcher):
        watcher.points = {ex.id: (1, 1) for ex in registry.all_exercises()}
        watcher.current = watcher.first_open()
    monkeypatch.setattr(watch.Watcher, "grade_all", everything_done)
    out = io.StringIO()
    watcher = watch.Watcher(tmp_path, out=out)
    assert watcher.run(iterations=5, sleep=lambda s: pytest.fail("should not wait")) == 0
    assert "Every exercise passes" in out.getvalue()


def test_plain_nnlings_watches_on_a_terminal_and_prints_progress_otherwise(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(watch, "watch", lambda impl, start: started.append(impl) or 0)
    monkeypatch.setattr(cli, "show_progress", lambda impl: print("progress table") or 0)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdout", Terminal())
    assert cli.main([]) == 0 and started == ["exercises"]
    monkeypatch.undo()
    monkeypatch.setattr(watch, "watch", lambda impl, start: started.append(impl) or 0)
    monkeypatch.setattr(cli, "show_progress", lambda impl: print("progress table") or 0)
    assert cli.main([]) == 0 and started == ["exercises"]
    assert "progress table" in capsys.readouterr().out
