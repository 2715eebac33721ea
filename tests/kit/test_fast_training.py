"""The compiled reference trainer (solutions/fast_training.py) against NumPy and the unit modules.

The numba code is checked three ways: its building blocks against the unit modules' reference
functions, its gradient against central differences, and whole training runs against the
NumPy formulation (fit_numpy), which is itself checked against units 3, 4, 5, 7 and 8 chained
together. Agreement is to float64 round-off: the compiled loops add in a different order than
NumPy's matrix products do.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

from nnlings.solutions import fast_training as ft
from nnlings.solutions import (unit02_activations, unit03_layers, unit04_losses,
                               unit05_backprop, unit07_optimizers, unit08_training)

pytestmark = pytest.mark.kit

ACTIVATIONS = sorted(ft.ACTIVATION_CODES)
OPTIMIZERS = sorted(ft.OPTIMIZER_CODES)
DEPTHS = {1: [3, 2], 2: [3, 5, 2], 3: [3, 6, 4, 2]}
ROUND_OFF = dict(rtol=1e-9, atol=1e-12)


def network(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_in, n_out)), rng.normal(0.0, 0.1, n_out))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def data(layer_sizes, n_samples=45, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, layer_sizes[0]))
    return X, np.sin(X @ rng.normal(size=(layer_sizes[0], layer_sizes[-1])))


def compiled_arguments(params, activation):
    codes = np.full(len(params), ft.ACTIVATION_CODES[activation], dtype=np.int64)
    alphas = np.full(len(params), ft.DEFAULT_ALPHA.get(activation, 0.0))
    return ft.pack(params), ft.layer_sizes_of(params), codes, alphas


# Building blocks ------------------------------------------------------------------------------

def test_fast_tanh_is_within_3_ulp_of_numpy_everywhere():
    x = np.concatenate([np.linspace(-25.0, 25.0, 200_001), np.geomspace(1e-300, 5.0, 20_001),
                        -np.geomspace(1e-300, 5.0, 2_001), [1e308, -1e308]])
    got = np.empty((1, x.size))
    ft.activation_forward(x.reshape(1, -1), ft.TANH, 0.0, got)
    expected = np.tanh(x)
    assert np.max(np.abs(got[0] - expected) / np.spacing(np.abs(expected))) <= 3.0
    special = np.array([[0.0, -0.0, np.inf, -np.inf, np.nan]])
    out = np.empty_like(special)
    ft.activation_forward(special, ft.TANH, 0.0, out)
    np.testing.assert_array_equal(out, np.tanh(special))
    assert np.signbit(out[0, 1]) and not np.signbit(out[0, 0])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_match_unit_2(name):
    z = np.concatenate([np.linspace(-30.0, 30.0, 601), [-1e308, -710.0, 0.0, 710.0, 1e308]])
    Z = z.reshape(2, -1)
    f, f_grad = unit02_activations.ACTIVATIONS[name]
    code, alpha = ft.ACTIVATION_CODES[name], ft.DEFAULT_ALPHA.get(name, 0.0)
    A, dZ = np.empty_like(Z), np.empty_like(Z)
    ft.activation_forward(Z, code, alpha, A)
    np.testing.assert_allclose(A, f(Z), rtol=1e-14, atol=1e-300)
    dA = np.linspace(-2.0, 2.0, Z.size).reshape(Z.shape)
    ft.activation_backward(dA, Z, A, code, alpha, dZ)
    # Where tanh or σ saturates, 1 − a² and a(1 − a) cancel: a last-bit difference in a is an
    # absolute difference of about 1e-16 in the derivative, whatever its size.
    np.testing.assert_allclose(dZ, dA * f_grad(Z), rtol=1e-14, atol=1e-15)


def test_dense_forward_and_backward_match_units_3_and_5():
    rng = np.random.default_rng(2)
    for n, n_in, n_out in [(1, 1, 1), (7, 3, 5), (32, 1, 20), (32, 20, 1), (4, 17, 9)]:
        X, W, b = rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
        Z = np.empty((n, n_out))
        ft.dense_forward(X, W, b, Z)
        np.testing.assert_allclose(Z, unit03_layers.dense_forward(X, W, b), **ROUND_OFF)
        dZ = rng.normal(size=(n, n_out))
        dX, dW, db = np.empty_like(X), np.empty_like(W), np.empty_like(b)
        ft.dense_backward(dZ, X, W, dX, dW, db)
        for got, expected in zip((dX, dW, db), unit05_backprop.dense_backward(dZ, X, W)):
            np.testing.assert_allclose(got, expected, **ROUND_OFF)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_optimizer_step_matches_unit_7(optimizer):
    rng = np.random.default_rng(3)
    w, g, velocity, second = (rng.normal(size=9) for _ in range(4))
    second = np.abs(second)
    hyper = (0.05, 0.8, 0.7, 0.95, 1e-8)
    rate, mu, beta1, beta2, eps = hyper
    state = np.stack([velocity, second])
    params = w.copy()
    ft.optimizer_step(params, g, state[0], state[1], 3, ft.OPTIMIZER_CODES[optimizer], hyper)
    if optimizer == "sgd":
        expected = (unit07_optimizers.sgd_update(w, g, rate), velocity)
    elif optimizer == "momentum":
        expected = unit07_optimizers.momentum_update(w, g, velocity, rate, mu)
    elif optimizer == "nesterov":
        expected = unit07_optimizers.nesterov_update(w, g, velocity, rate, mu)
    else:
        new_w, m, v = unit07_optimizers.adam_update(w, g, velocity, second, 3, rate, beta1,
                                                    beta2, eps)
        expected = (new_w, m)
        np.testing.assert_allclose(state[1], v, **ROUND_OFF)
    np.testing.assert_allclose(params, expected[0], **ROUND_OFF)
    np.testing.assert_allclose(state[0], expected[1], **ROUND_OFF)


def test_pack_and_unpack_are_inverse_and_follow_the_documented_layout():
    params = network([2, 3, 1])
    flat = ft.pack(params)
    (W1, b1), (W2, b2) = params
    np.testing.assert_array_equal(flat, np.concatenate([W1.ravel(), b1, W2.ravel(), b2]))
    assert flat.size == unit03_layers.count_parameters([2, 3, 1])
    for (W, b), (W_back, b_back) in zip(params, ft.unpack(flat, [2, 3, 1])):
        np.testing.assert_array_equal(W, W_back)
        np.testing.assert_array_equal(b, b_back)


# Gradients ------------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_matches_numpy_and_central_differences(depth, activation):
    sizes = DEPTHS[depth]
    params = network(sizes, seed=depth)
    X, Y = data(sizes, n_samples=6)  # 6 samples: by rows, two rows of padding
    flat, layer_sizes, codes, alphas = compiled_arguments(params, activation)
    loss, grads = ft.loss_and_gradient(flat, layer_sizes, codes, alphas, X, Y, False)
    by_rows = ft.loss_and_gradient(flat, layer_sizes, codes, alphas, X, Y, True)
    assert by_rows[0] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(by_rows[1], grads, **ROUND_OFF)

    functions = [unit02_activations.ACTIVATIONS[activation]] * depth
    numpy_loss, numpy_grads = ft.numpy_loss_and_gradients(params, functions, X, Y)
    assert loss == pytest.approx(numpy_loss, rel=1e-12)
    np.testing.assert_allclose(grads, np.concatenate([g.ravel() for g in numpy_grads]),
                               **ROUND_OFF)

    def loss_at(vector):
        return ft.loss_and_gradient(vector, layer_sizes, codes, alphas, X, Y, False)[0]

    numerical = unit05_backprop.numerical_gradient(loss_at, flat.copy(), h=1e-6)
    # A central difference of a loss of size ~1 with h = 1e-6 is good to about 1e-10.
    np.testing.assert_allclose(grads, numerical, rtol=1e-5, atol=1e-8)


# Whole training runs --------------------------------------------------------------------------

def fit_all(sizes, activations, optimizer, epochs=3, batch_size=16, **hyper):
    """fit_numpy's run, then fit_numba's with the batch by columns, by rows on one core and by
    rows on two."""
    params = network(sizes)
    X, Y = data(sizes)
    arguments = dict(epochs=epochs, batch_size=batch_size, optimizer=optimizer, **hyper)
    runs = [ft.fit_numpy(params, activations, X, Y, rng=np.random.default_rng(7), **arguments)]
    for by_rows, two_cores in ((False, False), (True, False), (True, True)):
        runs.append(ft.fit_numba(params, activations, X, Y, rng=np.random.default_rng(7),
                                 by_rows=by_rows, two_cores=two_cores, **arguments))
    return runs


def assert_same_training(numpy_run, *numba_runs):
    numpy_params, numpy_losses = numpy_run
    for numba_params, numba_losses in numba_runs:
        np.testing.assert_allclose(numba_losses, numpy_losses, **ROUND_OFF)
        np.testing.assert_allclose(ft.pack(numba_params), ft.pack(numpy_params), **ROUND_OFF)
    (_, one_core_losses), (two_core_params, two_core_losses) = numba_runs[-2:]
    # The batch is cut in two at the same place either way: the same numbers to the last bit.
    assert np.array_equal(two_core_losses, one_core_losses)
    assert np.array_equal(ft.pack(two_core_params), ft.pack(numba_runs[-2][0]))


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_numba_trains_like_numpy_for_every_activation(depth, activation):
    sizes = DEPTHS[depth]
    # The hidden layers take the activation under test; the output layer too, except that
    # a last layer of identity is also covered whenever activation is "identity".
    assert_same_training(*fit_all(sizes, [activation] * depth, "nesterov"))


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_numba_trains_like_numpy_for_every_optimizer(depth, optimizer):
    sizes = DEPTHS[depth]
    activations = ["tanh"] * (depth - 1) + ["identity"]
    assert_same_training(*fit_all(sizes, activations, optimizer, learning_rate=0.02,
                                   momentum=0.8, beta1=0.85, beta2=0.99))


def test_a_batch_size_that_divides_the_data_and_one_that_leaves_a_short_batch():
    for batch_size in (1, 15, 44, 45):
        assert_same_training(*fit_all([3, 5, 2], ["relu", "identity"], "adam",
                                        batch_size=batch_size))


class UnitsNetwork:
    """The model protocol of unit 8, made of units 3 and 5's reference forward and backward."""

    def __init__(self, params, activations):
        self.pairs = [(W.copy(), b.copy()) for W, b in params]
        self.params = [array for pair in self.pairs for array in pair]
        self.functions = [unit02_activations.ACTIVATIONS[name] for name in activations]

    def forward(self, X):
        output, self.cache = unit03_layers.mlp_forward(X, self.pairs,
                                                       [f for f, _ in self.functions])
        return output

    def backward(self, d_output):
        grads = unit05_backprop.mlp_backward(d_output, self.cache, self.pairs,
                                             [g for _, g in self.functions])
        return [array for pair in grads for array in pair]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_fit_numpy_is_units_3_to_8_chained(optimizer):
    sizes, activations = [3, 5, 2], ["tanh", "identity"]
    hyper = dict(learning_rate=0.02, momentum=0.8)
    make = {"sgd": lambda: unit07_optimizers.SGD(0.02),
            "momentum": lambda: unit07_optimizers.Momentum(0.02, 0.8),
            "nesterov": lambda: unit07_optimizers.Nesterov(0.02, 0.8),
            "adam": lambda: unit07_optimizers.Adam(0.02)}[optimizer]
    params, (X, Y) = network(sizes), data(sizes)
    model = UnitsNetwork(params, activations)
    history = unit08_training.fit(model, X, Y, loss=unit04_losses.mse,
                                  loss_grad=unit04_losses.mse_grad, optimizer=make(), epochs=3,
                                  batch_size=16, rng=np.random.default_rng(7), verbose=False)
    trained, losses = ft.fit_numpy(params, activations, X, Y, epochs=3, batch_size=16,
                                   rng=np.random.default_rng(7), optimizer=optimizer, **hyper)
    np.testing.assert_allclose(losses, history["loss"], **ROUND_OFF)
    np.testing.assert_allclose(ft.pack(trained), ft.pack(model.pairs), **ROUND_OFF)


def test_the_articles_experiment_ends_at_the_same_loss():
    from nnlings.datasets.functions import grid, piecewise
    from nnlings.solutions.unit06_initializers import he_normal
    rng = np.random.default_rng(0)
    params = [(he_normal((1, 20), rng), np.zeros(20)), (he_normal((20, 1), rng), np.zeros(1))]
    X = grid()
    runs = [fit(params, ["tanh", "identity"], X, piecewise(X), epochs=40, batch_size=32,
                rng=np.random.default_rng(1)) for fit in (ft.fit_numba, ft.fit_numpy)]
    np.testing.assert_allclose(runs[0][1], runs[1][1], rtol=1e-10)
    assert runs[0][1][-1] < 0.75 * runs[0][1][0]  # it learns


def test_the_wide_network_is_trained_by_rows_like_numpy():
    """1-40-40-1 with batches of 8: rows_pay_off chooses rows; 100 samples leave a last batch
    of 4, which the step cuts into halves of 4 and 0 rows; batches of 6 are cut into 4 + 2, the
    second half inside 4 padded rows. On one core and on two, by default layout."""
    sizes = [1, 40, 40, 1]
    assert ft.rows_pay_off(np.array(sizes), 8) and ft.rows_pay_off(np.array(sizes), 39)
    for narrower in ([1, 40, 40, 1], [1, 100, 1], [1, 20, 1], [3, 2]):
        assert not ft.rows_pay_off(np.array(narrower), 40)
    for batch_size in (8, 6):
        params, (X, Y) = network(sizes), data(sizes, n_samples=100)
        activations = ["tanh", "tanh", "identity"]
        arguments = dict(epochs=2, batch_size=batch_size)
        runs = [ft.fit_numpy(params, activations, X, Y, rng=np.random.default_rng(3),
                             **arguments)]
        for two_cores in (False, True):
            runs.append(ft.fit_numba(params, activations, X, Y, rng=np.random.default_rng(3),
                                     two_cores=two_cores, **arguments))
        assert_same_training(*runs)


# Errors and compilation -----------------------------------------------------------------------

@pytest.mark.parametrize("fit", [ft.fit_numba, ft.fit_numpy], ids=["numba", "numpy"])
@pytest.mark.parametrize("change, complaint", [
    (dict(optimizer="rmsprop"), "optimizer must be one of"),
    (dict(activations=["tanh"]), "activations must be a list of 2 names"),
    (dict(activations=["swish", "identity"]), "activations must be a list of 2 names"),
    (dict(X=np.zeros((45, 2))), "X must have shape (n_samples, 3)"),
    (dict(batch_size=46), "batch_size=46 is larger than the data set"),
    (dict(epochs=0), "epochs must be a whole number >= 1"),
    (dict(momentum=1.0), "momentum must be in [0, 1)"),
    (dict(learning_rate=-0.1), "learning_rate must be positive"),
    (dict(rng=0), "rng must be a numpy.random.Generator"),
    (dict(params=[(np.zeros((3, 5)), np.zeros(5)), (np.zeros((4, 2)), np.zeros(2))]),
     "layer 2's W has shape (4, 2), so it reads 4 inputs, but layer 1 outputs 5"),
])
def test_bad_arguments_are_refused_with_a_message(fit, change, complaint):
    sizes = [3, 5, 2]
    X, Y = data(sizes)
    arguments = dict(params=network(sizes), activations=["tanh", "identity"], X=X, Y=Y,
                     epochs=2, batch_size=16, rng=np.random.default_rng(0))
    arguments.update(change)
    with pytest.raises((TypeError, ValueError), match=r"^fit_num(ba|py): ") as raised:
        fit(**arguments)
    assert complaint in str(raised.value)


@pytest.mark.parametrize("fit", [ft.fit_numba, ft.fit_numpy], ids=["numba", "numpy"])
def test_divergence_raises_floating_point_error_naming_the_epoch(fit):
    sizes = [3, 5, 2]
    X, Y = data(sizes)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="in epoch"):
        fit(network(sizes), ["relu", "identity"], X, 1e6 * Y, epochs=30, batch_size=5,
            rng=np.random.default_rng(0), optimizer="sgd", learning_rate=10.0)


def test_importing_compiles_nothing():
    script = ("import numba.core.registry as r\n"
              "from nnlings.solutions import fast_training as ft\n"
              "jitted = [f for f in vars(ft).values() if isinstance(f, r.CPUDispatcher)]\n"
              "assert len(jitted) > 10 and not any(f.signatures for f in jitted)\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


@pytest.mark.parametrize("setting", ["NUMBA_NUM_THREADS=1", "NUMBA_THREADING_LAYER=workqueue"])
def test_two_cores_only_where_a_parallel_loop_starts_cheaply(setting):
    """One thread, or numba's own workqueue layer (about 100 µs to start a parallel loop, more
    than a wide step): the wide step stays on one core."""
    name, value = setting.split("=")
    script = ("from nnlings.solutions import fast_training as ft\n"
              "assert ft.two_cores_pay_off() is False\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120,
                   env=dict(os.environ, **{name: value}))
