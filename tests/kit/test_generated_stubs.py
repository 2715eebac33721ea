"""One source: `exercises/` is generated from `solutions/`, and every stub fails its tests."""
import importlib

import pytest

from nnlings.grader import generate, registry
from nnlings.grader.implementation import load_unit
from nnlings.grader.suite import graded_tests

pytestmark = pytest.mark.kit


def test_exercises_are_in_sync_with_solutions():
    stale = [str(p.relative_to(registry.kit_root())) for p in generate.drifted()]
    assert not stale, (f"{stale} differ from what solutions/ generates: run "
                       "`python -m nnlings.grader.generate` and commit the result")


@pytest.fixture(scope="module")
def pristine_stubs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stubs")
    generate.write_stubs(folder)
    return folder


@pytest.mark.parametrize("test", graded_tests(), ids=lambda t: f"{t.exercise}-{t.__name__}")
def test_graded_test_fails_on_untouched_stub(test, pristine_stubs):
    module = load_unit(str(pristine_stubs), registry.exercise(test.exercise).module)
    with pytest.raises(NotImplementedError, match=f"Exercise {test.exercise} "):
        test(module)


def test_every_exercise_has_graded_tests_and_stubbed_functions():
    tested = {t.exercise for t in graded_tests()}
    for ex in registry.all_exercises():
        assert ex.id in tested, f"exercise {ex.id} has no graded test"
        reference = importlib.import_module(f"nnlings.solutions.{ex.module}")
        for function in ex.functions:
            assert callable(getattr(reference, function, None)), (ex.id, function)
    assert tested <= {ex.id for ex in registry.all_exercises()}


def test_function_region_becomes_a_stub_and_module_region_is_dropped():
    source = (
        "import numpy as np\n"
        "### BEGIN SOLUTION\n"
        "from math import pi\n"
        "### END SOLUTION\n"
        "\n"
        "\n"
        "def relu(x):\n"
        '    """Doc."""\n'
        "    ### BEGIN SOLUTION\n"
        "    return np.maximum(x, 0)\n"
        "    ### END SOLUTION\n"
    )
    stub = generate.make_stub(source, "unit02_activations")
    assert "pi" not in stub and "np.maximum" not in stub
    assert "raise NotImplementedError(" in stub and "Exercise 2.4 (relu)" in stub
    assert '"""Doc."""' in stub


@pytest.mark.parametrize("broken", ["    ### BEGIN SOLUTION\n    x = 1\n",
                                    "    x = 1\n    ### END SOLUTION\n"])
def test_unbalanced_regions_are_reported(broken):
    with pytest.raises(ValueError, match="SOLUTION"):
        generate.make_stub("def relu(x):\n" + broken, "unit02_activations")


def test_argument_checks_live_in_one_module_and_no_unit_redefines_them():
    """A student's file opens with its story and first exercise; the checks it runs are
    imported from exercises/checks.py, which imports nothing of the judge."""
    import ast

    checks_path = registry.kit_root() / "exercises" / "checks.py"
    checks_tree = ast.parse(checks_path.read_text(encoding="utf-8"))
    provided = {n.name for n in checks_tree.body if isinstance(n, ast.FunctionDef)}
    imported = {a.name.split(".")[0] for n in ast.walk(checks_tree)
                if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    assert imported <= {"numbers", "numpy"}, imported
    users = 0
    for unit in registry.units():
        tree = ast.parse(generate.expected_files()[
            registry.kit_root() / "exercises" / f"{unit.module}.py"])
        defined = {n.name.lstrip("_") for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert not defined & provided, (unit.module, defined & provided)
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "nnlings.exercises.checks":
                users += 1
                assert {a.name for a in node.names} <= provided, unit.module
    assert users >= 6
