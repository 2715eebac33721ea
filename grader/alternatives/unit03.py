"""Unit 3 right answers: the dense layer, the cached forward pass, counting, collapsing."""
import functools

import numpy as np

from . import Alternative


# 3.1 dense_forward ------------------------------------------------------------------------------

def _dense_einsum(X, W, b):
    return np.einsum("ij,jk->ik", X, W) + b


def _dense_matmul_bias_row(X, W, b):
    return np.matmul(X, W) + b[np.newaxis, :]


def _dense_row_loop(X, W, b):
    return np.array([x.dot(W) + b for x in X]).reshape(X.shape[0], W.shape[1])


# 3.2 mlp_forward --------------------------------------------------------------------------------

def _forward_with_np_dot(X, params, activations):
    cache, A = [], X
    for layer in range(len(params)):
        W, b = params[layer]
        Z = np.dot(A, W) + b
        cache.append((A, Z))
        A = activations[layer](Z)
    return A, cache


def _forward_two_lists(X, params, activations):
    inputs, pre_activations = [X], []
    for (W, b), f in zip(params, activations):
        pre_activations.append(inputs[-1] @ W + b)
        inputs.append(f(pre_activations[-1]))
    return inputs[-1], list(zip(inputs[:-1], pre_activations))


def _forward_recursive(X, params, activations):
    if not params:
        return X, []
    (W, b), f = params[0], activations[0]
    Z = np.einsum("ij,jk->ik", X, W) + b
    output, rest = _forward_recursive(f(Z), params[1:], activations[1:])
    return output, [(X, Z)] + rest


# 3.3 count_parameters ---------------------------------------------------------------------------

def _count_with_a_loop(layer_sizes):
    total = 0
    for i in range(len(layer_sizes) - 1):
        total += (layer_sizes[i] + 1) * layer_sizes[i + 1]   # weights and one bias per neuron
    return int(total)


def _count_with_numpy(layer_sizes):
    sizes = np.array(layer_sizes, dtype=np.int64)
    return int(np.sum(sizes[:-1] * sizes[1:]) + np.sum(sizes[1:]))


def _count_weights_then_biases(layer_sizes):
    weights = sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))
    biases = sum(layer_sizes[1:])
    return int(weights + biases)


# 3.4 collapse_linear ----------------------------------------------------------------------------

def _collapse_from_the_first_layer(params):
    W, b = params[0][0].copy(), params[0][1].copy()
    for W_next, b_next in params[1:]:
        b = b @ W_next + b_next
        W = W @ W_next
    return W, b


def _collapse_by_reduce(params):
    def compose(first, second):
        (W1, b1), (W2, b2) = first, second
        return np.dot(W1, W2), np.dot(b1, W2) + b2
    return functools.reduce(compose, params)


def _collapse_by_probing(params):
    """Push the identity and the zero vector through the stack: X @ W + b at X = I and X = 0."""
    n_in = params[0][0].shape[0]
    probes = np.vstack([np.zeros((1, n_in)), np.eye(n_in)])
    for W, b in params:
        probes = probes @ W + b
    b = probes[0]
    return probes[1:] - b, b.copy()


ALTERNATIVES = [
    Alternative("3.1", "dense_forward", "np.einsum", _dense_einsum),
    Alternative("3.1", "dense_forward", "np.matmul and a bias row", _dense_matmul_bias_row),
    Alternative("3.1", "dense_forward", "a loop over the rows", _dense_row_loop),
    Alternative("3.2", "mlp_forward", "np.dot, indexed layers", _forward_with_np_dot),
    Alternative("3.2", "mlp_forward", "two lists zipped at the end", _forward_two_lists),
    Alternative("3.2", "mlp_forward", "recursion over the layers", _forward_recursive),
    Alternative("3.3", "count_parameters", "a loop, (n_in + 1)·n_out", _count_with_a_loop),
    Alternative("3.3", "count_parameters", "NumPy arrays", _count_with_numpy),
    Alternative("3.3", "count_parameters", "weights, then biases", _count_weights_then_biases),
    Alternative("3.4", "collapse_linear", "from the first layer on",
                _collapse_from_the_first_layer),
    Alternative("3.4", "collapse_linear", "functools.reduce", _collapse_by_reduce),
    Alternative("3.4", "collapse_linear", "probing with I and 0", _collapse_by_probing),
]
