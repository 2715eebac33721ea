"""Graded tests for unit 2 — Activations.

Each activation is checked three ways: against the reference on seeded arrays of many shapes,
against its closed form at telling points, and its derivative against a central difference of
an independent closed form of the activation.
"""
import numpy as np

import nnlings.solutions.unit02_activations as reference
from nnlings.grader.cases import away_from, central_difference, sample_arrays
from nnlings.grader.expect import call_strictly, expect, expect_array, observe, run_each, settle
from nnlings.grader.graded import graded

# Closed forms written differently from the reference, used as independent oracles.
CLOSED_FORMS = {
    "identity": lambda x: x,
    "sigmoid": lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),
    "tanh": lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
    "relu": lambda x: 0.5 * (x + np.abs(x)),
    "leaky_relu": lambda x, alpha=0.01: 0.5 * (1 + alpha) * x + 0.5 * (1 - alpha) * np.abs(x),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "elu": lambda x, alpha=1.0: np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1.0)),
}


def results(impl, exercise, name, inputs, **kwargs):
    """`name` on every input, each checked for a changed argument, all called before any value
    is checked (so that a mistake is named only if it explains every result)."""
    student = getattr(impl, name)

    def call(x):
        before = x.copy()
        got = student(x, **kwargs)
        expect(np.array_equal(x, before, equal_nan=True), exercise,
               f"{name} changed the array it was given. Build a new array instead of assigning "
               "into x (e.g. np.maximum(x, 0) rather than x[x < 0] = 0).")
        observe(exercise, name, (before,) + tuple(kwargs.values()), got)
        return got
    return run_each(call, inputs)


def check_against_reference(impl, exercise, name, seed, **kwargs):
    """`name` agrees with the reference on many shapes and never modifies its input."""
    inputs = list(sample_arrays(seed))
    for x, got in zip(inputs, results(impl, exercise, name, inputs, **kwargs)):
        expect_array(settle(got), getattr(reference, name)(x, **kwargs), exercise=exercise,
                     function=name, args=(x,) + tuple(kwargs.values()))


def check_derivative(impl, exercise, name, seed, kinks=(), **kwargs):
    """`name`_grad matches a central difference of the activation's closed form."""
    closed_form = CLOSED_FORMS[name]
    inputs = [away_from(x, kinks) for x in sample_arrays(seed, scale=2.0)]
    for x, got in zip(inputs, results(impl, exercise, name + "_grad", inputs, **kwargs)):
        numeric = central_difference(lambda v: closed_form(v, **kwargs), x)
        expect_array(settle(got), numeric, exercise=exercise, function=name + "_grad",
                     args=(x,) + tuple(kwargs.values()), rtol=1e-6, atol=1e-8)


def check_closed_form(impl, exercise, name, seed, **kwargs):
    """`name` equals an independent closed form (outside the overflow range of that form)."""
    inputs = list(sample_arrays(seed))
    for x, got in zip(inputs, results(impl, exercise, name, inputs, **kwargs)):
        expect_array(settle(got), CLOSED_FORMS[name](x, **kwargs), exercise=exercise,
                     function=name, args=(x,) + tuple(kwargs.values()), rtol=1e-12, atol=1e-12)


# 2.1 identity ---------------------------------------------------------------------------------

@graded("2.1", points=1)
def test_identity_returns_its_input_values(impl):
    check_against_reference(impl, "2.1", "identity", seed=210)


@graded("2.1", points=1)
def test_identity_grad_is_one_everywhere(impl):
    check_against_reference(impl, "2.1", "identity_grad", seed=211)
    check_derivative(impl, "2.1", "identity", seed=212)


# 2.2 sigmoid ----------------------------------------------------------------------------------

@graded("2.2", points=1)
def test_sigmoid_values(impl):
    check_against_reference(impl, "2.2", "sigmoid", seed=220)
    check_closed_form(impl, "2.2", "sigmoid", seed=221)
    expect_array(impl.sigmoid(np.array([0.0])), [0.5], exercise="2.2", function="sigmoid",
                 args=(np.array([0.0]),))


@graded("2.2", points=1)
def test_sigmoid_has_no_overflow_for_any_float(impl):
    x = np.array([-1e308, -1e4, -745.0, -710.0, 710.0, 1e4, 1e308])
    got = call_strictly("2.2", "sigmoid", impl.sigmoid, (x,))
    # σ(−745) and σ(−710) are subnormal: any answer within 1e-300 of them is right (0 included).
    expect_array(got, [0.0, 0.0, 5e-324, reference.sigmoid(np.array([-710.0]))[0], 1.0, 1.0, 1.0],
                 exercise="2.2", function="sigmoid", args=(x,), rtol=1e-12, atol=1e-300)
    expect(got[0] == 0.0 and got[-1] == 1.0, "2.2",
           f"sigmoid(-1e308) must be exactly 0 and sigmoid(1e308) exactly 1, got {got[0]!r} and "
           f"{got[-1]!r}.")


@graded("2.2", points=1)
def test_sigmoid_grad(impl):
    check_against_reference(impl, "2.2", "sigmoid_grad", seed=222)
    check_derivative(impl, "2.2", "sigmoid", seed=223)


# 2.3 tanh -------------------------------------------------------------------------------------

@graded("2.3", points=1)
def test_tanh_values(impl):
    check_against_reference(impl, "2.3", "tanh", seed=230)
    check_closed_form(impl, "2.3", "tanh", seed=231)


@graded("2.3", points=1)
def test_tanh_is_a_rescaled_sigmoid(impl):
    for x in sample_arrays(232, scale=5.0):
        expect_array(impl.tanh(x), 2.0 * CLOSED_FORMS["sigmoid"](2.0 * x) - 1.0,
                     exercise="2.3", function="tanh", args=(x,), rtol=1e-9, atol=1e-12)


@graded("2.3", points=1)
def test_tanh_grad(impl):
    check_against_reference(impl, "2.3", "tanh_grad", seed=233)
    check_derivative(impl, "2.3", "tanh", seed=234)


# 2.4 ReLU -------------------------------------------------------------------------------------

@graded("2.4", points=1)
def test_relu_values(impl):
    check_against_reference(impl, "2.4", "relu", seed=240)
    check_closed_form(impl, "2.4", "relu", seed=241)


@graded("2.4", points=1)
def test_relu_grad(impl):
    check_against_reference(impl, "2.4", "relu_grad", seed=242)
    check_derivative(impl, "2.4", "relu", seed=243, kinks=(0.0,))


@graded("2.4", points=1)
def test_relu_grad_at_the_kink_is_the_left_derivative(impl):
    x = np.array([-1.0, 0.0, 1.0])
    expect_array(impl.relu_grad(x), [0.0, 0.0, 1.0], exercise="2.4", function="relu_grad",
                 args=(x,))


# 2.5 Leaky ReLU -------------------------------------------------------------------------------

@graded("2.5", points=1)
def test_leaky_relu_values(impl):
    check_against_reference(impl, "2.5", "leaky_relu", seed=250)
    check_against_reference(impl, "2.5", "leaky_relu", seed=251, alpha=0.2)
    check_closed_form(impl, "2.5", "leaky_relu", seed=252, alpha=0.3)


@graded("2.5", points=1)
def test_leaky_relu_grad(impl):
    check_against_reference(impl, "2.5", "leaky_relu_grad", seed=253)
    check_derivative(impl, "2.5", "leaky_relu", seed=254, kinks=(0.0,), alpha=0.2)


@graded("2.5", points=1)
def test_leaky_relu_grad_at_the_kink_is_alpha(impl):
    x = np.array([-1.0, 0.0, 1.0])
    expect_array(impl.leaky_relu_grad(x, alpha=0.1), [0.1, 0.1, 1.0], exercise="2.5",
                 function="leaky_relu_grad", args=(x, 0.1))


# 2.6 softplus ---------------------------------------------------------------------------------

@graded("2.6", points=1)
def test_softplus_values(impl):
    check_against_reference(impl, "2.6", "softplus", seed=260)
    check_closed_form(impl, "2.6", "softplus", seed=261)


@graded("2.6", points=1)
def test_softplus_has_no_overflow(impl):
    x = np.array([-1e308, -800.0, 0.0, 800.0, 1e308])
    got = call_strictly("2.6", "softplus", impl.softplus, (x,))
    expect_array(got, [0.0, 0.0, np.log(2.0), 800.0, 1e308], exercise="2.6",
                 function="softplus", args=(x,), rtol=1e-12, atol=0.0)


@graded("2.6", points=1)
def test_softplus_grad(impl):
    check_against_reference(impl, "2.6", "softplus_grad", seed=262)
    check_derivative(impl, "2.6", "softplus", seed=263)


# 2.7 ELU --------------------------------------------------------------------------------------

@graded("2.7", points=1)
def test_elu_values(impl):
    check_against_reference(impl, "2.7", "elu", seed=270)
    check_against_reference(impl, "2.7", "elu", seed=271, alpha=0.5)
    check_closed_form(impl, "2.7", "elu", seed=272, alpha=2.0)
    got = call_strictly("2.7", "elu", impl.elu, (np.array([1e308]),))
    expect_array(got, [1e308], exercise="2.7", function="elu", args=(np.array([1e308]),))


@graded("2.7", points=1)
def test_elu_grad(impl):
    check_against_reference(impl, "2.7", "elu_grad", seed=273)
    check_derivative(impl, "2.7", "elu", seed=274, kinks=(0.0,), alpha=0.5)
    x = np.array([0.0])
    expect_array(impl.elu_grad(x, alpha=0.5), [0.5], exercise="2.7", function="elu_grad",
                 args=(x, 0.5))


# 2.8 Maxout -----------------------------------------------------------------------------------

@graded("2.8", points=1)
def test_maxout_values(impl):
    for z in sample_arrays(280):
        z = z.reshape(z.shape + (1,)) if z.ndim == 1 else z
        expect_array(impl.maxout(z), reference.maxout(z), exercise="2.8", function="maxout",
                     args=(z,))


@graded("2.8", points=1)
def test_maxout_reduces_to_relu_and_leaky_relu(impl):
    for x in sample_arrays(281):
        pieces = np.stack([x, np.zeros_like(x)], axis=-1)
        expect_array(impl.maxout(pieces), CLOSED_FORMS["relu"](x), exercise="2.8",
                     function="maxout", args=(pieces,))
        pieces = np.stack([x, 0.2 * x], axis=-1)
        expect_array(impl.maxout(pieces), CLOSED_FORMS["leaky_relu"](x, alpha=0.2),
                     exercise="2.8", function="maxout", args=(pieces,))


@graded("2.8", points=1)
def test_maxout_grad(impl):
    for z in sample_arrays(282):
        z = np.stack([z, -z, 0.5 * z], axis=-1)
        expect_array(impl.maxout_grad(z), reference.maxout_grad(z), exercise="2.8",
                     function="maxout_grad", args=(z,))
    tie = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0]])
    expect_array(impl.maxout_grad(tie), [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], exercise="2.8",
                 function="maxout_grad", args=(tie,))
    for z in sample_arrays(283, scale=1.0):
        z = away_from(np.stack([z, 0.3 * z + 0.1], axis=-1), (0.0,))
        numeric = np.stack([central_difference(lambda v: np.maximum(v, z[..., 1]), z[..., 0]),
                            central_difference(lambda v: np.maximum(z[..., 0], v), z[..., 1])],
                           axis=-1)
        expect_array(impl.maxout_grad(z), numeric, exercise="2.8", function="maxout_grad",
                     args=(z,), atol=1e-6)
