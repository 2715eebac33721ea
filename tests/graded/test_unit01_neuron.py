"""Graded tests for unit 1 — One neuron.

Besides agreeing with the reference, each function is checked against something that does not
use it: a loop over the samples, np.polyfit, central differences of the loss, a gradient-descent
loop written here, and the least-squares line of the article's first experiment.
"""
import numpy as np

import nnlings.solutions.unit01_neuron as reference
from nnlings.grader.cases import case_rng, sample_arrays
from nnlings.grader.dependencies import check_on_its_own
from nnlings.grader.expect import call_strictly, expect, expect_array, expect_scalar, unpack
from nnlings.grader.graded import graded

# The article's grid: 1000 points on [-3, 3].
ARTICLE_X = np.linspace(-3.0, 3.0, 1000)
# The least-squares line of y = 2 sin x + 5 on that grid (np.polyfit gives 0.6895634893, 5.0).
# The article's Keras run, minibatch SGD for 100 epochs, printed w = 0.6907, b = 4.9989.
SINE_LINE = (0.68956, 5.0)


def neuron_batches(seed):
    """(X, w, b) triples: batches of many shapes, including batch size 1, a single feature, a
    strided slice and a transposed (non-contiguous) X, and a strided w."""
    rng = case_rng(seed)
    batches = [x for x in sample_arrays(seed) if x.ndim == 2] + [rng.normal(size=(1, 1))]
    for X in batches:
        w = rng.normal(0.0, 1.0, 2 * X.shape[1])[::2]
        yield X, w, float(rng.normal(0.0, 2.0))


def loop_forward(X, w, b):
    """z[i] = Σ_j X[i, j]·w[j] + b, one sample and one feature at a time."""
    z = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        z[i] = sum(float(X[i, j]) * float(w[j]) for j in range(X.shape[1])) + b
    return z


def logistic(z):
    """σ(z) written through tanh, independent of any exp-based form."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def line_data(seed):
    """(x, y) pairs of many lengths, including 2 samples and a strided slice."""
    rng = case_rng(seed)
    for n in (2, 3, 5, 40, 1000):
        x = rng.normal(1.0, 2.0, n)
        yield x, 0.7 * x - 1.5 + rng.normal(0.0, 1.0, n)
    x = rng.normal(-2.0, 1.0, 30)
    yield x[::3], rng.normal(0.0, 1.0, 30)[1::3]


def check_pair(got, expected, *, exercise, function, args, names, rtol=1e-9, atol=1e-12):
    """A returned pair of numbers: two values, each a float close to its expected value."""
    got = unpack(got, 2, exercise=exercise, function=function, names=names)
    expect(not swapped(got, expected), exercise,
           f"{function} returned the right numbers in the wrong order: return "
           f"({names[0]}, {names[1]}), not ({names[1]}, {names[0]}).")
    for part, (value, target) in enumerate(zip(got, expected)):
        expect_scalar(value, target, exercise=exercise, function=function, args=args,
                      part=part, names=names, rtol=rtol, atol=atol)
        expect(isinstance(value, float), exercise,
               f"{function} returned {names[part]} as {type(value).__name__}; return a plain "
               f"number: float({names[part]}).")


def swapped(got, expected):
    """Whether the pair `got` is the pair `expected` the other way round."""
    try:
        first, second = float(got[0]), float(got[1])
    except (TypeError, ValueError):
        return False
    return (not np.isclose(expected[0], expected[1])
            and np.isclose(first, expected[1]) and np.isclose(second, expected[0]))


def expect_unchanged(exercise, function, arrays, originals):
    for array, original in zip(arrays, originals):
        expect(np.array_equal(array, original), exercise,
               f"{function} changed an array it was given. Compute into new variables "
               "(dx = x - x.mean()) instead of assigning into the arguments (x -= x.mean()).")


# 1.1 a linear neuron --------------------------------------------------------------------------

@graded("1.1", points=1)
def test_neuron_forward_matches_the_reference(impl):
    for X, w, b in neuron_batches(110):
        before = X.copy(), w.copy()
        got = impl.neuron_forward(X, w, b)
        expect_unchanged("1.1", "neuron_forward", (X, w), before)
        expect_array(got, reference.neuron_forward(X, w, b), exercise="1.1",
                     function="neuron_forward", args=(X, w, b))


@graded("1.1", points=1)
def test_neuron_forward_is_a_weighted_sum_plus_bias(impl):
    X, w, b = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]), np.array([0.5, -1.0]), 2.0
    expect_array(impl.neuron_forward(X, w, b), [0.5, -0.5, 2.0], exercise="1.1",
                 function="neuron_forward", args=(X, w, b), rtol=1e-15, atol=0.0)
    for X, w, b in neuron_batches(111):
        expect_array(impl.neuron_forward(X, w, b), loop_forward(X, w, b), exercise="1.1",
                     function="neuron_forward", args=(X, w, b), rtol=1e-12, atol=1e-12)
        expect_array(impl.neuron_forward(X, w, b), np.einsum("ij,j->i", X, w) + b,
                     exercise="1.1", function="neuron_forward", args=(X, w, b),
                     rtol=1e-12, atol=1e-12)


# 1.2 a sigmoid neuron -------------------------------------------------------------------------

def check_sigmoid_neuron(impl, got, expected, args, **tolerances):
    """The student's sigmoid_neuron result against `expected`; 1.2 is judged on its own, so a
    result equal to the reference's sigmoid_neuron built on the student's neuron_forward passes
    where that differs (1.1 charges its own slip)."""
    check_on_its_own(
        lambda wanted: expect_array(got, wanted, exercise="1.2", function="sigmoid_neuron",
                                    args=args, **tolerances),
        expected, reference=reference, impl=impl, exercise="1.2", function="sigmoid_neuron",
        args=args)


@graded("1.2", points=1)
def test_sigmoid_neuron_values(impl):
    for X, w, b in neuron_batches(120):
        got = impl.sigmoid_neuron(X, w, b)
        check_sigmoid_neuron(impl, got, reference.sigmoid_neuron(X, w, b), (X, w, b))
        check_sigmoid_neuron(impl, got, logistic(loop_forward(X, w, b)), (X, w, b),
                             rtol=1e-12, atol=1e-15)


@graded("1.2", points=1)
def test_sigmoid_neuron_has_no_overflow_for_any_z(impl):
    z = np.array([1e308, -1e308, 1e4, -1e4, 745.0, -745.0, 0.0])
    X, w = z.reshape(-1, 1), np.array([1.0])
    got = call_strictly("1.2", "sigmoid_neuron", impl.sigmoid_neuron, (X, w, 0.0))
    # σ(−745) is the subnormal 5e-324: any answer within 1e-300 of it is right (0 included).
    check_sigmoid_neuron(impl, got, [1.0, 0.0, 1.0, 0.0, 1.0, 5e-324, 0.5], (X, w, 0.0),
                         rtol=1e-12, atol=1e-300)
    expect(got[0] == 1.0 and got[1] == 0.0, "1.2",
           f"σ(1e308) must be exactly 1 and σ(-1e308) exactly 0, got {got[0]!r} and {got[1]!r}.")
    X = np.zeros((2, 3))
    for b in (-1e308, 1e308):
        got = call_strictly("1.2", "sigmoid_neuron", impl.sigmoid_neuron, (X, np.ones(3), b))
        check_sigmoid_neuron(impl, got, [float(b > 0)] * 2, (X, np.ones(3), b), rtol=0.0,
                             atol=0.0)


# 1.3 least squares ----------------------------------------------------------------------------

@graded("1.3", points=1)
def test_least_squares_line_agrees_with_polyfit(impl):
    for x, y in line_data(130):
        before = x.copy(), y.copy()
        got = impl.least_squares_line(x, y)
        expect_unchanged("1.3", "least_squares_line", (x, y), before)
        check_pair(got, np.polyfit(x, y, 1), exercise="1.3", function="least_squares_line",
                   args=(x, y), names=("w", "b"), rtol=1e-8, atol=1e-10)
        check_pair(got, reference.least_squares_line(x, y), exercise="1.3",
                   function="least_squares_line", args=(x, y), names=("w", "b"))


@graded("1.3", points=1)
def test_least_squares_line_of_the_article(impl):
    y = 2.0 * ARTICLE_X + 5.0
    check_pair(impl.least_squares_line(ARTICLE_X, y), (2.0, 5.0), exercise="1.3",
               function="least_squares_line", args=(ARTICLE_X, y), names=("w", "b"))
    y = 2.0 * np.sin(ARTICLE_X) + 5.0
    check_pair(impl.least_squares_line(ARTICLE_X, y), SINE_LINE, exercise="1.3",
               function="least_squares_line", args=(ARTICLE_X, y), names=("w", "b"),
               rtol=0.0, atol=1e-5)


# 1.4 the MSE gradient -------------------------------------------------------------------------

def mse(x, y, w, b):
    return float(np.mean((w * x + b - y) ** 2))


@graded("1.4", points=1)
def test_neuron_mse_gradient_by_hand(impl):
    # residuals r = (0, 2): dL/dw = 2·mean(r·x) = 2·mean(0, 6) = 6, dL/db = 2·mean(r) = 2
    x, y = np.array([1.0, 3.0]), np.array([1.0, 1.0])
    check_pair(impl.neuron_mse_gradient(x, y, 1.0, 0.0), (6.0, 2.0), exercise="1.4",
               function="neuron_mse_gradient", args=(x, y, 1.0, 0.0), names=("dL/dw", "dL/db"))


@graded("1.4", points=1)
def test_neuron_mse_gradient_matches_central_differences(impl):
    rng = case_rng(140)
    h = 1e-5
    for x, y in line_data(141):
        w, b = (float(v) for v in rng.normal(0.0, 2.0, 2))
        before = x.copy(), y.copy()
        got = impl.neuron_mse_gradient(x, y, w, b)
        expect_unchanged("1.4", "neuron_mse_gradient", (x, y), before)
        numeric = ((mse(x, y, w + h, b) - mse(x, y, w - h, b)) / (2 * h),
                   (mse(x, y, w, b + h) - mse(x, y, w, b - h)) / (2 * h))
        check_pair(got, numeric, exercise="1.4", function="neuron_mse_gradient",
                   args=(x, y, w, b), names=("dL/dw", "dL/db"), rtol=1e-6, atol=1e-6)
        check_pair(got, reference.neuron_mse_gradient(x, y, w, b), exercise="1.4",
                   function="neuron_mse_gradient", args=(x, y, w, b), names=("dL/dw", "dL/db"))


# 1.5 gradient descent -------------------------------------------------------------------------

def descend(x, y, learning_rate, epochs):
    """Full-batch gradient descent on the MSE from w = b = 0, written out plainly."""
    w = b = 0.0
    n = len(x)
    for _ in range(epochs):
        residuals = [w * xi + b - yi for xi, yi in zip(x, y)]
        dw = 2.0 / n * sum(r * xi for r, xi in zip(residuals, x))
        db = 2.0 / n * sum(residuals)
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b


@graded("1.5", points=1)
def test_train_neuron_takes_gradient_descent_steps(impl):
    rng = case_rng(150)
    x, y = rng.normal(1.0, 1.0, 25), rng.normal(2.0, 1.0, 25)
    before = x.copy(), y.copy()
    for learning_rate, epochs in [(0.1, 0), (0.05, 1), (0.05, 5), (0.2, 3), (0.01, 40)]:
        args = (x, y, learning_rate, epochs)
        got = impl.train_neuron(x, y, learning_rate=learning_rate, epochs=epochs)
        expect_unchanged("1.5", "train_neuron", (x, y), before)
        check_pair(got, descend(x, y, learning_rate, epochs), exercise="1.5",
                   function="train_neuron", args=args, names=("w", "b"), rtol=1e-10)
        check_pair(got, reference.train_neuron(x, y, learning_rate, epochs), exercise="1.5",
                   function="train_neuron", args=args, names=("w", "b"), rtol=1e-10)
    # one step from zero: w = 2η·mean(x·y), b = 2η·mean(y)
    check_pair(impl.train_neuron(x, y, learning_rate=0.05, epochs=1),
               (0.1 * np.mean(x * y), 0.1 * np.mean(y)), exercise="1.5",
               function="train_neuron", args=(x, y, 0.05, 1), names=("w", "b"))


@graded("1.5", points=1)
def test_train_neuron_fits_y_equals_2x_plus_5(impl):
    y = 2.0 * ARTICLE_X + 5.0
    check_pair(impl.train_neuron(ARTICLE_X, y), (2.0, 5.0), exercise="1.5",
               function="train_neuron", args=(ARTICLE_X, y, 0.1, 1000), names=("w", "b"),
               rtol=0.0, atol=1e-6)


@graded("1.5", points=1)
def test_train_neuron_reaches_the_least_squares_line_of_a_sine(impl):
    y = 2.0 * np.sin(ARTICLE_X) + 5.0
    got = impl.train_neuron(ARTICLE_X, y)
    check_pair(got, SINE_LINE, exercise="1.5", function="train_neuron",
               args=(ARTICLE_X, y, 0.1, 1000), names=("w", "b"), rtol=0.0, atol=1e-4)
    check_pair(got, np.polyfit(ARTICLE_X, y, 1), exercise="1.5", function="train_neuron",
               args=(ARTICLE_X, y, 0.1, 1000), names=("w", "b"), rtol=0.0, atol=1e-9)
