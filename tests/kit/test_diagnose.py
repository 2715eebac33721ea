"""The general rules that say what a wrong result is: each fires on its own case, stays silent
on unrelated wrong answers, and never speaks about a right one."""
import numpy as np
import pytest

from nnlings.grader import diagnose
from nnlings.grader.expect import GradedFailure, expect_array, expect_scalar

pytestmark = pytest.mark.kit

RNG = np.random.default_rng(2026)
E = RNG.normal(size=(4, 3))          # an expected value
X = RNG.normal(size=(4, 3))          # an input of the same shape
A = RNG.normal(size=(5, 3))          # an input to be reduced
STEPS = np.array([1.0, 0.7, 0.55, 0.5, 0.48])  # losses by epoch
KINK = np.array([-1.5, 0.0, 0.5, 2.0, -0.25])

# rule -> (got, expected, keyword arguments of the call, words the message must hold)
CASES = {
    diagnose.everywhere_the_same: (np.zeros_like(E), E, {}, "zero in every entry"),
    diagnose.constant_factor: (2.0 * E, E, {}, "twice the expected value"),
    diagnose.transposed: (E.T, E, {}, "transposed"),
    diagnose.extra_or_missing_axis: (A[:, :1], A[:, 0], {}, "with shape (5, 1) instead of (5,)"),
    diagnose.not_reduced: (A, A.mean(axis=0), {}, "its mean over axis 0"),
    diagnose.wrong_axis: (A.sum(axis=1), A.sum(axis=0), {"args": (A,)},
                          "sum over axis 1 of an input of shape (5, 3)"),
    diagnose.an_input_returned: (X, E, {"args": (X,)}, "input number 1, returned unchanged"),
    diagnose.wrong_at_the_kink: (np.where(KINK >= 0, 1.0, 0.0), np.where(KINK > 0, 1.0, 0.0),
                                 {"args": (KINK,)}, "exactly 0, at the kink"),
    diagnose.shifted_by_one: (np.r_[1.3, STEPS[:-1]], STEPS, {}, "shifted one step later"),
    diagnose.derivative_at_the_output: (
        None, None, {"function": "sigmoid_grad", "exercise": "2.2"}, "activation's output"),
    diagnose.right_on_some_rows: (np.vstack([E[:-1], E[-1:] + 1.0]), E, {},
                                  "except in the last row"),
}


def derivative_case():
    import nnlings.solutions.unit02_activations as reference
    x = RNG.normal(size=7)
    return reference.sigmoid_grad(reference.sigmoid(x)), reference.sigmoid_grad(x), (x,)


def case(rule):
    got, expected, kwargs, words = CASES[rule]
    kwargs = dict(kwargs)
    if got is None:
        got, expected, kwargs["args"] = derivative_case()
    return np.asarray(got, dtype=float), np.asarray(expected, dtype=float), kwargs, words


def call(rule, got, expected, kwargs):
    with np.errstate(all="ignore"):
        return rule(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                    **{"args": (), "function": "", "exercise": "", **kwargs})


def test_every_rule_has_a_case():
    assert set(CASES) == set(diagnose.RULES)


@pytest.mark.parametrize("rule", diagnose.RULES, ids=lambda r: r.__name__)
def test_a_rule_names_its_own_case(rule):
    got, expected, kwargs, words = case(rule)
    assert words in (call(rule, got, expected, kwargs) or "")
    assert words in diagnose.explain(got, expected, **kwargs)


@pytest.mark.parametrize("rule", diagnose.RULES, ids=lambda r: r.__name__)
def test_a_rule_never_speaks_about_a_right_answer(rule):
    got, expected, kwargs, _ = case(rule)
    for right in (expected, expected * (1 + 1e-12), expected + 1e-13):
        assert call(rule, right, expected, kwargs) is None
        assert diagnose.explain(right, expected, **kwargs) == ""


@pytest.mark.parametrize("rule", diagnose.RULES, ids=lambda r: r.__name__)
def test_a_rule_stays_silent_on_unrelated_wrong_answers(rule):
    got, expected, kwargs, _ = case(rule)
    rng = np.random.default_rng(7)
    for _ in range(50):
        unrelated = expected + rng.normal(size=expected.shape) * (1 + np.abs(expected))
        assert call(rule, unrelated, expected, kwargs) is None
        assert call(rule, rng.normal(size=expected.shape), expected, kwargs) is None


def test_the_words_reach_the_failure_message_when_no_mistake_is_catalogued():
    with pytest.raises(GradedFailure, match="Your result is twice the expected value"):
        expect_array(2.0 * E, E, exercise="4.1", function="a_function_with_no_mistakes",
                     args=(X,))
    with pytest.raises(GradedFailure, match="Your result is half the expected value"):
        expect_scalar(0.25, 0.5, exercise="4.1", function="a_function_with_no_mistakes")


def test_any_constant_factor_of_an_array_is_told_but_not_one_of_a_single_number():
    assert "1.5 times the expected value" in call(diagnose.constant_factor, 1.5 * E, E, {})
    assert call(diagnose.constant_factor, np.array([1.5]), np.array([1.0]), {}) is None
    assert "1/5 times" in call(diagnose.constant_factor, np.array([0.2]), np.array([1.0]),
                               {"args": (A,)})


def test_a_mean_over_the_wrong_axis_is_told_against_the_sum_expected():
    words = call(diagnose.wrong_axis, A[:3].mean(axis=1), A[:3].sum(axis=0), {"args": (A[:3],)})
    assert "mean over axis 1" in words and "sum over axis 0 is expected" in words
