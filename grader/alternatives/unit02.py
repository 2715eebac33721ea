"""Unit 2 right answers: each activation and derivative written another stable way."""
import functools
import math

import numpy as np

from . import Alternative


def _stable_sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


# 2.1 identity -----------------------------------------------------------------------------------

def _identity_copy(x):
    return np.asarray(x, dtype=np.float64).copy()


def _identity_times_one(x):
    return 1.0 * np.asarray(x, dtype=np.float64)


def _identity_grad_ones(x):
    return np.ones(np.shape(x))


def _identity_grad_full_like(x):
    return np.full_like(x, 1.0, dtype=np.float64)


# 2.2 sigmoid ------------------------------------------------------------------------------------

def _sigmoid_tanh(x):
    return 0.5 * (1.0 + np.tanh(x / 2.0))


def _sigmoid_logaddexp(x):
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=np.float64)))


def _sigmoid_masks(x):
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _sigmoid_grad_exp_abs(x):
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _sigmoid_grad_tanh(x):
    s = _stable_sigmoid(x)
    return s - s * s


# 2.3 tanh ---------------------------------------------------------------------------------------

def _tanh_from_sigmoid(x):
    return 2.0 * _stable_sigmoid(2.0 * np.asarray(x, dtype=np.float64)) - 1.0


def _tanh_expm1(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.expm1(-2.0 * np.abs(x))       # in (−1, 0]: never overflows
    return np.sign(x) * -e / (2.0 + e)


def _tanh_math_vectorised(x):
    return np.vectorize(math.tanh, otypes=[np.float64])(x)


def _tanh_grad_factored(x):
    t = np.tanh(x)
    return (1.0 - t) * (1.0 + t)


def _tanh_grad_from_sigmoid(x):
    s = _stable_sigmoid(2.0 * x)
    return 4.0 * s * (1.0 - s)


# 2.4 ReLU ---------------------------------------------------------------------------------------

def _relu_where(x):
    return np.where(x > 0, x, 0.0)


def _relu_mask_product(x):
    return x * (x > 0)


def _relu_clip(x):
    return np.clip(x, 0.0, None)


def _relu_grad_heaviside(x):
    return np.heaviside(x, 0.0)


def _relu_grad_where(x):
    return np.where(x > 0, 1.0, 0.0)


# 2.5 Leaky ReLU ---------------------------------------------------------------------------------

def _leaky_relu_maximum(x, alpha=0.01):
    return np.maximum(x, alpha * x)     # the larger of the two, for 0 < α < 1


def _leaky_relu_slope_array(x, alpha=0.01):
    return x * np.where(x > 0, 1.0, alpha)


def _leaky_relu_masked_copy(x, alpha=0.01):
    out = np.array(x, dtype=np.float64)
    out[out <= 0] *= alpha
    return out


def _leaky_relu_grad_full(x, alpha=0.01):
    grad = np.full(np.shape(x), float(alpha))
    grad[np.asarray(x) > 0] = 1.0
    return grad


def _leaky_relu_grad_arithmetic(x, alpha=0.01):
    return alpha + (1.0 - alpha) * (np.asarray(x) > 0)


# 2.6 softplus -----------------------------------------------------------------------------------

def _softplus_max_plus_log1p(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _softplus_linear_beyond_a_cut(x):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 30.0, x, np.log1p(np.exp(np.minimum(x, 30.0))))


def _softplus_logaddexp_swapped(x):
    return np.logaddexp(x, 0.0)


def _softplus_grad_tanh(x):
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _softplus_grad_logaddexp(x):
    return np.exp(-np.logaddexp(0.0, -x))


# 2.7 ELU ----------------------------------------------------------------------------------------

def _elu_exp_minus_one(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0.0)) - 1.0))


def _elu_masks(x, alpha=1.0):
    out = np.array(x, dtype=np.float64)
    negative = out <= 0
    out[negative] = alpha * np.expm1(out[negative])
    return out


def _elu_split(x, alpha=1.0):
    return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0))


def _elu_grad_masks(x, alpha=1.0):
    grad = np.ones(np.shape(x))
    negative = np.asarray(x) <= 0
    grad[negative] = alpha * np.exp(np.asarray(x)[negative])
    return grad


def _elu_grad_from_elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    elu = alpha * np.expm1(np.minimum(x, 0.0))
    return np.where(x > 0, 1.0, elu + alpha)


# 2.8 Maxout -------------------------------------------------------------------------------------

def _maxout_amax(z):
    return np.amax(z, axis=-1)


def _maxout_reduce(z):
    return functools.reduce(np.maximum, np.moveaxis(np.asarray(z, dtype=np.float64), -1, 0))


def _maxout_take_along(z):
    z = np.asarray(z, dtype=np.float64)
    return np.take_along_axis(z, np.argmax(z, axis=-1)[..., None], axis=-1)[..., 0]


def _maxout_grad_eye(z):
    z = np.asarray(z, dtype=np.float64)
    return np.eye(z.shape[-1])[np.argmax(z, axis=-1)]


def _maxout_grad_first_of_the_ties(z):
    z = np.asarray(z, dtype=np.float64)
    winners = z == z.max(axis=-1, keepdims=True)
    return (winners & (np.cumsum(winners, axis=-1) == 1)).astype(np.float64)


def _maxout_grad_loop(z):
    z = np.asarray(z, dtype=np.float64)
    grad = np.zeros_like(z)
    for index in np.ndindex(z.shape[:-1]):
        grad[index][int(np.argmax(z[index]))] = 1.0
    return grad


ALTERNATIVES = [
    Alternative("2.1", "identity", "a copy", _identity_copy),
    Alternative("2.1", "identity", "1.0 · x", _identity_times_one),
    Alternative("2.1", "identity_grad", "np.ones of the shape", _identity_grad_ones),
    Alternative("2.1", "identity_grad", "np.full_like", _identity_grad_full_like),
    Alternative("2.2", "sigmoid", "0.5·(1 + tanh(x/2))", _sigmoid_tanh),
    Alternative("2.2", "sigmoid", "exp(−logaddexp(0, −x))", _sigmoid_logaddexp),
    Alternative("2.2", "sigmoid", "boolean masks", _sigmoid_masks),
    Alternative("2.2", "sigmoid_grad", "e^−|x| / (1 + e^−|x|)²", _sigmoid_grad_exp_abs),
    Alternative("2.2", "sigmoid_grad", "s − s² from a tanh sigmoid", _sigmoid_grad_tanh),
    Alternative("2.3", "tanh", "2σ(2x) − 1", _tanh_from_sigmoid),
    Alternative("2.3", "tanh", "sign(x)·expm1 form", _tanh_expm1),
    Alternative("2.3", "tanh", "math.tanh vectorised", _tanh_math_vectorised),
    Alternative("2.3", "tanh_grad", "(1 − t)(1 + t)", _tanh_grad_factored),
    Alternative("2.3", "tanh_grad", "4σ(2x)(1 − σ(2x))", _tanh_grad_from_sigmoid),
    Alternative("2.4", "relu", "np.where", _relu_where),
    Alternative("2.4", "relu", "x · (x > 0)", _relu_mask_product),
    Alternative("2.4", "relu", "np.clip", _relu_clip),
    Alternative("2.4", "relu_grad", "np.heaviside(x, 0)", _relu_grad_heaviside),
    Alternative("2.4", "relu_grad", "np.where", _relu_grad_where),
    Alternative("2.5", "leaky_relu", "np.maximum(x, αx)", _leaky_relu_maximum),
    Alternative("2.5", "leaky_relu", "x times a slope array", _leaky_relu_slope_array),
    Alternative("2.5", "leaky_relu", "a masked copy", _leaky_relu_masked_copy),
    Alternative("2.5", "leaky_relu_grad", "np.full then a mask", _leaky_relu_grad_full),
    Alternative("2.5", "leaky_relu_grad", "α + (1 − α)·(x > 0)", _leaky_relu_grad_arithmetic),
    Alternative("2.6", "softplus", "max(x, 0) + log1p(e^−|x|)", _softplus_max_plus_log1p),
    Alternative("2.6", "softplus", "linear beyond x = 30", _softplus_linear_beyond_a_cut),
    Alternative("2.6", "softplus", "np.logaddexp(x, 0)", _softplus_logaddexp_swapped),
    Alternative("2.6", "softplus_grad", "a tanh sigmoid", _softplus_grad_tanh),
    Alternative("2.6", "softplus_grad", "exp(−logaddexp(0, −x))", _softplus_grad_logaddexp),
    Alternative("2.7", "elu", "exp(min(x, 0)) − 1", _elu_exp_minus_one),
    Alternative("2.7", "elu", "boolean masks", _elu_masks),
    Alternative("2.7", "elu", "positive part + negative part", _elu_split),
    Alternative("2.7", "elu_grad", "boolean masks", _elu_grad_masks),
    Alternative("2.7", "elu_grad", "ELU(x) + α on the left", _elu_grad_from_elu),
    Alternative("2.8", "maxout", "np.amax", _maxout_amax),
    Alternative("2.8", "maxout", "np.maximum reduced over the pieces", _maxout_reduce),
    Alternative("2.8", "maxout", "take_along_axis of argmax", _maxout_take_along),
    Alternative("2.8", "maxout_grad", "rows of np.eye", _maxout_grad_eye),
    Alternative("2.8", "maxout_grad", "first of the ties by cumsum", _maxout_grad_first_of_the_ties),
    Alternative("2.8", "maxout_grad", "a loop over the units", _maxout_grad_loop),
]
