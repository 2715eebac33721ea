"""`nnlings notebooks`: the nbgrader course generated from solutions/, and its round trip through
the real nbgrader (generate_assignment, autograde, generate_feedback, export), headless."""
import csv
import importlib
import os
import shutil
import subprocess
import sys

import pytest

from nnlings.grader import cli, generate, notebooks, registry
from nnlings.grader.implementation import load_unit
from nnlings.grader.suite import graded_tests

pytestmark = pytest.mark.kit


def nbgrader_meta(cell):
    return cell.metadata["nbgrader"]


@pytest.mark.parametrize("unit", registry.units(), ids=lambda u: u.module)
def test_each_unit_notebook_has_an_answer_cell_per_function_and_a_test_cell_per_exercise(unit):
    from nbgrader.nbgraderformat import MetadataValidator
    notebook = notebooks.unit_notebook(unit)
    MetadataValidator().validate_nb(notebook)
    cells = notebook.cells
    answers = "\n".join(c.source for c in cells if nbgrader_meta(c)["solution"])
    for cell in cells:
        if generate.BEGIN in cell.source:
            assert nbgrader_meta(cell)["solution"], cell.source[:200]
    tests = [c for c in cells if nbgrader_meta(c)["grade"]]
    assert sorted(nbgrader_meta(c)["grade_id"] for c in tests) == sorted(
        f"test-{ex.id.replace('.', '_')}" for ex in unit.exercises)
    for ex in unit.exercises:
        cell = next(c for c in tests if f'grade_exercise("{ex.id}"' in c.source)
        assert nbgrader_meta(cell)["points"] == sum(t.points for t in graded_tests(ex.id))
        assert nbgrader_meta(cell)["locked"]
        index = cells.index(cell)
        for function in ex.functions:  # the test cell comes after the functions it grades
            assert any(f"def {function}(" in c.source for c in cells[:index]), function
        assert f"def {ex.functions[0]}(" in answers


def test_grade_exercise_returns_the_points_earned(tmp_path, capsys):
    ex = registry.exercise("2.2")
    reference = importlib.import_module(f"nnlings.solutions.{ex.module}")
    full = sum(t.points for t in graded_tests(ex.id))
    assert notebooks.grade_exercise(ex.id, dict(vars(reference))) == full
    generate.write_stubs(tmp_path)
    stubs = load_unit(str(tmp_path), ex.module)
    assert notebooks.grade_exercise(ex.id, dict(vars(stubs))) == 0
    out = capsys.readouterr()
    assert f"Exercise 2.2: {full} of {full} points." in out.out
    assert "FAILED test_sigmoid_values" in out.out and "is not implemented yet" in out.out
    assert out.err == ""  # nbgrader scores 0 a cell that writes to stderr


def nbgrader(course, *args):
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]


def test_round_trip_through_nbgrader(tmp_path, capsys):
    course = tmp_path / "course"
    # Unit 8 has a module-level solution region, and its fit needs a later exercise's function.
    assert cli.main(["notebooks", "--out", str(course), "--units", "8"]) == 0
    assert (course / "nbgrader_config.py").exists()
    expected = {}
    for unit in (registry.units()[7],):
        name = unit.module
        nbgrader(course, "generate_assignment", name, "--force")
        released = course / "release" / name / f"{name}.ipynb"
        assert "### BEGIN SOLUTION" not in released.read_text()
        for student, notebook in [("solver", course / "source" / name / f"{name}.ipynb"),
                                  ("starter", released)]:
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            shutil.copyfile(notebook, folder / f"{name}.ipynb")
        nbgrader(course, "autograde", name, "--force", "--create")
        nbgrader(course, "generate_feedback", name, "--force")
        for student in ("solver", "starter"):
            assert (course / "feedback" / student / name / f"{name}.html").exists()
        expected[name] = sum(t.points for ex in unit.exercises for t in graded_tests(ex.id))
    nbgrader(course, "export")
    rows = list(csv.DictReader((course / "grades.csv").open()))
    scores = {(r["assignment"], r["student_id"]): float(r["raw_score"]) for r in rows}
    for name, points in expected.items():
        assert scores[(name, "solver")] == points
        assert scores[(name, "starter")] == 0.0
