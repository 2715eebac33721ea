# This file is yours: fill in every `raise NotImplementedError`.
# It was generated from solutions/unit02_activations.py by `python -m nnlings.grader.generate`.
"""Unit 2 — Activations: the nonlinearities that let a network bend, and their derivatives.

Every function here is elementwise: it takes an array of pre-activations ``x`` of any shape and
returns a float64 array of the same shape. Each activation ``f`` comes with ``f_grad``, its
derivative f'(x) evaluated at the same pre-activation ``x``. Where f has a kink, f_grad returns
the left derivative (so ReLU'(0) = 0), as PyTorch does.

Never modify ``x`` in place: the caller may still need it (backpropagation does).
"""
import numpy as np


def identity(x):
    """f(x) = x, the activation of a linear neuron."""
    raise NotImplementedError(
        'Exercise 2.1 (identity) is not implemented yet. Run `nnlings hint 2.1` for a hint.'
    )


def identity_grad(x):
    """The derivative of the identity at every entry of x."""
    raise NotImplementedError(
        'Exercise 2.1 (identity_grad) is not implemented yet. Run `nnlings hint 2.1` for a hint.'
    )


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(-x)), squashing any real number into (0, 1).

    Must not overflow for any float64 input (|x| up to 1e308): e^(-x), written as it stands,
    overflows for x < -709, so find a form of σ that only ever exponentiates a number ≤ 0.
    """
    raise NotImplementedError(
        'Exercise 2.2 (sigmoid) is not implemented yet. Run `nnlings hint 2.2` for a hint.'
    )


def sigmoid_grad(x):
    """σ'(x), the derivative of the sigmoid, at every entry of x.

    Differentiate σ(x) = 1 / (1 + e^(-x)) on paper: the result can be written with σ(x) alone,
    which reuses your overflow-free sigmoid. Check your formula: its largest value is 1/4.
    """
    raise NotImplementedError(
        'Exercise 2.2 (sigmoid_grad) is not implemented yet. Run `nnlings hint 2.2` for a hint.'
    )


def tanh(x):
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) = 2σ(2x) − 1, a zero-centred sigmoid in (−1, 1)."""
    raise NotImplementedError(
        'Exercise 2.3 (tanh) is not implemented yet. Run `nnlings hint 2.3` for a hint.'
    )


def tanh_grad(x):
    """tanh'(x), the derivative of tanh, at every entry of x.

    Like the sigmoid's, it can be written with the activation itself; derive it from the
    definition of tanh (its value at 0 is 1).
    """
    raise NotImplementedError(
        'Exercise 2.3 (tanh_grad) is not implemented yet. Run `nnlings hint 2.3` for a hint.'
    )


def relu(x):
    """ReLU(x) = max(0, x)."""
    raise NotImplementedError(
        'Exercise 2.4 (relu) is not implemented yet. Run `nnlings hint 2.4` for a hint.'
    )


def relu_grad(x):
    """ReLU'(x), the slope of ReLU at every entry of x; at the kink x = 0, the left slope."""
    raise NotImplementedError(
        'Exercise 2.4 (relu_grad) is not implemented yet. Run `nnlings hint 2.4` for a hint.'
    )


def leaky_relu(x, alpha=0.01):
    """LeakyReLU(x) = x for x > 0, else αx: a small slope keeps negative units alive."""
    raise NotImplementedError(
        'Exercise 2.5 (leaky_relu) is not implemented yet. Run `nnlings hint 2.5` for a hint.'
    )


def leaky_relu_grad(x, alpha=0.01):
    """LeakyReLU'(x), its slope at every entry of x; at the kink x = 0, the left slope."""
    raise NotImplementedError(
        'Exercise 2.5 (leaky_relu_grad) is not implemented yet. Run `nnlings hint 2.5` for a hint.'
    )


def softplus(x):
    """softplus(x) = ln(1 + e^x), a smooth ReLU. Must not overflow for any x (e^x does for
    x > 709, while softplus(x) itself stays finite)."""
    raise NotImplementedError(
        'Exercise 2.6 (softplus) is not implemented yet. Run `nnlings hint 2.6` for a hint.'
    )


def softplus_grad(x):
    """softplus'(x), the derivative of softplus, at every entry of x.

    Differentiate ln(1 + e^x) and look at what you get: you have met it before in this unit.
    """
    raise NotImplementedError(
        'Exercise 2.6 (softplus_grad) is not implemented yet. Run `nnlings hint 2.6` for a hint.'
    )


def elu(x, alpha=1.0):
    """ELU(x) = x for x > 0, else α(e^x − 1). Must not overflow for large positive x."""
    raise NotImplementedError(
        'Exercise 2.7 (elu) is not implemented yet. Run `nnlings hint 2.7` for a hint.'
    )


def elu_grad(x, alpha=1.0):
    """ELU'(x), its slope at every entry of x; at the kink x = 0, the left slope. Must not
    overflow for large positive x."""
    raise NotImplementedError(
        'Exercise 2.7 (elu_grad) is not implemented yet. Run `nnlings hint 2.7` for a hint.'
    )


def maxout(z):
    """Maxout over k linear pieces: the largest entry along the last axis.

    A maxout unit computes k affine functions of its input, z_j = w_jᵀx + b_j, and outputs
    max_j z_j. Here ``z`` holds the pieces: shape (..., k) in, shape (...) out. With the pieces
    (z, 0) maxout is ReLU; with (z, αz) it is Leaky ReLU.
    """
    raise NotImplementedError(
        'Exercise 2.8 (maxout) is not implemented yet. Run `nnlings hint 2.8` for a hint.'
    )


def maxout_grad(z):
    """∂maxout/∂z: shape (..., k), the derivative of each unit's output with respect to each
    of its k pieces.

    Ask how the output moves when one piece moves a little. On a tie, count only the first of
    the tied pieces as the maximum (the one np.argmax picks).
    """
    raise NotImplementedError(
        'Exercise 2.8 (maxout_grad) is not implemented yet. Run `nnlings hint 2.8` for a hint.'
    )


# name -> (activation, derivative), for the units that take an activation as an argument.
ACTIVATIONS = {
    "identity": (identity, identity_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "softplus": (softplus, softplus_grad),
    "elu": (elu, elu_grad),
}
