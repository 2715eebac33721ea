"""Graded tests for unit 3 — Layers and the forward pass.

Besides agreeing with the reference, each function is checked against something that does not
use it: a neuron-by-neuron einsum and loop, a forward pass written out here, CS231n's parameter
counts and the sizes of the arrays a network really holds, and the stack of linear layers itself.
"""
import numpy as np

import nnlings.solutions.unit03_layers as reference
from nnlings.grader.cases import case_rng, sample_arrays
from nnlings.grader.expect import (GradedFailure, describe, expect, expect_array, expect_scalar,
                                    known_mistake, mistake_text, observe, run_each,
                                    settle, unpack)
from nnlings.grader.graded import graded


# Activations written here, so that this unit does not depend on unit 2.
def tanh(z):
    return np.tanh(z)


def relu(z):
    return 0.5 * (z + np.abs(z))


def logistic(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def identity(z):
    return z


# (layer sizes, activation of each layer): the article's 1-5-1 nets, CS231n's 3-4-2, the XOR
# 2-3-2 net, a deeper net, a single layer, and a square net where every shape lines up.
NETWORKS = [
    ([1, 5, 1], [relu, identity]),
    ([3, 4, 2], [tanh, logistic]),
    ([2, 3, 2], [logistic, logistic]),
    ([4, 6, 6, 3], [relu, tanh, logistic]),
    ([5, 3], [tanh]),
    ([3, 3, 3, 3], [tanh, relu, logistic]),
]


def random_layers(rng, sizes, strided=False):
    """One (W, b) pair per layer; with `strided`, every W is a transposed (non-contiguous) view."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = (rng.normal(0.0, 1.0, (n_out, n_in)).T if strided
             else rng.normal(0.0, 1.0, (n_in, n_out)))
        layers.append((W, rng.normal(0.0, 0.5, n_out)))
    return layers


def batches(rng, n_in):
    """Batches of n_in features: one sample, several, and a strided slice."""
    yield rng.normal(0.0, 1.5, (1, n_in))
    yield rng.normal(0.0, 1.5, (7, n_in))
    yield rng.normal(0.0, 1.5, (12, 2 * n_in))[::3, ::2]


def dense_cases(seed):
    """(X, W, b) for many shapes, including batch size 1 and non-contiguous X and W."""
    rng = case_rng(seed)
    # First a square case, where a transposed W or a bias on the wrong axis gives wrong numbers
    # rather than a shape error.
    yield rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), np.array([1.0, -2.0, 3.0])
    for X in sample_arrays(seed):
        if X.ndim != 2:
            continue
        for n_out in (1, 4):
            for strided in (False, True):
                (W, b), = random_layers(rng, [X.shape[1], n_out], strided)
                yield X, W, b


def expect_unchanged(exercise, function, arrays, originals):
    for array, original in zip(arrays, originals):
        expect(np.array_equal(array, original), exercise,
               f"{function} changed an array it was given. Build new arrays instead of "
               "assigning into the arguments (b += ..., A[...] = ...).")


def copies(params):
    return [(W.copy(), b.copy()) for W, b in params]


# 3.1 a dense layer ----------------------------------------------------------------------------

@graded("3.1", points=1)
def test_dense_forward_matches_the_reference(impl):
    for X, W, b in dense_cases(310):
        before = X.copy(), W.copy(), b.copy()
        got = impl.dense_forward(X, W, b)
        expect_unchanged("3.1", "dense_forward", (X, W, b), before)
        expect_array(got, reference.dense_forward(X, W, b), exercise="3.1",
                     function="dense_forward", args=(X, W, b))


@graded("3.1", points=1)
def test_dense_forward_computes_every_neuron_for_every_sample(impl):
    X = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 1.0]])
    b = np.array([0.0, 10.0, -1.0])
    expect_array(impl.dense_forward(X, W, b), [[2.0, 8.0, 3.0], [-0.5, 11.0, -2.0]],
                 exercise="3.1", function="dense_forward", args=(X, W, b), rtol=1e-15, atol=0.0)
    for X, W, b in dense_cases(311):
        neurons = np.empty((X.shape[0], W.shape[1]))
        for i in range(X.shape[0]):
            for k in range(W.shape[1]):
                neurons[i, k] = sum(float(X[i, j]) * float(W[j, k])
                                    for j in range(X.shape[1])) + b[k]
        expect_array(impl.dense_forward(X, W, b), neurons, exercise="3.1",
                     function="dense_forward", args=(X, W, b), rtol=1e-12, atol=1e-12)
        expect_array(impl.dense_forward(X, W, b), np.einsum("ij,jk->ik", X, W) + b,
                     exercise="3.1", function="dense_forward", args=(X, W, b),
                     rtol=1e-12, atol=1e-12)


# 3.2 the forward pass -------------------------------------------------------------------------

def forward_by_hand(X, params, activations):
    """The forward pass written out: (output, [(A_prev, Z) per layer])."""
    A, cache = X, []
    for (W, b), f in zip(params, activations):
        Z = np.einsum("ij,jk->ik", A, W) + b
        cache.append((A, Z))
        A = f(Z)
    return A, cache


def mlp_cases(seed):
    rng = case_rng(seed)
    for sizes, activations in NETWORKS:
        for strided in (False, True):
            params = random_layers(rng, sizes, strided)
            for X in batches(rng, sizes[0]):
                yield X, params, activations


def unpack_forward(got):
    """mlp_forward's (output, cache), with a clear message when the two come back swapped."""
    output, cache = unpack(got, 2, exercise="3.2", function="mlp_forward",
                           names=("output", "cache"))
    expect(not (isinstance(output, (list, tuple)) and isinstance(cache, np.ndarray)), "3.2",
           "mlp_forward returned (cache, output); return them the other way round: "
           "(output, cache).")
    return output, cache


def cache_mistake_note(args, layer, part, got):
    """Name the catalogued mistake whose cache entry `cache[layer][part]` equals `got` (and
    that explains every other result this test saw)."""
    mistake = known_mistake("3.2", "mlp_forward", args, got, part=(1, layer, part))
    return mistake_text("3.2", mistake) if mistake is not None else ""


def forward_results(impl, cases):
    """mlp_forward on every case, each checked for changed inputs and unpacked, all before any
    value is compared, so that a mistake is named only if it explains every result."""
    def call(args):
        X, params, activations = args
        before, X_before = copies(params), X.copy()
        got = impl.mlp_forward(X, params, activations)
        expect_unchanged("3.2", "mlp_forward", (X,), (X_before,))
        for (W, b), (W0, b0) in zip(params, before):
            expect_unchanged("3.2", "mlp_forward", (W, b), (W0, b0))
        output, cache = unpack_forward(got)
        observe("3.2", "mlp_forward", args, (output, cache))
        return output, cache
    return run_each(call, cases)


@graded("3.2", points=1)
def test_mlp_forward_output(impl):
    cases = list(mlp_cases(320))
    for args, result in zip(cases, forward_results(impl, cases)):
        output, _ = settle(result)
        for expected in (forward_by_hand(*args)[0], reference.mlp_forward(*args)[0]):
            expect_array(output, expected, exercise="3.2", function="mlp_forward", args=args,
                         part=0, names=("output", "cache"), rtol=1e-12, atol=1e-12)


@graded("3.2", points=1)
def test_mlp_forward_cache_holds_each_layers_input_and_pre_activation(impl):
    cases = list(mlp_cases(321))
    for args, result in zip(cases, forward_results(impl, cases)):
        output, cache = settle(result)
        X, params, activations = args
        expect(isinstance(cache, (list, tuple)) and len(cache) == len(params), "3.2",
               f"mlp_forward must return as its cache a list of {len(params)} (A_prev, Z) "
               f"tuples, one per layer, for a {len(params)}-layer network; got "
               f"{type(cache).__name__}"
               f"{f' of {len(cache)}' if isinstance(cache, (list, tuple)) else ''}.")
        for layer, (entry, expected) in enumerate(zip(cache, forward_by_hand(*args)[1])):
            entry = unpack(entry, 2, exercise="3.2", function=f"cache[{layer}] of mlp_forward",
                           names=("A_prev", "Z"))
            for part, name in enumerate(("A_prev", "Z")):
                try:
                    expect_array(entry[part], expected[part], exercise="3.2",
                                 function=f"cache[{layer}][{part}] ({name} of layer "
                                          f"{layer + 1}) from mlp_forward",
                                 rtol=1e-12, atol=1e-12)
                except GradedFailure as failure:
                    note = cache_mistake_note(args, layer, part, np.asarray(entry[part]))
                    raise GradedFailure(f"{failure}{note}") from None
        expect_array(output, activations[-1](np.asarray(cache[-1][1])), exercise="3.2",
                     function="mlp_forward's output against activations[-1](cache[-1][1])",
                     rtol=1e-12, atol=1e-12)


# 3.3 counting parameters ----------------------------------------------------------------------

def check_count(impl, layer_sizes, expected):
    got = impl.count_parameters(layer_sizes)
    try:
        expect_scalar(got, expected, exercise="3.3", function="count_parameters",
                      args=(list(layer_sizes),), rtol=0.0, atol=0.0)
    except GradedFailure as failure:
        raise GradedFailure(f"{failure}\n  (layer_sizes was {list(layer_sizes)})") from None
    expect(isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)),
           "3.3", f"count_parameters({list(layer_sizes)}) returned {got!r} of type "
                  f"{type(got).__name__}; a count is a whole number: return an int.")


@graded("3.3", points=1)
def test_count_parameters_of_known_networks(impl):
    check_count(impl, [3, 4, 2], 26)        # CS231n: 20 weights + 6 biases
    check_count(impl, [3, 4, 4, 1], 41)     # CS231n: 32 weights + 9 biases
    check_count(impl, [1, 1], 2)            # the single linear neuron of unit 1
    check_count(impl, [1, 5, 1], 16)        # the article's five hidden neurons
    check_count(impl, [1, 50, 50, 1], 2701)  # the article's two hidden layers of 50
    check_count(impl, (2, 3, 2), 17)        # the XOR network, sizes given as a tuple


@graded("3.3", points=1)
def test_count_parameters_equals_the_size_of_the_arrays(impl):
    rng = case_rng(330)
    for depth in range(1, 6):
        sizes = [int(n) for n in rng.integers(1, 40, depth + 1)]
        arrays = [np.zeros((n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        arrays += [np.zeros(n_out) for n_out in sizes[1:]]
        expected = sum(a.size for a in arrays)
        expect(expected == int(np.dot(np.array(sizes[:-1]) + 1, sizes[1:])), "3.3",
               "the kit's two ways of counting disagree (a bug in the kit, not in your code)")
        check_count(impl, sizes, expected)
        check_count(impl, sizes, reference.count_parameters(sizes))


# 3.4 collapsing linear layers -----------------------------------------------------------------

def linear_stacks(seed):
    """Stacks of 1 to 4 linear layers of equal and of mixed widths (equal widths first, where
    multiplying the weights in the wrong order gives wrong numbers rather than a shape error)."""
    rng = case_rng(seed)
    for sizes in ([3, 3, 3, 3, 3], [3, 2], [1, 5, 1], [4, 6, 2], [2, 3, 5, 4], [5, 1, 4, 2, 3]):
        yield random_layers(rng, sizes, strided=len(sizes) % 2 == 0)


def check_collapsed(got, expected, params):
    W, b = unpack(got, 2, exercise="3.4", function="collapse_linear", names=("W", "b"))
    for part, value in enumerate((W, b)):
        expect_array(value, expected[part], exercise="3.4", function="collapse_linear",
                     args=(params,), part=part, names=("W", "b"), rtol=1e-10, atol=1e-12)


@graded("3.4", points=1)
def test_collapse_linear_by_hand(impl):
    # ((x·2 + 1)·3 + 4)·(−1) + 0.5 = −6x − 6.5
    params = [(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([4.0])),
              (np.array([[-1.0]]), np.array([0.5]))]
    check_collapsed(impl.collapse_linear(params), ([[-6.0]], [-6.5]), params)
    for params in linear_stacks(340):
        check_collapsed(impl.collapse_linear(params), reference.collapse_linear(params), params)


@graded("3.4", points=1)
def test_collapsed_map_equals_the_stack_of_linear_layers(impl):
    rng = case_rng(341)
    for params in linear_stacks(342):
        before = copies(params)
        got = impl.collapse_linear(params)
        for (W, b), (W0, b0) in zip(params, before):
            expect_unchanged("3.4", "collapse_linear", (W, b), (W0, b0))
        W, b = unpack(got, 2, exercise="3.4", function="collapse_linear", names=("W", "b"))
        n_in, n_out = params[0][0].shape[0], params[-1][0].shape[1]
        for name, value, shape in (("W", W, (n_in, n_out)), ("b", b, (n_out,))):
            expect(isinstance(value, np.ndarray) and value.shape == shape, "3.4",
                   f"collapse_linear must return {name} as an array of shape {shape} for a "
                   f"stack from {n_in} inputs to {n_out} outputs; got {describe(value)}.")
        for X in batches(rng, params[0][0].shape[0]):
            stack = X
            for W_layer, b_layer in params:
                stack = stack @ W_layer + b_layer
            expect_array(X @ W + b, stack, exercise="3.4",
                         function=f"X @ W + b, with (W, b) = collapse_linear(list of "
                                  f"{len(params)} layers), against the stack's output on X",
                         rtol=1e-10, atol=1e-12)
