"""Unit 3 mistakes: dense layers, the forward pass and its cache, counting, collapsing."""
import numpy as np

from . import Mistake


def _dense_transposed_W(X, W, b):
    return X @ W.T + b


def _dense_W_before_X(X, W, b):
    return W.T @ X.T + b[:, None]


def _dense_bias_per_sample(X, W, b):
    return X @ W + b[:, None]


def _dense_without_bias(X, W, b):
    return X @ W


def _forward(X, params, activations, store):
    """A forward pass whose cache entry for each layer is `store(A_prev, Z, A)`."""
    cache, A = [], X
    for (W, b), f in zip(params, activations):
        Z = A @ W + b
        A_next = f(Z)
        cache.append(store(A, Z, A_next))
        A = A_next
    return A, cache


def _mlp_last_layer_linear(X, params, activations):
    cache, A = [], X
    for layer, ((W, b), f) in enumerate(zip(params, activations)):
        Z = A @ W + b
        cache.append((A, Z))
        A = Z if layer == len(params) - 1 else f(Z)
    return A, cache


def _mlp_last_activation_twice(X, params, activations):
    A, cache = _forward(X, params, activations, lambda A_prev, Z, A: (A_prev, Z))
    return activations[-1](A), cache


def _mlp_caches_activation(X, params, activations):
    return _forward(X, params, activations, lambda A_prev, Z, A: (A_prev, A))


def _mlp_caches_own_output_as_input(X, params, activations):
    return _forward(X, params, activations, lambda A_prev, Z, A: (A, Z))


def _mlp_activations_reversed(X, params, activations):
    return _forward(X, params, list(activations)[::-1], lambda A_prev, Z, A: (A_prev, Z))


def _mlp_first_activation_everywhere(X, params, activations):
    return _forward(X, params, [activations[0]] * len(params), lambda A_prev, Z, A: (A_prev, Z))


def _count_input_layer_too(layer_sizes):
    weights = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    return int(weights + sum(layer_sizes))


def _count_weights_only(layer_sizes):
    return int(sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])))


def _count_bias_per_input(layer_sizes):
    return int(sum(a * b + a for a, b in zip(layer_sizes[:-1], layer_sizes[1:])))


def _count_without_last_layer(layer_sizes):
    return int(sum(layer_sizes[i] * layer_sizes[i + 1] + layer_sizes[i + 1]
                   for i in range(len(layer_sizes) - 2)))


def _count_neurons(layer_sizes):
    return int(sum(layer_sizes[1:]))


def _collapse_biases_added(params):
    W, b = params[0]
    for W_layer, b_layer in params[1:]:
        W, b = W @ W_layer, b + b_layer
    return W, b


def _collapse_reversed_product(params):
    W, b = params[0]
    for W_layer, b_layer in params[1:]:
        W, b = W_layer @ W, b @ W_layer + b_layer
    return W, b


def _collapse_last_bias_only(params):
    W = params[0][0]
    for W_layer, _ in params[1:]:
        W = W @ W_layer
    return W, params[-1][1]


def _collapse_first_bias_lost(params):
    W, b = params[0][0], np.zeros(params[0][0].shape[1])
    for W_layer, b_layer in params[1:]:
        W, b = W @ W_layer, b @ W_layer + b_layer
    return W, b


MISTAKES = (
    Mistake("3.1", "dense_forward", "X @ W.T: the weights transposed",
            "W has shape (n_in, n_out) already, so Z = X @ W with no transpose.", 2,
            _dense_transposed_W),
    Mistake("3.1", "dense_forward", "W.T @ X.T: one column per sample",
            "In this kit a batch is rows: Z = X @ W has one row per sample.", 2,
            _dense_W_before_X),
    Mistake("3.1", "dense_forward", "b added per sample instead of per neuron",
            "b[k] belongs to neuron k, a column of Z: add b of shape (n_out,) as it is and "
            "broadcasting adds it to every row.", 2, _dense_bias_per_sample),
    Mistake("3.1", "dense_forward", "the bias is left out",
            "Z = X @ W + b: every neuron adds its bias.", 1, _dense_without_bias),
    Mistake("3.2", "mlp_forward", "no activation on the last layer",
            "Every layer applies its own activation, the last one too; pass the identity for "
            "a linear output.", 2, _mlp_last_layer_linear),
    Mistake("3.2", "mlp_forward", "the last activation applied twice",
            "After the loop the output is already f(Z) of the last layer; do not apply f again.",
            2, _mlp_last_activation_twice),
    Mistake("3.2", "mlp_forward", "cache holds f(Z) instead of Z",
            "The backward pass needs the pre-activation Z (to evaluate f' at it): cache (A_prev, "
            "Z), not the activated output.", 2, _mlp_caches_activation),
    Mistake("3.2", "mlp_forward", "cache holds the layer's output as A_prev",
            "A_prev is the layer's input: append (A, Z) before A is overwritten by f(Z).", 2,
            _mlp_caches_own_output_as_input),
    Mistake("3.2", "mlp_forward", "activations used in reverse order",
            "activations[l] belongs to layer l: zip(params, activations) pairs them.", 2,
            _mlp_activations_reversed),
    Mistake("3.2", "mlp_forward", "activations[0] used in every layer",
            "Each layer has its own activation: take activations[l] for layer l (zip(params, "
            "activations) pairs them), not the first one every time.", 2,
            _mlp_first_activation_everywhere),
    Mistake("3.3", "count_parameters", "the input layer counted as having biases",
            "Only the layers after the input have biases: one per neuron of each later layer.",
            2, _count_input_layer_too),
    Mistake("3.3", "count_parameters", "the biases are forgotten",
            "Every neuron has a bias: add n_out per layer to its n_in·n_out weights.", 1,
            _count_weights_only),
    Mistake("3.3", "count_parameters", "one bias per input instead of per output",
            "b has one entry per neuron of the layer, n_out of them.", 2, _count_bias_per_input),
    Mistake("3.3", "count_parameters", "the last layer is left out",
            "A list of k sizes describes k − 1 layers: pair every size with the next one, "
            "e.g. zip(layer_sizes[:-1], layer_sizes[1:]).", 2, _count_without_last_layer),
    Mistake("3.3", "count_parameters", "counts neurons, not parameters",
            "Each neuron has a weight for every input plus a bias.", 1, _count_neurons),
    Mistake("3.4", "collapse_linear", "biases added up instead of propagated",
            "b1 passes through the next layer: b = b1 @ W2 + b2, not b1 + b2.", 2,
            _collapse_biases_added),
    Mistake("3.4", "collapse_linear", "weights multiplied in reverse order",
            "X meets W1 first: the product is W1 @ W2 @ ... @ WL.", 2,
            _collapse_reversed_product),
    Mistake("3.4", "collapse_linear", "keeps only the last layer's bias",
            "Earlier biases also reach the output, through the later weights.", 2,
            _collapse_last_bias_only),
    Mistake("3.4", "collapse_linear", "the first layer's bias is dropped",
            "Start the running bias from b1, or from zeros before the first layer, so that b1 "
            "is carried through W2, W3, ...", 2, _collapse_first_bias_lost),
)
