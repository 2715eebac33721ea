"""Unit 6 right answers: fans, and every initializer drawn another way the docstring allows."""
import math

import numpy as np

from . import Alternative

# The stddev of a standard normal truncated at ±2, worked out from its density and CDF.
_PHI_2 = math.exp(-2.0) / math.sqrt(2.0 * math.pi)
_TRUNCATED_STD = math.sqrt(1.0 - 4.0 * _PHI_2 / math.erf(2.0 / math.sqrt(2.0)))


# 6.1 fans ---------------------------------------------------------------------------------------

def _fans_math_prod(shape):
    if len(shape) == 0:
        raise ValueError("fans: an empty shape has no fans")
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    field = math.prod(shape[:-2])
    return int(shape[-2] * field), int(shape[-1] * field)


def _fans_loop(shape):
    shape = tuple(shape)
    if not shape:
        raise ValueError("fans: expected at least one dimension")
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = 1
    for size in shape[:-2]:
        receptive_field *= size
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _fans_numpy(shape):
    if np.size(shape) == 0:
        raise ValueError("fans: () is not the shape of a weight tensor")
    sizes = np.array(shape, dtype=np.int64)
    if sizes.size == 1:
        return int(sizes[0]), int(sizes[0])
    field = np.prod(sizes[:-2])   # the product of nothing is 1
    return int(sizes[-2] * field), int(sizes[-1] * field)


# 6.2 zeros and random_normal --------------------------------------------------------------------

def _zeros_full(shape, rng=None):
    return np.full(tuple(shape), 0.0)


def _zeros_of_the_size(shape, rng=None):
    return np.zeros(int(np.prod(shape))).reshape(shape)


def _random_normal_standard_scaled(shape, rng, stddev=0.05):
    return stddev * rng.standard_normal(tuple(shape))


def _random_normal_keywords(shape, rng, stddev=0.05):
    return rng.normal(loc=0.0, scale=stddev, size=tuple(shape))


# 6.3 truncated_normal ---------------------------------------------------------------------------

def _truncated_standard_rejection(shape, rng, stddev=0.05):
    x = rng.standard_normal(tuple(shape))
    redraw = np.abs(x) > 2.0
    while np.any(redraw):
        x[redraw] = rng.standard_normal(np.count_nonzero(redraw))
        redraw = np.abs(x) > 2.0
    return stddev * x


def _truncated_keep_the_good_ones(shape, rng, stddev=0.05):
    size = int(np.prod(shape))
    kept = np.empty(0)
    while kept.size < size:
        draws = rng.normal(0.0, stddev, size)
        kept = np.concatenate([kept, draws[np.abs(draws) <= 2 * stddev]])
    return kept[:size].reshape(shape)


def _truncated_entry_by_entry(shape, rng, stddev=0.05):
    values = rng.normal(0.0, stddev, tuple(shape))
    flat = values.reshape(-1)
    for i in np.flatnonzero(np.abs(flat) > 2 * stddev):
        while abs(flat[i]) > 2 * stddev:
            flat[i] = rng.normal(0.0, stddev)
    return values


# 6.4 – 6.6 variance scaling ---------------------------------------------------------------------

def _fans(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    field = math.prod(shape[:-2])
    return shape[-2] * field, shape[-1] * field


def _normal_by_rejection(variance_of):
    """A truncated normal of variance variance_of(fans): stddev before the cut, then redraws."""
    def draw(shape, rng):
        stddev = math.sqrt(variance_of(*_fans(shape))) / _TRUNCATED_STD
        return _truncated_standard_rejection(shape, rng, stddev)
    return draw


def _normal_scaled_after_the_cut(variance_of):
    """A standard normal cut at ±2, then scaled so its variance is the target."""
    def draw(shape, rng):
        x = _truncated_keep_the_good_ones(shape, rng, 1.0)
        return x * math.sqrt(variance_of(*_fans(shape)) / _TRUNCATED_STD ** 2)
    return draw


def _uniform_from_random(limit_of):
    def draw(shape, rng):
        limit = limit_of(*_fans(shape))
        return (2.0 * rng.random(tuple(shape)) - 1.0) * limit
    return draw


def _uniform_keywords(limit_of):
    def draw(shape, rng):
        limit = limit_of(*_fans(shape))
        return rng.uniform(low=-limit, high=limit, size=tuple(shape))
    return draw


def _glorot_variance(fan_in, fan_out):
    return 2.0 / (fan_in + fan_out)


def _glorot_limit(fan_in, fan_out):
    return math.sqrt(6.0 / (fan_in + fan_out))


def _he_variance(fan_in, fan_out):
    return 2.0 / fan_in


def _he_limit(fan_in, fan_out):
    return math.sqrt(6.0 / fan_in)


def _lecun_variance(fan_in, fan_out):
    return 1.0 / fan_in


def _lecun_limit(fan_in, fan_out):
    return math.sqrt(3.0 / fan_in)


# 6.7 init_mlp -----------------------------------------------------------------------------------

def _init_indexed(layer_sizes, weight_init, rng):
    params = []
    for k in range(len(layer_sizes) - 1):
        shape = (layer_sizes[k], layer_sizes[k + 1])
        params.append((np.asarray(weight_init(shape, rng), dtype=np.float64),
                       np.zeros(layer_sizes[k + 1])))
    return params


def _init_comprehension(layer_sizes, weight_init, rng):
    return [(weight_init((n_in, n_out), rng), np.zeros(n_out, dtype=np.float64))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def _init_weights_then_biases(layer_sizes, weight_init, rng):
    shapes = list(zip(layer_sizes, layer_sizes[1:]))
    weights = [weight_init(shape, rng) for shape in shapes]
    biases = [np.zeros(n_out) for _, n_out in shapes]
    return list(zip(weights, biases))


def _variance_scaling(exercise, normal, uniform, variance_of, limit_of):
    return [
        Alternative(exercise, normal, "rejection on standard normals",
                    _normal_by_rejection(variance_of)),
        Alternative(exercise, normal, "cut at ±2, then scaled",
                    _normal_scaled_after_the_cut(variance_of)),
        Alternative(exercise, uniform, "(2·rng.random − 1)·limit", _uniform_from_random(limit_of)),
        Alternative(exercise, uniform, "rng.uniform with keywords", _uniform_keywords(limit_of)),
    ]


ALTERNATIVES = [
    Alternative("6.1", "fans", "math.prod", _fans_math_prod),
    Alternative("6.1", "fans", "a loop over the kernel axes", _fans_loop),
    Alternative("6.1", "fans", "NumPy ints converted", _fans_numpy),
    Alternative("6.2", "zeros", "np.full", _zeros_full),
    Alternative("6.2", "zeros", "reshaped zeros", _zeros_of_the_size),
    Alternative("6.2", "random_normal", "stddev · rng.standard_normal",
                _random_normal_standard_scaled),
    Alternative("6.2", "random_normal", "rng.normal with keywords", _random_normal_keywords),
    Alternative("6.3", "truncated_normal", "rejection on standard normals",
                _truncated_standard_rejection),
    Alternative("6.3", "truncated_normal", "keep the draws inside, draw more",
                _truncated_keep_the_good_ones),
    Alternative("6.3", "truncated_normal", "redraw entry by entry", _truncated_entry_by_entry),
    *_variance_scaling("6.4", "glorot_normal", "glorot_uniform", _glorot_variance, _glorot_limit),
    *_variance_scaling("6.5", "he_normal", "he_uniform", _he_variance, _he_limit),
    *_variance_scaling("6.6", "lecun_normal", "lecun_uniform", _lecun_variance, _lecun_limit),
    Alternative("6.7", "init_mlp", "indexed layers", _init_indexed),
    Alternative("6.7", "init_mlp", "a list comprehension", _init_comprehension),
    Alternative("6.7", "init_mlp", "weights, then biases", _init_weights_then_biases),
]
