# This file is yours: fill in every `raise NotImplementedError`.
# It was generated from solutions/unit06_initializers.py by `python -m nnlings.grader.generate`.
"""Unit 6 — Initializers: where gradient descent starts, and why the starting point matters.

Before training, every weight needs a value. Two things decide whether training works at all:

* **Symmetry.** Hidden units that start equal receive equal gradients and stay equal forever, so
  a layer of n identical units is no better than one unit. Random weights break the tie.
* **Scale.** A unit adds up fan_in inputs, each times a weight. If the weights have variance v,
  the sum has about fan_in·v times the variance of one input. Too large and tanh saturates (its
  gradient vanishes); too small and the signal fades layer after layer. Glorot (Xavier), He
  (Kaiming) and LeCun pick v from the layer's fan-in and fan-out so the signal keeps its size.

Names and semantics follow Keras, the library of the source article: ``glorot_normal``,
``he_normal`` and ``lecun_normal`` draw from a normal truncated at two standard deviations whose
*resulting* variance is the target; the ``*_uniform`` variants draw from U(−limit, limit).

Every function that draws takes a ``numpy.random.Generator`` ``rng`` and draws only from it
(never from ``np.random.normal`` and friends, which use hidden global state): the same seed
gives the same numbers. Every function returns a new float64 array of the requested ``shape``.
"""
import numpy as np

# The standard deviation of a standard normal truncated at ±2 (the value Keras uses):
# sqrt(1 − 4φ(2) / (2Φ(2) − 1)), with φ and Φ the standard normal density and CDF.
TRUNCATED_NORMAL_STD = 0.87962566103423978


def fans(shape):
    """(fan_in, fan_out) of a weight tensor of this shape, as Python ints (Keras' rules).

    fan_in is how many inputs feed one output unit, fan_out how many outputs one input feeds.

    * ``(n,)`` — a vector (e.g. a bias): fan_in = fan_out = n.
    * ``(n_in, n_out)`` — a dense layer's W: fan_in = n_in, fan_out = n_out.
    * ``(k_1, ..., k_d, n_in, n_out)`` — a convolution kernel: every input channel reaches each
      output through a receptive field of rf = k_1·…·k_d weights, so fan_in = n_in·rf and
      fan_out = n_out·rf. A 3×3 kernel from 64 to 128 channels, shape (3, 3, 64, 128), has
      fans (576, 1152).

    An empty shape () has no fans: raise ValueError.
    """
    raise NotImplementedError(
        'Exercise 6.1 (fans) is not implemented yet. Run `nnlings hint 6.1` for a hint.'
    )


def zeros(shape, rng=None):
    """An array of zeros: fine for biases, fatal for the weights of hidden units (see init_mlp).

    ``rng`` is accepted and ignored, so ``zeros`` can be passed wherever an initializer
    ``weight_init(shape, rng)`` is expected. It draws nothing. The dtype is float64.
    """
    raise NotImplementedError(
        'Exercise 6.2 (zeros) is not implemented yet. Run `nnlings hint 6.2` for a hint.'
    )


def random_normal(shape, rng, stddev=0.05):
    """Independent draws from the normal N(0, stddev²): Keras' RandomNormal (mean 0, stddev 0.05).

    ``stddev`` is the standard deviation σ, not the variance σ². ``rng.normal`` takes σ as its
    ``scale``.
    """
    raise NotImplementedError(
        'Exercise 6.2 (random_normal) is not implemented yet. Run `nnlings hint 6.2` for a hint.'
    )


def truncated_normal(shape, rng, stddev=0.05):
    """N(0, stddev²) with every draw beyond two standard deviations thrown away and redrawn.

    Draw the whole array, find the entries with |x| > 2·stddev, draw new values for just those,
    and repeat until none is left (about 4.6% are redrawn in the first round, 0.2% in the second,
    so a few rounds suffice). Redraw, do not clip: clipping piles the tail onto ±2·stddev.

    The result never leaves [−2·stddev, 2·stddev]. Cutting off the tails shrinks the spread: the
    variance is TRUNCATED_NORMAL_STD² · stddev² ≈ 0.774·stddev².
    """
    raise NotImplementedError(
        'Exercise 6.3 (truncated_normal) is not implemented yet. Run `nnlings hint 6.3` for a hint.'
    )


def glorot_normal(shape, rng):
    """Glorot (Xavier) normal: a truncated normal with variance 2 / (fan_in + fan_out).

    Glorot and Bengio balance the forward signal (variance 1/fan_in keeps it) against the
    backward gradient (variance 1/fan_out keeps it) with the harmonic compromise
    2 / (fan_in + fan_out); it suits tanh and sigmoid layers.

    Keras draws from ``truncated_normal``. Truncation shrinks the variance (see
    truncated_normal), so the stddev to ask for is not simply the square root of the target:
    work out the one that makes the *result*, after truncation, have the target variance.
    """
    raise NotImplementedError(
        'Exercise 6.4 (glorot_normal) is not implemented yet. Run `nnlings hint 6.4` for a hint.'
    )


def glorot_uniform(shape, rng):
    """Glorot (Xavier) uniform: U(−limit, limit) with limit = sqrt(6 / (fan_in + fan_out)).

    U(−a, a) has variance a²/3, so this limit gives the same variance 2 / (fan_in + fan_out) as
    glorot_normal. It is Keras' default initializer for Dense layers.
    """
    raise NotImplementedError(
        'Exercise 6.4 (glorot_uniform) is not implemented yet. Run `nnlings hint 6.4` for a hint.'
    )


def he_normal(shape, rng):
    """He (Kaiming) normal: a truncated normal with variance 2 / fan_in.

    ReLU zeroes half of its inputs on average, halving the signal's variance; He et al. double
    LeCun's 1/fan_in to make up for it. As in glorot_normal, choose the stddev before
    truncation so that the result has variance 2 / fan_in.
    """
    raise NotImplementedError(
        'Exercise 6.5 (he_normal) is not implemented yet. Run `nnlings hint 6.5` for a hint.'
    )


def he_uniform(shape, rng):
    """He (Kaiming) uniform: U(−limit, limit), limit = sqrt(6 / fan_in), variance 2 / fan_in."""
    raise NotImplementedError(
        'Exercise 6.5 (he_uniform) is not implemented yet. Run `nnlings hint 6.5` for a hint.'
    )


def lecun_normal(shape, rng):
    """LeCun normal: a truncated normal with variance 1 / fan_in.

    With inputs of variance 1, a sum of fan_in of them times weights of variance 1/fan_in again
    has variance 1: the forward signal keeps its size (the initializer of SELU networks). As
    in glorot_normal, the result after truncation has that variance.
    """
    raise NotImplementedError(
        'Exercise 6.6 (lecun_normal) is not implemented yet. Run `nnlings hint 6.6` for a hint.'
    )


def lecun_uniform(shape, rng):
    """LeCun uniform: U(−limit, limit) with limit = sqrt(3 / fan_in) (variance 1 / fan_in)."""
    raise NotImplementedError(
        'Exercise 6.6 (lecun_uniform) is not implemented yet. Run `nnlings hint 6.6` for a hint.'
    )


def init_mlp(layer_sizes, weight_init, rng):
    """The parameters of a fully connected net: a list of (W, b), one pair per layer.

    ``layer_sizes`` counts units from the input to the output: [2, 4, 1] is 2 inputs, 4 hidden
    units and 1 output, so two layers. Layer k maps n_in = layer_sizes[k] to
    n_out = layer_sizes[k + 1] units with

    * ``W = weight_init((n_in, n_out), rng)``, the layout of Z = X @ W + b;
    * ``b = zeros((n_out,))``, float64.

    Call ``weight_init`` once per layer, first layer first, with the same ``rng``, and draw
    nothing else from ``rng``. This is the parameter layout every later unit uses.

    Why zero biases are fine but zero weights are not: hidden units that start with equal
    incoming and outgoing weights compute the same value and receive the same gradient, so every
    update keeps them equal — n identical units act as one. Random weights make the units differ
    from the start; the biases then need no randomness of their own.
    """
    raise NotImplementedError(
        'Exercise 6.7 (init_mlp) is not implemented yet. Run `nnlings hint 6.7` for a hint.'
    )
