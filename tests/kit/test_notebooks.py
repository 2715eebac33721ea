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
        # A heading, the hints folded away, and a one-line check a student can read.
        assert any(c.source == f"## Exercise {ex.id}: {ex.title}" for c in cells[:index])
        assert cells[index + 1].source.count("<details>") == len(ex.hints)
        assert len(cell.source.splitlines()) == 3
    from nnlings.grader.gallery import ENTRIES
    for entry in ENTRIES:  # the gallery's figures of the unit, drawn by the notebook's functions
        if entry.unit == unit.number:
            assert any(f'draw_figure("{entry.name}"' in c.source for c in cells), entry.name
    for cell in cells:  # every answer cell has a function to write
        if nbgrader_meta(cell)["solution"]:
            assert "\ndef " in "\n" + cell.source, cell.source[:200]


def test_grade_exercise_returns_the_points_earned(tmp_path, capsys):
    ex = registry.exercise("2.2")
    reference = importlib.import_module(f"nnlings.solutions.{ex.module}")
    full = sum(t.points for t in graded_tests(ex.id))
    assert notebooks.grade_exercise(ex.id, dict(vars(reference))) == full
    assert notebooks.grade_exercise(ex.id, dict(vars(reference)), seed_offset=7919) == full
    # A student's own run has no course secret: the hidden tests wait for the course's grading.
    assert notebooks.grade_exercise(ex.id, {}, hidden=True) == full
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
    return done.stdout + done.stderr


def answers_of(notebook_path, functions):
    """The answer cells of a notebook defining `functions`, by grade id."""
    import nbformat
    notebook = nbformat.read(notebook_path, as_version=4)
    return notebook, {nbgrader_meta(c)["grade_id"]: c for c in notebook.cells
                      if nbgrader_meta(c)["solution"]
                      and any(f"def {f}(" in c.source for f in functions)}


def write_variant(source, target, replacements):
    """`source` notebook with the answer cells named in `replacements` given new source."""
    import nbformat
    notebook, _ = answers_of(source, [])
    for cell in notebook.cells:
        grade_id = nbgrader_meta(cell)["grade_id"]
        if grade_id in replacements:
            cell.source = replacements[grade_id]
    target.parent.mkdir(parents=True)
    nbformat.write(notebook, target)


ENDLESS_ACCURACY = """import time

def accuracy(y_pred, y_true):
    while True:  # a student's endless loop: only the tests that call it lose their points
        time.sleep(0.1)
"""


@pytest.mark.timeout(240)  # four nbgrader commands, each a Python start-up and more
def test_round_trip_through_nbgrader(tmp_path, capsys):
    course = tmp_path / "course"
    # Unit 8 has a module-level solution region, and its fit needs a later exercise's function.
    # Short tests: an endless loop is cut off soon (sleeping, so it costs no CPU).
    assert cli.main(["notebooks", "--out", str(course), "--units", "8",
                     "--cell-timeout", "6"]) == 0
    assert "timeout = 6" in (course / "nbgrader_config.py").read_text()
    unit = registry.units()[7]
    name = unit.module
    points = {ex.id: sum(t.points for t in graded_tests(ex.id)) for ex in unit.exercises}
    nbgrader(course, "generate_assignment", name, "--force")
    source = course / "source" / name / f"{name}.ipynb"
    released = course / "release" / name / f"{name}.ipynb"
    assert "### BEGIN SOLUTION" not in released.read_text()
    assert "_train_epoch" in source.read_text() and "_train_epoch" not in released.read_text()
    assert "seed_offset" not in source.read_text()  # the course's secret is in no notebook
    config = (course / "nbgrader_config.py").read_text()
    assert '"nnlings.grader.notebooks.JudgeExecute"' in config
    for student, notebook in [("solver", source), ("starter", released)]:
        folder = course / "submitted" / student / name
        folder.mkdir(parents=True)
        shutil.copyfile(notebook, folder / f"{name}.ipynb")
    # Exercises 8.1 and 8.4 solved in the starter notebook, nothing else.
    solved = [ex for ex in unit.exercises if ex.id in ("8.1", "8.4")]
    _, answers = answers_of(source, [f for ex in solved for f in ex.functions])
    assert len(answers) == sum(len(ex.functions) for ex in solved)
    write_variant(released, course / "submitted" / "partial" / name / f"{name}.ipynb",
                  {grade_id: cell.source for grade_id, cell in answers.items()})
    # The full solution, but 8.4's accuracy never returns.
    _, looping = answers_of(source, ["accuracy"])
    write_variant(source, course / "submitted" / "looping" / name / f"{name}.ipynb",
                  {grade_id: ENDLESS_ACCURACY for grade_id in looping})
    log = nbgrader(course, "autograde", name, "--force", "--create")
    assert "checksum" not in log  # the locked cells are the same in source and release
    nbgrader(course, "generate_feedback", name, "--force")
    for student in ("solver", "starter", "partial", "looping"):
        assert (course / "feedback" / student / name / f"{name}.html").exists()
    nbgrader(course, "export")
    rows = list(csv.DictReader((course / "grades.csv").open()))
    scores = {r["student_id"]: float(r["raw_score"]) for r in rows if r["assignment"] == name}
    full = sum(points.values())
    looping = scores.pop("looping")
    assert scores == {"solver": full, "starter": 0.0, "partial": points["8.1"] + points["8.4"]}
    # Graded by the judge, test by test: the tests that call the endless accuracy lose their
    # points, the rest of 8.4 and every other exercise keep theirs.
    assert full - points["8.4"] < looping < full


def execute(path, tmp_path, kernel_name="python3", last_cell=None):
    """Run a notebook top to bottom in a fresh kernel, as a student does; return its cells."""
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.read(path, as_version=4)
    if last_cell:
        notebook.cells.append(nbformat.v4.new_code_cell(last_cell))
    NotebookClient(notebook, timeout=300, kernel_name=kernel_name,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return notebook.cells


def text_of(cell):
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for o in cell.get("outputs", []))


def assert_a_student_run(cells, unit, solved):
    """What a student sees: no error or stderr anywhere, each check's points in the kit's words,
    and the figure drawn once its exercises are written."""
    assert not [o for c in cells for o in c.get("outputs", [])
                if o.output_type == "error" or o.get("name") == "stderr"]
    for ex in unit.exercises:
        check = next(c for c in cells if f'grade_exercise("{ex.id}"' in c.source)
        full = sum(t.points for t in graded_tests(ex.id))
        if solved:
            assert f"Exercise {ex.id}: {full} of {full} points." in text_of(check)
        else:
            assert f"Exercise {ex.id}: 0 of {full} points." in text_of(check)
            assert "is not implemented yet" in text_of(check)
    figure = next(c for c in cells if "draw_figure(" in c.source)
    if solved:
        assert any("image/png" in o.get("data", {}) for o in figure.outputs)
    else:
        assert "The figure appears when exercises" in text_of(figure)


def student_course(tmp_path, number):
    course = tmp_path / "course"
    assert cli.main(["notebooks", "--out", str(course), "--units", str(number)]) == 0
    name = registry.units()[number - 1].module
    nbgrader(course, "generate_assignment", name, "--force")
    return {True: course / "source" / name / f"{name}.ipynb",
            False: course / "release" / name / f"{name}.ipynb"}


@pytest.mark.timeout(300)
def test_a_student_runs_the_notebook_solved_and_unsolved(tmp_path):
    for solved, path in student_course(tmp_path, 2).items():
        assert_a_student_run(execute(path, tmp_path), registry.units()[1], solved)


@pytest.mark.timeout(900)  # a release records the reference's results (cached after the first)
@pytest.mark.xdist_group("test_release")
def test_a_student_runs_the_notebook_in_a_release(tmp_path, monkeypatch):
    """The released notebook, solved and not, in a kernel that imports `nnlings` from a student
    release alone (no solutions/, the reference replaying recorded results): `python -S` keeps
    the kit's editable install out, and a folder of links lays the release out as a package."""
    import json
    import sysconfig
    release = tmp_path / "nnlings"
    built = subprocess.run([sys.executable, "-m", "nnlings.grader.release", str(release)],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    package = tmp_path / "site" / "nnlings"
    package.mkdir(parents=True)
    for name, folder in [("exercises", "exercises"), ("grader", "grader"),
                         ("datasets", "datasets"), ("solutions", "reference")]:
        (package / name).symlink_to(release / folder, target_is_directory=True)
    paths = [str(tmp_path / "site"), sysconfig.get_paths()["purelib"],
             sysconfig.get_paths()["platlib"]]
    kernel = tmp_path / "jupyter" / "kernels" / "release"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-S", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "nnlings release", "language": "python",
        "env": {"PYTHONPATH": os.pathsep.join(paths), "MPLBACKEND": "Agg"}}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    where = "import nnlings.grader, nnlings.solutions\nprint(nnlings.solutions.__file__)"
    for solved, path in student_course(tmp_path, 2).items():
        cells = execute(path, tmp_path, kernel_name="release", last_cell=where)
        assert text_of(cells[-1]).strip() == str(package / "solutions" / "__init__.py")
        assert_a_student_run(cells, registry.units()[1], solved)
