"""Unit 2 mistakes: activation formulas and derivatives as students get them wrong."""
import numpy as np

from . import Mistake


def _identity_grad_is_input(x):
    return np.array(x, dtype=np.float64)


def _identity_grad_scalar(x):
    return 1.0


def _naive_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _sigmoid_as_grad(x):
    return _naive_sigmoid(x)


def _sigmoid_grad_missing_one_minus(x):
    s = _naive_sigmoid(x)
    return s * s


def _tanh_grad_of_input(x):
    return 1.0 - x ** 2


def _tanh_grad_unsquared(x):
    return 1.0 - np.tanh(x)


def _relu_in_place(x):
    x[x < 0] = 0
    return x


def _relu_grad_at_zero_is_one(x):
    return (x >= 0).astype(np.float64)


def _relu_grad_is_relu(x):
    return np.maximum(x, 0.0)


def _leaky_hardcoded_alpha(x, alpha=0.01):
    return np.where(x > 0, x, 0.01 * x)


def _leaky_grad_zero_left(x, alpha=0.01):
    return (x > 0).astype(np.float64)


def _leaky_grad_at_zero_is_one(x, alpha=0.01):
    return np.where(x >= 0, 1.0, alpha)


def _softplus_naive(x):
    return np.log(1.0 + np.exp(x))


def _softplus_grad_exp(x):
    return np.exp(x) / (1.0 + np.exp(x)) ** 2


def _elu_no_minus_one(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0.0)))


def _elu_grad_without_alpha(x, alpha=1.0):
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))


def _elu_grad_kink_on_the_right(x, alpha=1.0):
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _maxout_wrong_axis(z):
    return np.max(z, axis=0)


def _maxout_grad_every_max(z):
    return (z == np.max(z, axis=-1, keepdims=True)).astype(np.float64)


MISTAKES = (
    Mistake("2.1", "identity_grad", "returns x instead of the slope",
            "The slope of f(x) = x is 1 at every x.", 2, _identity_grad_is_input),
    Mistake("2.1", "identity_grad", "returns the number 1",
            "A derivative array has the shape of x: one slope per entry.", 2,
            _identity_grad_scalar,
            says='returned a single number'),
    Mistake("2.2", "sigmoid", "1 / (1 + exp(-x)) overflows",
            "np.exp(-x) overflows for x < -709 and NumPy warns; only exponentiate -|x|.",
            2, _naive_sigmoid),
    Mistake("2.2", "sigmoid_grad", "σ(x) instead of σ(x)(1 − σ(x))",
            "The derivative of the sigmoid is not the sigmoid itself.", 2, _sigmoid_as_grad),
    Mistake("2.2", "sigmoid_grad", "σ(x)·σ(x) instead of σ(x)(1 − σ(x))",
            "The second factor is (1 − σ(x)).", 2, _sigmoid_grad_missing_one_minus),
    Mistake("2.3", "tanh_grad", "1 − x² instead of 1 − tanh²(x)",
            "Square the activation tanh(x), not the input x.", 2, _tanh_grad_of_input),
    Mistake("2.3", "tanh_grad", "1 − tanh(x) instead of 1 − tanh²(x)",
            "The derivative squares tanh(x).", 2, _tanh_grad_unsquared),
    Mistake("2.4", "relu", "x[x < 0] = 0 overwrites the input",
            "Assigning into x changes the caller's array; np.maximum(x, 0) makes a new one.",
            2, _relu_in_place,
            says='relu changed the array it was given'),
    Mistake("2.4", "relu_grad", "ReLU'(0) = 1",
            "The kit uses the left derivative at the kink: ReLU'(0) = 0, so compare x > 0.",
            1, _relu_grad_at_zero_is_one),
    Mistake("2.4", "relu_grad", "ReLU itself instead of its derivative",
            "The slope of ReLU is 0 or 1, not max(0, x).", 2, _relu_grad_is_relu),
    Mistake("2.5", "leaky_relu", "alpha hard-coded to 0.01",
            "Use the alpha argument the caller passes.", 2, _leaky_hardcoded_alpha),
    Mistake("2.5", "leaky_relu_grad", "slope 0 on the left, as for ReLU",
            "Leaky ReLU's slope for x <= 0 is alpha, not 0.", 2, _leaky_grad_zero_left),
    Mistake("2.5", "leaky_relu_grad", "LeakyReLU'(0) = 1",
            "At the kink the kit uses the left derivative, alpha.", 1, _leaky_grad_at_zero_is_one),
    Mistake("2.6", "softplus", "log(1 + exp(x)) overflows",
            "np.exp(x) overflows for x > 709; np.logaddexp(0, x) does not.", 2, _softplus_naive),
    Mistake("2.6", "softplus_grad", "e^x / (1 + e^x)² instead of σ(x)",
            "That is σ'(x); softplus' is σ(x) itself.", 2, _softplus_grad_exp),
    Mistake("2.7", "elu", "alpha·e^x without the − 1",
            "ELU is alpha·(e^x − 1) on the left, so that it is continuous at 0.",
            1, _elu_no_minus_one),
    Mistake("2.7", "elu_grad", "e^x on the left, without alpha",
            "d/dx alpha(e^x − 1) = alpha·e^x.", 2, _elu_grad_without_alpha),
    Mistake("2.7", "elu_grad", "ELU'(0) = 1: x >= 0 takes the right slope at the kink",
            "At the kink the kit uses the left derivative, alpha·e^0 = alpha: compare x > 0.",
            1, _elu_grad_kink_on_the_right),
    Mistake("2.8", "maxout", "max over the first axis",
            "The pieces lie along the last axis: np.max(z, axis=-1).", 2, _maxout_wrong_axis),
    Mistake("2.8", "maxout_grad", "a 1 at every tied maximum",
            "Only one piece wins a tie (the first, as np.argmax picks).", 2,
            _maxout_grad_every_max),
)
