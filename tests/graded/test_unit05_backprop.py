"""Graded tests for unit 5 — Backpropagation.

Every analytic gradient is checked against finite differences computed here, from a forward
pass and losses written out in this file (a five-point central difference, accurate to about
1e-11), besides agreeing with the reference. The numerical gradient is checked against the
exact gradients of functions whose derivative is known in closed form, the relative error
against hand-computed values, and the XOR network by training it.
"""
import contextlib
import copy

import numpy as np

import nnlings.solutions.unit05_backprop as reference
from nnlings.grader.cases import case_rng, central_difference, sample_arrays, strict_floats
from nnlings.grader.dependencies import with_students_pieces
from nnlings.grader.expect import (GradedFailure, describe, expect, expect_array, expect_scalar,
                                    fail, margin, mistake_text, observe, run_each, settle,
                                    unpack)
from nnlings.grader.expect import known_mistake as expect_known_mistake
from nnlings.grader.graded import graded

# Activations and their derivatives, written here so that this unit does not depend on unit 2.
# Each entry: (activation, derivative, kinks to keep pre-activations away from).


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_grad(z):
    return np.exp(-z) / (1.0 + np.exp(-z)) ** 2


def tanh_grad(z):
    return 1.0 / np.cosh(z) ** 2


def relu(z):
    return np.maximum(z, 0.0)


def relu_grad(z):
    return (z > 0).astype(np.float64)


def leaky_relu(z):
    return np.where(z > 0, z, 0.01 * z)


def leaky_relu_grad(z):
    return np.where(z > 0, 1.0, 0.01)


def softplus(z):
    return np.log1p(np.exp(z))


def elu(z):
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


def elu_grad(z):
    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))


def identity(z):
    return z


def identity_grad(z):
    return np.ones_like(z)


ACTIVATIONS = {
    "identity": (identity, identity_grad, ()),
    "sigmoid": (sigmoid, sigmoid_grad, ()),
    "tanh": (np.tanh, tanh_grad, ()),
    "relu": (relu, relu_grad, (0.0,)),
    "leaky_relu": (leaky_relu, leaky_relu_grad, (0.0,)),
    "softplus": (softplus, sigmoid, ()),
    "elu": (elu, elu_grad, (0.0,)),
}

KINK_MARGIN = 0.02  # pre-activations stay this far from a kink, far beyond any difference step


# Oracles ---------------------------------------------------------------------------------------

def five_point_gradient(loss, x, h=1e-4):
    """∂loss/∂x by the five-point central difference, nudging copies of x (error ~ h⁴)."""
    grad = np.empty(x.shape)
    for index in np.ndindex(x.shape):
        values = []
        for step in (2.0, 1.0, -1.0, -2.0):
            nudged = np.array(x, dtype=np.float64)
            nudged[index] += step * h
            values.append(loss(nudged))
        grad[index] = (-values[0] + 8.0 * values[1] - 8.0 * values[2] + values[3]) / (12.0 * h)
    return grad


def forward(X, params, activations):
    """The forward pass of unit 3, written out: (output, cache of (A_prev, Z) per layer)."""
    A, cache = X, []
    for (W, b), activation in zip(params, activations):
        Z = A @ W + b
        cache.append((A, Z))
        A = activation(Z)
    return A, cache


def random_network(rng, sizes, n_samples, names):
    """X and (W, b) per layer, redrawn until no pre-activation lies near its layer's kink."""
    activations = [ACTIVATIONS[name][0] for name in names]
    while True:
        X = rng.normal(0.0, 1.0, (n_samples, sizes[0]))
        params = [(rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_in, n_out)),
                   rng.normal(0.0, 0.5, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        _, cache = forward(X, params, activations)
        if all(np.min(np.abs(Z - kink)) > KINK_MARGIN
               for (_, Z), name in zip(cache, names) for kink in ACTIVATIONS[name][2]):
            return X, params


def flatten(value):
    """The arrays of a nested tuple/list return value, in order."""
    if isinstance(value, (list, tuple)):
        return [array for item in value for array in flatten(item)]
    return [np.asarray(value, dtype=np.float64)]


def known_mistake(exercise, function, args, got):
    """A note naming the catalogued mistake that returns `got` (a nested value) on `args` and
    on every other call of `function` this test observed."""
    mistake = expect_known_mistake(exercise, function, args, got)
    return mistake_text(exercise, mistake) if mistake is not None else ""


@contextlib.contextmanager
def naming_known_mistakes(exercise, function, args, got):
    """Add the known-mistake note to a failed check of one part of a nested return value."""
    try:
        yield
    except GradedFailure as failure:
        if "known mistake" in str(failure):
            raise
        raise GradedFailure(f"{failure}{known_mistake(exercise, function, args, got)}") from None


def call_text(function, args):
    return f"{function}({', '.join(describe(a) for a in args)})"


def expect_unchanged(exercise, function, name, before, after, advice):
    expect(all(np.array_equal(b, a) for b, a in zip(flatten(before), flatten(after))), exercise,
           f"{function} changed its argument {name}. {advice}")


# 5.1 dense_backward -----------------------------------------------------------------------------

DENSE_NAMES = ("dX", "dW", "db")


def dense_cases(seed):
    """(dZ, X, W): square first (so shape slips show as wrong values), batch 1, one input,
    one output, tall, wide, a strided X and a transposed W."""
    rng = case_rng(seed)
    for n, n_in, n_out in [(3, 3, 3), (1, 4, 2), (5, 1, 3), (6, 4, 1), (1, 1, 1), (16, 9, 5),
                           (4, 7, 12)]:
        yield (rng.normal(size=(n, n_out)), rng.normal(size=(n, n_in)),
               rng.normal(size=(n_in, n_out)))
    yield rng.normal(size=(4, 3)), rng.normal(size=(12, 10))[::3, ::2], rng.normal(size=(5, 3))
    yield rng.normal(size=(6, 2)), rng.normal(size=(6, 4)), rng.normal(size=(2, 4)).T


def check_dense(impl, dZ, X, W, expected, rtol=1e-10, atol=1e-12):
    args = (dZ, X, W)
    got = unpack(impl.dense_backward(*args), 3, exercise="5.1", function="dense_backward",
                 names=DENSE_NAMES)
    for part, value in enumerate(expected):
        with naming_known_mistakes("5.1", "dense_backward", args, got):
            expect_array(got[part], value, exercise="5.1", function="dense_backward", args=args,
                         part=part, names=DENSE_NAMES, rtol=rtol, atol=atol)


@graded("5.1", points=1)
def test_dense_backward_matches_reference(impl):
    for dZ, X, W in dense_cases(512):
        before = copy.deepcopy((dZ, X, W))
        check_dense(impl, dZ, X, W, reference.dense_backward(*before))
        expect_unchanged("5.1", "dense_backward", "dZ, X or W", before, (dZ, X, W),
                         "Compute new arrays; do not assign into the inputs.")


@graded("5.1", points=2)
def test_dense_backward_matches_central_differences(impl):
    rng = case_rng(511)
    for dZ, X, W in dense_cases(510):
        b = rng.normal(size=W.shape[1])

        def loss(X_, W_, b_):  # a loss whose gradient with respect to Z is exactly dZ
            return float(np.sum(dZ * (X_ @ W_ + b_)))

        numeric = (five_point_gradient(lambda v: loss(v, W, b), X),
                   five_point_gradient(lambda v: loss(X, v, b), W),
                   five_point_gradient(lambda v: loss(X, W, v), b))
        check_dense(impl, dZ, X, W, numeric, rtol=1e-8, atol=1e-9)


@graded("5.1", points=1)
def test_dense_backward_small_example(impl):
    # Worked by hand: dX = dZ Wᵀ, dW = Xᵀ dZ, db = column sums of dZ.
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    dZ = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
    check_dense(impl, dZ, X, W, ([[-1.0, 2.0], [1.0, 1.0]],
                                 [[1.0, 3.0, -1.0], [2.0, 4.0, 0.0]],
                                 [1.0, 1.0, 1.0]))


# 5.2 activation_backward ------------------------------------------------------------------------

def activation_cases(seed):
    """(name, dA, Z) for every activation on arrays of many shapes, Z away from kinks."""
    for number, (name, (_, _, kinks)) in enumerate(ACTIVATIONS.items()):
        for dA, Z in zip(sample_arrays(seed + number), sample_arrays(seed + 100 + number, 2.0)):
            for k in kinks:
                Z = np.where(np.abs(Z - k) < KINK_MARGIN, k + KINK_MARGIN, Z)
            yield name, dA, Z


@graded("5.2", points=2)
def test_activation_backward_matches_central_differences(impl):
    for name, dA, Z in activation_cases(520):
        activation, derivative, _ = ACTIVATIONS[name]
        # L = Σ dA ⊙ f(Z) has ∂L/∂Z = dA ⊙ f'(Z); f acts entry by entry, so an entrywise
        # central difference of dA ⊙ f measures it.
        numeric = central_difference(lambda v: dA * activation(v), Z, h=1e-5)
        args = (dA, Z, derivative)
        got = impl.activation_backward(*args)
        with naming_known_mistakes("5.2", "activation_backward", args, got):
            expect_array(got, numeric, exercise="5.2", function="activation_backward",
                         args=args, rtol=1e-7, atol=1e-8)


@graded("5.2", points=1)
def test_activation_backward_matches_reference_and_keeps_its_inputs(impl):
    for name, dA, Z in activation_cases(521):
        derivative = ACTIVATIONS[name][1]
        before = (dA.copy(), Z.copy())
        got = impl.activation_backward(dA, Z, derivative)
        expect_unchanged("5.2", "activation_backward", "dA or Z", before, (dA, Z),
                         "Write dA * activation_grad(Z), which builds a new array; dA *= ... "
                         "overwrites the caller's gradient.")
        args = (*before, derivative)
        with naming_known_mistakes("5.2", "activation_backward", args, got):
            expect_array(got, reference.activation_backward(*args), exercise="5.2",
                         function="activation_backward", args=args, rtol=1e-12, atol=1e-14)


# 5.3 mlp_backward -------------------------------------------------------------------------------

SIZES = {1: [3, 2], 2: [3, 4, 2], 3: [2, 5, 3, 2], 4: [3, 4, 3, 4, 2]}


def mlp_results(impl, cases):
    """mlp_backward on every case's (d_output, cache, params, activation_grads), each checked
    for changed inputs, all called before any value is checked, so that a mistake is named only
    if it explains every result."""
    def call(case):
        before = copy.deepcopy(case[:3])
        got = impl.mlp_backward(*case)
        expect_unchanged("5.3", "mlp_backward", "d_output, cache or params", before, case[:3],
                         "Build new arrays (dZ = dA * ...), never dA *= ... : on the first "
                         "layer back, dA is the caller's d_output.")
        observe("5.3", "mlp_backward", case, got)
        return got
    return run_each(call, cases)


def check_mlp(impl, args, result, expected, rtol, atol):
    """Compare every layer's (dW, db) that mlp_backward returned on `args` with `expected`.

    5.3 is judged on its own: when the student's dense_backward (5.1) or activation_backward
    (5.2) is wrong, results equal to the reference's mlp_backward built on the student's two
    functions are right for 5.3 (5.1 and 5.2 charge their own slips)."""
    got = settle(result)
    try:
        compare_mlp(args, got, expected, rtol, atol)
        return
    except GradedFailure as failure:
        first = failure
    if not explained_by_your_pieces(impl, args, got, rtol, atol):
        raise first


def explained_by_your_pieces(impl, args, got, rtol, atol):
    """Whether `got` is what the reference's mlp_backward returns on `args` when it calls the
    student's dense_backward and activation_backward, and these differ from the reference's."""
    try:
        with np.errstate(all="ignore"):
            yours = with_students_pieces(reference, impl, "5.3", "mlp_backward")(
                *copy.deepcopy(args[:3]), args[3])
        if same_gradients(yours, reference.mlp_backward(*copy.deepcopy(args[:3]), args[3])):
            return False  # the student's 5.1 and 5.2 are right here: nothing to explain
        compare_mlp(args, got, yours, rtol, atol)
    except Exception:  # the student's pieces fail on these inputs, or do not explain `got`
        return False
    return True


def same_gradients(one, other):
    try:
        one, other = flatten(one), flatten(other)
        return len(one) == len(other) and all(
            a.shape == b.shape and np.allclose(a, b, rtol=1e-12, atol=1e-14, equal_nan=True)
            for a, b in zip(one, other))
    except (TypeError, ValueError):
        return False


def compare_mlp(args, got, expected, rtol, atol):
    text = call_text("mlp_backward", args)
    expect(isinstance(got, (list, tuple)) and len(got) == len(args[2]), "5.3",
           f"{text} must return a list with one (dW, db) pair per layer ({len(args[2])} here), "
           f"but it returned {describe(got)}.")
    for layer, (pair, (dW, db)) in enumerate(zip(got, expected)):
        pair = unpack(pair, 2, exercise="5.3", function=f"item {layer} of the list from {text}",
                      names=("dW", "db"))
        for value, wanted, name in ((pair[0], dW, "dW"), (pair[1], db, "db")):
            with naming_known_mistakes("5.3", "mlp_backward", args, got):
                expect_array(value, wanted, exercise="5.3",
                             function=f"{name} of layer {layer + 1}, item {layer} of the list "
                                      f"from {text}", rtol=rtol, atol=atol)


def mlp_case(seed, sizes, names, n_samples):
    """A network with the given layer sizes and activations, its forward cache and a loss
    gradient."""
    rng = case_rng(seed)
    X, params = random_network(rng, sizes, n_samples, names)
    activations = [ACTIVATIONS[name][0] for name in names]
    output, cache = forward(X, params, activations)
    G = rng.normal(size=output.shape)  # the loss is L = Σ G ⊙ output, so d_output = G
    return X, params, activations, cache, G


def mlp_numeric_gradients(X, params, activations, G):
    """(dW, db) per layer of L = Σ G ⊙ forward(X), by five-point differences."""
    def loss_with(layer, part):
        def loss(value):
            changed = [list(pair) for pair in params]
            changed[layer][part] = value
            return float(np.sum(G * forward(X, changed, activations)[0]))
        return loss

    return [tuple(five_point_gradient(loss_with(layer, part), params[layer][part])
                  for part in (0, 1)) for layer in range(len(params))]


@graded("5.3", points=3)
def test_mlp_backward_matches_central_differences_for_every_activation_and_depth(impl):
    cases, wanted = [], []
    for number, name in enumerate(ACTIVATIONS):
        for depth in SIZES:
            X, params, activations, cache, G = mlp_case(530 + 10 * number + depth, SIZES[depth],
                                                        [name] * depth, n_samples=5)
            cases.append((G, cache, params, [ACTIVATIONS[name][1]] * depth))
            wanted.append(mlp_numeric_gradients(X, params, activations, G))
    for args, got, numeric in zip(cases, mlp_results(impl, cases), wanted):
        check_mlp(impl, args, got, numeric, rtol=1e-7, atol=1e-10)


@graded("5.3", points=2)
def test_mlp_backward_with_a_different_activation_in_every_layer(impl):
    mixes = [["tanh", "relu", "sigmoid", "identity"], ["elu", "softplus", "leaky_relu"],
             ["relu", "sigmoid"], ["sigmoid", "tanh", "elu", "softplus"]]
    cases, wanted = [], []
    for number, (names, n_samples) in enumerate(zip(mixes, (5, 1, 8, 1))):
        X, params, activations, cache, G = mlp_case(600 + number, SIZES[len(names)], names,
                                                    n_samples)
        cases.append((G, cache, params, [ACTIVATIONS[name][1] for name in names]))
        wanted.append(mlp_numeric_gradients(X, params, activations, G))
    for args, got, numeric in zip(cases, mlp_results(impl, cases), wanted):
        check_mlp(impl, args, got, numeric, rtol=1e-7, atol=1e-10)


@graded("5.3", points=1)
def test_mlp_backward_matches_reference_and_keeps_its_inputs(impl):
    # A square network first: there a slip between W and Wᵀ gives wrong values, not an error.
    cases = []
    for number, (sizes, names) in enumerate([
            ([3, 3, 3, 3], ["relu", "tanh", "sigmoid"]), ([2, 5], ["tanh"]),
            ([4, 2, 3], ["elu", "identity"]),
            ([3, 4, 3, 4, 2], ["leaky_relu", "softplus", "relu", "tanh"])]):
        for n_samples in (3, 1, 6):
            _, params, _, cache, G = mlp_case(620 + number, sizes, names, n_samples)
            cases.append((G, cache, params, [ACTIVATIONS[name][1] for name in names]))
    for args, got in zip(cases, mlp_results(impl, cases)):
        expected = reference.mlp_backward(*copy.deepcopy(args[:3]), args[3])
        check_mlp(impl, args, got, expected, rtol=1e-10, atol=1e-12)


# 5.4 numerical_gradient -------------------------------------------------------------------------

def check_numerical(impl, f, x, expected, h=None, atol=1e-7, reads_x_itself=False):
    args = (f, x) if h is None else (f, x, h)
    text = call_text("numerical_gradient", args)
    before = x.copy()
    got = impl.numerical_gradient(*args)
    if not np.array_equal(x, before):
        change = float(np.max(np.abs(x - before)))
        step = 1e-5 if h is None else h
        how = ("x is left nudged: give each entry its saved value back after its two "
               "evaluations" if change > 0.1 * step else
               "x was restored by arithmetic, and x + h − 2h + h need not equal x in floating "
               "point: assign the saved value back instead")
        fail("5.4", f"{text} changed x: after it returned, {int(np.sum(x != before))} of "
                    f"{x.size} entries differ from what they were (by up to {change:.3g}). {how}.")
    if reads_x_itself:
        # The catalogued mistakes are replayed on copies of x, which this f never sees: check
        # the telling symptom here instead.
        expect(not np.allclose(np.asarray(got, dtype=float), 0.0), "5.4",
               f"{text} returned all zeros. This f ignores its argument and reads x (here a "
               "network's weights) itself, so nudging a copy of x, or calling f on a new array "
               "such as x + h, leaves f unchanged. Nudge the entries of x itself in place, one "
               "at a time, then restore them.\n  Read `nnlings hint 5.4 --level 2`.")
        args = ()  # no replay of the catalogue on copies
    expect_array(got, expected, exercise="5.4", function=text if reads_x_itself else
                 "numerical_gradient", args=args, rtol=1e-7, atol=atol)


def sum_of_cubes(x):
    return float(np.sum(x ** 3))


@graded("5.4", points=2)
def test_numerical_gradient_of_a_cubic_is_exact_up_to_h_squared(impl):
    # For f(x) = Σ x³ the central difference is exactly 3x² + h², which a one-sided one is not.
    for x in sample_arrays(540, scale=1.0):
        check_numerical(impl, sum_of_cubes, x, 3.0 * x ** 2 + 1e-10)
    for x in sample_arrays(541, scale=1.0):
        check_numerical(impl, sum_of_cubes, x, 3.0 * x ** 2 + 1e-6, h=1e-3, atol=1e-8)


@graded("5.4", points=1)
def test_numerical_gradient_of_a_quadratic_form(impl):
    rng = case_rng(542)
    for n in (1, 4, 9):
        A, c = rng.normal(size=(n, n)), rng.normal(size=n)

        def quadratic(x, A=A, c=c):  # ½ xᵀAx + cᵀx, gradient ½(A + Aᵀ)x + c
            return float(0.5 * x @ A @ x + c @ x)

        x = rng.normal(size=n)
        check_numerical(impl, quadratic, x, 0.5 * (A + A.T) @ x + c)


@graded("5.4", points=1)
def test_numerical_gradient_nudges_x_in_place(impl):
    # As in a real gradient check: f ignores its argument and reads the weights W itself, so
    # only nudges made to W in place change what f returns.
    rng = case_rng(543)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    W = rng.normal(size=(4, 2))[1:]  # a non-contiguous view, as a slice of a bigger array

    def loss_of_weights(_):
        return float(0.5 * np.sum((X @ W - Y) ** 2))

    check_numerical(impl, loss_of_weights, W, X.T @ (X @ W - Y), atol=1e-6, reads_x_itself=True)


@graded("5.4", points=1)
def test_numerical_gradient_matches_reference(impl):
    def wavy(x):
        return float(np.sum(np.sin(x) * np.cos(2.0 * x)) + np.prod(np.tanh(x[..., :1])))

    for x in sample_arrays(544, scale=1.0):
        check_numerical(impl, wavy, x, reference.numerical_gradient(wavy, x.copy()), atol=1e-8)


# 5.5 relative_error -----------------------------------------------------------------------------

def check_relative(impl, a, b, expected, rtol=1e-12):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    try:
        with strict_floats():
            got = impl.relative_error(a, b)
    except FloatingPointError as error:
        fail("5.5", f"{call_text('relative_error', (a, b))} hit a floating-point problem: "
                    f"{error}. Entries where a and b are both 0 give 0/0; a floor on the "
                    "denominator, np.maximum(|a| + |b|, 1e-12), keeps it away."
             + known_mistake("5.5", "relative_error", (a, b), np.nan))
    expect_scalar(got, expected, exercise="5.5", function="relative_error", args=(a, b),
                  rtol=rtol, atol=0.0)


@graded("5.5", points=2)
def test_relative_error_of_hand_computed_pairs(impl):
    check_relative(impl, [1.0, 2.0], [1.0, 2.0], 0.0)
    check_relative(impl, [1.0, 2.0, 4.0], [1.1, 2.0, 4.0], 0.1 / 2.1)
    check_relative(impl, [3.0], [-1.0], 1.0)            # opposite signs: |4| / (3 + 1)
    check_relative(impl, [1.0, -2.0], [-1.0, -2.5], 1.0)
    check_relative(impl, [-2.0, 5.0], [-3.0, 4.0], 0.2)  # worst of 1/5 and 1/9
    check_relative(impl, [[0.0, 1e-20], [2.0, 2.0]], [[0.0, 0.0], [2.0, 2.0]], 1e-8)  # floor
    check_relative(impl, [[0.0, 0.0]], [[0.0, 0.0]], 0.0)  # 0/0 kept away by the floor
    check_relative(impl, [1e-8, 1e3], [2e-8, 1e3 + 1e-3], 1.0 / 3.0)


@graded("5.5", points=1)
def test_relative_error_is_symmetric_scale_free_and_matches_reference(impl):
    for a, b in zip(sample_arrays(550), sample_arrays(551)):
        b = a + 1e-3 * b
        expected = reference.relative_error(a.copy(), b.copy())
        check_relative(impl, a, b, expected, rtol=1e-9)
        check_relative(impl, b, a, expected, rtol=1e-9)
        check_relative(impl, 1e6 * a, 1e6 * b, expected, rtol=1e-9)


# 5.6 xor_loss_and_grads -------------------------------------------------------------------------

XOR_NAMES = ("dW1", "db1", "dW2", "db2")


def xor_loss_oracle(params, X, Y, lam):
    """The article's loss written out sample by sample."""
    W1, b1, W2, b2 = params
    data = 0.0
    for x, y in zip(X, Y):
        h2 = sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2)
        data += 0.5 * np.linalg.norm(h2 - y) ** 2
    return data / len(X) + 0.5 * lam * (np.linalg.norm(W1) ** 2 + np.linalg.norm(W2) ** 2)


def xor_cases(seed):
    """(params, X, Y, lam): the XOR data and random batches, 3 and 5 hidden units, λ = 0 too."""
    rng = case_rng(seed)
    for hidden, n_samples, lam in [(3, 4, 0.1), (3, 4, 0.0), (5, 1, 0.5), (3, 7, 1e-3),
                                   (4, 2, 2.0)]:
        params = (rng.normal(size=(2, hidden)), rng.normal(size=hidden),
                  rng.normal(size=(hidden, 2)), rng.normal(size=2))
        if n_samples == 4:
            X, Y = reference.XOR_X.copy(), reference.XOR_Y.copy()
        else:
            X = rng.normal(size=(n_samples, 2))
            Y = np.eye(2)[rng.integers(0, 2, n_samples)]
        yield params, X, Y, lam


def check_xor(impl, params, X, Y, lam, expected_loss, expected_grads, rtol, atol):
    args = (params, X, Y, lam)
    text = call_text("xor_loss_and_grads", args)
    loss, grads = unpack(impl.xor_loss_and_grads(*args), 2, exercise="5.6",
                         function="xor_loss_and_grads", names=("loss", "gradients"))
    grads = unpack(grads, 4, exercise="5.6", function=f"the 2nd value returned by {text}",
                   names=XOR_NAMES)
    with naming_known_mistakes("5.6", "xor_loss_and_grads", args, (loss, grads)):
        expect_scalar(loss, expected_loss, exercise="5.6", function=f"the loss from {text}",
                      rtol=rtol, atol=atol)
        for name, got, wanted in zip(XOR_NAMES, grads, expected_grads):
            expect_array(got, wanted, exercise="5.6", function=f"{name} from {text}", rtol=rtol,
                         atol=atol)


@graded("5.6", points=1)
def test_xor_loss_matches_the_article_formula(impl):
    for params, X, Y, lam in xor_cases(560):
        args = (params, X, Y, lam)
        returned = impl.xor_loss_and_grads(*args)
        loss, _ = unpack(returned, 2, exercise="5.6", function="xor_loss_and_grads",
                         names=("loss", "gradients"))
        with naming_known_mistakes("5.6", "xor_loss_and_grads", args, returned):
            expect_scalar(loss, xor_loss_oracle(*args), exercise="5.6",
                          function=f"the loss from {call_text('xor_loss_and_grads', args)}",
                          rtol=1e-10, atol=1e-12)


@graded("5.6", points=2)
def test_xor_gradients_match_central_differences(impl):
    for params, X, Y, lam in xor_cases(561):
        numeric = []
        for which in range(4):
            def loss(value, which=which):
                changed = list(params)
                changed[which] = value
                return xor_loss_oracle(changed, X, Y, lam)
            numeric.append(five_point_gradient(loss, params[which]))
        check_xor(impl, params, X, Y, lam, xor_loss_oracle(params, X, Y, lam), numeric,
                  rtol=1e-7, atol=1e-10)


@graded("5.6", points=1)
def test_xor_matches_reference(impl):
    for params, X, Y, lam in xor_cases(562):
        loss, grads = reference.xor_loss_and_grads(params, X, Y, lam)
        check_xor(impl, params, X, Y, lam, loss, grads, rtol=1e-10, atol=1e-13)


def train_and_score(impl, seed):
    """Train with the student's gradients: (all four XOR points right?, predictions, first loss,
    last loss)."""
    # One call first, so that a malformed return is reported here and not inside train_xor.
    rng = case_rng(seed + 100)
    params = (rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 2)),
              rng.normal(size=2))
    _, grads = unpack(impl.xor_loss_and_grads(params, impl.XOR_X, impl.XOR_Y, 1e-4), 2,
                      exercise="5.6", function="xor_loss_and_grads", names=("loss", "gradients"))
    grads = unpack(grads, 4, exercise="5.6", function="the 2nd value returned by "
                   "xor_loss_and_grads", names=XOR_NAMES)
    for name, got, param in zip(XOR_NAMES, grads, params):
        expect(isinstance(got, np.ndarray) and got.shape == param.shape, "5.6",
               f"{name} returned by xor_loss_and_grads must be an array of shape {param.shape} "
               f"(the shape of {name[1:]}), got {describe(got)}.")
    params, losses = impl.train_xor(impl.xor_loss_and_grads, seed=seed)
    predictions = impl.xor_predict(params, impl.XOR_X)
    return (np.array_equal(predictions, impl.XOR_LABELS), predictions, losses[0], losses[-1])


@graded("5.6", points=2)
def test_xor_network_trained_with_your_gradients_learns_xor(impl):
    solved, predictions, first, last = train_and_score(impl, seed=0)
    expect(solved and margin("5.6 seed 0 loss falls", last, first, "<"), "5.6",
           f"train_xor(xor_loss_and_grads) from seed 0 (2-3-2 net, learning rate 10, 2000 epochs, "
           f"λ = 1e-4) ended with the loss going from {first:.4g} to {last:.4g} and predicts "
           f"{predictions.tolist()} for the XOR points, whose labels are [0, 1, 1, 0]. With "
           "correct gradients it learns XOR exactly: check the gradients against "
           "numerical_gradient.")


@graded("5.6", points=1)
def test_xor_network_learns_xor_from_most_seeds(impl):
    results = [train_and_score(impl, seed) for seed in range(1, 6)]
    solved = [seed for seed, result in zip(range(1, 6), results) if result[0]]
    which = f"only from the seeds {solved}" if solved else "from none of them"
    expect(margin("5.6 seeds that learn XOR", len(solved), 4, ">="), "5.6",
           f"train_xor(xor_loss_and_grads, seed=s) for the seeds s = 1–5 learned XOR {which}. "
           "With correct gradients it learns from all five (a small net can get stuck now and "
           "then, so 4 of 5 are enough): check the gradients against numerical_gradient.")
