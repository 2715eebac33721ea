"""Graded tests for unit 9 — Experiments in pictures.

Every measurement is checked twice: against the reference on many inputs, and against an oracle
written here that does not use it (a loop, np.diff, a closed-form derivative, a numerical
gradient, a curve whose kinks or bends are placed by hand). Then the claim of its experiment is
checked with the student's measurement on networks trained by the reference (cached, so that
each experiment trains once per session). The training runs are smaller than the articles'
(fewer points and epochs, a few seeds) but each claim holds with a wide margin at that size;
`nnlings gallery` shows the articles' full settings.

The networks handed to the measurements are `Network`s, written out below: the reference's
experiments come back as plain data (`reference.plain_results`: parameters, not objects), so a
student release can replay them, and the measurements are seen to need nothing but the model
protocol (params, forward with its cache, backward).
"""
import functools

import numpy as np

import nnlings.solutions.unit09_experiments as reference
from nnlings.datasets import classification, digits, functions
from nnlings.grader.cases import case_rng, sample_arrays
from nnlings.grader.expect import (describe, expect, expect_array, expect_scalar,
                                    explains_evidence, fail, margin, observe, run_each, settle,
                                    unpack)
from nnlings.grader.graded import graded
from nnlings.grader.mistakes import for_function


# Checks for answers that are not float arrays ---------------------------------------------------

def known_mistake(exercise, function, args, got):
    """The catalogued mistake whose mutant returns `got` on `args`, as a sentence, or ''."""
    for mistake in for_function(exercise, function):
        try:
            with np.errstate(all="ignore"):
                wrong = mistake.mutant(*[np.copy(a) if isinstance(a, np.ndarray) else a
                                         for a in args])
        except Exception:  # a mutant that cannot run on these inputs says nothing
            continue
        if (type(wrong) is type(got) and np.array_equal(np.asarray(wrong, dtype=object),
                                                        np.asarray(got, dtype=object))
                and explains_evidence(mistake)):
            return (f"\n  This looks like a known mistake: {mistake.name}. "
                    f"{mistake.explanation}\n  Read `nnlings hint {exercise} --level "
                    f"{mistake.hint_level}`.")
    return ""


def call_text(function, args):
    return f"{function}({', '.join(describe(a) for a in args)})"


def expect_whole(got, expected, *, exercise, function, args, what="a whole number"):
    """An int answer (a count, an epoch, a size), or None where None is the right answer."""
    if got is expected or (expected is not None and isinstance(got, (int, np.integer))
                           and not isinstance(got, (bool, np.bool_)) and got == expected):
        if got is not None:
            observe(exercise, function, args, got)  # evidence for naming a later mistake
        return
    where = call_text(function, args)
    note = known_mistake(exercise, function, args, got)
    if expected is None:
        fail(exercise, f"{where} returned {got!r}; expected None: no entry qualifies here.{note}")
    if got is None:
        fail(exercise, f"{where} returned None; expected {expected}. (None means 'never'; "
                       f"did you forget a return statement?){note}")
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
        fail(exercise, f"{where} returned {got!r} ({type(got).__name__}); expected {what}, "
                       f"{expected}, as an int (wrap it in int(...)).")
    fail(exercise, f"{where} returned {got}; expected {expected}.{note}")


def expect_exact(got, expected, *, exercise, function, args, kind, part=None, names=None):
    """An array of labels (kind "integer") or a mask (kind "boolean"): exact values."""
    expected = np.asarray(expected)
    where = call_text(function, args)
    if part is not None:
        where = f"{names[part]}, the value number {part + 1} returned by {where}"
    if not isinstance(got, np.ndarray):
        fail(exercise, f"{where} returned {type(got).__name__}; expected a NumPy array of "
                       f"{kind}s of shape {expected.shape}.")
    ok = (np.issubdtype(got.dtype, np.integer) if kind == "integer"
          else got.dtype == np.bool_)
    if not ok:
        fail(exercise, f"{where} returned dtype {got.dtype}; expected {kind}s "
                       f"({'e.g. from np.argmax' if kind == 'integer' else 'from a comparison'}).")
    # Shape, values, first mismatches and known mistakes are reported as for float arrays.
    expect_array(got.astype(np.float64), expected.astype(np.float64), exercise=exercise,
                 function=function, args=args, part=part, names=names, rtol=0.0, atol=0.0)


# Networks written out here ----------------------------------------------------------------------

def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# name -> (activation, its derivative)
ACTIVATIONS = {
    "identity": (lambda z: z, np.ones_like),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(np.float64)),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1.0 - sigmoid(z))),
}


class Network:
    """A fully connected network with the model protocol of unit 8: params [W1, b1, W2, ...],
    forward(X) keeping cache [(A_prev, Z) per layer], backward(d_output)."""

    def __init__(self, params, activation, output_activation="identity"):
        self.params = [np.array(p, dtype=np.float64) for p in params]
        self.activation, self.output_activation = activation, output_activation
        self.cache = None

    @classmethod
    def random(cls, seed, sizes, activation, bias_scale=1.0, weights="he"):
        """Weights normal with variance 2/fan_in ("he") or 2/(fan_in + fan_out) ("glorot"), the
        same whatever the seed offset (some checks are about these very networks)."""
        rng = np.random.default_rng(seed)
        params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            scale = np.sqrt(2.0 / (n_in if weights == "he" else n_in + n_out))
            params += [rng.normal(0.0, scale, (n_in, n_out)), rng.normal(0.0, bias_scale, n_out)]
        return cls(params, activation)

    @classmethod
    def from_plain(cls, plain):
        """The network of a reference result (see reference.plain_results)."""
        return cls(plain["params"], plain["activation"], plain["output_activation"])

    def fresh(self):
        """A copy with no cache, to call the reference with: its calls are recorded (and, in a
        student release, replayed) by their inputs, which a leftover cache would change."""
        return Network(self.params, self.activation, self.output_activation)

    def names(self):
        return [self.activation] * (len(self.params) // 2 - 1) + [self.output_activation]

    def forward(self, X):
        A, self.cache = np.asarray(X, dtype=np.float64), []
        for W, b, name in zip(self.params[0::2], self.params[1::2], self.names()):
            Z = A @ W + b
            self.cache.append((A, Z))
            A = ACTIVATIONS[name][0](Z)
        return A

    def backward(self, d_output):
        grads, dA = [None] * len(self.params), d_output
        for layer in reversed(range(len(self.cache))):
            A_prev, Z = self.cache[layer]
            dZ = dA * ACTIVATIONS[self.names()[layer]][1](Z)
            grads[2 * layer], grads[2 * layer + 1] = A_prev.T @ dZ, dZ.sum(axis=0)
            dA = dZ @ self.params[2 * layer].T
        return grads

    def __repr__(self):
        sizes = [self.params[0].shape[0]] + [W.shape[1] for W in self.params[0::2]]
        return f"Network({'-'.join(map(str, sizes))}, {self.activation})"


# Inputs -----------------------------------------------------------------------------------------

def curves(seed, min_points=3):
    """1-D curves of many lengths: the article's targets on grids, random walks, a strided view
    and a column (n, 1)."""
    rng = case_rng(seed)
    x = functions.grid(200)[:, 0]
    yield functions.sine(x)
    yield functions.piecewise(x)
    yield np.cumsum(rng.normal(0.0, 1.0, 57))
    yield rng.normal(0.0, 2.0, max(min_points, 3))
    yield rng.normal(0.0, 1.0, 90)[::3]
    yield rng.normal(0.0, 1.0, (41, 1))


def tanh_net(seed, hidden=7, sizes=None):
    return Network.random(seed, sizes or [1, hidden, 1], "tanh")


def relu_net(seed, sizes):
    return Network.random(seed, sizes, "relu", bias_scale=0.5)


# Experiments, trained once per session by the reference ------------------------------------------

def experiment(run, **settings):
    return reference.plain_results(run, **settings)


@functools.lru_cache(maxsize=None)
def linear_stack():
    return experiment("run_linear_stack", n_points=200, epochs=10)


@functools.lru_cache(maxsize=None)
def relu_fits():
    return experiment("run_relu_kinks", hidden_sizes=(3, 8), n_points=300, epochs=5)


@functools.lru_cache(maxsize=None)
def momentum():
    return experiment("run_momentum", n_points=200, epochs=20, seeds=(0, 1, 2))


@functools.lru_cache(maxsize=None)
def piecewise():
    configs = (("ReLU-100", 100, "relu", "glorot_uniform"),
               ("tanh-20, random normal", 20, "tanh", "random_normal"),
               ("tanh-20, he_normal", 20, "tanh", "he_normal"))
    return experiment("run_piecewise", configs=configs, n_points=160, epochs=240,
                      checkpoint=60, seeds=(0, 1), learning_rate=0.03, batch_size=16)


@functools.lru_cache(maxsize=None)
def depth():
    return experiment("run_depth", n_points=160, epochs=100, seeds=(0, 1), learning_rate=0.02,
                      batch_size=16)


@functools.lru_cache(maxsize=None)
def sweeps():
    return experiment("run_sweeps", widths=(1, 2, 4, 16), checkpoints=(3, 10, 30, 100),
                      shown_width=4, n_points=100, seeds=(0, 1), batch_size=10)


@functools.lru_cache(maxsize=None)
def xor():
    configs = (("50 hidden, rate 0.5", 50, 0.5, None), ("50 hidden, rate 0.25", 50, 0.25, None),
               ("50 hidden, rate 0.5 decaying", 50, 0.5, 100))
    return experiment("run_xor", configs=configs, epochs=300, seeds=(0, 1), resolution=20)


@functools.lru_cache(maxsize=None)
def dead_relu():
    return experiment("run_dead_relu", learning_rates=(0.1, 2.0), seeds=(0, 1, 2))


@functools.lru_cache(maxsize=None)
def capacity():
    return experiment("run_capacity", hidden_sizes=(3, 6, 20), l2_strengths=(0.0, 0.01),
                      epochs=60, learning_rate=0.02, seeds=(0, 1), resolution=60)


def digits_split(seed=0, test_fraction=0.2):
    """The 80/20 split of run_digits (unit 8's validation_split), written out here."""
    X, y = digits.load_digits()
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = round(test_fraction * len(X))
    test, train = order[:n_test], order[n_test:]
    return (X[train], y[train]), (X[test], y[test])


# The capstone's digits carry their labels renamed by this fixed permutation (digit d is called
# class RENAMED[d]): a classifier that learns from the data it is given scores as well as on the
# true names, one that trained on digits it was not given (the held-out ones among them) follows
# the true names and scores near chance.
RENAMED = np.array([3, 7, 0, 9, 5, 1, 8, 2, 6, 4])


@functools.lru_cache(maxsize=None)
def digits_classifier(train_digits_classifier):
    """The student's classifier trained on the seed-0 80 % split (labels renamed), and its
    held-out data with the renamed and the true labels."""
    (X_train, y_train), (X_test, y_test) = digits_split(0)
    return (train_digits_classifier(X_train, RENAMED[y_train], 0),
            (X_test, RENAMED[y_test], y_test))


def check_follows_its_seed(impl):
    """Trained twice with one seed on a small part of the data, the classifier is the same;
    trained with another seed, it is another (all randomness comes from the seed)."""
    (X_train, y_train), _ = digits_split(0)
    X, y = X_train[:240], RENAMED[y_train[:240]]
    probe = X_train[240:250]
    outputs = []
    for seed in (5, 5, 6):
        model = impl.train_digits_classifier(X.copy(), y.copy(), seed)
        model = model[0] if isinstance(model, tuple) and len(model) == 2 else model
        outputs.append(np.asarray(getattr(model, "forward", lambda v: None)(probe), dtype=float))
    expect(outputs[0].shape == outputs[1].shape and np.array_equal(outputs[0], outputs[1]),
           "9.13", "train_digits_classifier gave two different classifiers for the same data and "
           "the same seed: its results must follow from the seed it is given. Draw everything "
           "from rng = np.random.default_rng(seed) (not an unseeded default_rng() or "
           "np.random's global functions) and pass that rng on.")
    expect(outputs[0].shape != outputs[2].shape or not np.array_equal(outputs[0], outputs[2]),
           "9.13", "train_digits_classifier gave the same classifier for seeds 5 and 6: it "
           "ignores its seed argument. Make the Generator from it: np.random.default_rng(seed).")


# 9.1 second differences --------------------------------------------------------------------------

@graded("9.1", points=1)
def test_second_differences_values(impl):
    for y in curves(910):
        before = y.copy()
        got = impl.second_differences(y)
        expect(np.array_equal(y, before), "9.1",
               "second_differences changed the array it was given; build a new array.")
        flat = y.ravel()
        expect_array(got, reference.second_differences(y), exercise="9.1",
                     function="second_differences", args=(y,))
        expect_array(got, np.diff(flat, n=2), exercise="9.1", function="second_differences",
                     args=(y,), rtol=1e-9, atol=1e-12)


@graded("9.1", points=1)
def test_second_differences_of_lines_and_parabolas(impl):
    x = functions.grid(101)[:, 0]
    h = x[1] - x[0]
    for w, b in ((2.0, 5.0), (-0.3, 1.0), (0.0, 7.0)):
        line = w * x + b
        got = impl.second_differences(line)
        expect_array(got, np.zeros(99), exercise="9.1", function="second_differences",
                     args=(line,), atol=1e-12)
    parabola = 1.5 * x ** 2 - x
    expect_array(impl.second_differences(parabola), np.full(99, 2 * 1.5 * h ** 2),
                 exercise="9.1", function="second_differences", args=(parabola,), rtol=1e-6)


@graded("9.1", points=2)
def test_a_linear_stack_draws_a_straight_line(impl):
    result = linear_stack()
    prediction, target = result["prediction"], result["target"]
    got = impl.second_differences(prediction)
    expect_array(got, reference.second_differences(prediction), exercise="9.1",
                 function="second_differences", args=(prediction,))
    flatness = np.max(np.abs(got)) / np.max(np.abs(prediction))
    bending = np.max(np.abs(impl.second_differences(target))) / np.max(np.abs(target))
    expect(margin("9.1 linear net flat", flatness, 1e-12, "<")
           and margin("9.1 target bends", bending, 1e-5, ">"), "9.1",
           f"the trained 1-5-1 linear network should have no second differences (largest "
           f"{flatness:.2e} of its scale) while its target bends ({bending:.2e}).")
    line = result["slope"] * result["x"] + result["intercept"]
    expect_array(prediction, line, exercise="9.1", function="the 1-5-1 network's output",
                 rtol=1e-10, atol=1e-12)
    x = functions.grid(200)
    curved = tanh_net(911).forward(x)
    expect(margin("9.1 tanh net bends", np.max(np.abs(impl.second_differences(curved))), 1e-6,
                  ">"), "9.1",
           "a tanh network bends, so its second differences must not all be 0.")


# 9.2 counting kinks ------------------------------------------------------------------------------

def hinge_curve(x, kinks, slopes):
    """A continuous piecewise-linear curve whose slope changes by slopes[k] at kinks[k]."""
    y = 0.7 * x + 2.0
    for position, change in zip(kinks, slopes):
        y = y + change * np.maximum(x - position, 0.0)
    return y


@graded("9.2", points=2)
def test_count_kinks_on_curves_with_known_kinks(impl):
    rng = case_rng(920)
    x = functions.grid(301)[:, 0]
    h = x[1] - x[0]
    cases = [
        ([], []),                                          # a straight line, with rounding
        ([0.5 * h], [1.0]),                                # between two grid points
        ([x[150]], [-2.0]),                                # exactly on a grid point
        ([-2.0 + 0.3 * h, -1.0, 0.37, 1.5 + 0.5 * h, 2.8], [1.0, -1.5, 0.8, 2.0, -0.6]),
        (list(np.linspace(-2.9, 2.9, 25) + 0.41 * h), list(rng.choice([-1, 1], 25) * 0.3)),
    ]
    for kinks, slopes in cases:
        y = hinge_curve(x, kinks, slopes)
        got = impl.count_kinks(x, y)
        expect_whole(got, len(kinks), exercise="9.2", function="count_kinks", args=(x, y))
        expect_whole(got, reference.count_kinks(x, y), exercise="9.2", function="count_kinks",
                     args=(x, y))
    column = hinge_curve(x, [0.1], [3.0])[:, np.newaxis]
    expect_whole(impl.count_kinks(x[:, np.newaxis], column), 1, exercise="9.2",
                 function="count_kinks", args=(x[:, np.newaxis], column))
    wide = hinge_curve(x, [-1.0, 1.0], [2.0, -2.0])
    expect_whole(impl.count_kinks(x, wide, tol=10.0), 0, exercise="9.2",
                 function="count_kinks", args=(x, wide, 10.0))
    for x, y, tol, kinks in kink_edge_cases():
        args = (x, y) if tol is None else (x, y, tol)
        expect_whole(impl.count_kinks(*args), kinks, exercise="9.2", function="count_kinks",
                     args=args)


def kink_edge_cases():
    """(x, y, tol or None, kinks) where a shortcut miscounts: an uneven grid (slopes need the
    x steps), steep lines (the tolerance scales with the steepest slope), a kink at the second
    point (the first pair of segments counts), and a change exactly at the tolerance (only a
    change MORE than tol·max(1, max|s|) counts; every number here is exact in binary)."""
    uneven = np.cumsum(np.r_[0.0, np.tile([0.01, 0.03, 0.02], 100)]) - 3.0
    yield uneven, 0.7 * uneven + 2.0, None, 0
    yield uneven, hinge_curve(uneven, [0.305], [1.5]), None, 1
    steep = np.linspace(0.0, 1.0, 1001)
    yield steep, 3e7 * steep - 1e7, None, 0
    yield steep, 3e7 * np.abs(steep - 0.50031), None, 1
    line = np.arange(11.0)
    yield line, np.abs(line - 1.0), None, 1
    yield line[:5], np.array([0.0, 0.0, 0.0, 0.25, 0.5]), 0.25, 0


@graded("9.2", points=2)
def test_a_relu_network_has_at_most_n_kinks(impl):
    rng = case_rng(921)
    x = functions.grid(400)
    step = x[1, 0] - x[0, 0]
    for n in (1, 2, 3, 5, 8, 13):
        model = relu_net(int(rng.integers(1 << 30)), [1, n, 1])
        W1, b1, W2, b2 = model.params
        # Place every neuron's kink by hand, well apart; about a third fall outside [-3, 3].
        inside = n - n // 3
        positions = np.concatenate([
            np.linspace(-2.7, 2.7, inside) + rng.uniform(-0.1, 0.1, inside) + 0.37 * step,
            rng.choice([-1.0, 1.0], n - inside) * rng.uniform(3.3, 4.0, n - inside)])
        W1[0] = rng.choice([-1.0, 1.0], n) * rng.uniform(0.5, 2.0, n)
        b1[...] = -W1[0] * positions
        W2[:, 0] = rng.choice([-1.0, 1.0], n) * rng.uniform(0.5, 2.0, n)
        b2[...] = 0.3
        y = model.forward(x)
        got = impl.count_kinks(x, y)
        expect_whole(got, inside, exercise="9.2", function="count_kinks", args=(x, y))
        expect(got <= n, "9.2", f"a ReLU network with {n} hidden neurons has at most {n} kinks, "
                                f"but count_kinks found {got}.")
    for fit in relu_fits()["fits"]:
        got = impl.count_kinks(fit["x"], fit["prediction"])
        expect_whole(got, reference.count_kinks(fit["x"], fit["prediction"]), exercise="9.2",
                     function="count_kinks", args=(fit["x"], fit["prediction"]))
        expect(got <= fit["hidden"], "9.2",
               f"a trained ReLU network with {fit['hidden']} hidden neurons has at most "
               f"{fit['hidden']} kinks, but count_kinks found {got}.")


# 9.3 bends --------------------------------------------------------------------------------------

def bends_by_hand(y, sharpness):
    curvature = np.abs(np.diff(y.ravel(), n=2))
    return np.concatenate([[False], curvature >= sharpness * curvature.max(), [False]])


@graded("9.3", points=1)
def test_bend_points(impl):
    for y in curves(930):
        for sharpness in (0.3, 0.8):
            got = impl.bend_points(y, sharpness)
            args = (y, sharpness)
            expect_exact(got, reference.bend_points(y, sharpness), exercise="9.3",
                         function="bend_points", args=args, kind="boolean")
            expect_exact(got, bends_by_hand(y, sharpness), exercise="9.3",
                         function="bend_points", args=args, kind="boolean")
    spike = np.zeros(30)
    spike[11] = 1.0                                   # the sharpest bend is at point 11
    expected = np.zeros(30, dtype=bool)
    expected[11] = True
    expect_exact(impl.bend_points(spike, 1.0), expected, exercise="9.3",
                 function="bend_points", args=(spike, 1.0), kind="boolean")


@graded("9.3", points=1)
def test_bend_error(impl):
    rng = case_rng(931)
    for y in curves(932):
        prediction = y + rng.normal(0.0, 0.3, y.shape)
        got = impl.bend_error(y, prediction)
        mask = bends_by_hand(y, 0.8)
        by_hand = np.mean((prediction.ravel()[mask] - y.ravel()[mask]) ** 2)
        expect_scalar(got, reference.bend_error(y, prediction), exercise="9.3",
                      function="bend_error", args=(y, prediction))
        expect_scalar(got, by_hand, exercise="9.3", function="bend_error",
                      args=(y, prediction), rtol=1e-9)
        expect_scalar(impl.bend_error(y, prediction, 0.3),
                      reference.bend_error(y, prediction, 0.3), exercise="9.3",
                      function="bend_error", args=(y, prediction, 0.3))
        expect_scalar(impl.bend_error(y, y), 0.0, exercise="9.3", function="bend_error",
                      args=(y, y))


@graded("9.3", points=2)
def test_nesterov_momentum_follows_the_bends(impl):
    sine = functions.sine(functions.grid(50))
    expect_scalar(impl.bend_error(sine, sine), 0.0, exercise="9.3", function="bend_error",
                  args=(sine, sine))                     # a perfect fit: no error anywhere
    result = momentum()
    target = result["target"]
    errors = {name: np.array([impl.bend_error(target, p) for p in fit["predictions"]])
              for name, fit in result["fits"].items()}
    for name, fit in result["fits"].items():
        expect_scalar(errors[name][0], reference.bend_error(target, fit["predictions"][0]),
                      exercise="9.3", function="bend_error",
                      args=(target, fit["predictions"][0]))
    expect(margin("9.3 Nesterov vs SGD bend error", errors["nesterov"], 0.5 * errors["sgd"], "<"),
           "9.3",
           f"after the same epochs, Nesterov momentum should fit the bends of the sine much "
           f"better than plain SGD; bend errors {errors['nesterov']} vs {errors['sgd']}.")


# 9.4 errors by region ----------------------------------------------------------------------------

def region_errors_by_hand(x, y_true, y_pred, n_regions):
    x, y_true, y_pred = x.ravel(), y_true.ravel(), y_pred.ravel()
    edges = np.linspace(x.min(), x.max(), n_regions + 1)
    out = np.full(n_regions, np.nan)
    for k in range(n_regions):
        last = k == n_regions - 1
        inside = (x >= edges[k]) & ((x <= edges[k + 1]) if last else (x < edges[k + 1]))
        if inside.any():
            out[k] = np.mean((y_pred[inside] - y_true[inside]) ** 2)
    return out


def check_region_errors(got, expected, args, **tolerance):
    """region_errors' answer against `expected`, naming the classic off-by-one first."""
    n_regions = args[3]
    if isinstance(got, np.ndarray) and got.shape == (n_regions + 1,):
        fail("9.4", f"{call_text('region_errors', args)} returned {n_regions + 1} values for "
                    f"{n_regions} regions: the point x = max x got a region of its own. It "
                    f"belongs to the last region: clip the index to n_regions − 1.")
    expect_array(got, expected, exercise="9.4", function="region_errors", args=args,
                 **tolerance)


@graded("9.4", points=2)
def test_region_errors(impl):
    rng = case_rng(940)
    grid = functions.grid(120)[:, 0]
    inputs = [grid, np.sort(rng.uniform(-2.0, 5.0, 80)), rng.uniform(0.0, 1.0, 50),
              grid ** 3, np.concatenate([rng.uniform(0, 1, 20), rng.uniform(3, 4, 20)])]
    for x in inputs:
        y_true = np.sin(3 * x)
        y_pred = y_true + rng.normal(0.0, 0.2, x.shape) * (1 + x - x.min())
        for n_regions in (1, 2, 5, 6, 9):
            args = (x, y_true, y_pred, n_regions)
            got = impl.region_errors(*args)
            check_region_errors(got, reference.region_errors(*args), args)
            check_region_errors(got, region_errors_by_hand(*args), args, rtol=1e-9)
    column = grid[:, np.newaxis]
    args = (column, np.sin(column), np.cos(column), 3)
    check_region_errors(impl.region_errors(*args), reference.region_errors(*args), args)


@graded("9.4", points=2)
def test_tanh_and_he_normal_beat_relu_and_small_weights_on_the_hard_target(impl):
    x = functions.grid(30)
    check_region_errors(impl.region_errors(x, x, x, 3), np.zeros(3), (x, x, x, 3))  # perfect fit
    result = piecewise()
    x, target, fits = result["x"], result["target"], result["fits"]

    def mean_error(predictions):
        return np.mean([np.mean(impl.region_errors(x, target, p, 4)) for p in predictions])

    first = fits["tanh-20, he_normal"]["predictions"][0]
    args = (x, target, first, 4)
    check_region_errors(impl.region_errors(*args), reference.region_errors(*args), args)
    he = mean_error(fits["tanh-20, he_normal"]["predictions"])
    relu = mean_error(fits["ReLU-100"]["predictions"])
    small = mean_error(fits["tanh-20, random normal"]["predictions"])
    early = mean_error(fits["tanh-20, he_normal"]["early"])
    expect(margin("9.4 he vs ReLU-100", he, 0.8 * relu, "<"), "9.4", f"tanh-20 (he_normal) should beat ReLU-100 on the "
                                   f"piecewise target: mean region errors {he:.3f} vs {relu:.3f}.")
    expect(margin("9.4 he vs small normal", he, 0.8 * small, "<"), "9.4", f"he_normal should beat the small random normal start: "
                                    f"mean region errors {he:.3f} vs {small:.3f}.")
    expect(margin("9.4 he vs early", he, 0.8 * early, "<"), "9.4", f"four times the epochs should do better: "
                                    f"mean region errors {he:.3f} vs {early:.3f}.")


# 9.5 the per-neuron decomposition ----------------------------------------------------------------

def check_terms(impl, model, x):
    got = unpack(impl.per_neuron_terms(model, x), 2, exercise="9.5",
                 function="per_neuron_terms", names=("terms", "bias"))
    expected_terms, expected_bias = reference.per_neuron_terms(model.fresh(), x)
    args = (model, x)
    expect_array(got[0], expected_terms, exercise="9.5", function="per_neuron_terms",
                 args=args, part=0, names=("terms", "bias"))
    expect_scalar(got[1], expected_bias, exercise="9.5", function="per_neuron_terms",
                  args=args, part=1, names=("terms", "bias"))
    return got


@graded("9.5", points=1)
def test_per_neuron_terms(impl):
    for seed, hidden in ((950, 1), (951, 5), (952, 20)):
        model = tanh_net(seed, hidden)
        x = functions.grid(50)
        terms, bias = check_terms(impl, model, x)
        W1, b1, W2, b2 = model.params
        by_hand = np.column_stack([W2[i, 0] * np.tanh(W1[0, i] * x[:, 0] + b1[i])
                                   for i in range(hidden)])
        expect_array(terms, by_hand, exercise="9.5", function="per_neuron_terms",
                     args=(model, x), part=0, names=("terms", "bias"), rtol=1e-12)
        expect_scalar(bias, b2[0], exercise="9.5", function="per_neuron_terms",
                      args=(model, x), part=1, names=("terms", "bias"))


def check_bumps_add_up(impl, model, x):
    terms, bias = check_terms(impl, model, x)
    output = model.forward(x)[:, 0]
    expect_array(np.sum(terms, axis=1) + bias, output, exercise="9.5",
                 function="the sum of per_neuron_terms plus the bias", args=(model, x),
                 rtol=1e-12, atol=1e-12)
    heights = np.abs(model.params[2][:, 0])
    expect(np.all(np.abs(terms) <= heights + 1e-12), "9.5",
           "each term w′ᵢ·tanh(wᵢx + bᵢ) lies between −|w′ᵢ| and |w′ᵢ|; some do not.")


@graded("9.5", points=2)
def test_a_tanh_network_is_its_bumps_plus_one_bias(impl):
    x = functions.grid(300)
    check_bumps_add_up(impl, tanh_net(953, 12), x)
    trained = piecewise()["fits"]["tanh-20, he_normal"]["models"][0]
    check_bumps_add_up(impl, Network.from_plain(trained), x)


# 9.6 slopes beyond the training range -----------------------------------------------------------

def tanh_slope(model, x):
    """The exact derivative of a 1-H-1 tanh network."""
    W1, b1, W2, _ = model.params
    return ((1.0 - np.tanh(x @ W1 + b1) ** 2) * W1[0]) @ W2[:, 0]


@graded("9.6", points=1)
def test_output_slopes(impl):
    x = functions.grid(40, -4.0, 4.0)
    for model in (tanh_net(960, 3), tanh_net(961, 15), tanh_net(962, sizes=[1, 6, 5, 1]),
                  relu_net(963, [1, 9, 1])):
        for h in (1e-4, 1e-3):
            got = impl.output_slopes(model, x, h)
            expect_array(got, reference.output_slopes(model.fresh(), x, h), exercise="9.6",
                         function="output_slopes", args=(model, x, h))
    model = tanh_net(964, 10)
    expect_array(impl.output_slopes(model, x), tanh_slope(model, x), exercise="9.6",
                 function="output_slopes", args=(model, x), rtol=1e-6, atol=1e-7)


def check_flat_far_away(impl, tanh):
    inside = functions.grid(200)
    far = np.array([[-100.0], [-50.0], [50.0], [100.0]])
    scale = np.max(np.abs(impl.output_slopes(tanh, inside)))
    slopes = impl.output_slopes(tanh, far)
    expect_array(slopes, reference.output_slopes(tanh.fresh(), far), exercise="9.6",
                 function="output_slopes", args=(tanh, far))
    expect(margin("9.6 tanh flat far away", np.abs(slopes), 1e-3 * scale, "<"), "9.6",
           f"far outside [-3, 3] every tanh saturates, so a tanh net goes flat: its slope there "
           f"should be under a thousandth of its largest slope inside ({scale:.3g}); "
           f"got {slopes}.")


@graded("9.6", points=2)
def test_tanh_goes_flat_and_relu_goes_straight_outside_the_training_range(impl):
    check_flat_far_away(impl, tanh_net(965, 10))
    fits = piecewise()["fits"]
    check_flat_far_away(impl, Network.from_plain(fits["tanh-20, he_normal"]["models"][0]))
    relu = Network.from_plain(fits["ReLU-100"]["models"][0])
    far = np.array([[-2000.0], [-1000.0], [1000.0], [2000.0]])
    slopes = impl.output_slopes(relu, far)
    W1, _, W2, _ = relu.params
    w, w_out = W1[0], W2[:, 0]
    exact = np.array([np.sum((w * w_out)[w < 0]), np.sum((w * w_out)[w > 0])])
    expect_array(slopes, np.repeat(exact, 2), exercise="9.6", function="output_slopes",
                 args=(relu, far), rtol=1e-6, atol=1e-8)


# 9.7 epochs to reach a loss ---------------------------------------------------------------------

@graded("9.7", points=1)
def test_epochs_to_reach(impl):
    cases = [
        ([5.0, 4.0, 3.0, 2.0, 1.0], 3.0, 3),      # reached exactly: <=
        ([5.0, 4.0, 3.0, 2.0, 1.0], 2.5, 4),
        ([0.5, 4.0, 3.0], 1.0, 1),                # the first epoch counts as epoch 1
        ([3.0, 0.9, 2.0, 0.8], 1.0, 2),           # the first time, even if it comes back up
        ([5.0, 4.0, 3.0], 1.0, None),             # never
        ([2.0], 2.0, 1),
    ]
    for losses, threshold, expected in cases:
        losses = np.array(losses)
        args = (losses, threshold)
        got = impl.epochs_to_reach(*args)
        expect_whole(got, expected, exercise="9.7", function="epochs_to_reach", args=args,
                     what="an epoch number counted from 1")
    rng = case_rng(970)
    for _ in range(20):
        losses = np.exp(np.cumsum(rng.normal(-0.05, 0.2, 60)))
        threshold = float(rng.uniform(0.2, 1.2))
        expect_whole(impl.epochs_to_reach(losses, threshold),
                     reference.epochs_to_reach(losses, threshold), exercise="9.7",
                     function="epochs_to_reach", args=(losses, threshold))


@graded("9.7", points=2)
def test_two_hidden_layers_reach_the_loss_of_one_sooner(impl):
    expect_whole(impl.epochs_to_reach(np.array([1.0, 0.5]), 0.5), 2, exercise="9.7",
                 function="epochs_to_reach", args=(np.array([1.0, 0.5]), 0.5))
    fits = depth()["fits"]
    shallow, deep = fits["1 × 50"]["histories"], fits["2 × 50"]["histories"]
    for seed, (one, two) in enumerate(zip(shallow, deep)):
        best = float(one.min())
        one_layer = impl.epochs_to_reach(one, best)
        two_layers = impl.epochs_to_reach(two, best)
        expect_whole(two_layers, reference.epochs_to_reach(two, best), exercise="9.7",
                     function="epochs_to_reach", args=(two, best))
        expect(two_layers is not None
               and margin(f"9.7 run {seed} epochs to reach", two_layers, one_layer, "<"), "9.7",
               f"run {seed}: two hidden layers of 50 should reach the best loss of one layer "
               f"({best:.3f}, at epoch {one_layer}) sooner; they reached it at epoch "
               f"{two_layers}.")
        expect(margin(f"9.7 run {seed} final loss", two[-1], one[-1], "<"), "9.7", f"run {seed}: after the same epochs two hidden layers "
                                         f"should be ahead: loss {two[-1]:.3f} vs {one[-1]:.3f}.")


# 9.8 where a sweep levels off --------------------------------------------------------------------

@graded("9.8", points=1)
def test_plateau_start(impl):
    cases = [
        ([1, 2, 4, 8], [1.0, 0.5, 0.11, 0.1], 0.1, 4),
        ([1, 2, 4, 8], [1.0, 0.5, 0.11, 0.1], 0.0, 8),       # only the best qualifies
        ([1, 2, 4, 8], [1.0, 0.5, 0.11, 0.1], 1.0, 1),       # everything qualifies
        ([3, 10, 30, 100, 300], [0.9, 0.3, 0.05, 0.07, 0.06], 0.05, 30),
        ([5, 6, 7], [0.2, 0.1, 0.3], 0.25, 6),               # not monotone
        ([10, 20], [0.4, 0.4], 0.1, 10),                     # all equal
    ]
    for sizes, errors, tolerance, expected in cases:
        args = (sizes, np.array(errors), tolerance)
        expect_whole(impl.plateau_start(*args), expected, exercise="9.8",
                     function="plateau_start", args=args, what="an entry of sizes")
    rng = case_rng(980)
    for _ in range(20):
        sizes = sorted(rng.choice(200, 6, replace=False).tolist())
        errors = np.exp(rng.normal(0.0, 1.0, 6))
        tolerance = float(rng.uniform(0.0, 0.5))
        args = (sizes, errors, tolerance)
        expect_whole(impl.plateau_start(*args), reference.plateau_start(*args), exercise="9.8",
                     function="plateau_start", args=args, what="an entry of sizes")


@graded("9.8", points=2)
def test_width_levels_off_while_epochs_keep_helping(impl):
    flat = ([1, 2, 3], np.array([0.3, 0.3, 0.3]))
    expect_whole(impl.plateau_start(*flat), 1, exercise="9.8", function="plateau_start",
                 args=flat)                                # nothing to gain: the first size
    result = sweeps()
    widths, errors = result["widths"], result["errors"].mean(axis=0)   # (width, checkpoint)
    plateau = impl.plateau_start(widths, errors[:, -1])
    expect_whole(plateau, reference.plateau_start(widths, errors[:, -1]), exercise="9.8",
                 function="plateau_start", args=(widths, errors[:, -1]))
    expect(plateau < widths[-1], "9.8",
           f"past some width more neurons should stop helping: the sweep over {widths} levels "
           f"off only at {plateau}.")
    levelled = errors[widths.index(plateau):]
    falling = margin("9.8 errors fall with epochs", levelled[:, 1:], levelled[:, :-1], "<")
    expect(falling, "9.8", f"the error of every network from {plateau} neurons on should fall "
                           f"from one checkpoint to the next: {np.round(errors, 4)}.")


# 9.9 XOR: regions and blow-ups ------------------------------------------------------------------

@graded("9.9", points=2)
def test_decision_regions(impl):
    names = ("xs", "ys", "labels")
    cases = [(tanh_net(seed, sizes=sizes), x_range, y_range, resolution)
             for seed, sizes, x_range, y_range, resolution in (
                 (990, [2, 5, 3], (-1.0, 1.0), (-1.0, 1.0), 2),
                 (991, [2, 8, 2], (-2.0, 0.5), (0.0, 3.0), 7),
                 (992, [2, 6, 6, 4], (-1.5, 1.5), (-0.5, 0.5), 15))]

    def regions(args):  # every case is run before any is checked
        got = unpack(impl.decision_regions(*args), 3, exercise="9.9",
                     function="decision_regions", names=names)
        observe("9.9", "decision_regions", args, got)
        return got

    for args, result in zip(cases, run_each(regions, cases)):
        got = settle(result)
        model, x_range, y_range, resolution = args
        xs, ys, labels = reference.decision_regions(model.fresh(), *args[1:])
        expect_array(got[0], xs, exercise="9.9", function="decision_regions", args=args,
                     part=0, names=names)
        expect_array(got[1], ys, exercise="9.9", function="decision_regions", args=args,
                     part=1, names=names)
        expect_exact(got[2], labels, exercise="9.9", function="decision_regions", args=args,
                     kind="integer", part=2, names=names)
        if resolution <= 7:
            by_hand = np.array([[np.argmax(model.forward(np.array([[x, y]]))[0]) for x in xs]
                                for y in ys])
            expect_exact(got[2], by_hand, exercise="9.9", function="decision_regions",
                         args=args, kind="integer", part=2, names=names)


@graded("9.9", points=1)
def test_loss_blowup(impl):
    creep = [1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.05, 1.2]     # never doubles in one step
    cases = [
        ([1.0, 0.8, 0.6, 0.5, 0.45], 2.0, None),
        ([1.0, 0.5, 0.2, 0.1, 0.5, 0.1], 2.0, 4),
        (creep, 2.0, 7),                                           # 1.05 > 2 × best 0.5
        ([1.0, 0.5, 0.3, np.nan, 0.2], 2.0, 3),
        ([1.0, 0.5, np.inf, np.inf], 2.0, 2),
        ([1.0, 0.5, 0.6, 0.2], 1.1, 2),
        ([1.0, 0.5, 1.0, 1.5], 2.0, 3),                            # 1.0 is not MORE than 2 × 0.5
        ([1.0, 2.5], 2.0, 1),
        ([3.0], 2.0, None),
    ]
    for losses, factor, expected in cases:
        args = (np.array(losses), factor)
        expect_whole(impl.loss_blowup(*args), expected, exercise="9.9", function="loss_blowup",
                     args=args, what="an epoch index")
    rng = case_rng(993)
    for _ in range(20):
        losses = np.exp(np.cumsum(rng.normal(-0.1, 0.4, 40)))
        expect_whole(impl.loss_blowup(losses), reference.loss_blowup(losses), exercise="9.9",
                     function="loss_blowup", args=(losses,))


@graded("9.9", points=2)
def test_xor_late_blowup_and_how_to_avoid_it(impl):
    spike = np.array([1.0, 0.5, 3.0])
    expect_whole(impl.loss_blowup(spike), 2, exercise="9.9", function="loss_blowup",
                 args=(spike,))
    result = xor()
    runs = result["runs"]
    for seed, losses in enumerate(runs["50 hidden, rate 0.5"]["losses"]):
        got = impl.loss_blowup(losses)
        expect_whole(got, reference.loss_blowup(losses), exercise="9.9",
                     function="loss_blowup", args=(losses,))
        expect(got is not None and margin(f"9.9 run {seed} late blow-up", got, 50, ">="), "9.9",
               f"run {seed}: the 50-neuron net at rate 0.5 should train smoothly at first and "
               f"blow up late; loss_blowup found {got}.")
    for label in ("50 hidden, rate 0.25", "50 hidden, rate 0.5 decaying"):
        for seed, losses in enumerate(runs[label]["losses"]):
            got = impl.loss_blowup(losses)
            expect(got is None, "9.9", f"run {seed}: with {label[11:]} the loss should never "
                                       f"blow up, but loss_blowup found epoch {got}.")
    xor_pattern = np.array([[0, 1], [1, 0]])           # class 1 where x1·x2 < 0
    for plain in runs["50 hidden, rate 0.25"]["models"]:
        model = Network.from_plain(plain)
        _, _, labels = unpack(impl.decision_regions(model, (-0.5, 0.5), (-0.5, 0.5), 2), 3,
                              exercise="9.9", function="decision_regions",
                              names=("xs", "ys", "labels"))
        expect_exact(labels, xor_pattern, exercise="9.9", function="decision_regions",
                     args=(model, (-0.5, 0.5), (-0.5, 0.5), 2), kind="integer")


# 9.10 dead ReLUs --------------------------------------------------------------------------------

def dead_by_hand(model, X):
    """The dead fraction from a forward pass written out here."""
    A, dead = X, []
    for W, b in list(zip(model.params[0::2], model.params[1::2]))[:-1]:
        Z = A @ W + b
        dead += [bool(np.all(Z[:, j] <= 0)) for j in range(Z.shape[1])]
        A = np.maximum(Z, 0.0)
    return sum(dead) / len(dead)


@graded("9.10", points=2)
def test_dead_relu_fraction(impl):
    # The model's cache holds an earlier forward pass, on a single far-off sample: the fraction
    # is measured on X, so it needs a forward pass of its own.
    model = relu_net(9104, [2, 12, 1])
    model.forward(np.array([[-4.0, -4.0]]))
    X = case_rng(9105).uniform(-1.0, 1.0, (25, 2))
    expect_scalar(impl.dead_relu_fraction(model, X), dead_by_hand(model, X), exercise="9.10",
                  function="dead_relu_fraction", args=(model, X), rtol=1e-12)
    rng = case_rng(9100)
    X = rng.uniform(-1.0, 1.0, (40, 2))
    model = relu_net(9101, [2, 6, 5, 3])
    W1, b1, W2, b2, W3, b3 = model.params
    b1[[1, 4]] = -10.0                      # below zero for every input in [-1, 1]²
    W2[:, 2], b2[2] = 0.0, 0.0              # exactly zero for every input: dead too
    W3[:, 0], b3[0] = 0.0, -5.0             # the output layer is not hidden: never counted
    got = impl.dead_relu_fraction(model, X)
    expect_scalar(got, dead_by_hand(model, X), exercise="9.10", function="dead_relu_fraction",
                  args=(model, X), rtol=1e-12)
    expect(got >= 3 / 11, "9.10", f"neurons 2 and 5 of the first hidden layer and neuron 3 "
                                  f"of the second are dead by construction; got {got}.")
    for seed, sizes in ((9102, [2, 20, 1]), (9103, [3, 8, 8, 8, 2])):
        model = relu_net(seed, sizes)
        for b in model.params[1:-1:2]:
            b -= 1.0                        # push some neurons off
        X = rng.normal(0.0, 1.0, (30, sizes[0]))
        got = impl.dead_relu_fraction(model, X)
        expect_scalar(got, reference.dead_relu_fraction(model.fresh(), X), exercise="9.10",
                      function="dead_relu_fraction", args=(model, X))
        expect_scalar(got, dead_by_hand(model, X), exercise="9.10",
                      function="dead_relu_fraction", args=(model, X), rtol=1e-12)


@graded("9.10", points=2)
def test_a_high_learning_rate_kills_relus(impl):
    model, X = relu_net(9104, [2, 4, 2]), np.ones((3, 2))
    expect_scalar(impl.dead_relu_fraction(model, X), dead_by_hand(model, X), exercise="9.10",
                  function="dead_relu_fraction", args=(model, X))
    result = dead_relu()
    X = result["X"]
    for seed, models in enumerate(result["models"]):
        slow, fast = (Network.from_plain(plain) for plain in models)
        low = impl.dead_relu_fraction(slow, X)
        high = impl.dead_relu_fraction(fast, X)
        expect_scalar(high, dead_by_hand(fast, X), exercise="9.10",
                      function="dead_relu_fraction", args=(fast, X), rtol=1e-12)
        expect(margin(f"9.10 run {seed} dead fraction", high, low + 0.3, ">"), "9.10",
               f"run {seed}: training at learning rate 2 should leave far more dead neurons "
               f"than at 0.1; dead fractions {high:.2f} vs {low:.2f}.")


# 9.11 gradient norms per layer ------------------------------------------------------------------

def numerical_gradient_norms(model, X, y, h=1e-6):
    """‖dL/dW‖ per layer from central differences of the MSE, one weight at a time."""
    norms = []
    for W in model.params[0::2]:
        grad = np.zeros_like(W)
        for index in np.ndindex(W.shape):
            saved = W[index]
            W[index] = saved + h
            up = np.mean((model.forward(X) - y) ** 2)
            W[index] = saved - h
            down = np.mean((model.forward(X) - y) ** 2)
            W[index] = saved
            grad[index] = (up - down) / (2 * h)
        norms.append(np.sqrt(np.sum(grad ** 2)))
    return np.array(norms)


@graded("9.11", points=2)
def test_layer_gradient_norms(impl):
    rng = case_rng(9110)
    for seed, sizes in ((9111, [2, 3, 2]), (9112, [3, 4, 4, 2]), (9113, [1, 5, 1])):
        model = tanh_net(seed, sizes=sizes)
        X = rng.normal(0.0, 1.0, (9, sizes[0]))
        y = rng.normal(0.0, 1.0, (9, sizes[-1]))
        got = impl.layer_gradient_norms(model, X, y)
        expect_array(got, reference.layer_gradient_norms(model.fresh(), X, y), exercise="9.11",
                     function="layer_gradient_norms", args=(model, X, y))
        expect_array(got, numerical_gradient_norms(model, X, y), exercise="9.11",
                     function="layer_gradient_norms", args=(model, X, y), rtol=1e-5,
                     atol=1e-8)


@graded("9.11", points=2)
def test_gradients_vanish_toward_the_input_of_a_deep_sigmoid_net(impl):
    X, labels = classification.spiral(5, case_rng(0))
    targets = classification.one_hot(labels, 3)
    for seed in range(3):
        deep = Network.random(seed, [2] + [20] * 6 + [3], "sigmoid", bias_scale=0.0,
                              weights="glorot")
        norms = impl.layer_gradient_norms(deep, X, targets)
        expect_array(norms, reference.layer_gradient_norms(deep.fresh(), X, targets),
                     exercise="9.11", function="layer_gradient_norms",
                     args=(deep, X, targets))
        expect(margin(f"9.11 seed {seed} sigmoid norms grow", norms[1:], norms[:-1], ">")
               and margin(f"9.11 seed {seed} sigmoid vanishing", norms[0], 1e-3 * norms[-1], "<"),
               "9.11",
               f"in a deep sigmoid net the gradient should shrink layer after layer toward the "
               f"input, by orders of magnitude; got {norms}.")
        relu = Network.random(seed, [2] + [20] * 6 + [3], "relu", bias_scale=0.0)
        norms = impl.layer_gradient_norms(relu, X, targets)
        expect(margin(f"9.11 seed {seed} ReLU keeps", norms[0], 1e-2 * norms[-1], ">"), "9.11",
               f"a ReLU net with He initialization keeps its gradients; got {norms}.")


# 9.12 capacity and regularization ----------------------------------------------------------------

@graded("9.12", points=1)
def test_weight_norm(impl):
    for seed, sizes in ((9120, [2, 3, 2]), (9121, [4, 10, 10, 3]), (9122, [1, 50, 1])):
        model = tanh_net(seed, sizes=sizes)
        for b in model.params[1::2]:
            b += 100.0                       # biases are not weights
        by_hand = np.sqrt(np.sum(np.concatenate([W.ravel() for W in model.params[0::2]]) ** 2))
        got = impl.weight_norm(model)
        expect_scalar(got, reference.weight_norm(model.fresh()), exercise="9.12",
                      function="weight_norm", args=(model,))
        expect_scalar(got, by_hand, exercise="9.12", function="weight_norm", args=(model,),
                      rtol=1e-12)


def boundary_by_hand(labels):
    rows, columns = labels.shape
    pairs = differ = 0
    for i in range(rows):
        for j in range(columns):
            for di, dj in ((0, 1), (1, 0)):
                if i + di < rows and j + dj < columns:
                    pairs += 1
                    differ += labels[i, j] != labels[i + di, j + dj]
    return differ / pairs


@graded("9.12", points=1)
def test_boundary_fraction(impl):
    rng = case_rng(9123)
    split = np.zeros((4, 4), dtype=np.int64)
    split[:, 2:] = 1
    checkerboard = np.indices((5, 3)).sum(axis=0) % 2
    grids = [(np.zeros((3, 3), dtype=np.int64), 0.0), (split, 4 / 24),
             (checkerboard, 1.0), (split.T.copy(), 4 / 24),
             (rng.integers(0, 3, (6, 9)), None), (rng.integers(0, 2, (20, 2)), None)]
    for labels, expected in grids:
        got = impl.boundary_fraction(labels)
        expect_scalar(got, boundary_by_hand(labels), exercise="9.12",
                      function="boundary_fraction", args=(labels,), rtol=1e-12)
        expect_scalar(got, reference.boundary_fraction(labels), exercise="9.12",
                      function="boundary_fraction", args=(labels,))
        if expected is not None:
            expect_scalar(got, expected, exercise="9.12", function="boundary_fraction",
                          args=(labels,), rtol=1e-12)


@graded("9.12", points=2)
def test_more_neurons_fit_more_and_l2_keeps_weights_small(impl):
    tiny = tanh_net(9124, sizes=[1, 1, 1])
    expect_scalar(impl.weight_norm(tiny), np.hypot(tiny.params[0][0, 0], tiny.params[2][0, 0]),
                  exercise="9.12", function="weight_norm", args=(tiny,))
    result = capacity()
    X, y = result["capacity"]["X"], result["capacity"]["y"]
    accuracy = [np.mean([np.mean(np.argmax(Network.from_plain(m).forward(X), axis=1) == y)
                         for m in fit["models"]])
                for fit in result["capacity"]["fits"]]
    errors = 1.0 - np.array(accuracy)
    expect(margin("9.12 error falls with width", errors[1:], errors[:-1], "<"), "9.12",
           f"training accuracy should rise with 3, 6 and 20 hidden neurons; got {accuracy}.")
    plain, regularized = result["regularization"]["fits"]
    for seed, pair in enumerate(zip(plain["models"], regularized["models"])):
        free, tied = (Network.from_plain(model) for model in pair)
        free_norm, tied_norm = impl.weight_norm(free), impl.weight_norm(tied)
        expect_scalar(tied_norm, reference.weight_norm(tied.fresh()), exercise="9.12",
                      function="weight_norm", args=(tied,))
        expect(margin(f"9.12 run {seed} L2 norm", tied_norm, 0.6 * free_norm, "<"), "9.12",
               f"run {seed}: L2 with λ = 0.01 should keep the weights small; weight norms "
               f"{tied_norm:.2f} (λ = 0.01) vs {free_norm:.2f} (λ = 0).")
    free_boundary = impl.boundary_fraction(plain["regions"][2])
    tied_boundary = impl.boundary_fraction(regularized["regions"][2])
    expect(margin("9.12 L2 boundary", tied_boundary, free_boundary, "<"), "9.12",
           f"L2 should smooth the decision boundary: boundary fractions {tied_boundary:.4f} "
           f"(λ = 0.01) vs {free_boundary:.4f} (λ = 0).")


# 9.13 the digits capstone ------------------------------------------------------------------------

@graded("9.13", points=1)
def test_confusion_matrix(impl):
    y_true = np.array([0, 1, 2, 2, 1, 0, 2])
    y_pred = np.array([0, 2, 2, 2, 1, 1, 0])
    by_hand = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 2]])
    expect_exact(impl.confusion_matrix(y_true, y_pred, 3), by_hand, exercise="9.13",
                 function="confusion_matrix", args=(y_true, y_pred, 3), kind="integer")
    rng = case_rng(9130)
    for n, n_classes in ((1, 2), (50, 4), (300, 10)):
        y_true = rng.integers(0, n_classes, n)
        y_pred = np.where(rng.uniform(size=n) < 0.7, y_true, rng.integers(0, n_classes, n))
        loop = np.zeros((n_classes, n_classes), dtype=np.int64)
        for t, p in zip(y_true, y_pred):
            loop[t, p] += 1
        got = impl.confusion_matrix(y_true, y_pred, n_classes)
        expect_exact(got, loop, exercise="9.13", function="confusion_matrix",
                     args=(y_true, y_pred, n_classes), kind="integer")
    repeats = np.array([3, 3, 3, 1])
    expect_exact(impl.confusion_matrix(repeats, repeats, 5),
                 np.diag([0, 1, 0, 3, 0]), exercise="9.13", function="confusion_matrix",
                 args=(repeats, repeats, 5), kind="integer")


@graded("9.13", points=3)
def test_your_digit_classifier_reaches_95_percent_on_held_out_digits(impl):
    trained, (X_test, y_test, true_digits) = digits_classifier(impl.train_digits_classifier)
    model, history = unpack(trained, 2, exercise="9.13", function="train_digits_classifier",
                            names=("model", "history"))
    expect(callable(getattr(model, "forward", None)), "9.13",
           f"train_digits_classifier must return (model, history) with a model that has "
           f"forward(X); the first value is {type(model).__name__}.")
    expect(isinstance(history, dict) and "loss" in history, "9.13",
           "the second value returned by train_digits_classifier must be the history dict "
           "that `train` returns.")
    expect(len(history["loss"]) > 0, "9.13",
           "the history holds no epoch: train_digits_classifier returned its model without a "
           "single epoch of training. Call train(model, X_train, y_train, ...) before "
           "returning it.")
    scores = np.asarray(model.forward(X_test))
    expect(scores.shape == (len(X_test), 10), "9.13",
           f"model.forward(X_test) must give one score per digit, shape ({len(X_test)}, 10); "
           f"got shape {scores.shape}.")
    accuracy = float(np.mean(np.argmax(scores, axis=1) == y_test))
    true_names = float(np.mean(np.argmax(scores, axis=1) == true_digits))
    expect(accuracy >= 0.95 or true_names < 0.5, "9.13",
           f"your classifier names {true_names:.1%} of the {len(y_test)} held-out digits by "
           f"their usual labels but only {accuracy:.1%} by the labels it was given (the test "
           "renames the classes, the same way in the training and the held-out data): it "
           "learned from digits other than the X_train, y_train it was given, the held-out "
           "ones among them. Train on the given data only: a score on test data seen in "
           "training says nothing about new data.")
    check_follows_its_seed(impl)
    expect(margin("9.13 held-out error", 1.0 - accuracy, 0.05, "<="), "9.13",
           f"your classifier gets {accuracy:.1%} of the {len(y_test)} held-out digits right; "
           "at least 95% is expected. Try more hidden neurons, more epochs, or Adam.")
