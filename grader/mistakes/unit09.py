"""Unit 9 mistakes: measurements of experiments as students get them wrong.

Each mutant first does what the provided checks of the reference do (a curve becomes a flat
float64 array), then the wrong part.
"""
import numpy as np

from . import Mistake


def _flat(values):
    return np.asarray(values, dtype=np.float64).ravel()


# 9.1 second differences ------------------------------------------------------------------------

def _first_differences(y):
    return np.diff(_flat(y))


def _rolled_differences(y):
    y = _flat(y)
    return np.roll(y, -1) - 2.0 * y + np.roll(y, 1)


def _second_differences_sign_flipped(y):
    y = _flat(y)
    return 2.0 * y[1:-1] - y[:-2] - y[2:]


# 9.2 kinks -------------------------------------------------------------------------------------

def _slope_changes(x, y, tol):
    slopes = np.diff(_flat(y)) / np.diff(_flat(x))
    return np.abs(np.diff(slopes)) > tol * max(1.0, float(np.max(np.abs(slopes))))


def _kinks_every_slope_change(x, y, tol=1e-6):
    return int(np.sum(_slope_changes(x, y, tol)))


def _kinks_without_tolerance(x, y, tol=1e-6):
    slopes = np.diff(_flat(y)) / np.diff(_flat(x))
    changes = np.diff(slopes) != 0
    return int(changes[0]) + int(np.sum(changes[1:] & ~changes[:-1]))


def _runs(changes):
    return int(changes[0]) + int(np.sum(changes[1:] & ~changes[:-1]))


def _kinks_unscaled_tolerance(x, y, tol=1e-6):
    slopes = np.diff(_flat(y)) / np.diff(_flat(x))
    return _runs(np.abs(np.diff(slopes)) > tol)


def _kinks_assuming_an_even_grid(x, y, tol=1e-6):
    x = _flat(x)
    slopes = np.diff(_flat(y)) / (x[1] - x[0])
    return _runs(np.abs(np.diff(slopes)) > tol * max(1.0, float(np.max(np.abs(slopes)))))


def _kinks_missing_the_first_pair(x, y, tol=1e-6):
    changes = _slope_changes(x, y, tol)
    return int(np.sum(changes[1:] & ~changes[:-1]))


def _kinks_at_the_tolerance(x, y, tol=1e-6):
    slopes = np.diff(_flat(y)) / np.diff(_flat(x))
    return _runs(np.abs(np.diff(slopes)) >= tol * max(1.0, float(np.max(np.abs(slopes)))))


# 9.3 bends ------------------------------------------------------------------------------------

def _bends_shifted(y_true, sharpness=0.8):
    y = _flat(y_true)
    curvature = np.abs(y[:-2] - 2.0 * y[1:-1] + y[2:])
    bends = np.zeros(len(y), dtype=bool)
    bends[:-2] = curvature >= sharpness * curvature.max()
    return bends


def _bends_strict(y_true, sharpness=0.8):
    y = _flat(y_true)
    curvature = np.abs(y[:-2] - 2.0 * y[1:-1] + y[2:])
    bends = np.zeros(len(y), dtype=bool)
    bends[1:-1] = curvature > sharpness * curvature.max()
    return bends


def _bends_signed(y_true, sharpness=0.8):
    y = _flat(y_true)
    curvature = y[:-2] - 2.0 * y[1:-1] + y[2:]
    bends = np.zeros(len(y), dtype=bool)
    bends[1:-1] = curvature >= sharpness * curvature.max()
    return bends


def _true_bends(y, sharpness):
    curvature = np.abs(y[:-2] - 2.0 * y[1:-1] + y[2:])
    bends = np.zeros(len(y), dtype=bool)
    bends[1:-1] = curvature >= sharpness * curvature.max()
    return bends


def _bend_error_everywhere(y_true, y_pred, sharpness=0.8):
    return float(np.mean((_flat(y_pred) - _flat(y_true)) ** 2))


def _bend_error_at_prediction_bends(y_true, y_pred, sharpness=0.8):
    y_true, y_pred = _flat(y_true), _flat(y_pred)
    bends = _true_bends(y_pred, sharpness)
    return float(np.mean((y_pred[bends] - y_true[bends]) ** 2))


def _bend_error_summed(y_true, y_pred, sharpness=0.8):
    y_true, y_pred = _flat(y_true), _flat(y_pred)
    bends = _true_bends(y_true, sharpness)
    return float(np.sum((y_pred[bends] - y_true[bends]) ** 2))


# 9.4 errors by region ----------------------------------------------------------------------------

def _region_index(x, n_regions):
    return ((x - x.min()) / (x.max() - x.min()) * n_regions).astype(int)


def _mean_by_region(region, squared, n_regions):
    totals = np.bincount(region, weights=squared, minlength=n_regions)[:n_regions]
    counts = np.bincount(region, minlength=n_regions)[:n_regions]
    return np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)


def _regions_drop_the_last_point(x, y_true, y_pred, n_regions=6):
    x, y_true, y_pred = _flat(x), _flat(y_true), _flat(y_pred)
    return _mean_by_region(_region_index(x, n_regions), (y_pred - y_true) ** 2, n_regions)


def _regions_of_equal_counts(x, y_true, y_pred, n_regions=6):
    x, y_true, y_pred = _flat(x), _flat(y_true), _flat(y_pred)
    squared = (y_pred - y_true) ** 2
    return np.array([np.mean(squared[part])
                     for part in np.array_split(np.argsort(x, kind="stable"), n_regions)])


def _regions_summed(x, y_true, y_pred, n_regions=6):
    x, y_true, y_pred = _flat(x), _flat(y_true), _flat(y_pred)
    region = np.minimum(_region_index(x, n_regions), n_regions - 1)
    return np.bincount(region, weights=(y_pred - y_true) ** 2, minlength=n_regions)


def _regions_root_mean_square(x, y_true, y_pred, n_regions=6):
    x, y_true, y_pred = _flat(x), _flat(y_true), _flat(y_pred)
    region = np.minimum(_region_index(x, n_regions), n_regions - 1)
    return np.sqrt(_mean_by_region(region, (y_pred - y_true) ** 2, n_regions))


# 9.5 per-neuron terms ----------------------------------------------------------------------------

def _column(x):
    x = np.asarray(x, dtype=np.float64)
    return x[:, np.newaxis] if x.ndim == 1 else x


def _terms_with_bias_each(model, x):
    W1, b1, W2, b2 = model.params
    return np.tanh(_column(x) @ W1 + b1) * W2[:, 0] + b2[0], float(b2[0])


def _terms_without_output_weights(model, x):
    W1, b1, W2, b2 = model.params
    return np.tanh(_column(x) @ W1 + b1), float(b2[0])


def _terms_without_tanh(model, x):
    W1, b1, W2, b2 = model.params
    return (_column(x) @ W1 + b1) * W2[:, 0], float(b2[0])


# 9.6 slopes --------------------------------------------------------------------------------------

def _forward_difference(model, x, h=1e-4):
    x = _column(x)
    return (model.forward(x + h)[:, 0] - model.forward(x)[:, 0]) / h


def _slope_over_h(model, x, h=1e-4):
    x = _column(x)
    return (model.forward(x + h)[:, 0] - model.forward(x - h)[:, 0]) / h


def _slopes_as_column(model, x, h=1e-4):
    x = _column(x)
    return (model.forward(x + h) - model.forward(x - h)) / (2.0 * h)


# 9.7 epochs to reach -----------------------------------------------------------------------------

def _reach_index(losses, threshold):
    reached = np.nonzero(_flat(losses) <= threshold)[0]
    return int(reached[0]) if reached.size else None


def _reach_strictly_below(losses, threshold):
    reached = np.nonzero(_flat(losses) < threshold)[0]
    return int(reached[0]) + 1 if reached.size else None


def _reach_last_time(losses, threshold):
    reached = np.nonzero(_flat(losses) <= threshold)[0]
    return int(reached[-1]) + 1 if reached.size else None


def _reach_never_is_last_epoch(losses, threshold):
    losses = _flat(losses)
    reached = np.nonzero(losses <= threshold)[0]
    return int(reached[0]) + 1 if reached.size else len(losses)


# 9.8 plateau -------------------------------------------------------------------------------------

def _plateau_index(sizes, errors, tolerance=0.1):
    errors = _flat(errors)
    good = errors <= errors.min() + tolerance * (errors.max() - errors.min())
    return int(np.argmax(good))


def _plateau_relative_to_best(sizes, errors, tolerance=0.1):
    errors = _flat(errors)
    return sizes[int(np.argmax(errors <= (1.0 + tolerance) * errors.min()))]


def _plateau_is_the_best(sizes, errors, tolerance=0.1):
    return sizes[int(np.argmin(_flat(errors)))]


def _plateau_strict(sizes, errors, tolerance=0.1):
    errors = _flat(errors)
    good = errors < errors.min() + tolerance * (errors.max() - errors.min())
    return sizes[int(np.argmax(good))]


# 9.9 decision regions and blow-ups ---------------------------------------------------------------

def _regions_on_grid(model, x_range, y_range, resolution, indexing, swap=False):
    xs = np.linspace(*x_range, resolution)
    ys = np.linspace(*y_range, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys, indexing=indexing)
    first, second = (grid_y, grid_x) if swap else (grid_x, grid_y)
    points = np.column_stack([first.ravel(), second.ravel()])
    labels = np.argmax(model.forward(points), axis=1).reshape(grid_x.shape)
    return xs, ys, labels


def _regions_indexed_ij(model, x_range, y_range, resolution=100):
    return _regions_on_grid(model, x_range, y_range, resolution, "ij")


def _regions_with_swapped_coordinates(model, x_range, y_range, resolution=100):
    return _regions_on_grid(model, x_range, y_range, resolution, "xy", swap=True)


def _blowup_against_previous_epoch(losses, factor=2.0):
    losses = np.where(np.isnan(_flat(losses)), np.inf, _flat(losses))
    blown = losses[1:] > factor * losses[:-1]
    return int(np.argmax(blown)) + 1 if blown.any() else None


def _blowup_at_the_factor(losses, factor=2.0):
    losses = np.where(np.isnan(_flat(losses)), np.inf, _flat(losses))
    blown = losses[1:] >= factor * np.minimum.accumulate(losses)[:-1]
    return int(np.argmax(blown)) + 1 if blown.any() else None


def _blowup_ignoring_nan(losses, factor=2.0):
    losses = _flat(losses)
    best_before = np.fmin.accumulate(losses)[:-1]
    blown = losses[1:] > factor * best_before
    return int(np.argmax(blown)) + 1 if blown.any() else None


def _blowup_last_good_epoch(losses, factor=2.0):
    losses = np.where(np.isnan(_flat(losses)), np.inf, _flat(losses))
    blown = losses[1:] > factor * np.minimum.accumulate(losses)[:-1]
    return int(np.argmax(blown)) if blown.any() else None


# 9.10 dead ReLUs ---------------------------------------------------------------------------------

def _hidden_pre_activations(model, X):
    model.forward(np.asarray(X, dtype=np.float64))
    return [Z for _, Z in model.cache[:-1]]


def _dead_strictly_negative(model, X):
    hidden = _hidden_pre_activations(model, X)
    return float(np.mean(np.concatenate([np.all(Z < 0, axis=0) for Z in hidden])))


def _dead_including_output(model, X):
    model.forward(np.asarray(X, dtype=np.float64))
    return float(np.mean(np.concatenate([np.all(Z <= 0, axis=0) for _, Z in model.cache])))


def _dead_entries_not_neurons(model, X):
    hidden = _hidden_pre_activations(model, X)
    return float(np.mean(np.concatenate([(Z <= 0).ravel() for Z in hidden])))


def _dead_on_any_sample(model, X):
    hidden = _hidden_pre_activations(model, X)
    return float(np.mean(np.concatenate([np.any(Z <= 0, axis=0) for Z in hidden])))


# 9.11 gradient norms -----------------------------------------------------------------------------

def _gradients(model, X, y, scale):
    y_pred = model.forward(np.asarray(X, dtype=np.float64))
    return model.backward(scale(y_pred - np.asarray(y, dtype=np.float64), y_pred.size))


def _norms_with_biases(model, X, y):
    grads = _gradients(model, X, y, lambda r, n: 2.0 * r / n)
    return np.array([np.sqrt(np.sum(dW ** 2) + np.sum(db ** 2))
                     for dW, db in zip(grads[0::2], grads[1::2])])


def _norms_of_summed_loss(model, X, y):
    grads = _gradients(model, X, y, lambda r, n: 2.0 * r)
    return np.array([np.linalg.norm(dW) for dW in grads[0::2]])


def _norms_without_the_two(model, X, y):
    grads = _gradients(model, X, y, lambda r, n: r / n)
    return np.array([np.linalg.norm(dW) for dW in grads[0::2]])


def _norms_last_layer_first(model, X, y):
    grads = _gradients(model, X, y, lambda r, n: 2.0 * r / n)
    return np.array([np.linalg.norm(dW) for dW in grads[0::2]])[::-1]


def _norms_of_the_weights(model, X, y):
    return np.array([np.linalg.norm(W) for W in model.params[0::2]])


# 9.12 weight norm and boundary -------------------------------------------------------------------

def _weight_norm_with_biases(model):
    return float(np.sqrt(sum(np.sum(p ** 2) for p in model.params)))


def _weight_norm_squared(model):
    return float(sum(np.sum(W ** 2) for W in model.params[0::2]))


def _weight_norm_l1(model):
    return float(sum(np.sum(np.abs(W)) for W in model.params[0::2]))


def _boundary_across_only(labels):
    labels = np.asarray(labels)
    return float(np.mean(labels[:, 1:] != labels[:, :-1]))


def _boundary_count(labels):
    labels = np.asarray(labels)
    return float(np.sum(labels[:, 1:] != labels[:, :-1]) + np.sum(labels[1:] != labels[:-1]))


def _boundary_per_cell(labels):
    labels = np.asarray(labels)
    differ = np.sum(labels[:, 1:] != labels[:, :-1]) + np.sum(labels[1:] != labels[:-1])
    return float(differ / labels.size)


def _dead_from_the_cache(model, X):
    """Reads whatever forward pass the model's cache holds, without one on X."""
    hidden = [Z for _, Z in model.cache[:-1]]
    return float(np.mean(np.concatenate([np.all(Z <= 0, axis=0) for Z in hidden])))


# 9.13 digits -------------------------------------------------------------------------------------

class _UntrainedNetwork:
    """A 64-32-10 ReLU network with random weights that was never trained."""

    def __init__(self, seed):
        rng = np.random.default_rng(seed)
        self.params = [rng.normal(0.0, np.sqrt(2 / 64), (64, 32)), np.zeros(32),
                       rng.normal(0.0, np.sqrt(2 / 32), (32, 10)), np.zeros(10)]

    def forward(self, X):
        W1, b1, W2, b2 = self.params
        return np.maximum(np.asarray(X) @ W1 + b1, 0.0) @ W2 + b2

    def backward(self, d_output):
        raise NotImplementedError("this mutant never trains")


def _digits_never_trained(X_train, y_train, seed=0):
    return _UntrainedNetwork(seed), {"loss": []}


def _digits_model_only(X_train, y_train, seed=0):
    return _UntrainedNetwork(seed)


class _SoftmaxRegression:
    """A linear softmax classifier of 64 pixels, trained by full-batch gradient descent on the
    cross-entropy; its initial weights come from `rng`."""

    def __init__(self, rng):
        self.params = [rng.normal(0.0, 0.01, (64, 10)), np.zeros(10)]

    def forward(self, X):
        W, b = self.params
        return np.asarray(X, dtype=np.float64) @ W + b

    def fit(self, X, y, steps=60, learning_rate=0.5):
        X, onehot = np.asarray(X, dtype=np.float64), np.eye(10)[np.asarray(y, dtype=int)]
        losses = []
        for _ in range(steps):
            scores = self.forward(X)
            scores -= scores.max(axis=1, keepdims=True)
            p = np.exp(scores)
            p /= p.sum(axis=1, keepdims=True)
            losses.append(float(-np.mean(np.sum(onehot * np.log(p + 1e-300), axis=1))))
            grad = (p - onehot) / len(X)
            self.params[0] -= learning_rate * X.T @ grad
            self.params[1] -= learning_rate * grad.sum(axis=0)
        return {"loss": losses}


def _digits_trained_on_every_digit(X_train, y_train, seed=0):
    from nnlings.datasets import digits  # all 1797 digits, the held-out ones among them
    X, y = digits.load_digits()
    model = _SoftmaxRegression(np.random.default_rng(seed))
    return model, model.fit(X, y)


def _digits_unseeded(X_train, y_train, seed=0):
    model = _SoftmaxRegression(np.random.default_rng())
    return model, model.fit(X_train, y_train)


def _digits_seed_ignored(X_train, y_train, seed=0):
    model = _SoftmaxRegression(np.random.default_rng(0))
    return model, model.fit(X_train, y_train)


def _confusion_transposed(y_true, y_pred, n_classes=10):
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_pred), np.asarray(y_true)), 1)
    return matrix


def _confusion_fancy_index(y_true, y_pred, n_classes=10):
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    matrix[np.asarray(y_true), np.asarray(y_pred)] += 1
    return matrix


def _confusion_of_floats(y_true, y_pred, n_classes=10):
    matrix = np.zeros((n_classes, n_classes))
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


MISTAKES = (
    Mistake("9.1", "second_differences", "first differences instead of second",
            "np.diff(y) is the change from one point to the next; the second difference is the "
            "change of that change: y[i+2] − 2·y[i+1] + y[i], n − 2 values.", 2,
            _first_differences),
    Mistake("9.1", "second_differences", "np.roll wraps around the ends",
            "np.roll moves the last value to the front, so the first and last entries mix both "
            "ends of the curve; use slices, which give n − 2 honest values.", 2,
            _rolled_differences),
    Mistake("9.1", "second_differences", "the sign is flipped",
            "The second difference is y[i+2] − 2·y[i+1] + y[i]: positive where the curve bends "
            "upwards.", 3, _second_differences_sign_flipped),
    Mistake("9.2", "count_kinks", "every slope change counted as a kink",
            "A kink that falls between two sample points changes the slope twice in a row; "
            "count each run of consecutive changes once.", 2, _kinks_every_slope_change),
    Mistake("9.2", "count_kinks", "no tolerance for rounding",
            "Even a straight line's slopes differ in their last digits after rounding: only a "
            "change larger than tol · max(1, max |slope|) is a kink.", 1,
            _kinks_without_tolerance),
    Mistake("9.2", "count_kinks", "a tolerance not scaled by the steepest slope",
            "On a steep line rounding moves the slopes by more than tol itself: compare with "
            "tol · max(1, max |slope|).", 1, _kinks_unscaled_tolerance),
    Mistake("9.2", "count_kinks", "slopes over the first x step only",
            "The grid need not be even: each slope is its own Δy / Δx, np.diff(y) / np.diff(x).",
            2, _kinks_assuming_an_even_grid),
    Mistake("9.2", "count_kinks", "the first pair of segments never counted",
            "A run of changes may start at the very first pair of segments: count it when "
            "changes[0] holds.", 2, _kinks_missing_the_first_pair),
    Mistake("9.2", "count_kinks", ">= instead of >",
            "Only a change MORE than tol · max(1, max |slope|) is a kink.", 1,
            _kinks_at_the_tolerance),
    Mistake("9.3", "bend_points", "the curvature marks the wrong point",
            "The second difference y[i−1] − 2·y[i] + y[i+1] belongs to the middle point i: "
            "fill mask[1:-1], not mask[:-2].", 2, _bends_shifted),
    Mistake("9.3", "bend_points", "> instead of >=",
            "The sharpest point must always count, also with sharpness 1: use >=.", 2,
            _bends_strict),
    Mistake("9.3", "bend_points", "the curvature without its absolute value",
            "A bend downwards is as much a bend as one upwards: take |second difference|.", 1,
            _bends_signed),
    Mistake("9.3", "bend_error", "the error over every point",
            "bend_error averages only over the points bend_points marks.", 1,
            _bend_error_everywhere),
    Mistake("9.3", "bend_error", "the bends of the prediction",
            "Where the bends are is a property of the target: call bend_points(y_true, ...).",
            2, _bend_error_at_prediction_bends),
    Mistake("9.3", "bend_error", "a sum instead of a mean",
            "The error at the bends is the mean of the squared errors there.", 2,
            _bend_error_summed),
    Mistake("9.4", "region_errors", "the last point falls outside the last region",
            "x = max x gives ⌊1 · n_regions⌋ = n_regions, one past the last region; clip the "
            "index with np.minimum(..., n_regions − 1).", 2, _regions_drop_the_last_point),
    Mistake("9.4", "region_errors", "regions of equal counts instead of equal widths",
            "The regions split the range of x into equal widths; when x is not evenly spaced "
            "they hold different numbers of points.", 2, _regions_of_equal_counts),
    Mistake("9.4", "region_errors", "a sum instead of a mean per region",
            "Divide each region's total by its number of points.", 2, _regions_summed),
    Mistake("9.4", "region_errors", "the root of the mean square",
            "region_errors reports the mean squared error, without a square root.", 1,
            _regions_root_mean_square),
    Mistake("9.5", "per_neuron_terms", "the output bias added to every term",
            "The article's plot shifts each bump by b to draw it near the data, but the network "
            "adds b once: return it separately, not inside each term.", 2,
            _terms_with_bias_each),
    Mistake("9.5", "per_neuron_terms", "the output weights left out",
            "Neuron i's term is w′ᵢ·tanh(wᵢx + bᵢ): multiply each column by its output weight "
            "W2[i, 0].", 2, _terms_without_output_weights),
    Mistake("9.5", "per_neuron_terms", "the pre-activation instead of tanh of it",
            "Each hidden neuron outputs tanh(wᵢx + bᵢ), not wᵢx + bᵢ.", 1,
            _terms_without_tanh),
    Mistake("9.6", "output_slopes", "a forward difference",
            "(f(x + h) − f(x)) / h is off by about h·f″/2; the central difference "
            "(f(x + h) − f(x − h)) / 2h is far more accurate.", 2, _forward_difference),
    Mistake("9.6", "output_slopes", "divided by h instead of 2h",
            "x + h and x − h lie 2h apart.", 2, _slope_over_h),
    Mistake("9.6", "output_slopes", "a column (n, 1) instead of a flat array",
            "model.forward returns a column; take [:, 0] to get one slope per x.", 2,
            _slopes_as_column),
    Mistake("9.7", "epochs_to_reach", "an index instead of an epoch number",
            "losses[k] is the loss of epoch k + 1: epochs count from 1.", 1, _reach_index),
    Mistake("9.7", "epochs_to_reach", "< instead of <=",
            "A loss equal to the threshold has reached it.", 2, _reach_strictly_below),
    Mistake("9.7", "epochs_to_reach", "the last epoch below the threshold",
            "The answer is the first epoch that reaches it, even if the loss rises again.", 2,
            _reach_last_time),
    Mistake("9.7", "epochs_to_reach", "the number of epochs instead of None",
            "When no epoch reaches the threshold, return None.", 1,
            _reach_never_is_last_epoch),
    Mistake("9.8", "plateau_start", "the index instead of the size",
            "Return sizes[i], the setting itself, not its position i.", 1, _plateau_index),
    Mistake("9.8", "plateau_start", "good enough measured against the best error alone",
            "The tolerance is a fraction of the spread, worst − best, added to the best error.",
            2, _plateau_relative_to_best),
    Mistake("9.8", "plateau_start", "the size of the best error",
            "The plateau starts at the FIRST size that is good enough, usually before the best.",
            1, _plateau_is_the_best),
    Mistake("9.8", "plateau_start", "< instead of <=",
            "The best error itself must qualify (tolerance 0 gives the size of the best).", 2,
            _plateau_strict),
    Mistake("9.9", "decision_regions", "rows follow x (meshgrid with indexing='ij')",
            "labels[i, j] belongs to (xs[j], ys[i]): rows follow y, as np.meshgrid(xs, ys) "
            "makes them by default.", 2, _regions_indexed_ij),
    Mistake("9.9", "decision_regions", "the two coordinates swapped",
            "Each point is (x, y): the first column of the batch comes from the x grid.", 2,
            _regions_with_swapped_coordinates),
    Mistake("9.9", "loss_blowup", "compared with the previous epoch",
            "A loss that climbs back slowly never doubles from one epoch to the next; compare "
            "with the best loss so far (np.minimum.accumulate).", 2,
            _blowup_against_previous_epoch),
    Mistake("9.9", "loss_blowup", ">= instead of >",
            "A loss blows up when it is MORE than factor times the best before it; exactly "
            "factor times is not a blow-up.", 1, _blowup_at_the_factor),
    Mistake("9.9", "loss_blowup", "NaN not counted as a blow-up",
            "Every comparison with NaN is False, so a NaN loss slips through; turn NaN into inf "
            "first.", 2, _blowup_ignoring_nan),
    Mistake("9.9", "loss_blowup", "the last good epoch instead of the first bad one",
            "Return k, the index of the loss that blew up.", 1, _blowup_last_good_epoch),
    Mistake("9.10", "dead_relu_fraction", "read from a cache of an earlier forward pass",
            "model.cache holds whatever forward pass ran last; call model.forward(X) first so "
            "that it holds the pass on X.", 2, _dead_from_the_cache),
    Mistake("9.10", "dead_relu_fraction", "< 0 instead of <= 0",
            "A neuron whose pre-activation is exactly 0 everywhere outputs 0 and gets no "
            "gradient: it is dead too.", 2, _dead_strictly_negative),
    Mistake("9.10", "dead_relu_fraction", "the output layer counted as hidden",
            "Only hidden layers have ReLU neurons: leave out the last entry of the cache.", 2,
            _dead_including_output),
    Mistake("9.10", "dead_relu_fraction", "the fraction of zero outputs, not of dead neurons",
            "A neuron is dead only when it is off for EVERY sample: np.all over axis 0, then "
            "count neurons.", 2, _dead_entries_not_neurons),
    Mistake("9.10", "dead_relu_fraction", "off for any sample instead of every sample",
            "Most living ReLUs are off for some samples; dead ones are off for all of them.", 1,
            _dead_on_any_sample),
    Mistake("9.11", "layer_gradient_norms", "the bias gradients included",
            "Measure the weight gradients only: grads[0::2].", 2, _norms_with_biases),
    Mistake("9.11", "layer_gradient_norms", "the gradient of the summed squared error",
            "The MSE is a mean over all N entries of ŷ, so its gradient is 2(ŷ − y) / N.", 2,
            _norms_of_summed_loss),
    Mistake("9.11", "layer_gradient_norms", "the factor 2 left out",
            "d/dŷ of (ŷ − y)² is 2(ŷ − y).", 2, _norms_without_the_two),
    Mistake("9.11", "layer_gradient_norms", "the last layer first",
            "Return the norms first layer (next to the input) first, in the order of "
            "model.params.", 1, _norms_last_layer_first),
    Mistake("9.11", "layer_gradient_norms", "the norms of the weights themselves",
            "Measure the gradients model.backward returns, not the parameters.", 1,
            _norms_of_the_weights),
    Mistake("9.12", "weight_norm", "the biases counted",
            "The L2 penalty leaves the biases alone; so does the weight norm: params[0::2].", 2,
            _weight_norm_with_biases),
    Mistake("9.12", "weight_norm", "the square root missing",
            "The norm is the square root of the sum of squares.", 2, _weight_norm_squared),
    Mistake("9.12", "weight_norm", "the sum of absolute values",
            "That is the L1 norm; the Euclidean norm squares, sums, then takes the root.", 2,
            _weight_norm_l1),
    Mistake("9.12", "boundary_fraction", "only side-by-side neighbours compared",
            "Compare each cell with the one below as well: a horizontal boundary shows only "
            "between rows.", 2, _boundary_across_only),
    Mistake("9.12", "boundary_fraction", "a count instead of a fraction",
            "Divide the number of disagreeing pairs by the number of pairs compared.", 1,
            _boundary_count),
    Mistake("9.12", "boundary_fraction", "divided by the number of cells",
            "There are rows·(columns − 1) + (rows − 1)·columns pairs, not rows·columns.", 2,
            _boundary_per_cell),
    Mistake("9.13", "train_digits_classifier", "the network is returned untrained",
            "Call train(model, X_train, y_train, loss=\"softmax_cross_entropy\", ...) before "
            "returning the model.", 1, _digits_never_trained,
            says='without a single epoch of training'),
    Mistake("9.13", "train_digits_classifier", "trained on every digit, held-out ones included",
            "Train on the X_train, y_train you are given and nothing else: a classifier that "
            "has seen the test digits scores well on them whatever it learned, so the score "
            "no longer measures anything.", 1, _digits_trained_on_every_digit,
            says="learned from digits other than the X_train, y_train it was given"),
    Mistake("9.13", "train_digits_classifier", "an unseeded Generator",
            "np.random.default_rng() draws a fresh seed each time; make the Generator from the "
            "seed argument so the same seed gives the same classifier.", 1, _digits_unseeded,
            says="two different classifiers for the same data and the same seed"),
    Mistake("9.13", "train_digits_classifier", "the seed argument ignored",
            "Make the Generator from the seed you are given: np.random.default_rng(seed).", 1,
            _digits_seed_ignored, says="ignores its seed argument"),
    Mistake("9.13", "train_digits_classifier", "only the model returned",
            "Return the pair (model, history).", 1, _digits_model_only,
            says='must return 2 values (model, history)'),
    Mistake("9.13", "confusion_matrix", "rows are the predictions",
            "matrix[t, p] counts true label t predicted as p: the truth picks the row.", 2,
            _confusion_transposed),
    Mistake("9.13", "confusion_matrix", "matrix[y_true, y_pred] += 1 counts repeats once",
            "With fancy indexing, repeated (t, p) pairs are incremented only once; "
            "np.add.at(matrix, (y_true, y_pred), 1) counts every sample.", 2,
            _confusion_fancy_index),
    Mistake("9.13", "confusion_matrix", "a matrix of floats",
            "np.zeros gives floats by default; counts are integers: dtype=np.int64.", 2,
            _confusion_of_floats,
            says='expected integers'),
)
