# This file is yours: fill in every `raise NotImplementedError`.
# It was generated from solutions/unit03_layers.py by `python -m nnlings.grader.generate`.
"""Unit 3 — Layers and the forward pass: many neurons side by side, then layer after layer.

A dense (fully connected) layer is n_out neurons that all read the same n_in inputs. Stack their
weight vectors as the columns of W, shape (n_in, n_out), and their biases into b, shape (n_out,);
then one matrix product computes every neuron for every sample of a batch at once:

    Z = X @ W + b,    X: (n_samples, n_in)  →  Z: (n_samples, n_out).

This is the layout Keras' get_weights() shows. A network applies layers in turn, each followed by
its activation: A_0 = X, and for layer l = 1..L, Z_l = A_(l−1) @ W_l + b_l, A_l = f_l(Z_l). The
network's output is A_L. Counting layers, the input is not a layer: a "2-layer" net has one
hidden layer and one output layer.

The first lines of each function (before the part you write) check the arguments and turn the
arrays into float64 (the checks are in `exercises/checks.py`), so inside your part every X,
W and b is a NumPy array of matching shape.
"""
import numpy as np

from nnlings.exercises.checks import as_array, layer_pair, layer_pairs


def dense_forward(X, W, b):
    """One dense layer over a batch: Z = X @ W + b.

    X: (n_samples, n_in), one sample per row.
    W: (n_in, n_out), column k holds the weights of neuron k.
    b: (n_out,), one bias per neuron, added to every row.
    Returns Z: (n_samples, n_out) float64, Z[i, k] = Σ_j X[i, j]·W[j, k] + b[k].
    """
    X = as_array("dense_forward", "X", X, ("n_samples", "n_in"))
    W, b = layer_pair("dense_forward", W, b)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"dense_forward: X has {X.shape[1]} features but W expects "
                         f"{W.shape[0]} (W has shape {W.shape})")
    raise NotImplementedError(
        'Exercise 3.1 (dense_forward) is not implemented yet. Run `nnlings hint 3.1` for a hint.'
    )


def mlp_forward(X, params, activations):
    """The forward pass of a multi-layer network, keeping what backpropagation will need.

    X: (n_samples, n_in). params: a list of (W, b) pairs, one per layer, in order.
    activations: a list of the same length; activations[l] is the function applied after
    layer l (np.tanh, a ReLU, or the identity `lambda z: z` for a linear output layer).

    For each layer, in order: A_prev is the layer's input (X for the first layer, the previous
    layer's activated output after that); Z = A_prev @ W + b; the next input is f(Z).

    Returns (output, cache):
      output: the last layer's activated output, shape (n_samples, n_out of the last layer);
      cache: a list with one (A_prev, Z) tuple per layer — the layer's input and its
             pre-activation, before f. Unit 5's backward pass reads it, last layer first.
    Every layer, the last included, applies its own activation exactly once.
    """
    X = as_array("mlp_forward", "X", X, ("n_samples", "n_in"))
    params = layer_pairs("mlp_forward", params)
    if (not isinstance(activations, (list, tuple)) or len(activations) != len(params)
            or not all(callable(f) for f in activations)):
        raise TypeError(f"mlp_forward: activations must be a list with one function per "
                        f"layer ({len(params)} here), got {activations!r}")
    if X.shape[1] != params[0][0].shape[0]:
        raise ValueError(f"mlp_forward: X has {X.shape[1]} features but the first layer's W "
                         f"expects {params[0][0].shape[0]} (W has shape {params[0][0].shape})")
    raise NotImplementedError(
        'Exercise 3.2 (mlp_forward) is not implemented yet. Run `nnlings hint 3.2` for a hint.'
    )


def count_parameters(layer_sizes):
    """The number of learnable parameters of a dense network, as a Python int.

    layer_sizes: the width of each layer from the input on, e.g. [3, 4, 2] is 3 inputs, a hidden
    layer of 4 neurons and 2 outputs. Each pair of neighbouring sizes (n_in, n_out) is one dense
    layer, with the W and b of the convention above; the input has no parameters of its own.
    Check yourself on CS231n's examples: a 3-4-2 net has 26 parameters, a 3-4-4-1 net has 41.
    """
    if isinstance(layer_sizes, (str, bytes)) or np.ndim(layer_sizes) != 1:
        raise TypeError(f"count_parameters: layer_sizes must be a list of layer widths, "
                        f"got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(f"count_parameters: layer_sizes needs the input width and at least one "
                         f"layer, got {list(layer_sizes)}")
    for size in layer_sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"count_parameters: layer widths must be whole numbers, got {size!r}")
        if size < 1:
            raise ValueError(f"count_parameters: layer widths must be at least 1, got {size}")
    raise NotImplementedError(
        'Exercise 3.3 (count_parameters) is not implemented yet. Run `nnlings hint 3.3` for a hint.'
    )


def collapse_linear(params):
    """The single affine map (W, b) that a stack of linear layers (no activations) computes.

    params: a list of (W, b) pairs, as for mlp_forward. Returns (W, b) with W of shape
    (n_in of the first layer, n_out of the last) and b of shape (n_out of the last,), such that
    X @ W + b equals the stack's output for every X.

    Work it out for two layers first: substitute the first layer's output into the second and
    read off the new weights and bias; then fold in one layer at a time. However many linear
    layers are stacked, the result is one layer: depth without nonlinearity adds nothing.
    Do not modify the arrays in params.
    """
    params = layer_pairs("collapse_linear", params)
    raise NotImplementedError(
        'Exercise 3.4 (collapse_linear) is not implemented yet. Run `nnlings hint 3.4` for a hint.'
    )
