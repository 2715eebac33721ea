"""The mistake catalogue: every catalogued wrong answer fails a graded test of its exercise, and
the failure tells the student that very mistake (never another one)."""
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


def failures(mistake):
    """The messages of the graded tests of the mistake's exercise that fail on it."""
    module = mutant_module(mistake)
    messages = []
    for test in graded_tests(mistake.exercise):
        try:
            test(module)
        except Exception as error:  # any failure of a graded test catches the mutant
            messages.append(f"{type(error).__name__}: {error}")
    return messages


def names_in(message):
    """The catalogued names a message gives (a name may itself contain '. ')."""
    return {m.name for m in catalogue()
            if f"This looks like a known mistake: {m.name}. " in message}


@pytest.mark.parametrize("mistake", catalogue(), ids=lambda m: f"{m.exercise}-{m.name}")
def test_mistake_fails_a_graded_test_that_names_it(mistake):
    messages = failures(mistake)
    assert messages, (f"no graded test of exercise {mistake.exercise} fails on the mistake "
                      f"'{mistake.name}': the suite would give it full points")
    told = [m for m in messages if mistake.name in names_in(m)
            or (mistake.says and mistake.says in m)]
    assert told, (f"the mistake '{mistake.name}' is caught but no failure names it; the first "
                  f"says:\n{messages[0]}")
    for message in messages:
        wrong = names_in(message) - {mistake.name}
        assert not wrong, (f"the mistake '{mistake.name}' is told it is {sorted(wrong)}:\n"
                           f"{message}")


def test_every_exercise_has_catalogued_mistakes():
    covered = {m.exercise for m in catalogue()}
    missing = [ex.id for ex in registry.all_exercises() if ex.id not in covered]
    assert not missing, f"exercises with no catalogued mistake: {missing}"


def test_every_mistake_names_a_function_of_its_exercise():
    for mistake in catalogue():
        assert mistake.function in registry.exercise(mistake.exercise).functions, mistake
        assert 1 <= mistake.hint_level <= registry.HINT_LEVELS, mistake
