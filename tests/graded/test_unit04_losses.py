"""Graded tests for unit 4 — Losses.

Each loss is checked against the reference on seeded batches of many shapes (batch 1, one
output, several outputs, 3-D, non-contiguous), against an independent closed form written here
and against hand-computed values; each gradient against a central difference of that
independent closed form. The losses built on exponentials are also run at logits of ±1e4,
where they must stay finite and reach their exact limits without any floating-point overflow.
"""
import numpy as np
import pytest

import nnlings.solutions.unit04_losses as reference
from nnlings.grader.cases import case_rng, away_from, strict_floats
from nnlings.grader.expect import (describe, expect, expect_array, expect_scalar, observe,
                                    run_each, settle)
from nnlings.grader.graded import graded

# Independent closed forms, written differently from the reference ------------------------------


def mse_oracle(y_pred, y_true):
    d = np.ravel(y_pred - y_true)
    return d @ d / d.size


def bce_oracle(p, y):
    """Binary cross-entropy for p strictly inside (0, 1), where no clipping is needed."""
    return np.mean(-(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def bce_logits_oracle(z, y):
    """log(1 + e^z) − z·y per entry, with log(1 + e^z) = logaddexp(0, z)."""
    return np.mean(np.logaddexp(0.0, z) - z * y)


def sigmoid_oracle(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax_oracle(Z):
    return np.exp(Z - np.logaddexp.reduce(Z, axis=1, keepdims=True))


def softmax_cross_entropy_oracle(Z, labels):
    picked = Z[np.arange(Z.shape[0]), labels]
    return np.mean(np.logaddexp.reduce(Z, axis=1) - picked)


def hinge_oracle(scores, y):
    margins = y * scores
    return np.sum(np.where(margins < 1.0, 1.0 - margins, 0.0)) / scores.size


def l2_oracle(weights, lam):
    return 0.5 * lam * sum(np.vdot(W, W) for W in weights)


def numerical_gradient(loss, x, h=1e-6):
    """d loss / dx by central differences, one entry at a time (`loss`: array -> number)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        up = loss(x)
        x[index] = original - h
        down = loss(x)
        x[index] = original
        grad[index] = (up - down) / (2.0 * h)
    return grad


# Seeded inputs ------------------------------------------------------------------------------

ANY_SHAPES = [(1,), (7,), (1, 5), (8, 1), (16, 9), (2, 3, 4)]


def array_pairs(seed, draw_first, draw_second):
    """Seeded (first, second) pairs of one shape: every shape in ANY_SHAPES, then a strided
    slice and a transpose (non-contiguous arrays)."""
    rng = case_rng(seed)
    for shape in ANY_SHAPES:
        yield draw_first(rng, shape), draw_second(rng, shape)
    yield draw_first(rng, (9, 12))[::2, ::3], draw_second(rng, (9, 12))[::2, ::3]
    yield draw_first(rng, (6, 10)).T, draw_second(rng, (6, 10)).T


def normal(scale=3.0):
    return lambda rng, shape: rng.normal(0.0, scale, shape)


def probabilities(rng, shape):
    return rng.uniform(0.02, 0.98, shape)


def binary_labels(rng, shape):
    return rng.integers(0, 2, shape).astype(np.float64)


def logit_batches(seed, scale=3.0):
    """Seeded (Z, labels): batch 1, one class, two classes, tall and non-contiguous Z."""
    rng = case_rng(seed)
    batches = [rng.normal(0.0, scale, shape) for shape in [(1, 1), (1, 5), (8, 1), (6, 2),
                                                           (16, 9)]]
    batches += [rng.normal(0.0, scale, (9, 12))[::2, ::3], rng.normal(0.0, scale, (6, 10)).T]
    for Z in batches:
        yield Z, rng.integers(0, Z.shape[1], Z.shape[0])


def score_pairs(seed):
    """Seeded (scores, y) with y = ±1: one sample, a few, many, and a strided slice."""
    rng = case_rng(seed)
    scores = [rng.normal(0.0, 1.5, n) for n in (1, 2, 7, 50)] + [rng.normal(0.0, 1.5, 60)[::3]]
    for s in scores:
        yield s, rng.choice([-1.0, 1.0], s.shape[0])


def weight_lists(seed):
    """Seeded (weights, lam): one array, several, non-contiguous ones, a tuple with a vector."""
    rng = case_rng(seed)
    yield [rng.normal(size=(1, 1))], 0.1
    yield [rng.normal(size=(3, 4))], 1.0
    yield [rng.normal(size=(2, 3)), rng.normal(size=(3, 3)), rng.normal(size=(3, 1))], 0.03
    yield [rng.normal(size=(9, 12))[::2, ::3], rng.normal(size=(6, 10)).T], 2.5
    yield (rng.normal(size=(4, 2)), rng.normal(size=(2,))), 0.5


# Shared checks ------------------------------------------------------------------------------

def check_loss(got, expected, *, exercise, function, args, rtol=1e-9, atol=1e-12):
    """A loss is one Python float (np.float64 counts) close to `expected`."""
    expect_scalar(got, expected, exercise=exercise, function=function, args=args,
                  rtol=rtol, atol=atol)
    expect(isinstance(got, float), exercise,
           f"{function} returned {type(got).__name__} {got!r}; a loss is one Python float: "
           "wrap the result in float(...).")


def check_unchanged(exercise, function, given, copies):
    for array, before in zip(given, copies):
        expect(np.array_equal(array, before), exercise,
               f"{function} changed an array it was given. Compute into new arrays instead "
               "of assigning into (or `-=`/`*=` on) an argument.")


def check_loss_and_gradient(impl, exercise, name, cases, oracle):
    """The loss `name` matches the reference and `oracle`; `name`_grad matches the reference
    and a central difference of `oracle` with respect to the first argument."""
    cases = [(first.copy(), second.copy()) for first, second in cases]

    def results(function):  # every case is run before any is checked
        def call(case):
            given = tuple(a.copy() for a in case)
            got = getattr(impl, function)(*given)
            check_unchanged(exercise, function, given, case)
            observe(exercise, function, case, got)
            return got
        return run_each(call, cases)

    for copies, got in zip(cases, results(name)):
        got = settle(got)
        check_loss(got, getattr(reference, name)(*copies), exercise=exercise, function=name,
                   args=copies)
        check_loss(got, oracle(*copies), exercise=exercise, function=name, args=copies)
    for copies, got in zip(cases, results(name + "_grad")):
        got = settle(got)
        expect_array(got, getattr(reference, name + "_grad")(*copies), exercise=exercise,
                     function=name + "_grad", args=copies)
        numeric = numerical_gradient(lambda v: oracle(v, copies[1]), copies[0])
        expect_array(got, numeric, exercise=exercise, function=name + "_grad", args=copies,
                     rtol=1e-5, atol=1e-8)


def quietly(call):
    """Run `call` with floating-point warnings silenced, so that a NaN or inf it returns can
    be compared with the expected value (and matched to a catalogued mistake)."""
    with np.errstate(all="ignore"):
        return call()


def check_no_float_errors(call):
    """Run `call` again with overflow, division by zero and invalid operations raised: a
    stable formula produces no inf or NaN at any intermediate step, even in a discarded one."""
    with strict_floats():
        call()


# 4.1 MSE --------------------------------------------------------------------------------------

@graded("4.1", points=1)
def test_mse_small_example(impl):
    # two samples with two outputs each: errors 1, 0, −2, 3; squares sum to 14 over N = 4
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    y_true = np.array([[0.0, 2.0], [5.0, 1.0]])
    check_loss(impl.mse(y_pred, y_true), 3.5, exercise="4.1", function="mse",
               args=(y_pred, y_true))
    expect_array(impl.mse_grad(y_pred, y_true), [[0.5, 0.0], [-1.0, 1.5]], exercise="4.1",
                 function="mse_grad", args=(y_pred, y_true))


@graded("4.1", points=1)
def test_mse_and_gradient_on_many_shapes(impl):
    check_loss_and_gradient(impl, "4.1", "mse", array_pairs(410, normal(), normal()),
                            mse_oracle)


@graded("4.1", points=1)
def test_mse_of_a_perfect_fit_is_zero(impl):
    for y, _ in array_pairs(411, normal(), normal()):
        check_loss(impl.mse(y, y.copy()), 0.0, exercise="4.1", function="mse", args=(y, y))
        expect_array(impl.mse_grad(y, y.copy()), np.zeros(y.shape), exercise="4.1",
                     function="mse_grad", args=(y, y))


# 4.2 Binary cross-entropy from probabilities --------------------------------------------------

@graded("4.2", points=1)
def test_binary_cross_entropy_small_example(impl):
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3
    check_loss(impl.binary_cross_entropy(p, y), expected, exercise="4.2",
               function="binary_cross_entropy", args=(p, y))
    expected_grad = np.array([-1 / 0.9, 1 / 0.8, -1 / 0.6]) / 3
    expect_array(impl.binary_cross_entropy_grad(p, y), expected_grad, exercise="4.2",
                 function="binary_cross_entropy_grad", args=(p, y))


@graded("4.2", points=1)
def test_binary_cross_entropy_and_gradient_on_many_shapes(impl):
    check_loss_and_gradient(impl, "4.2", "binary_cross_entropy",
                            array_pairs(420, probabilities, binary_labels), bce_oracle)


@graded("4.2", points=1)
def test_binary_cross_entropy_is_clipped_at_0_and_1(impl):
    # Entries: confidently wrong twice (cost −ln 1e-12 each), confidently right twice (≈ 0).
    # 1 − 1e-12 is not exactly representable: 1 − (1 − 1e-12) comes out 2.2e-5 relatively
    # below 1e-12, hence the tolerances.
    p, y = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    loss = lambda: impl.binary_cross_entropy(p, y)  # noqa: E731
    grad = lambda: impl.binary_cross_entropy_grad(p, y)  # noqa: E731
    check_loss(quietly(loss), -2.0 * np.log(1e-12) / 4, exercise="4.2",
               function="binary_cross_entropy", args=(p, y), rtol=1e-6)
    expect_array(quietly(grad), np.array([-1e12, 1e12, 1.0, -1.0]) / 4, exercise="4.2",
                 function="binary_cross_entropy_grad", args=(p, y), rtol=1e-4)
    check_no_float_errors(loss)
    check_no_float_errors(grad)


# 4.3 Binary cross-entropy from logits ---------------------------------------------------------

@graded("4.3", points=1)
def test_bce_with_logits_equals_bce_of_the_sigmoid(impl):
    for z, y in array_pairs(430, normal(), binary_labels):
        p = sigmoid_oracle(z)
        expected = np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))
        check_loss(impl.binary_cross_entropy_with_logits(z, y), expected, exercise="4.3",
                   function="binary_cross_entropy_with_logits", args=(z, y), rtol=1e-8)
    z, y = np.zeros(3), np.array([0.0, 1.0, 1.0])
    check_loss(impl.binary_cross_entropy_with_logits(z, y), np.log(2.0), exercise="4.3",
               function="binary_cross_entropy_with_logits", args=(z, y))


@graded("4.3", points=1)
def test_bce_with_logits_and_gradient_on_many_shapes(impl):
    check_loss_and_gradient(impl, "4.3", "binary_cross_entropy_with_logits",
                            array_pairs(431, normal(), binary_labels), bce_logits_oracle)


@graded("4.3", points=1)
def test_bce_with_logits_is_exact_for_huge_logits(impl):
    # Per entry: right with z = ±1e4 costs 0, wrong costs |z|; so do z = ±800 (e^800 = inf).
    z = np.array([1e4, -1e4, 1e4, -1e4, 800.0, -800.0])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 1.0])
    loss = lambda: impl.binary_cross_entropy_with_logits(z, y)  # noqa: E731
    grad = lambda: impl.binary_cross_entropy_with_logits_grad(z, y)  # noqa: E731
    check_loss(quietly(loss), (2e4 + 1600.0) / 6, exercise="4.3",
               function="binary_cross_entropy_with_logits", args=(z, y), rtol=1e-12)
    expect_array(quietly(grad), np.array([0.0, 0.0, 1.0, -1.0, 1.0, -1.0]) / 6,
                 exercise="4.3", function="binary_cross_entropy_with_logits_grad", args=(z, y))
    check_no_float_errors(loss)
    check_no_float_errors(grad)


# 4.4 Softmax ----------------------------------------------------------------------------------

@graded("4.4", points=1)
def test_softmax_values_and_row_sums(impl):
    for Z, _ in logit_batches(440):
        before = Z.copy()
        got = impl.softmax(Z)
        check_unchanged("4.4", "softmax", (Z,), (before,))
        expect_array(got, reference.softmax(before), exercise="4.4", function="softmax",
                     args=(before,))
        expect_array(got, softmax_oracle(before), exercise="4.4", function="softmax",
                     args=(before,), rtol=1e-12, atol=1e-15)
        expect_array(np.sum(got, axis=1), np.ones(Z.shape[0]), exercise="4.4",
                     function="the row sums of softmax", args=(before,), rtol=1e-14)
    Z = np.array([[1.0, 2.0, 3.0]])
    e = np.exp([1.0, 2.0, 3.0])
    expect_array(impl.softmax(Z), [e / e.sum()], exercise="4.4", function="softmax", args=(Z,))


@graded("4.4", points=1)
def test_softmax_ignores_a_constant_added_to_each_row(impl):
    rng = case_rng(441)
    for Z, _ in logit_batches(442):
        shift = rng.uniform(-1000.0, 1000.0, (Z.shape[0], 1))
        shifted = Z + shift
        expect_array(quietly(lambda: impl.softmax(shifted)), softmax_oracle(Z),
                     exercise="4.4", function="softmax", args=(shifted,), rtol=1e-9,
                     atol=1e-15)
        check_no_float_errors(lambda: impl.softmax(shifted))


@graded("4.4", points=1)
def test_softmax_is_exact_for_huge_logits(impl):
    Z = np.array([[1e4, -1e4, 0.0], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4], [-1e4, 0.0, 1e4]])
    expected = [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.0, 0.0, 1.0]]
    expect_array(quietly(lambda: impl.softmax(Z)), expected, exercise="4.4",
                 function="softmax", args=(Z,), atol=0.0)
    check_no_float_errors(lambda: impl.softmax(Z))


# 4.5 Softmax cross-entropy --------------------------------------------------------------------

@graded("4.5", points=1)
def test_softmax_cross_entropy_and_gradient_on_many_shapes(impl):
    check_loss_and_gradient(impl, "4.5", "softmax_cross_entropy", logit_batches(450),
                            softmax_cross_entropy_oracle)
    for Z, labels in logit_batches(451):
        got = impl.softmax_cross_entropy_grad(Z, labels)
        expect_array(got, reference.softmax_cross_entropy_grad(Z, labels), exercise="4.5",
                     function="softmax_cross_entropy_grad", args=(Z, labels))
        expect_array(np.sum(got, axis=1), np.zeros(Z.shape[0]), exercise="4.5",
                     function="the row sums of softmax_cross_entropy_grad", args=(Z, labels),
                     atol=1e-15)


@graded("4.5", points=1)
def test_softmax_cross_entropy_of_uniform_logits_is_log_k(impl):
    # Equal logits give every one of k classes probability 1/k, so every sample costs ln k.
    for n, k in [(1, 1), (4, 2), (3, 10)]:
        Z, labels = np.full((n, k), 7.0), np.arange(n) % k
        check_loss(impl.softmax_cross_entropy(Z, labels), np.log(k), exercise="4.5",
                   function="softmax_cross_entropy", args=(Z, labels))
        expected = (np.full((n, k), 1.0 / k) - np.eye(k)[labels]) / n
        expect_array(impl.softmax_cross_entropy_grad(Z, labels), expected, exercise="4.5",
                     function="softmax_cross_entropy_grad", args=(Z, labels))


@graded("4.5", points=1)
def test_two_class_softmax_is_logistic_regression(impl):
    # With classes 0 and 1, P(class 1) = σ(z1 − z0): the loss is the logistic loss of z1 − z0.
    rng = case_rng(452)
    for n in (1, 5, 40):
        Z, labels = rng.normal(0.0, 4.0, (n, 2)), rng.integers(0, 2, n)
        d, sign = Z[:, 1] - Z[:, 0], 2.0 * labels - 1.0
        check_loss(impl.softmax_cross_entropy(Z, labels),
                   np.mean(np.logaddexp(0.0, -sign * d)), exercise="4.5",
                   function="softmax_cross_entropy", args=(Z, labels))
        dd = (sigmoid_oracle(d) - labels) / n
        expect_array(impl.softmax_cross_entropy_grad(Z, labels), np.stack([-dd, dd], axis=1),
                     exercise="4.5", function="softmax_cross_entropy_grad", args=(Z, labels),
                     atol=1e-15)


@graded("4.5", points=1)
def test_softmax_cross_entropy_is_exact_for_huge_logits(impl):
    # Softmax of each row is (1, 0, 0): label 0 costs 0, label 1 costs 2e4, label 2 costs 1e4.
    Z = np.tile([1e4, -1e4, 0.0], (3, 1))
    labels = np.array([0, 1, 2])
    loss = lambda: impl.softmax_cross_entropy(Z, labels)  # noqa: E731
    grad = lambda: impl.softmax_cross_entropy_grad(Z, labels)  # noqa: E731
    check_loss(quietly(loss), 1e4, exercise="4.5", function="softmax_cross_entropy",
               args=(Z, labels), rtol=1e-12)
    expected = np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 0.0], [1.0, 0.0, -1.0]]) / 3
    expect_array(quietly(grad), expected, exercise="4.5",
                 function="softmax_cross_entropy_grad", args=(Z, labels), atol=1e-15)
    check_no_float_errors(loss)
    check_no_float_errors(grad)


# 4.6 Hinge loss -------------------------------------------------------------------------------

HINGE_SCORES = np.array([2.0, 0.5, -1.0, 1.0, 1.0, -1.0])
HINGE_LABELS = np.array([1.0, 1.0, 1.0, -1.0, 1.0, -1.0])
# margins y·s: 2 (met), 0.5 (short by 0.5), −1 (short by 2), −1 (short by 2), 1 and 1 (met
# exactly, at the kink): loss (0.5 + 2 + 2) / 6, gradient −y/6 on the three violated samples.


@graded("4.6", points=1)
def test_hinge_loss_small_example(impl):
    s, y = HINGE_SCORES, HINGE_LABELS
    check_loss(impl.hinge_loss(s, y), 4.5 / 6, exercise="4.6", function="hinge_loss",
               args=(s, y))
    expect_array(impl.hinge_loss_grad(s, y), np.array([0.0, -1.0, -1.0, 1.0, 0.0, 0.0]) / 6,
                 exercise="4.6", function="hinge_loss_grad", args=(s, y), atol=0.0)


@graded("4.6", points=1)
def test_hinge_loss_and_gradient_on_many_batches(impl):
    cases = ((away_from(s, (-1.0, 1.0)), y) for s, y in score_pairs(460))
    check_loss_and_gradient(impl, "4.6", "hinge_loss", cases, hinge_oracle)


@graded("4.6", points=1)
def test_hinge_loss_is_zero_beyond_the_margin(impl):
    rng = case_rng(461)
    y = rng.choice([-1.0, 1.0], 20)
    s = y * rng.uniform(1.0, 5.0, 20)
    check_loss(impl.hinge_loss(s, y), 0.0, exercise="4.6", function="hinge_loss", args=(s, y))
    expect_array(impl.hinge_loss_grad(s, y), np.zeros(20), exercise="4.6",
                 function="hinge_loss_grad", args=(s, y), atol=0.0)


# 4.7 L2 penalty -------------------------------------------------------------------------------

@graded("4.7", points=1)
def test_l2_penalty_small_example(impl):
    # ‖W1‖² = 1 + 4 + 9 + 16 = 30 and ‖W2‖² = 1 + 1 + 4 = 6: (0.1 / 2)·36 = 1.8
    weights = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0, 2.0]])]
    check_loss(impl.l2_penalty(weights, 0.1), 1.8, exercise="4.7", function="l2_penalty",
               args=(weights, 0.1))
    check_loss(impl.l2_penalty([], 0.1), 0.0, exercise="4.7", function="l2_penalty",
               args=([], 0.1))
    for weights, lam in weight_lists(470):
        copies = [W.copy() for W in weights]
        got = impl.l2_penalty(weights, lam)
        check_unchanged("4.7", "l2_penalty", weights, copies)
        check_loss(got, reference.l2_penalty(copies, lam), exercise="4.7",
                   function="l2_penalty", args=(weights, lam))
        check_loss(got, l2_oracle(copies, lam), exercise="4.7", function="l2_penalty",
                   args=(weights, lam))


@graded("4.7", points=1)
def test_l2_penalty_grad(impl):
    for weights, lam in weight_lists(471):
        copies = [W.copy() for W in weights]
        got = impl.l2_penalty_grad(weights, lam)
        call = f"l2_penalty_grad({describe(weights)}, {lam})"
        returned = (f"a {type(got).__name__} of {len(got)}" if isinstance(got, (list, tuple))
                    else f"a {type(got).__name__}")
        expect(isinstance(got, (list, tuple)) and len(got) == len(weights), "4.7",
               f"{call} must return a list holding one gradient array per weight array "
               f"({len(weights)} here), but it returned {returned}.")
        check_unchanged("4.7", "l2_penalty_grad", weights, copies)
        expected = reference.l2_penalty_grad(copies, lam)
        names = tuple(f"gradient[{i}]" for i in range(len(weights)))
        for i, W in enumerate(copies):
            expect_array(got[i], expected[i], exercise="4.7", function="l2_penalty_grad",
                         args=(copies, lam), part=i, names=names)
            others = copies[:i] + copies[i + 1:]
            numeric = numerical_gradient(lambda v: l2_oracle(others + [v], lam), W)
            expect_array(got[i], numeric, exercise="4.7", function="l2_penalty_grad",
                         args=(copies, lam), part=i, names=names, rtol=1e-5, atol=1e-8)


# The reference's argument checks (not graded: they are given in the student's file) ----------

@pytest.mark.kit
def test_reference_rejects_bad_arguments_with_clear_messages():
    Z, column = np.zeros((4, 3)), np.zeros((4, 1))
    bad_calls = [
        (ValueError, "shape", reference.mse, column, np.zeros(4)),
        (ValueError, "shape", reference.mse_grad, np.zeros((2, 3)), np.zeros((3, 2))),
        (ValueError, "empty", reference.mse, np.zeros(0), np.zeros(0)),
        (ValueError, "logits", reference.binary_cross_entropy, np.array([-0.5, 2.0]),
         np.array([0.0, 1.0])),
        (ValueError, "0 or 1", reference.binary_cross_entropy_grad, np.array([0.5, 0.5]),
         np.array([-1.0, 1.0])),
        (ValueError, "shape", reference.binary_cross_entropy, np.full(3, 0.5), np.zeros((3, 1))),
        (ValueError, "shape", reference.binary_cross_entropy_with_logits, np.zeros(3),
         np.zeros(4)),
        (ValueError, "0 or 1", reference.binary_cross_entropy_with_logits_grad, np.zeros(2),
         np.array([-1.0, 1.0])),
        (ValueError, "2-D", reference.softmax, np.zeros(3)),
        (ValueError, "2-D", reference.softmax_cross_entropy, np.zeros(3), np.array([0])),
        (ValueError, r"0\.\.2", reference.softmax_cross_entropy, Z, np.array([0, 1, 2, 3])),
        (ValueError, r"0\.\.2", reference.softmax_cross_entropy_grad, Z, np.array([0, -1, 2, 1])),
        (ValueError, "integer", reference.softmax_cross_entropy, Z, np.array([0.0, 1.0, 2.0, 1.5])),
        (ValueError, "argmax", reference.softmax_cross_entropy_grad, Z, np.eye(3)[[0, 1, 2, 0]]),
        (ValueError, r"shape \(4,\)", reference.softmax_cross_entropy, Z, np.array([0, 1])),
        (ValueError, "2 \\* y - 1", reference.hinge_loss, np.zeros(3), np.array([0.0, 1.0, 1.0])),
        (ValueError, r"shape \(n,\)", reference.hinge_loss_grad, np.zeros((3, 1)),
         np.ones((3, 1))),
        (ValueError, "shape", reference.hinge_loss, np.zeros(3), np.ones(2)),
        (TypeError, r"\[W\]", reference.l2_penalty, np.ones((2, 2)), 0.1),
        (TypeError, "list of arrays", reference.l2_penalty_grad, None, 0.1),
        (ValueError, ">= 0", reference.l2_penalty, [np.ones(2)], -1.0),
    ]
    for error, words, function, *args in bad_calls:
        with pytest.raises(error, match=words):
            function(*args)
    # Well-formed arguments that are not float64 arrays are accepted and converted.
    assert reference.mse([1, 2], [1, 4]) == 2.0
    assert reference.softmax_cross_entropy([[0.0, 0.0]], [1]) == pytest.approx(np.log(2.0))
    assert reference.hinge_loss([0, 2], [1, -1]) == 2.0
