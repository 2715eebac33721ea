"""Graded tests for unit 6 — Initializers.

Random draws cannot be compared number by number with the reference (a correct solution may
draw in another order), so each initializer is checked against its definition instead: on a
seeded draw of about 200 000 values, the sample mean and variance must lie within five standard
errors of the distribution's own mean and variance, computed here in closed form; truncated
normals must stay inside their cut and reach close to it; uniforms must stay inside ±limit and
fill it. The functions must return float64 arrays of the requested shape, repeat themselves for
the same seed and draw only from the Generator they are given. `fans` is checked on Keras'
examples, `init_mlp` on its layout and on a small training run showing that equal hidden units
stay equal.
"""
import math
import numbers

import numpy as np

import nnlings.solutions.unit06_initializers as reference
from nnlings.grader import mistakes as mistake_catalogue
from nnlings.grader.expect import expect, expect_array, fail, margin, unpack
from nnlings.grader.cases import case_rng
from nnlings.grader.graded import graded

# The standard normal truncated at ±2, in closed form (φ, Φ: the standard normal density, CDF).
_CUT = 2.0
_PHI = math.exp(-_CUT ** 2 / 2.0) / math.sqrt(2.0 * math.pi)
_MASS = math.erf(_CUT / math.sqrt(2.0))                          # P(|X| <= 2) = 2Φ(2) − 1
TRUNCATED_M2 = 1.0 - 2.0 * _CUT * _PHI / _MASS                   # E[X²] ≈ 0.7737
TRUNCATED_M4 = 3.0 * TRUNCATED_M2 - 2.0 * _CUT ** 3 * _PHI / _MASS  # E[X⁴]
TRUNCATED_WITHIN_ONE = math.erf(1.0 / math.sqrt(2.0)) / _MASS    # P(|X| <= 1) ≈ 0.7152
NORMAL_WITHIN_ONE = math.erf(1.0 / math.sqrt(2.0))               # ≈ 0.6827
# Keras' published constant is the standard deviation of that truncated normal.
assert abs(math.sqrt(TRUNCATED_M2) - 0.87962566103423978) < 1e-12

# Var(sample variance) ≈ (μ₄ − σ⁴)/n: this is (μ₄/σ⁴ − 1) for each distribution.
NORMAL_SPREAD = 2.0
TRUNCATED_SPREAD = TRUNCATED_M4 / TRUNCATED_M2 ** 2 - 1.0
UNIFORM_SPREAD = 0.8  # U(−a, a): μ₄ = a⁴/5, σ² = a²/3

SHAPES = [(1,), (7,), (1, 5), (8, 1), (16, 9), (3, 3, 2, 4)]
DENSE, CONV = (400, 500), (3, 3, 96, 256)
FANS = {DENSE: (400, 500), CONV: (3 * 3 * 96, 3 * 3 * 256)}
BOUND = 5.0  # standard errors allowed: a correct solution fails with probability < 1e-5


def call_text(name, shape, kwargs):
    extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    return f"{name}({shape}, rng{extra})"


# Shape, dtype and randomness ------------------------------------------------------------------

def check_array(got, shape, exercise, call):
    """`got` is a float64 NumPy array of `shape` with finite entries."""
    expect(got is not None, exercise, f"{call} returned None. Did you forget the `return`?")
    expect(isinstance(got, np.ndarray), exercise,
           f"{call} returned {type(got).__name__}; expected a NumPy array of shape {shape}.")
    expect(got.dtype == np.float64, exercise,
           f"{call} returned dtype {got.dtype}; expected float64.")
    expect(got.shape == tuple(shape), exercise,
           f"{call} returned shape {got.shape}; expected {tuple(shape)}. Pass the shape on as "
           "size=shape.")
    expect(bool(np.isfinite(got).all()), exercise, f"{call} returned non-finite values.")


def check_shapes_and_dtype(impl, exercise, name, **kwargs):
    for seed, shape in enumerate(SHAPES):
        check_array(getattr(impl, name)(shape, case_rng(seed), **kwargs), shape,
                    exercise, call_text(name, shape, kwargs))


def changes_global_state(function, shape, kwargs):
    before = np.random.get_state()
    function(shape, case_rng(0), **kwargs)
    after = np.random.get_state()
    return not (before[0] == after[0] and np.array_equal(before[1], after[1])
                and before[2:] == after[2:])


def check_draws_only_from_rng(impl, exercise, name, shape=(50, 40), **kwargs):
    """Same seed, same numbers; another seed or a second call, other numbers; no global state."""
    function, call = getattr(impl, name), call_text(name, shape, kwargs)
    first = function(shape, case_rng(61), **kwargs)
    check_array(first, shape, exercise, call)
    expect(not changes_global_state(function, shape, kwargs), exercise,
           f"{call} changed NumPy's global random state: it drew from np.random.* instead of "
           "the rng it was given. Use rng.normal(...) / rng.uniform(...)."
           + mistake_note(exercise, name, lambda mutant: changes_global_state(mutant, shape,
                                                                              kwargs)))
    again = function(shape, case_rng(61), **kwargs)
    check_array(again, shape, exercise, call)
    expect(np.array_equal(first, again), exercise,
           f"{call} gave different numbers for two Generators with the same seed (61). Draw "
           "only from the rng you are given, so that a seed fixes the result.")
    other = function(shape, case_rng(62), **kwargs)
    check_array(other, shape, exercise, call)
    expect(not np.array_equal(first, other), exercise,
           f"{call} gave the same numbers for seeds 61 and 62. Do you create a Generator of your "
           "own with a fixed seed? Draw from the rng you are given.")
    rng = case_rng(63)
    one, two = function(shape, rng, **kwargs), function(shape, rng, **kwargs)
    check_array(one, shape, exercise, call)
    check_array(two, shape, exercise, call)
    expect(not np.array_equal(one, two), exercise,
           f"Two calls of {call} with the same Generator gave the same numbers; the second call "
           "must continue the Generator's stream, not restart it.")


# Sample statistics ----------------------------------------------------------------------------

def fingerprint(values, cut):
    """Mean, variance, share beyond `cut` and share within `cut`/2, each with its standard error."""
    x = np.ravel(values)
    n = x.size
    variance = float(np.var(x))
    fourth = float(np.mean((x - x.mean()) ** 4))
    beyond = float(np.mean(np.abs(x) > cut * (1 + 1e-12)))
    within = float(np.mean(np.abs(x) <= cut / 2))
    return {
        "mean": (float(x.mean()), math.sqrt(variance / n)),
        "variance": (variance, math.sqrt(max(fourth - variance ** 2, 0.0) / n)),
        "beyond": (beyond, math.sqrt(max(beyond * (1 - beyond), 1.0 / n) / n)),
        "within": (within, math.sqrt(max(within * (1 - within), 1.0 / n) / n)),
    }


def mistake_note(exercise, function, reproduces):
    """Name the first catalogued mistake of `function` whose output `reproduces` what we saw."""
    for mistake in mistake_catalogue.for_function(exercise, function):
        state = np.random.get_state()
        try:
            with np.errstate(all="ignore"):
                if reproduces(mistake.mutant):
                    return (f"\n  This looks like a known mistake: {mistake.name}. "
                            f"{mistake.explanation}"
                            f"\n  Read `nnlings hint {exercise} --level {mistake.hint_level}`.")
        except Exception:  # a mutant that cannot run here says nothing
            continue
        finally:
            np.random.set_state(state)
    return ""


def same_distribution_as(got_print, function, shape, seed, cut, kwargs):
    """A test of a mutant: does it draw values with the student's fingerprint, while its own
    fingerprint differs from the reference's (a mutant that draws correctly explains nothing)?"""
    def fingerprint_of(draw):
        return fingerprint(np.asarray(draw(shape, case_rng(seed), **kwargs),
                                      dtype=float), cut)

    def alike(one, other):
        return all(abs(one[k][0] - other[k][0]) <= BOUND * math.hypot(one[k][1], other[k][1])
                   + 1e-15 for k in one)

    def reproduces(mutant):
        wrong_print = fingerprint_of(mutant)
        return (alike(got_print, wrong_print)
                and not alike(wrong_print, fingerprint_of(getattr(reference, function))))
    return reproduces


class Draw:
    """A seeded draw of `name`(shape, rng, **kwargs) from the student's code, and the failure
    reports about it, each naming the catalogued mistake whose draws look the same."""

    def __init__(self, impl, exercise, name, shape, seed, cut, builds_on="", **kwargs):
        self.exercise, self.name, self.shape, self.seed = exercise, name, shape, seed
        self.cut, self.builds_on, self.kwargs = cut, builds_on, kwargs
        self.call = call_text(name, shape, kwargs)
        self.values = getattr(impl, name)(shape, case_rng(seed), **kwargs)
        check_array(self.values, shape, exercise, self.call)
        self.fingerprint = fingerprint(self.values, cut)

    def expect(self, condition, message):
        __tracebackhide__ = True
        if not condition:
            note = mistake_note(self.exercise, self.name, same_distribution_as(
                self.fingerprint, self.name, self.shape, self.seed, self.cut, self.kwargs))
            fail(self.exercise, f"{self.call}: {message}{note}{self.builds_on}")


def check_distribution(draw, *, variance, target, spread, within_half_cut, kind):
    """Check the variance, mean and share within cut/2 of a draw against its distribution.

    `variance` is the distribution's variance (`target` says where it comes from), `spread` its
    μ₄/σ⁴ − 1, `within_half_cut` the probability of |x| <= cut/2, `kind` its name.
    """
    n = draw.values.size
    variance_seen = draw.fingerprint["variance"][0]
    variance_bound = BOUND * variance * math.sqrt(spread / n)
    draw.expect(margin(f"{draw.call} variance", abs(variance_seen - variance), variance_bound,
                       "<="),
                f"the variance of the {n} values is {variance_seen:.6g} "
                f"({variance_seen / variance:.4f} times the target); expected {target} = "
                f"{variance:.6g} (within ±{variance_bound:.3g}, five standard errors).")
    mean, mean_bound = draw.fingerprint["mean"][0], BOUND * math.sqrt(variance / n)
    draw.expect(margin(f"{draw.call} mean", abs(mean), mean_bound, "<="),
                f"the mean of the {n} values is {mean:.4g}; expected 0 (within "
                f"±{mean_bound:.3g}, five standard errors). The draws must be centred on 0.")
    share = draw.fingerprint["within"][0]
    share_bound = BOUND * math.sqrt(within_half_cut * (1 - within_half_cut) / n)
    draw.expect(margin(f"{draw.call} share within cut/2", abs(share - within_half_cut),
                       share_bound, "<="),
                f"{share:.2%} of the values lie within ±{draw.cut / 2:.6g}; a {kind} puts "
                f"{within_half_cut:.2%} there (±{share_bound:.2%}). The shape of the "
                "distribution is wrong.")


def check_normal(impl, exercise, name, shape, seed, expected_stddev, **kwargs):
    """A normal N(0, expected_stddev²); `kwargs` go to the function."""
    draw = Draw(impl, exercise, name, shape, seed, cut=2 * expected_stddev, **kwargs)
    check_distribution(draw, variance=expected_stddev ** 2,
                       target=f"stddev² = {expected_stddev}²", spread=NORMAL_SPREAD,
                       within_half_cut=NORMAL_WITHIN_ONE, kind="normal")


def check_truncated_normal(impl, exercise, name, shape, seed, *, variance, target,
                           builds_on="", **kwargs):
    """A normal truncated at two of its (pre-truncation) standard deviations, of `variance`."""
    cut = _CUT * math.sqrt(variance / TRUNCATED_M2)
    draw = Draw(impl, exercise, name, shape, seed, cut, builds_on, **kwargs)
    check_distribution(draw, variance=variance, target=target, spread=TRUNCATED_SPREAD,
                       within_half_cut=TRUNCATED_WITHIN_ONE,
                       kind="normal truncated at ±2 standard deviations")
    largest = float(np.max(np.abs(draw.values)))
    draw.expect(largest <= cut,
                f"a value of size {largest:.6g} lies beyond the cut at ±{cut:.6g} (2 standard "
                f"deviations before truncation); {int(np.sum(np.abs(draw.values) > cut))} values "
                "do. Redraw every value beyond the cut until none is left.")
    draw.expect(margin(f"{draw.call} reaches its cut", cut - largest, 0.01 * cut, "<="),
                f"the largest value is {largest:.6g}, but a normal truncated at ±{cut:.6g} "
                "reaches within 1% of its cut many times in this many draws.")
    at_cut = int(np.sum(np.abs(draw.values) >= cut * (1 - 1e-12)))
    draw.expect(at_cut <= 2,
                f"{at_cut} values sit exactly on the cut ±{cut:.6g}. Clipping piles the tails "
                "onto the cut; redraw them instead.")


def check_uniform(impl, exercise, name, shape, seed, *, limit, target, builds_on="", **kwargs):
    """U(−limit, limit): inside the limits, filling them, with variance limit²/3."""
    draw = Draw(impl, exercise, name, shape, seed, limit, builds_on, **kwargs)
    check_distribution(draw, variance=limit ** 2 / 3.0, target=f"limit²/3 for limit = {target}",
                       spread=UNIFORM_SPREAD, within_half_cut=0.5,
                       kind=f"uniform distribution on ±{limit:.6g}")
    low, high = float(np.min(draw.values)), float(np.max(draw.values))
    draw.expect(-limit <= low and high <= limit,
                f"the values range over [{low:.6g}, {high:.6g}], outside the limits "
                f"±{limit:.6g} = ±{target}.")
    draw.expect(margin(f"{draw.call} fills its limits", limit - np.array([-low, high]),
                       1e-3 * limit, "<="),
                f"the values range over [{low:.6g}, {high:.6g}] but should fill "
                f"[−{limit:.6g}, {limit:.6g}] = ±{target}: in this many draws some come within "
                "0.1% of each limit.")


# 6.1 fans -------------------------------------------------------------------------------------

# Shapes and their fans under Keras' rules, worked out by hand.
KERAS_FANS = [
    ((5,), (5, 5)),                    # a bias vector
    ((1,), (1, 1)),
    ((3, 7), (3, 7)),                  # a dense layer
    ((1, 1), (1, 1)),
    ((10, 1), (10, 1)),
    ((5, 16, 32), (80, 160)),          # a 1-D convolution, kernel width 5
    ((3, 3, 64, 128), (576, 1152)),    # a 2-D convolution, 3×3 kernel
    ((1, 1, 8, 4), (8, 4)),            # a 1×1 convolution is a dense layer
    ((2, 3, 4, 5, 6), (120, 144)),     # a 3-D convolution
]


@graded("6.1", points=2)
def test_fans_follow_keras_rules(impl):
    for shape, (fan_in, fan_out) in KERAS_FANS:
        call = f"fans({shape})"
        got = unpack(impl.fans(shape), 2, exercise="6.1", function=call,
                     names=("fan_in", "fan_out"))
        for value, label in zip(got, ("fan_in", "fan_out")):
            expect(isinstance(value, numbers.Integral) and not isinstance(value, bool), "6.1",
                   f"{call} returned {label} = {value!r} ({type(value).__name__}); expected an "
                   "int (a count of units). int(...) converts a NumPy number or a float.")
        if tuple(got) != (fan_in, fan_out):
            note = mistake_note("6.1", "fans",
                                lambda mutant: tuple(mutant(shape)) == tuple(got))
            fail("6.1", f"{call} returned (fan_in, fan_out) = {tuple(int(v) for v in got)}; "
                        f"expected {(fan_in, fan_out)}." + note)


@graded("6.1", points=1)
def test_fans_of_an_empty_shape_is_an_error(impl):
    try:
        got = impl.fans(())
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as error:
        fail("6.1", f"fans(()) raised {type(error).__name__}: {error}; an empty shape must raise "
                    "ValueError. Check len(shape) == 0 first and raise ValueError yourself.")
    fail("6.1", f"fans(()) returned {got!r}; an empty shape (a scalar) has no fan-in or fan-out, "
                "so fans must raise ValueError."
                + mistake_note("6.1", "fans", lambda mutant: mutant(()) == got))


# 6.2 zeros and random normal ------------------------------------------------------------------

@graded("6.2", points=1)
def test_zeros(impl):
    for shape in SHAPES:
        expect_array(impl.zeros(shape), np.zeros(shape), exercise="6.2",
                     function=f"zeros({shape})", rtol=0.0, atol=0.0)
    rng = case_rng(62)
    state = rng.bit_generator.state
    expect_array(impl.zeros((3, 4), rng), np.zeros((3, 4)), exercise="6.2",
                 function="zeros((3, 4), rng)", rtol=0.0, atol=0.0)
    expect(rng.bit_generator.state == state, "6.2",
           "zeros((3, 4), rng) drew numbers from rng; zeros accepts rng only to fit the "
           "weight_init(shape, rng) signature and must leave it untouched.")
    first, second = impl.zeros((2, 2)), impl.zeros((2, 2))
    expect(first is not second and not np.shares_memory(first, second), "6.2",
           "Two calls of zeros((2, 2)) returned the same array; make a new one each time.")


@graded("6.2", points=2)
def test_random_normal_statistics(impl):
    check_normal(impl, "6.2", "random_normal", (500, 400), 620, 0.05)  # Keras' default stddev
    check_normal(impl, "6.2", "random_normal", (200_000,), 621, 2.0, stddev=2.0)


@graded("6.2", points=1)
def test_random_normal_draws_only_from_its_rng(impl):
    check_shapes_and_dtype(impl, "6.2", "random_normal")
    check_draws_only_from_rng(impl, "6.2", "random_normal")
    check_draws_only_from_rng(impl, "6.2", "random_normal", stddev=0.3)


# 6.3 truncated normal -------------------------------------------------------------------------

@graded("6.3", points=3)
def test_truncated_normal_statistics_and_cut(impl):
    check_truncated_normal(impl, "6.3", "truncated_normal", (200_000,), 631,
                           variance=TRUNCATED_M2 * 1.5 ** 2,
                           target=f"{TRUNCATED_M2:.4f}·stddev² for stddev 1.5", stddev=1.5)
    check_truncated_normal(impl, "6.3", "truncated_normal", DENSE, 630,
                           variance=TRUNCATED_M2 * 0.05 ** 2,
                           target=f"{TRUNCATED_M2:.4f}·stddev² for Keras' default stddev 0.05")


@graded("6.3", points=1)
def test_truncated_normal_draws_only_from_its_rng(impl):
    check_shapes_and_dtype(impl, "6.3", "truncated_normal")
    check_draws_only_from_rng(impl, "6.3", "truncated_normal")
    check_draws_only_from_rng(impl, "6.3", "truncated_normal", stddev=0.3)


# 6.4 – 6.6 variance scaling: Glorot, He, LeCun ------------------------------------------------

BUILDS_ON = ("\n  If {name} calls your fans or truncated_normal, make exercises 6.1 and 6.3 pass "
             "first.")


def check_scaled_normal(impl, exercise, name, variance_of, formula):
    """A truncated normal whose variance is variance_of(fan_in, fan_out), on a dense and a conv
    shape. `formula` writes the variance in words, with {fan_in} and {fan_out} to fill in."""
    for seed, shape in enumerate((DENSE, CONV), start=int(exercise[-1]) * 100):
        fan_in, fan_out = FANS[shape]
        check_truncated_normal(impl, exercise, name, shape, seed,
                               variance=variance_of(fan_in, fan_out),
                               target=formula.format(fan_in=fan_in, fan_out=fan_out),
                               builds_on=BUILDS_ON.format(name=name))


def check_scaled_uniform(impl, exercise, name, limit_of, formula):
    """U(−limit, limit) with limit = limit_of(fan_in, fan_out), on a dense and a conv shape."""
    for seed, shape in enumerate((DENSE, CONV), start=int(exercise[-1]) * 100 + 50):
        fan_in, fan_out = FANS[shape]
        check_uniform(impl, exercise, name, shape, seed, limit=limit_of(fan_in, fan_out),
                      target=formula.format(fan_in=fan_in, fan_out=fan_out),
                      builds_on=f"\n  If {name} calls your fans, make exercise 6.1 pass first.")


@graded("6.4", points=2)
def test_glorot_normal_statistics(impl):
    check_scaled_normal(impl, "6.4", "glorot_normal", lambda fi, fo: 2.0 / (fi + fo),
                        "2 / (fan_in + fan_out) = 2 / ({fan_in} + {fan_out})")


@graded("6.4", points=2)
def test_glorot_uniform_statistics(impl):
    check_scaled_uniform(impl, "6.4", "glorot_uniform", lambda fi, fo: math.sqrt(6.0 / (fi + fo)),
                         "sqrt(6 / (fan_in + fan_out)) = sqrt(6 / ({fan_in} + {fan_out}))")


@graded("6.4", points=1)
def test_glorot_draws_only_from_its_rng(impl):
    for name in ("glorot_normal", "glorot_uniform"):
        check_shapes_and_dtype(impl, "6.4", name)
        check_draws_only_from_rng(impl, "6.4", name)


@graded("6.5", points=2)
def test_he_normal_statistics(impl):
    check_scaled_normal(impl, "6.5", "he_normal", lambda fi, fo: 2.0 / fi,
                        "2 / fan_in = 2 / {fan_in}")


@graded("6.5", points=2)
def test_he_uniform_statistics(impl):
    check_scaled_uniform(impl, "6.5", "he_uniform", lambda fi, fo: math.sqrt(6.0 / fi),
                         "sqrt(6 / fan_in) = sqrt(6 / {fan_in})")


@graded("6.5", points=1)
def test_he_draws_only_from_its_rng(impl):
    for name in ("he_normal", "he_uniform"):
        check_shapes_and_dtype(impl, "6.5", name)
        check_draws_only_from_rng(impl, "6.5", name)


@graded("6.6", points=2)
def test_lecun_normal_statistics(impl):
    check_scaled_normal(impl, "6.6", "lecun_normal", lambda fi, fo: 1.0 / fi,
                        "1 / fan_in = 1 / {fan_in}")


@graded("6.6", points=2)
def test_lecun_uniform_statistics(impl):
    check_scaled_uniform(impl, "6.6", "lecun_uniform", lambda fi, fo: math.sqrt(3.0 / fi),
                         "sqrt(3 / fan_in) = sqrt(3 / {fan_in})")


@graded("6.6", points=1)
def test_lecun_draws_only_from_its_rng(impl):
    for name in ("lecun_normal", "lecun_uniform"):
        check_shapes_and_dtype(impl, "6.6", name)
        check_draws_only_from_rng(impl, "6.6", name)


# 6.7 init_mlp and symmetry --------------------------------------------------------------------

class RecordingInit:
    """A weight_init that remembers how it was called and returns recognisable weights: the
    k-th call fills its array with k + 0.01·(0, 1, 2, ...)."""

    def __init__(self):
        self.calls = []

    def __call__(self, shape, rng):
        self.calls.append((shape, rng))
        size = int(np.prod(shape))
        return len(self.calls) + 0.01 * np.arange(size, dtype=np.float64).reshape(shape)


def constant_init(shape, rng):
    """Every weight 0.5: not zero, but just as symmetric."""
    return np.full(shape, 0.5)


def layout_of(init_mlp, sizes, seed=67):
    """What init_mlp builds, in a comparable form: per layer the shapes of W and b, whether b is
    zero and W is weight_init's k-th output; and whether weight_init saw the caller's rng."""
    weight_init, rng = RecordingInit(), case_rng(seed)
    params = init_mlp(list(sizes), weight_init, rng)
    layers = []
    for k, (W, b) in enumerate(params):
        expected_W = 1 + k + 0.01 * np.arange(np.size(W)).reshape(np.shape(W))
        layers.append((np.shape(W), np.shape(b), bool(np.all(np.asarray(b) == 0)),
                       bool(np.allclose(W, expected_W))))
    return tuple(layers), all(r is rng for _, r in weight_init.calls)


def init_mlp_note(impl, sizes):
    try:
        seen = layout_of(impl.init_mlp, sizes)
    except Exception:  # a layout we cannot even read matches no mistake
        return ""
    return mistake_note("6.7", "init_mlp", lambda mutant: layout_of(mutant, sizes) == seen)


def check_params(impl, params, sizes, call, weights=None):
    """`params` is a list of (W, b), one per layer of `sizes`, with W (n_in, n_out) float64 and
    b zeros of shape (n_out,); W equals weights[k] where those are known. Returns the pairs."""
    expect(isinstance(params, (list, tuple)), "6.7",
           f"{call} returned {type(params).__name__}; expected a list of (W, b) pairs, one per "
           "layer.")
    expect(len(params) == len(sizes) - 1, "6.7",
           f"{call} returned {len(params)} layers; {list(sizes)} has {len(sizes) - 1}: one per "
           "pair of consecutive sizes." + init_mlp_note(impl, sizes))
    pairs = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        where = f"layer {k + 1} of {call}"
        W, b = unpack(params[k], 2, exercise="6.7", function=where, names=("W", "b"))
        if np.shape(W) != (n_in, n_out) or np.shape(b) != (n_out,):
            fail("6.7", f"{where}: W has shape {np.shape(W)} and b has shape {np.shape(b)}; "
                        f"expected W {(n_in, n_out)} (so that Z = X @ W + b) and b {(n_out,)}."
                        + init_mlp_note(impl, sizes))
        if weights is None:
            check_array(W, (n_in, n_out), "6.7", f"W of {where}")
        else:
            expect_array(W, weights[k], exercise="6.7",
                         function=f"W of {where}, which must be exactly what "
                                  f"weight_init({(n_in, n_out)}, rng) returns")
        if not (isinstance(b, np.ndarray) and np.all(b == 0)):
            fail("6.7", f"b of {where} is not all zeros. Biases start at 0; only W comes from "
                        "weight_init." + init_mlp_note(impl, sizes))
        expect_array(b, np.zeros(n_out), exercise="6.7", function=f"b of {where}")
        pairs.append((W, b))
    return pairs


@graded("6.7", points=2)
def test_init_mlp_layout(impl):
    for sizes in ([2, 4, 1], [3, 5, 4, 2], [1, 1], [784, 30, 10]):
        weight_init, rng = RecordingInit(), case_rng(67)
        call = f"init_mlp({sizes}, weight_init, rng)"
        params = impl.init_mlp(list(sizes), weight_init, rng)
        shapes = [tuple(shape) if isinstance(shape, (tuple, list)) else shape
                  for shape, _ in weight_init.calls]
        expected_shapes = list(zip(sizes[:-1], sizes[1:]))
        expect(shapes == expected_shapes, "6.7",
               f"{call} called weight_init with the shapes {shapes}; expected one call per "
               f"layer, first layer first, with (n_in, n_out): {expected_shapes}."
               + init_mlp_note(impl, sizes))
        expect(all(r is rng for _, r in weight_init.calls), "6.7",
               f"{call} did not pass its rng on to weight_init. Hand the caller's Generator to "
               "weight_init so that the caller's seed decides the weights."
               + init_mlp_note(impl, sizes))
        weights = [RecordingInit()(shape, None) + k for k, shape in enumerate(expected_shapes)]
        check_params(impl, params, sizes, call, weights)


# A 1-hidden-layer tanh net with a linear output, trained by full-batch gradient descent on the
# mean squared error; written here so that the test depends on no other unit. The rate is small
# enough that descent is smooth (at 0.5 the loss swings chaotically from epoch to epoch, and the
# last epoch's value then depends on the BLAS kernel's rounding): over Glorot starts from seeds
# 0-39 the trained loss is at most 0.26 of the symmetric nets', against the 0.5 asked below.
GRID = np.linspace(-1.0, 1.0, 5)
X_TRAIN = np.array([(a, b) for a in GRID for b in GRID])
Y_TRAIN = (X_TRAIN[:, 0] * X_TRAIN[:, 1])[:, np.newaxis]  # an XOR-like saddle


def mse(params, X, y):
    (W1, b1), (W2, b2) = params
    return float(np.mean((np.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2))


def train_tanh_net(params, X, y, epochs=300, learning_rate=0.2):
    (W1, b1), (W2, b2) = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    for _ in range(epochs):
        H = np.tanh(X @ W1 + b1)
        d_out = 2.0 * (H @ W2 + b2 - y) / y.size
        d_pre = (d_out @ W2.T) * (1.0 - H ** 2)
        W2, b2 = W2 - learning_rate * H.T @ d_out, b2 - learning_rate * d_out.sum(axis=0)
        W1, b1 = W1 - learning_rate * X.T @ d_pre, b1 - learning_rate * d_pre.sum(axis=0)
    return [(W1, b1), (W2, b2)]


def hidden_units(params):
    """One row per hidden unit: its incoming weights, its bias and its outgoing weights."""
    (W1, b1), (W2, _) = params
    return np.column_stack([W1.T, b1, W2])


@graded("6.7", points=2)
def test_zeros_cannot_break_symmetry(impl):
    sizes, symmetric_losses = [2, 4, 1], []
    for init, label in ((reference.zeros, "zeros"), (constant_init, "constant 0.5")):
        call = f"init_mlp({sizes}, {label}, rng)"
        params = check_params(impl, impl.init_mlp(list(sizes), init, case_rng(6)),
                              sizes, call, [init((2, 4), None), init((4, 1), None)])
        trained = train_tanh_net(params, X_TRAIN, Y_TRAIN)
        units = hidden_units(trained)
        expect(np.allclose(units, units[0], rtol=0.0, atol=1e-9), "6.7",
               f"After training a net from {call}, its hidden units differ:\n{units}\nUnits that "
               "start equal get equal gradients and must stay equal; did init_mlp add "
               "randomness of its own?" + init_mlp_note(impl, sizes))
        symmetric_losses.append(mse(trained, X_TRAIN, Y_TRAIN))
    call = f"init_mlp({sizes}, glorot_uniform, rng)"
    params = check_params(impl, impl.init_mlp(list(sizes), reference.glorot_uniform,
                                              case_rng(6)), sizes, call)
    trained = train_tanh_net(params, X_TRAIN, Y_TRAIN)
    units = hidden_units(trained)
    gaps = [np.max(np.abs(units[i] - units[j])) for i in range(4) for j in range(i)]
    expect(margin("6.7 trained units differ", min(gaps), 1e-3, ">"), "6.7",
           f"After training a net from {call}, two hidden units are (nearly) equal:\n{units}\n"
           "Random weights from weight_init should make every unit different.")
    # Four equal tanh units act as one and cannot bend to the saddle; four different ones can.
    loss = mse(trained, X_TRAIN, Y_TRAIN)
    expect(margin("6.7 Glorot vs symmetric loss", loss, 0.5 * min(symmetric_losses), "<"),
           "6.7",
           f"A net from {call} reached a loss of {loss:.4g} after training, not much better than "
           f"the symmetric nets ({min(symmetric_losses):.4g}); check that W comes from "
           "weight_init.")
