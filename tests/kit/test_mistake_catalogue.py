"""The mistake catalogue: every catalogued wrong answer fails a graded test of its exercise."""
import importlib
from types import SimpleNamespace

import pytest

from nnlings.grader import registry
from nnlings.grader.mistakes import catalogue
from nnlings.grader.suite import graded_tests

pytestmark = pytest.mark.kit


def mutant_module(mistake):
    """The reference unit module with one function replaced by the mistake."""
    module = registry.exercise(mistake.exercise).module
    reference = importlib.import_module(f"nnlings.solutions.{module}")
    namespace = SimpleNamespace(**vars(reference))
    setattr(namespace, mistake.function, mistake.mutant)
    return namespace


@pytest.mark.parametrize("mistake", catalogue(), ids=lambda m: f"{m.exercise}-{m.name}")
def test_mistake_fails_a_graded_test(mistake):
    module = mutant_module(mistake)
    caught = False
    for test in graded_tests(mistake.exercise):
        try:
            test(module)
        except Exception:  # any failure of a graded test catches the mutant
            caught = True
            break
    assert caught, (f"no graded test of exercise {mistake.exercise} fails on the mistake "
                      f"'{mistake.name}': the suite would give it full points")


def test_every_exercise_has_catalogued_mistakes():
    covered = {m.exercise for m in catalogue()}
    missing = [ex.id for ex in registry.all_exercises() if ex.id not in covered]
    assert not missing, f"exercises with no catalogued mistake: {missing}"


def test_every_mistake_names_a_function_of_its_exercise():
    for mistake in catalogue():
        assert mistake.function in registry.exercise(mistake.exercise).functions, mistake
        assert 1 <= mistake.hint_level <= registry.HINT_LEVELS, mistake
