"""The `nnlings` command: progress table, hints, checking one exercise."""
import re
import shutil

import pytest

from nnlings.grader import cli, generate, registry

pytestmark = pytest.mark.kit


def total_points(output: str) -> tuple[int, int]:
    earned, possible = re.search(r"Total: (\d+) / (\d+) points", output).groups()
    return int(earned), int(possible)


def test_progress_on_untouched_stubs_lists_every_exercise_with_zero_points(tmp_path, capsys):
    generate.write_stubs(tmp_path)
    assert cli.main(["progress", "--impl", str(tmp_path)]) == 0
    output = capsys.readouterr().out
    earned, possible = total_points(output)
    assert earned == 0 and possible > 0
    for ex in registry.all_exercises():
        assert re.search(rf"\[ \] {re.escape(ex.id)}\s", output), ex.id
    assert "Next: exercise 1.1" in output or "Next: exercise" in output


def test_progress_credits_exactly_the_solved_units(tmp_path, capsys):
    """Units 1 and 2 solved (reference copies), every other unit file missing."""
    for module in ("unit01_neuron", "unit02_activations"):
        shutil.copyfile(registry.kit_root() / "solutions" / f"{module}.py",
                        tmp_path / f"{module}.py")
    assert cli.main(["progress", "--impl", str(tmp_path)]) == 0
    output = capsys.readouterr().out
    per_unit = {int(number): (int(earned), int(possible)) for number, earned, possible
                in re.findall(r"^Unit (\d+) .*?(\d+) / (\d+)$", output, re.MULTILINE)}
    assert set(per_unit) == {unit.number for unit in registry.units()}
    for number, (earned, possible) in per_unit.items():
        assert possible > 0 and earned == (possible if number <= 2 else 0), (number, output)
    assert total_points(output) == (sum(per_unit[n][0] for n in per_unit),
                                    sum(per_unit[n][1] for n in per_unit))


def test_hint_levels(capsys):
    ex = registry.all_exercises()[0]
    for level in (1, 2, 3):
        assert cli.main(["hint", ex.id, "--level", str(level)]) == 0
        assert ex.hints[level - 1] in capsys.readouterr().out


@pytest.mark.parametrize("argv, complaint", [
    (["hint", "0.0"], "there is no exercise '0.0'"),
    (["hint", "2.1", "--level", "4"], "--level must be 1 to 3"),
    (["check", "99.1"], "there is no exercise"),
])
def test_bad_arguments_get_a_clear_message_and_exit_code_2(argv, complaint, capsys):
    assert cli.main(argv) == 2
    assert complaint in capsys.readouterr().err


def test_check_one_exercise_passes_on_the_reference_and_fails_on_stubs(tmp_path, capsys):
    ex = registry.all_exercises()[0]
    assert cli.main(["check", ex.id, "--impl", "solutions"]) == 0
    generate.write_stubs(tmp_path)
    assert cli.main(["check", ex.id, "--impl", str(tmp_path)]) == 1
    assert "is not implemented yet" in capsys.readouterr().out


def test_check_a_whole_unit_runs_every_exercise_of_it(capsys):
    unit = registry.units()[1]
    assert cli.main(["check", str(unit.number), "--impl", "solutions"]) == 0
    summary = capsys.readouterr().out
    for ex in unit.exercises:
        assert re.search(rf"^\s+{re.escape(ex.id)}\s.*done$", summary, re.MULTILINE), ex.id
    other = registry.units()[0].exercises[0]
    assert not re.search(rf"^\s+{re.escape(other.id)}\s", summary, re.MULTILINE)


@pytest.mark.parametrize("argv, suggestion", [
    (["chek", "2.3"], "Did you mean `nnlings check`?"),
    (["progres"], "Did you mean `nnlings progress`?"),
    (["hint", "2.33"], "did you mean 2.3"),
    (["check", "5.10"], "did you mean 5.1"),
])
def test_a_typo_is_answered_with_the_nearest_command_or_exercise(argv, suggestion, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert suggestion in err
    assert err.count(".") < 20, "an unknown id is answered with a few ids, not all of them"


def test_unknown_unit_and_version(capsys):
    assert cli.main(["check", "99"]) == 2
    assert "there is no unit 99" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert re.fullmatch(r"nnlings \S+\n", capsys.readouterr().out)


def test_notebooks_without_nbgrader_says_what_to_install(monkeypatch, tmp_path, capsys):
    real_find_spec = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec",
                        lambda name, *a: None if name == "nbgrader" else real_find_spec(name, *a))
    assert cli.main(["notebooks", "--out", str(tmp_path / "course")]) == 2
    err = capsys.readouterr().err
    assert "needs nbgrader" in err and "pip install -e '.[instructor]'" in err
    assert "Traceback" not in err and not (tmp_path / "course").exists()
