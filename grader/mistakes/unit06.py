"""Unit 6 mistakes: fans, scales, truncation and randomness as students get them wrong."""
import numpy as np

from . import Mistake

# The standard deviation of a standard normal truncated at ±2 (Keras' constant).
_TRUNCATED_STD = 0.87962566103423978


def _receptive_field(shape):
    return int(np.prod(shape[:-2])) if len(shape) > 2 else 1


def _correct_fans(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    rf = _receptive_field(shape)
    return shape[-2] * rf, shape[-1] * rf


def _redrawn_normal(shape, rng, stddev, cut):
    values = rng.normal(0.0, stddev, size=shape)
    outside = np.abs(values) > cut
    while outside.any():
        values[outside] = rng.normal(0.0, stddev, size=int(outside.sum()))
        outside = np.abs(values) > cut
    return values


def _truncated(shape, rng, stddev):
    return _redrawn_normal(shape, rng, stddev, 2.0 * stddev)


# 6.1 fans --------------------------------------------------------------------------------------

def _fans_swapped(shape):
    fan_in, fan_out = _correct_fans(shape)
    return fan_out, fan_in


def _fans_without_receptive_field(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    return shape[-2], shape[-1]


def _fans_from_first_two_dims(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    return shape[0], shape[1]


def _fans_of_empty_shape_is_one(shape):
    if len(shape) == 0:
        return 1, 1
    return _correct_fans(shape)


# 6.2 zeros, random_normal ----------------------------------------------------------------------

def _zeros_int(shape, rng=None):
    return np.zeros(shape, dtype=int)


def _random_normal_global_state(shape, rng, stddev=0.05):
    return np.random.normal(0.0, stddev, size=shape)


def _random_normal_ignores_stddev(shape, rng, stddev=0.05):
    return rng.standard_normal(shape)


def _random_normal_stddev_as_variance(shape, rng, stddev=0.05):
    return rng.normal(0.0, np.sqrt(stddev), size=shape)


def _random_normal_is_uniform(shape, rng, stddev=0.05):
    return rng.random(shape) * stddev


# 6.3 truncated_normal --------------------------------------------------------------------------

def _truncated_by_clipping(shape, rng, stddev=0.05):
    return np.clip(rng.normal(0.0, stddev, size=shape), -2.0 * stddev, 2.0 * stddev)


def _truncated_not_at_all(shape, rng, stddev=0.05):
    return rng.normal(0.0, stddev, size=shape)


def _truncated_at_three_sigma(shape, rng, stddev=0.05):
    return _redrawn_normal(shape, rng, stddev, 3.0 * stddev)


def _truncated_at_absolute_two(shape, rng, stddev=0.05):
    return _redrawn_normal(shape, rng, stddev, 2.0)


def _truncated_single_redraw(shape, rng, stddev=0.05):
    values = rng.normal(0.0, stddev, size=shape)
    outside = np.abs(values) > 2.0 * stddev
    values[outside] = rng.normal(0.0, stddev, size=int(outside.sum()))
    return values


def _truncated_global_state(shape, rng, stddev=0.05):
    values = np.random.normal(0.0, stddev, size=shape)
    outside = np.abs(values) > 2.0 * stddev
    while outside.any():
        values[outside] = np.random.normal(0.0, stddev, size=int(outside.sum()))
        outside = np.abs(values) > 2.0 * stddev
    return values


# 6.4 Glorot ------------------------------------------------------------------------------------

def _glorot_normal_fan_in_only(shape, rng):
    fan_in, _ = _correct_fans(shape)
    return _truncated(shape, rng, np.sqrt(2.0 / fan_in) / _TRUNCATED_STD)


def _glorot_normal_no_correction(shape, rng):
    fan_in, fan_out = _correct_fans(shape)
    return _truncated(shape, rng, np.sqrt(2.0 / (fan_in + fan_out)))


def _glorot_normal_untruncated(shape, rng):
    fan_in, fan_out = _correct_fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def _glorot_normal_variance_as_stddev(shape, rng):
    fan_in, fan_out = _correct_fans(shape)
    return _truncated(shape, rng, 2.0 / (fan_in + fan_out) / _TRUNCATED_STD)


def _glorot_normal_receptive_field_ignored(shape, rng):
    fan_in, fan_out = _fans_without_receptive_field(shape)
    return _truncated(shape, rng, np.sqrt(2.0 / (fan_in + fan_out)) / _TRUNCATED_STD)


def _glorot_uniform_limit_sqrt3(shape, rng):
    fan_in, fan_out = _correct_fans(shape)
    limit = np.sqrt(3.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def _glorot_uniform_fan_in_only(shape, rng):
    fan_in, _ = _correct_fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


def _glorot_uniform_global_state(shape, rng):
    fan_in, fan_out = _correct_fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.uniform(-limit, limit, size=shape)


# 6.5 He ----------------------------------------------------------------------------------------

def _he_normal_fan_out(shape, rng):
    _, fan_out = _correct_fans(shape)
    return _truncated(shape, rng, np.sqrt(2.0 / fan_out) / _TRUNCATED_STD)


def _he_normal_variance_as_stddev(shape, rng):
    fan_in, _ = _correct_fans(shape)
    return _truncated(shape, rng, 2.0 / fan_in / _TRUNCATED_STD)


def _he_normal_no_correction(shape, rng):
    fan_in, _ = _correct_fans(shape)
    return _truncated(shape, rng, np.sqrt(2.0 / fan_in))


def _he_normal_global_state(shape, rng):
    fan_in, _ = _correct_fans(shape)
    return _truncated_global_state(shape, None, np.sqrt(2.0 / fan_in) / _TRUNCATED_STD)


def _he_uniform_limit_sqrt3(shape, rng):
    fan_in, _ = _correct_fans(shape)
    limit = np.sqrt(3.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


def _he_uniform_fan_out(shape, rng):
    _, fan_out = _correct_fans(shape)
    limit = np.sqrt(6.0 / fan_out)
    return rng.uniform(-limit, limit, size=shape)


# 6.6 LeCun -------------------------------------------------------------------------------------

def _lecun_normal_no_correction(shape, rng):
    fan_in, _ = _correct_fans(shape)
    return _truncated(shape, rng, np.sqrt(1.0 / fan_in))


def _lecun_normal_untruncated(shape, rng):
    fan_in, _ = _correct_fans(shape)
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=shape)


def _lecun_uniform_limit_sqrt6(shape, rng):
    fan_in, _ = _correct_fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


def _lecun_uniform_stddev_as_limit(shape, rng):
    fan_in, _ = _correct_fans(shape)
    limit = np.sqrt(1.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


# 6.7 init_mlp ----------------------------------------------------------------------------------

def _init_mlp_random_biases(layer_sizes, weight_init, rng):
    return [(weight_init((n_in, n_out), rng), rng.normal(0.0, 0.05, size=n_out))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def _init_mlp_biases_from_weight_init(layer_sizes, weight_init, rng):
    return [(weight_init((n_in, n_out), rng), weight_init((n_out,), rng))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def _init_mlp_missing_last_layer(layer_sizes, weight_init, rng):
    params = []
    for i in range(len(layer_sizes) - 2):
        n_in, n_out = layer_sizes[i], layer_sizes[i + 1]
        params.append((weight_init((n_in, n_out), rng), np.zeros(n_out)))
    return params


def _init_mlp_transposed_weights(layer_sizes, weight_init, rng):
    return [(weight_init((n_out, n_in), rng), np.zeros(n_out))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def _init_mlp_column_biases(layer_sizes, weight_init, rng):
    return [(weight_init((n_in, n_out), rng), np.zeros((n_out, 1)))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def _init_mlp_own_generator(layer_sizes, weight_init, rng):
    own = np.random.default_rng()
    return [(weight_init((n_in, n_out), own), np.zeros(n_out))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


_GLOBAL_STATE = ("np.random.normal and np.random.uniform draw from NumPy's hidden global "
                 "generator: the caller's seed has no effect and other code's draws change. "
                 "Draw from the rng you are given: rng.normal(...), rng.uniform(...).")
_NO_CORRECTION = ("Truncating at two standard deviations shrinks the variance to about 0.774 of "
                  "stddev²; divide the stddev by TRUNCATED_NORMAL_STD so the result has the "
                  "target variance.")

MISTAKES = (
    Mistake("6.1", "fans", "fan_in and fan_out swapped",
            "fan_in counts the inputs of a unit: shape[-2] (times the receptive field), "
            "fan_out is shape[-1] (times the receptive field).", 2, _fans_swapped),
    Mistake("6.1", "fans", "receptive field ignored",
            "For a convolution kernel (k_1, ..., n_in, n_out) both fans are multiplied by the "
            "product of the leading dimensions.", 2, _fans_without_receptive_field),
    Mistake("6.1", "fans", "first two dimensions taken as the fans",
            "The input and output units are the LAST two dimensions; the leading ones are the "
            "kernel's receptive field.", 1, _fans_from_first_two_dims),
    Mistake("6.1", "fans", "an empty shape gives (1, 1)",
            "The kit asks for a ValueError for an empty shape: a scalar has no fans.",
            2, _fans_of_empty_shape_is_one),
    Mistake("6.2", "zeros", "integer zeros",
            "np.zeros(shape, dtype=int) gives integers; weights must be float64.",
            2, _zeros_int,
            says='returned dtype int64; expected float64'),
    Mistake("6.2", "random_normal", "np.random.normal instead of rng.normal",
            _GLOBAL_STATE, 1, _random_normal_global_state),
    Mistake("6.2", "random_normal", "stddev ignored (standard normal)",
            "Pass stddev as the scale: rng.normal(0.0, stddev, size=shape).",
            2, _random_normal_ignores_stddev),
    Mistake("6.2", "random_normal", "stddev taken for the variance",
            "stddev is already the standard deviation; rng.normal's scale takes it as it is, "
            "no square root.", 1, _random_normal_stddev_as_variance),
    Mistake("6.2", "random_normal", "rng.random (uniform on [0, 1)) instead of a normal",
            "rng.random draws uniform numbers in [0, 1); rng.normal draws from a normal.",
            2, _random_normal_is_uniform),
    Mistake("6.3", "truncated_normal", "clipped instead of redrawn",
            "np.clip moves every tail value onto ±2·stddev; draw those values again instead.",
            1, _truncated_by_clipping),
    Mistake("6.3", "truncated_normal", "no truncation",
            "Values farther than 2·stddev from 0 must be thrown away and redrawn.",
            1, _truncated_not_at_all),
    Mistake("6.3", "truncated_normal", "cut at 3 standard deviations",
            "Keras cuts at 2 standard deviations, not 3.", 1, _truncated_at_three_sigma),
    Mistake("6.3", "truncated_normal", "cut at 2 instead of 2·stddev",
            "The cut scales with the spread: redraw where |x| > 2 * stddev.",
            2, _truncated_at_absolute_two),
    Mistake("6.3", "truncated_normal", "redrawn only once",
            "A redrawn value can land beyond the cut again; repeat until none is left.",
            2, _truncated_single_redraw),
    Mistake("6.3", "truncated_normal", "np.random.normal instead of rng.normal",
            _GLOBAL_STATE, 2, _truncated_global_state),
    Mistake("6.4", "glorot_normal", "fan_in instead of fan_in + fan_out",
            "Glorot's variance is 2 / (fan_in + fan_out); 2 / fan_in is He's.",
            1, _glorot_normal_fan_in_only),
    Mistake("6.4", "glorot_normal", "no truncation correction",
            _NO_CORRECTION, 2, _glorot_normal_no_correction),
    Mistake("6.4", "glorot_normal", "untruncated normal (PyTorch's xavier_normal_)",
            "Keras' glorot_normal is truncated at two standard deviations: draw with your "
            "truncated_normal and correct its stddev.", 2, _glorot_normal_untruncated),
    Mistake("6.4", "glorot_normal", "variance passed as the standard deviation",
            "The stddev is the square root of the variance: np.sqrt(2 / (fan_in + fan_out)).",
            2, _glorot_normal_variance_as_stddev),
    Mistake("6.4", "glorot_normal", "receptive field ignored",
            "A convolution kernel's fans include the receptive field (see fans, exercise 6.1).",
            1, _glorot_normal_receptive_field_ignored),
    Mistake("6.4", "glorot_uniform", "limit sqrt(3 / (fan_in + fan_out))",
            "U(-a, a) has variance a²/3, so the limit for variance 2 / (fan_in + fan_out) is "
            "sqrt(6 / (fan_in + fan_out)).", 2, _glorot_uniform_limit_sqrt3),
    Mistake("6.4", "glorot_uniform", "fan_in instead of fan_in + fan_out",
            "Glorot's limit is sqrt(6 / (fan_in + fan_out)); sqrt(6 / fan_in) is He's.",
            1, _glorot_uniform_fan_in_only),
    Mistake("6.4", "glorot_uniform", "np.random.uniform instead of rng.uniform",
            _GLOBAL_STATE, 2, _glorot_uniform_global_state),
    Mistake("6.5", "he_normal", "fan_out instead of fan_in",
            "He's variance is 2 / fan_in: it keeps the forward signal's size.",
            1, _he_normal_fan_out),
    Mistake("6.5", "he_normal", "variance passed as the standard deviation",
            "The stddev is the square root of the variance: np.sqrt(2 / fan_in).",
            2, _he_normal_variance_as_stddev),
    Mistake("6.5", "he_normal", "no truncation correction", _NO_CORRECTION, 2,
            _he_normal_no_correction),
    Mistake("6.5", "he_normal", "np.random.normal instead of rng.normal",
            _GLOBAL_STATE, 2, _he_normal_global_state),
    Mistake("6.5", "he_uniform", "limit sqrt(3 / fan_in)",
            "U(-a, a) has variance a²/3, so variance 2 / fan_in needs the limit sqrt(6 / fan_in)"
            "; sqrt(3 / fan_in) is LeCun's.", 2, _he_uniform_limit_sqrt3),
    Mistake("6.5", "he_uniform", "fan_out instead of fan_in",
            "He's limit is sqrt(6 / fan_in).", 1, _he_uniform_fan_out),
    Mistake("6.6", "lecun_normal", "no truncation correction", _NO_CORRECTION, 2,
            _lecun_normal_no_correction),
    Mistake("6.6", "lecun_normal", "untruncated normal",
            "Keras' lecun_normal is truncated at two standard deviations: draw with your "
            "truncated_normal and correct its stddev.", 1, _lecun_normal_untruncated),
    Mistake("6.6", "lecun_uniform", "limit sqrt(6 / fan_in)",
            "That is He's limit (variance 2 / fan_in). LeCun's variance 1 / fan_in needs "
            "a²/3 = 1 / fan_in, so a = sqrt(3 / fan_in).", 2, _lecun_uniform_limit_sqrt6),
    Mistake("6.6", "lecun_uniform", "the target stddev used as the limit",
            "U(-a, a) has standard deviation a/√3, not a: the limit is sqrt(3 / fan_in).",
            2, _lecun_uniform_stddev_as_limit),
    Mistake("6.7", "init_mlp", "random biases",
            "Biases start at zero: the random weights already break the symmetry.",
            1, _init_mlp_random_biases),
    Mistake("6.7", "init_mlp", "biases drawn with weight_init",
            "Call weight_init for W only; b = np.zeros(n_out).", 2,
            _init_mlp_biases_from_weight_init),
    Mistake("6.7", "init_mlp", "last layer missing (layer sizes off by one)",
            "n sizes make n - 1 layers: pair each size with the next, "
            "zip(layer_sizes[:-1], layer_sizes[1:]).", 2, _init_mlp_missing_last_layer),
    Mistake("6.7", "init_mlp", "W of shape (n_out, n_in)",
            "The kit computes Z = X @ W + b, so W has shape (n_in, n_out).", 2,
            _init_mlp_transposed_weights),
    Mistake("6.7", "init_mlp", "b of shape (n_out, 1)",
            "b is a vector of shape (n_out,) that broadcasts over the rows of X @ W.", 2,
            _init_mlp_column_biases),
    Mistake("6.7", "init_mlp", "a new Generator instead of the rng given",
            "Pass the caller's rng on to weight_init, so the caller's seed decides the "
            "weights.", 1, _init_mlp_own_generator),
)
