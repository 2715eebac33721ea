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
    ### BEGIN SOLUTION
    return np.array(x, dtype=np.float64)
    ### END SOLUTION


def identity_grad(x):
    """The derivative of the identity at every entry of x."""
    ### BEGIN SOLUTION
    return np.ones_like(x, dtype=np.float64)
    ### END SOLUTION


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(-x)), squashing any real number into (0, 1).

    Must not overflow for any float64 input (|x| up to 1e308): e^(-x), written as it stands,
    overflows for x < -709, so find a form of σ that only ever exponentiates a number ≤ 0.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


def sigmoid_grad(x):
    """σ'(x), the derivative of the sigmoid, at every entry of x.

    Differentiate σ(x) = 1 / (1 + e^(-x)) on paper: the result can be written with σ(x) alone,
    which reuses your overflow-free sigmoid. Check your formula: its largest value is 1/4.
    """
    ### BEGIN SOLUTION
    s = sigmoid(x)
    return s * (1.0 - s)
    ### END SOLUTION


def tanh(x):
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) = 2σ(2x) − 1, a zero-centred sigmoid in (−1, 1)."""
    ### BEGIN SOLUTION
    return np.tanh(np.asarray(x, dtype=np.float64))
    ### END SOLUTION


def tanh_grad(x):
    """tanh'(x), the derivative of tanh, at every entry of x.

    Like the sigmoid's, it can be written with the activation itself; derive it from the
    definition of tanh (its value at 0 is 1).
    """
    ### BEGIN SOLUTION
    return 1.0 - np.tanh(np.asarray(x, dtype=np.float64)) ** 2
    ### END SOLUTION


def relu(x):
    """ReLU(x) = max(0, x)."""
    ### BEGIN SOLUTION
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    ### END SOLUTION


def relu_grad(x):
    """ReLU'(x), the slope of ReLU at every entry of x; at the kink x = 0, the left slope."""
    ### BEGIN SOLUTION
    return (np.asarray(x) > 0).astype(np.float64)
    ### END SOLUTION


def leaky_relu(x, alpha=0.01):
    """LeakyReLU(x) = x for x > 0, else αx: a small slope keeps negative units alive."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * x)
    ### END SOLUTION


def leaky_relu_grad(x, alpha=0.01):
    """LeakyReLU'(x), its slope at every entry of x; at the kink x = 0, the left slope."""
    ### BEGIN SOLUTION
    return np.where(np.asarray(x) > 0, 1.0, alpha)
    ### END SOLUTION


def softplus(x):
    """softplus(x) = ln(1 + e^x), a smooth ReLU. Must not overflow for any x (e^x does for
    x > 709, while softplus(x) itself stays finite)."""
    ### BEGIN SOLUTION
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))
    ### END SOLUTION


def softplus_grad(x):
    """softplus'(x), the derivative of softplus, at every entry of x.

    Differentiate ln(1 + e^x) and look at what you get: you have met it before in this unit.
    """
    ### BEGIN SOLUTION
    return sigmoid(x)
    ### END SOLUTION


def elu(x, alpha=1.0):
    """ELU(x) = x for x > 0, else α(e^x − 1). Must not overflow for large positive x."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    ### END SOLUTION


def elu_grad(x, alpha=1.0):
    """ELU'(x), its slope at every entry of x; at the kink x = 0, the left slope. Must not
    overflow for large positive x."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
    ### END SOLUTION


def maxout(z):
    """Maxout over k linear pieces: the largest entry along the last axis.

    A maxout unit computes k affine functions of its input, z_j = w_jᵀx + b_j, and outputs
    max_j z_j. Here ``z`` holds the pieces: shape (..., k) in, shape (...) out. With the pieces
    (z, 0) maxout is ReLU; with (z, αz) it is Leaky ReLU.
    """
    ### BEGIN SOLUTION
    return np.max(np.asarray(z, dtype=np.float64), axis=-1)
    ### END SOLUTION


def maxout_grad(z):
    """∂maxout/∂z: shape (..., k), the derivative of each unit's output with respect to each
    of its k pieces.

    Ask how the output moves when one piece moves a little. On a tie, count only the first of
    the tied pieces as the maximum (the one np.argmax picks).
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    winner = np.argmax(z, axis=-1)[..., np.newaxis]
    grad = np.zeros_like(z)
    np.put_along_axis(grad, winner, 1.0, axis=-1)
    return grad
    ### END SOLUTION


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
