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
