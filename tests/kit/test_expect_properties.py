"""Whatever a student's function returns, the checks answer with a GradedFailure or pass —
never a traceback from inside the test helpers."""
import os

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="property tests need the dev extra: pip install -e '.[dev]'")
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlings.grader.expect import GradedFailure, expect_array, expect_scalar, unpack

pytestmark = pytest.mark.kit

EXPECTED = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, 1e-300]])

any_array = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    elements=None,
)
returns = st.one_of(
    any_array,
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.text(max_size=3),
    st.lists(st.floats(), max_size=6),
    st.tuples(st.floats(), st.floats()),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def outcome(check, *args, **kwargs):
    try:
        check(*args, **kwargs)
    except GradedFailure as failure:
        assert str(failure).startswith("Exercise 2.2: "), str(failure)
        return "failed"
    return "passed"


# The same examples on every run (derandomize), so that the suite's verdict does not change from
# one day to the next; NNLINGS_HYPOTHESIS_SEARCH=1 runs a fresh random search for counterexamples.
SEARCH = dict(deadline=None, derandomize=not os.environ.get("NNLINGS_HYPOTHESIS_SEARCH"))


@settings(max_examples=300, **SEARCH)
@given(returns)
def test_expect_array_reports_any_return_value_in_words(got):
    result = outcome(expect_array, got, EXPECTED, exercise="2.2", function="sigmoid",
                     args=(EXPECTED,))
    if result == "passed":
        assert np.allclose(np.asarray(got), EXPECTED)


@settings(max_examples=200, **SEARCH)
@given(returns)
def test_expect_scalar_reports_any_return_value_in_words(got):
    result = outcome(expect_scalar, got, 0.25, exercise="2.2", function="loss")
    if result == "passed":
        assert np.isclose(float(np.asarray(got)), 0.25)


@settings(max_examples=200, **SEARCH)
@given(returns)
def test_unpack_reports_any_return_value_in_words(got):
    outcome(unpack, got, 2, exercise="2.2", function="pair", names=("w", "b"))


def test_a_correct_answer_passes_and_nan_is_named():
    assert outcome(expect_array, EXPECTED.copy(), EXPECTED, exercise="2.2",
                   function="sigmoid") == "passed"
    with pytest.raises(GradedFailure, match="NaN and inf come from"):
        expect_array(np.full_like(EXPECTED, np.nan), EXPECTED, exercise="2.2",
                     function="sigmoid")


def test_fresh_seeds_change_the_inputs_and_then_restore_them():
    from nnlings.grader.cases import case_rng, fresh_seeds, sample_arrays
    visible = [a.copy() for a in sample_arrays(5)]
    with fresh_seeds(7919):
        hidden = list(sample_arrays(5))
        assert case_rng(1).random() == np.random.default_rng(7920).random()
    assert [a.shape for a in hidden] == [a.shape for a in visible]
    assert not any(np.array_equal(a, b) for a, b in zip(hidden, visible))
    assert all(np.array_equal(a, b) for a, b in zip(sample_arrays(5), visible))


def test_a_failing_call_shows_inputs_of_at_most_8_entries_in_full():
    small, large = np.array([[0.5, -1.0], [2.0, 3.25]]), np.zeros((3, 3))
    with pytest.raises(GradedFailure) as failure:
        expect_scalar(0.5, 2.0, exercise="2.2", function="loss", args=(small, large, 3))
    message = str(failure.value)
    assert "loss(np.array([[0.5, -1.0], [2.0, 3.25]]), array of shape (3, 3) float64, 3)" \
        in message, message
    strided = np.arange(16.0).reshape(4, 4)[::2, ::2]
    with pytest.raises(GradedFailure, match=r"np\.array\(\[\[0\.0, 2\.0\], \[8\.0, 10\.0\]\]\) "
                                            r"\(non-contiguous view\)"):
        expect_scalar(0.5, 2.0, exercise="2.2", function="loss", args=(strided,))
    with pytest.raises(GradedFailure, match=r"np\.array\(\[1, 2\], dtype=int64\)"):
        expect_scalar(0.5, 2.0, exercise="2.2", function="loss", args=(np.array([1, 2]),))


def test_a_mistake_is_named_only_when_it_explains_every_call_the_test_saw():
    from nnlings.grader.expect import graded_test, observe
    from nnlings.grader.mistakes import for_function
    kink = next(m for m in for_function("2.4", "relu_grad") if "ReLU'(0) = 1" in m.name)
    x = np.array([-1.0, 0.0, 1.0])
    wrong = kink.mutant(x)
    with graded_test():
        with pytest.raises(GradedFailure, match="known mistake: ReLU'\\(0\\) = 1"):
            expect_array(wrong, [0.0, 0.0, 1.0], exercise="2.4", function="relu_grad",
                         args=(x,))
    with graded_test():  # an earlier call the mutant does not reproduce rules it out
        y = np.array([0.0, 2.0])
        observe("2.4", "relu_grad", (y,), np.array([0.0, 1.0]))
        with pytest.raises(GradedFailure) as failure:
            expect_array(wrong, [0.0, 0.0, 1.0], exercise="2.4", function="relu_grad",
                         args=(x,))
        assert "known mistake" not in str(failure.value)
