"""The standalone grader: full marks for the reference, 0 for stubs, and a submission that
breaks one unit (loops, exits, crashes, exhausts memory, floods the output, tampers with NumPy or
the grader) loses only the tests it broke: the tests run in the judge, the student's module in
a sandboxed child, and a fresh child takes over after a crash."""
import csv
import json
import shutil
import textwrap

import pytest

from nnlings.grader import cli, generate, grade, registry

pytestmark = pytest.mark.kit
# The tests that read one of the module fixtures run on one xdist worker (--dist loadgroup), so
# that each fixture is built once; the other tests go to any worker.
ON_REFERENCE_GRADE = pytest.mark.xdist_group("test_grade_reference")
ON_BROKEN_GRADE = pytest.mark.xdist_group("test_grade_broken")

# The reference gets generous limits (its slowest test, a CUDA-simulator run, takes ~2 s);
# the broken submissions short ones, so that their endless loops cost little time.
LIMITS = grade.Limits(unit_seconds=120, test_seconds=20, memory_bytes=1024 ** 3)
SHORT_LIMITS = grade.Limits(unit_seconds=60, test_seconds=5, memory_bytes=1024 ** 3)


def reference_copy(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for path in (registry.kit_root() / "solutions").glob("unit*.py"):
        shutil.copyfile(path, folder / path.name)
    return folder


def append(folder, module, code):
    with open(folder / f"{module}.py", "a", encoding="utf-8") as file:
        file.write("\n\n" + textwrap.dedent(code))


def units_by_number(result):
    return {unit.number: unit for unit in result.units}


def full(unit):
    return unit.earned == unit.possible > 0 and not unit.problem


def points_of(result, exercise):
    return result.exercise_points()[exercise]


@pytest.fixture(scope="module")
def reference_grade(tmp_path_factory):
    folder = reference_copy(tmp_path_factory.mktemp("reference"))
    # Only unitNN_*.py files are taken: these must not be able to change anything.
    (folder / "__init__.py").write_text("import os\nos._exit(1)\n")
    (folder / "numpy.py").write_text("raise SystemExit('a fake numpy')\n")
    return grade.grade_submission(folder, LIMITS)


@ON_REFERENCE_GRADE
def test_reference_scores_full_marks(reference_grade):
    assert reference_grade.earned == reference_grade.possible > 0
    assert [u.number for u in reference_grade.units] == [u.number for u in registry.units()]
    assert all(full(unit) for unit in reference_grade.units if unit.tests)
    results = grade.gradescope_results(reference_grade)
    assert results["score"] == reference_grade.possible
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert set(results["tests"][0]) == {"name", "number", "score", "max_score", "status",
                                        "output", "output_format", "visibility"}


@ON_REFERENCE_GRADE
def test_pristine_stubs_score_zero_through_the_command(tmp_path, capsys, reference_grade):
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    generate.write_stubs(stubs)
    report, gradescope = tmp_path / "report.json", tmp_path / "results.json"
    assert cli.main(["grade", str(stubs), "--units", "1-3", "--json", str(report),
                     "--gradescope", str(gradescope)]) == 0
    possible = sum(unit.possible for unit in reference_grade.units if unit.number <= 3)
    assert f"Total: 0 / {possible} points" in capsys.readouterr().out
    data = json.loads(report.read_text())
    assert data["earned"] == 0 and data["possible"] == possible
    messages = [t["message"] for unit in data["units"] for t in unit["tests"]]
    assert all("is not implemented yet" in m for m in messages)
    assert not any(unit["problem"] for unit in data["units"])
    results = json.loads(gradescope.read_text())
    assert results["score"] == 0 and {t["status"] for t in results["tests"]} == {"failed"}


@pytest.fixture(scope="module")
def broken_grade(tmp_path_factory):
    """A reference copy in which every unit but 1 misbehaves in its own way."""
    folder = reference_copy(tmp_path_factory.mktemp("broken"))
    append(folder, "unit02_activations", """
        def identity_grad(x):        # 2.1 loops forever (sleeping, so the wait costs no CPU)
            import time
            while True:
                time.sleep(0.01)

        _elu = elu

        def elu(x, *args, **kwargs):  # 2.7 tries to disable the grader's check, answers right
            import nnlings.grader.expect
            nnlings.grader.expect.expect_array = lambda *a, **k: None
            return _elu(x, *args, **kwargs)
        """)
    append(folder, "unit03_layers", """
        def dense_forward(X, W, b):
            import os
            os._exit(3)
        """)
    append(folder, "unit04_losses", "import sys\nsys.exit('giving up')\n")
    append(folder, "unit05_backprop", """
        def relative_error(a, b):
            import ctypes
            return ctypes.string_at(0)
        """)
    append(folder, "unit06_initializers", """
        print("x" * 50_000_000)
        _lecun_uniform = lecun_uniform

        def lecun_uniform(*args, **kwargs):
            print("y" * 5_000_000)
            return _lecun_uniform(*args, **kwargs)
        """)
    append(folder, "unit07_optimizers", "np.exp = lambda x: x\n")
    append(folder, "unit08_training", """
        def accuracy(y_pred, y_true):
            hoard = [bytearray(100_000_000) for _ in range(20)]
            return len(hoard)

        def validation_split(*args, **kwargs):
            import sys
            sys.exit(2)
        """)
    return grade.grade_submission(folder, SHORT_LIMITS, units=list(range(1, 9)))


@ON_BROKEN_GRADE
def test_an_intact_unit_keeps_full_marks_beside_broken_ones(broken_grade):
    units = units_by_number(broken_grade)
    assert full(units[1])
    assert full(units[6]), units[6].problem  # megabytes of printing cost nothing


@ON_BROKEN_GRADE
def test_a_loop_loses_only_the_tests_it_hangs(broken_grade):
    tests = {t.id.split("::")[1]: t for t in units_by_number(broken_grade)[2].tests}
    looping = tests["test_identity_grad_is_one_everywhere"]
    assert "did not finish within the time limit" in looping.message
    assert "in identity_grad" in looping.message  # the student's own line
    assert tests["test_identity_returns_its_input_values"].passed
    assert points_of(broken_grade, "2.2") == (3, 3) and points_of(broken_grade, "2.8") == (3, 3)


@ON_BROKEN_GRADE
def test_patching_the_grader_from_the_child_changes_nothing(broken_grade):
    tests = {t.id.split("::")[1]: t for t in units_by_number(broken_grade)[2].tests}
    # The child's copy of the checks is not the judge's: the right answer passes on its merits.
    assert tests["test_elu_values"].passed and tests["test_elu_grad"].passed
    assert points_of(broken_grade, "2.8") == (3, 3)


@ON_BROKEN_GRADE
def test_os_exit_fails_the_tests_that_call_it_and_names_them(broken_grade):
    unit = units_by_number(broken_grade)[3]
    assert "exit code 3" in unit.problem and "test_dense_forward" in unit.problem
    assert "a fresh process graded the tests after it" in unit.problem
    for test in unit.tests:
        if "dense_forward" in test.id:
            assert not test.passed and "exit code 3" in test.message
    assert points_of(broken_grade, "3.3") == (2, 2)  # count_parameters never calls it


@ON_BROKEN_GRADE
def test_sys_exit_at_import_scores_the_unit_zero(broken_grade):
    unit = units_by_number(broken_grade)[4]
    assert unit.earned == 0 and "cannot be imported" in unit.problem
    assert "sys.exit('giving up')" in unit.problem


@ON_BROKEN_GRADE
def test_a_segfault_fails_only_the_tests_that_crash(broken_grade):
    unit = units_by_number(broken_grade)[5]
    assert "segmentation fault" in unit.problem and "relative_error" in unit.problem
    assert points_of(broken_grade, "5.1") == (4, 4)  # graded before the crash
    assert points_of(broken_grade, "5.5")[0] == 0
    earned, possible = points_of(broken_grade, "5.4")
    assert earned == possible > 0
    assert all(t.message for t in unit.tests if not t.passed)


@ON_BROKEN_GRADE
def test_monkeypatching_numpy_in_the_child_leaves_the_judge_alone(broken_grade):
    import numpy as np
    unit = units_by_number(broken_grade)[7]
    assert np.exp(0.0) == 1.0  # the judge's NumPy is its own
    assert not unit.problem
    # Exercises that never call np.exp keep their points; their expected values are the judge's.
    earned, possible = points_of(broken_grade, "7.1")
    assert earned == possible > 0


@ON_BROKEN_GRADE
def test_memory_exhaustion_and_sys_exit_in_a_test_fail_only_those_tests(broken_grade):
    unit = units_by_number(broken_grade)[8]
    assert not unit.problem
    assert points_of(broken_grade, "8.4")[0] < points_of(broken_grade, "8.4")[1]
    assert points_of(broken_grade, "8.1") == (5, 5)
    for test in unit.tests:
        if "accuracy" in test.id:
            assert "ran out of memory" in test.message
        elif "validation_split" in test.id:
            assert "sys.exit(2)" in test.message
        else:
            assert test.passed, test.message


def test_a_call_that_ignores_the_time_limit_costs_only_its_test(tmp_path):
    folder = reference_copy(tmp_path / "stubborn")
    append(folder, "unit02_activations", """
        def sigmoid(x):
            import time
            while True:
                try:
                    while True:
                        time.sleep(0.01)
                except BaseException:
                    pass
        """)
    limits = grade.Limits(unit_seconds=60, test_seconds=0.5, memory_bytes=1024 ** 3)
    unit = grade.grade_submission(folder, limits, units=[2]).units[0]
    assert "did not stop when asked" in unit.problem and "test_sigmoid_values" in unit.problem
    assert points_of_unit(unit, "2.1") == 2  # graded before the stuck test
    assert points_of_unit(unit, "2.3") == 3 and points_of_unit(unit, "2.8") == 3  # a fresh child


def test_the_unit_time_limit_still_bounds_a_unit(tmp_path):
    folder = reference_copy(tmp_path / "slow")
    append(folder, "unit02_activations", """
        def identity(x):
            import time
            time.sleep(0.4)
            return x
        """)
    limits = grade.Limits(unit_seconds=1.5, test_seconds=5, memory_bytes=1024 ** 3)
    unit = grade.grade_submission(folder, limits, units=[2]).units[0]
    assert "time limit of 1.5 s" in unit.problem
    assert points_of_unit(unit, "2.8") == 0
    assert any("not run" in t.message for t in unit.tests)


def points_of_unit(unit, exercise):
    return sum(t.earned for t in unit.tests if t.exercise == exercise)


def test_a_missing_unit_file_scores_that_unit_zero(tmp_path):
    folder = reference_copy(tmp_path / "partial")
    (folder / "unit03_layers.py").unlink()
    unit = grade.grade_submission(folder, LIMITS, units=[3]).units[0]
    assert unit.earned == 0 and "unit03_layers.py is missing" in unit.problem


def test_a_folder_of_submissions_is_graded_in_parallel_into_one_csv(tmp_path, capsys):
    submissions = tmp_path / "class"
    reference_copy(submissions / "alice")
    (submissions / "bob").mkdir()
    generate.write_stubs(submissions / "bob")
    (submissions / "carol").mkdir()  # submitted nothing
    grades_csv = tmp_path / "grades.csv"
    assert cli.main(["grade", str(submissions), "--jobs", "2", "--units", "2",
                     "--csv", str(grades_csv)]) == 0
    rows = {row["submission"]: row for row in csv.DictReader(grades_csv.open())}
    assert rows["alice"]["earned"] == rows["alice"]["possible"] != "0"
    assert rows["bob"]["earned"] == "0" and rows["bob"]["2.2"] == "0"
    assert rows["carol"]["earned"] == "0" and "missing" in rows["carol"]["problems"]
    assert "3/3 submissions graded" in capsys.readouterr().err


@pytest.mark.parametrize("text, units", [("2", [2]), ("1-3,5", [1, 2, 3, 5])])
def test_parse_units(text, units):
    assert grade.parse_units(text) == units


@pytest.mark.parametrize("text", ["x", "0", "1-99"])
def test_parse_units_rejects_unknown_units(text):
    with pytest.raises(ValueError, match="--units"):
        grade.parse_units(text)
