"""The catalogue of correct answers: every right answer written differently passes every graded
test of its exercise, on the suites' inputs, on fresh seeds and with 1e-12 noise in the draws."""
import contextlib

import pytest

from nnlings.grader import registry
from nnlings.grader.alternatives import answer_module, catalogue, for_exercise
from nnlings.grader.cases import fresh_seeds
from nnlings.grader.suite import graded_tests

from robustness_child import EXERCISES as SEEDED_EXERCISES, noisy_draws

pytestmark = pytest.mark.kit

# Exercises the catalogue covers, three right answers or more each.
COVERED_UNITS = (1, 2, 3, 4, 5, 6, 7, 8, 10)
AT_LEAST = 3


def conditions(exercise):
    """The suites' own inputs; for seeded exercises also fresh seeds and noisy draws."""
    yield "as graded", contextlib.nullcontext
    if exercise in SEEDED_EXERCISES:
        yield "seed offset 7919", lambda: fresh_seeds(7919)
        yield "1e-12 noise in the draws", noisy_draws


@pytest.mark.parametrize("alternative", catalogue(),
                         ids=lambda a: f"{a.exercise}-{a.function}-{a.name}")
def test_a_right_answer_passes_every_graded_test(alternative):
    module = answer_module(alternative)
    failures = []
    for label, condition in conditions(alternative.exercise):
        for test in graded_tests(alternative.exercise):
            with condition():
                try:
                    test(module)
                except Exception as error:  # noqa: BLE001 - any failure is a false fail
                    failures.append(f"{test.__name__} ({label}): {type(error).__name__}: "
                                    f"{error}")
    assert not failures, (f"the right answer '{alternative.name}' for {alternative.function} "
                          f"fails graded tests of {alternative.exercise}:\n"
                          + "\n".join(failures))


def test_every_exercise_has_three_right_answers_and_every_function_one():
    short = []
    for ex in registry.all_exercises():
        if ex.unit not in COVERED_UNITS:
            continue
        found = for_exercise(ex.id)
        uncovered = set(ex.functions) - {a.function for a in found}
        if len(found) < AT_LEAST or uncovered:
            short.append(f"{ex.id}: {len(found)} answers, none for {sorted(uncovered)}")
    assert not short, "exercises short of right answers:\n" + "\n".join(short)


def test_every_answer_names_a_function_of_its_exercise_and_is_unique():
    names = [(a.exercise, a.function, a.name) for a in catalogue()]
    assert len(names) == len(set(names)), "two alternatives share a name"
    for alternative in catalogue():
        assert alternative.function in registry.exercise(alternative.exercise).functions, \
            alternative
