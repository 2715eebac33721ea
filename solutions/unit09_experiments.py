"""Unit 9 — Experiments in pictures: run the articles' experiments on your own network.

Units 1–8 built every part of a neural network by hand. This unit puts them to work on the
experiments of the source articles and turns each one into a claim you can check and a figure
you can look at:

* "Neural networks in pictures" approximates functions R → R on [-3, 3]: a linear stack is one
  straight line (9.1), ReLU bends it into segments (9.2), Nesterov momentum follows the bends
  (9.3), a hard piecewise target separates activations, initializations and epoch budgets (9.4),
  a tanh net is a sum of bumps (9.5) that goes flat outside the training range (9.6), two hidden
  layers beat one (9.7), and past some width more neurons stop helping (9.8);
* "Like Lego" trains small and large XOR networks and meets a late loss blow-up (9.9);
* CS231n warns about dying ReLUs (9.10), vanishing gradients in deep sigmoid nets (9.11), and
  shows capacity and regularization on 2-D data (9.12);
* a capstone trains a classifier on real handwritten digits (9.13).

What is provided and what you write
-----------------------------------
Provided (no exercise): the `MLP` class, a network built from YOUR units 2, 3, 5 and 6, and
`train`, a thin wrapper around YOUR `fit` of unit 8 and YOUR optimizers of unit 7. For every
exercise there is also a provided `run_...` function that runs the experiment (with the
article's settings by default) and a `plot_...` function that draws its figure.

You write the measurements that turn a trained network into evidence: second differences, kink
counts, errors at the bends and by region, the per-neuron decomposition, slopes, the epoch at
which a loss is reached, where a sweep levels off, decision regions, blow-up detection, the
fraction of dead ReLUs, gradient norms per layer, weight norms, boundary roughness, and a digit
classifier with its confusion matrix. Each needs only NumPy and a few lines.

Because the experiments run on your units 2–8, a mistake there shows up here too: finish them
first. `nnlings gallery --out DIR` (or `python -m nnlings.grader.gallery --out DIR`) renders
every figure from your implementation; an experiment whose functions are not written yet is
skipped.

Curves are sampled on an evenly spaced grid, in order of x. A 1-D curve may be given as a flat
array (n,) or as a column (n, 1), the shape of a network's prediction; the checks before your
part turn it into a flat float64 array. Inputs x of a network are columns (n, 1), as
``nnlings.datasets.functions.grid`` returns them.
"""
import numpy as np

from nnlings.datasets import classification, digits, functions
from nnlings.exercises.checks import (
    as_column,
    as_curve,
    as_curves,
    as_model,
    as_range,
    count_at_least,
    fraction_of_one,
    one_hidden_layer,
)

from . import (unit02_activations, unit03_layers, unit04_losses, unit05_backprop,
               unit06_initializers, unit07_optimizers, unit08_training)
### BEGIN SOLUTION
import copy

# By its full name, as this file also runs copied out of the package (a release records the
# reference's calls from a copy, and its tests put a copy in for a solved unit 9). Where it is
# missing (a student release), the provided curve_fit trains instead.
try:
    from nnlings.solutions import fast_training
except ImportError:
    fast_training = None
### END SOLUTION


# Provided: the network -------------------------------------------------------------------------

class MLP:
    """A fully connected network made of your units: a model for unit 8's `fit`.

    ``MLP([1, 20, 1], activation="tanh", weight_init="he_normal", rng=rng)`` is one input, 20
    tanh hidden neurons and one linear output. Every hidden layer uses ``activation`` and the
    last layer ``output_activation`` (names of unit 2's ``ACTIVATIONS``). ``weight_init`` names an
    initializer of unit 6 ("he_normal", "glorot_normal", "glorot_uniform", "random_normal", ...)
    or is a function (shape, rng) → array; the biases start at zero (unit 6's ``init_mlp``).
    With ``l2`` = λ > 0 the backward pass adds the gradient λW of the penalty (λ/2)‖W‖² to every
    weight matrix (not to the biases), and `train` adds the penalty to the reported loss.

    The model protocol of unit 8:

    * ``params``: the list [W1, b1, W2, b2, ...], weights (n_in, n_out) and biases (n_out,)
      of each layer in turn; optimizers update these arrays in place;
    * ``forward(X)``: the output for a batch X (n_samples, n_in); it also keeps ``cache``, the
      list of (A_prev, Z) of every layer from unit 3's ``mlp_forward``;
    * ``backward(d_output)``: the gradients [dW1, db1, dW2, db2, ...] of the last forward pass.

    ``layers`` gives the same arrays as (W, b) pairs.
    """

    def __init__(self, layer_sizes, activation="tanh", output_activation="identity",
                 weight_init="he_normal", rng=None, *, l2=0.0):
        if not isinstance(rng, np.random.Generator):
            raise TypeError("MLP: rng must be a numpy.random.Generator, such as "
                            f"np.random.default_rng(0); got {type(rng).__name__}")
        if not isinstance(layer_sizes, (list, tuple)) or len(layer_sizes) < 2:
            raise ValueError("MLP: layer_sizes must list the input size and at least one layer "
                             f"size, e.g. [1, 20, 1]; got {layer_sizes!r}")
        names = [activation] * (len(layer_sizes) - 2) + [output_activation]
        for name in set(names):
            if name not in unit02_activations.ACTIVATIONS:
                raise ValueError(f"MLP: unknown activation {name!r}; choose one of "
                                 f"{sorted(unit02_activations.ACTIVATIONS)}")
        if isinstance(weight_init, str):
            if not callable(getattr(unit06_initializers, weight_init, None)):
                raise ValueError(f"MLP: unit 6 has no initializer named {weight_init!r}")
            weight_init = getattr(unit06_initializers, weight_init)
        if not l2 >= 0:
            raise ValueError(f"MLP: l2 must be 0 or more, got {l2}")
        self.layer_sizes = list(layer_sizes)
        self.activation, self.output_activation = activation, output_activation
        self.l2 = float(l2)
        self.functions = [unit02_activations.ACTIVATIONS[name][0] for name in names]
        self.derivatives = [unit02_activations.ACTIVATIONS[name][1] for name in names]
        pairs = unit06_initializers.init_mlp(self.layer_sizes, weight_init, rng)
        self.params = [np.array(array, dtype=np.float64) for pair in pairs for array in pair]
        self.cache = None

    @property
    def layers(self):
        """The parameters as a list of (W, b) pairs, one per layer (the same arrays)."""
        return list(zip(self.params[0::2], self.params[1::2]))

    def forward(self, X):
        output, self.cache = unit03_layers.mlp_forward(X, self.layers, self.functions)
        return output

    def backward(self, d_output):
        if self.cache is None:
            raise RuntimeError("MLP.backward: call forward first; backward needs its cache")
        pairs = unit05_backprop.mlp_backward(d_output, self.cache, self.layers, self.derivatives)
        grads = [np.asarray(grad, dtype=np.float64) for pair in pairs for grad in pair]
        if self.l2 > 0:
            weight_grads = unit04_losses.l2_penalty_grad(self.params[0::2], self.l2)
            grads[0::2] = [g + penalty for g, penalty in zip(grads[0::2], weight_grads)]
        return grads

    def __repr__(self):
        sizes = "-".join(str(size) for size in self.layer_sizes)
        return f"MLP({sizes}, {self.activation}, output {self.output_activation})"


# Provided: training ----------------------------------------------------------------------------

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam")
LOSSES = ("mse", "softmax_cross_entropy")


def make_optimizer(name, learning_rate=0.01, momentum=0.9, schedule=None):
    """One of your unit 7 optimizers by name: "sgd", "momentum", "nesterov" or "adam"."""
    if name == "sgd":
        return unit07_optimizers.SGD(learning_rate, schedule=schedule)
    if name == "momentum":
        return unit07_optimizers.Momentum(learning_rate, momentum, schedule=schedule)
    if name == "nesterov":
        return unit07_optimizers.Nesterov(learning_rate, momentum, schedule=schedule)
    if name == "adam":
        return unit07_optimizers.Adam(learning_rate, schedule=schedule)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")


def _loss_functions(name, model):
    """(loss, loss_grad) for fit: unit 4's loss, plus the model's L2 penalty if it has one."""
    if name == "mse":
        loss, loss_grad = unit04_losses.mse, unit04_losses.mse_grad
    elif name == "softmax_cross_entropy":
        # fit hands over float targets; for cross-entropy they are one-hot rows.
        def loss(Z, Y):
            return unit04_losses.softmax_cross_entropy(Z, np.argmax(Y, axis=1))

        def loss_grad(Z, Y):
            return unit04_losses.softmax_cross_entropy_grad(Z, np.argmax(Y, axis=1))
    else:
        raise ValueError(f"unknown loss {name!r}; choose one of {LOSSES}")
    if getattr(model, "l2", 0.0) > 0:
        data_loss = loss

        def loss(y_pred, y_true):
            return data_loss(y_pred, y_true) + unit04_losses.l2_penalty(model.params[0::2],
                                                                         model.l2)
    return loss, loss_grad


def train(model, X, y, *, loss="mse", optimizer="sgd", learning_rate=0.01, momentum=0.9,
          epochs=100, batch_size=32, rng, schedule=None, verbose=False):
    """Train `model` with your unit 8 `fit`; return its history {"loss": [...]}.

    loss: "mse" (y has shape (n, n_outputs)) or "softmax_cross_entropy" (y holds integer class
    labels, shape (n,); they are one-hot encoded for fit). optimizer: a name of `OPTIMIZERS`,
    built with learning_rate, momentum and schedule, or an optimizer object, which keeps its
    state, so that calling train again continues the same run. The defaults are Keras' "sgd":
    plain SGD, learning rate 0.01, batches of 32. A batch larger than the data set is cut to it.
    """
    X = np.asarray(X, dtype=np.float64)
    if loss == "softmax_cross_entropy":
        y = classification.one_hot(np.asarray(y), model.layer_sizes[-1])
    loss_function, loss_grad = _loss_functions(loss, model)
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer, learning_rate, momentum, schedule)
    return unit08_training.fit(model, X, y, loss=loss_function, loss_grad=loss_grad,
                               optimizer=optimizer, epochs=epochs,
                               batch_size=min(batch_size, len(X)), rng=rng, verbose=verbose)


def curve_fit(hidden, activation="tanh", weight_init="he_normal", target="piecewise", *,
              optimizer="nesterov", learning_rate=0.01, momentum=0.9, epochs=100,
              n_points=1000, batch_size=32, seed=0, checkpoints=()):
    """Train a 1-hidden-…-1 network on one of the article's targets; the building block of the
    1-D experiments.

    hidden: the width of the hidden layer, or a list of widths for several hidden layers.
    target: "linear", "sine" or "piecewise" (nnlings.datasets.functions) on `n_points` of
    [-3, 3]. Returns a dict with x and the target (flat arrays), the trained model, its
    prediction, the loss history, and the predictions at the epochs listed in `checkpoints`.
    """
    hidden = [hidden] if np.ndim(hidden) == 0 else list(hidden)
    rng = np.random.default_rng(seed)
    x = functions.grid(n_points)
    y = functions.TARGETS[target](x)
    model = MLP([1, *hidden, 1], activation, weight_init=weight_init, rng=rng)
    optimizer = make_optimizer(optimizer, learning_rate, momentum)
    history, snapshots, done = [], {}, 0
    for stop in sorted(set(checkpoints) | {epochs}):
        if stop > done:
            history += train(model, x, y, optimizer=optimizer, epochs=stop - done,
                             batch_size=batch_size, rng=rng)["loss"]
            done = stop
        snapshots[stop] = model.forward(x)[:, 0]
    return {"x": x[:, 0], "target": y[:, 0], "model": model, "prediction": snapshots[epochs],
            "snapshots": snapshots, "history": np.array(history)}


### BEGIN SOLUTION
# The reference trains its 1-D experiments with the compiled trainer ---------------------------
#
# The curve fits above are MSE training of an MLP by a unit 7 optimizer: exactly what
# fast_training.fit_numba computes, to float64 round-off, many times faster. The reference's
# curve_fit below replaces the provided one (the student file keeps that one, which trains on the
# student's own units), so the gallery of the reference and the experiments the graded tests
# take from plain_results come out the same as before, only sooner.

_curve_fit_on_units = curve_fit


def curve_fit(hidden, activation="tanh", weight_init="he_normal", target="piecewise", *,
              optimizer="nesterov", learning_rate=0.01, momentum=0.9, epochs=100,
              n_points=1000, batch_size=32, seed=0, checkpoints=()):
    """The provided curve_fit, trained by fast_training.fit_numba: the same initial network,
    the same permutation drawn from rng in every epoch, the same result to round-off.

    fit_numba starts every call from a fresh optimizer state, so training cannot stop at a
    checkpoint and go on with its momentum; the prediction at checkpoint c is taken from a run of
    c epochs from the same start and the same rng instead (its first c epochs are those of the
    long run). Settings fit_numba does not know, or a release without fast_training, fall back
    to the provided curve_fit.
    """
    if (fast_training is None or activation not in fast_training.ACTIVATION_CODES
            or optimizer not in fast_training.OPTIMIZER_CODES
            or min((epochs, *checkpoints)) < 1):
        return _curve_fit_on_units(
            hidden, activation, weight_init, target, optimizer=optimizer,
            learning_rate=learning_rate, momentum=momentum, epochs=epochs, n_points=n_points,
            batch_size=batch_size, seed=seed, checkpoints=checkpoints)
    hidden = [hidden] if np.ndim(hidden) == 0 else list(hidden)
    rng = np.random.default_rng(seed)
    x = functions.grid(n_points)
    y = functions.TARGETS[target](x)
    model = MLP([1, *hidden, 1], activation, weight_init=weight_init, rng=rng)
    start = [(W.copy(), b.copy()) for W, b in model.layers]
    activations = [activation] * len(hidden) + [model.output_activation]
    snapshots = {}
    for stop in sorted(set(checkpoints) | {epochs}):
        trained, history = fast_training.fit_numba(
            start, activations, x, y, epochs=stop, batch_size=min(batch_size, len(x)),
            rng=copy.deepcopy(rng), optimizer=optimizer, learning_rate=learning_rate,
            momentum=momentum)
        for array, value in zip(model.params, [array for pair in trained for array in pair]):
            array[...] = value
        snapshots[stop] = model.forward(x)[:, 0]
    return {"x": x[:, 0], "target": y[:, 0], "model": model, "prediction": snapshots[epochs],
            "snapshots": snapshots, "history": np.array(history)}


def plain_results(run, **settings):
    """The results of the experiment `run` (the name of a run_... function) with `settings`, as
    plain data: every MLP replaced by a dict of its layer sizes, activations and parameters.

    The graded tests take their reference experiments from here, so that a student release
    can replay the recorded results instead of training networks without the solutions."""
    return _plain(globals()[run](**settings))


def _plain(value):
    if isinstance(value, MLP):
        return {"layer_sizes": list(value.layer_sizes), "activation": value.activation,
                "output_activation": value.output_activation,
                "params": [p.copy() for p in value.params]}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    return value
### END SOLUTION


# Provided: drawing helpers ---------------------------------------------------------------------

TARGET_COLOUR, FIT_COLOUR = "0.15", "#c2185b"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf")


def new_figure(width, height, fig=None):
    """A matplotlib Figure of (width, height) inches, drawn off-screen (no window, no pyplot);
    or `fig` itself, cleared, when one is given."""
    if fig is not None:
        fig.clear()
        return fig
    from matplotlib.figure import Figure  # imported on first use: plotting is optional
    return Figure(figsize=(width, height), layout="constrained")


def draw_target(ax, x, y, label="target"):
    """The target as small dark dots, drawn under everything else (the article's style)."""
    ax.scatter(x, y, s=3, color=TARGET_COLOUR, label=label, zorder=1, linewidths=0)


def draw_fit(ax, x, y, label="network", colour=FIT_COLOUR, **style):
    ax.plot(x, y, color=colour, linewidth=style.pop("linewidth", 2.2), label=label, zorder=3,
            **style)


def label_axes(ax, title, xlabel="x", ylabel="y", legend=True):
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.25)
    if legend:
        ax.legend(fontsize=8, loc="best", framealpha=0.85)


def draw_regions(ax, regions, X, y, title, class_names=None):
    """Decision regions (xs, ys, labels) as light colours, the labelled points on top in the
    dark shade of their class, and a legend naming each class (`class_names`, or "class 0",
    "class 1", ...)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    xs, ys, labels = regions
    n_classes = int(max(labels.max(), y.max())) + 1
    light = ListedColormap(["#9ecae1", "#fdae6b", "#a1d99b", "#fc9272"][:n_classes])
    dark = ListedColormap(["#08519c", "#d94801", "#006d2c", "#a50f15"][:n_classes])
    ax.pcolormesh(xs, ys, labels, cmap=light, vmin=-0.5, vmax=n_classes - 0.5, shading="auto")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=dark, vmin=-0.5, vmax=n_classes - 0.5, s=9,
               edgecolors="white", linewidths=0.3)
    names = class_names or [f"class {k}" for k in range(n_classes)]
    ax.legend([Line2D([], [], marker="o", linestyle="", markerfacecolor=dark(k),
                      markeredgecolor="white", markersize=7) for k in range(n_classes)],
              names, fontsize=7, loc="upper left", framealpha=0.85)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")


# 9.1 A linear stack is one straight line --------------------------------------------------------

def second_differences(y):
    """The second differences of a curve sampled at evenly spaced points:

        Δ²y_i = y_(i+2) − 2·y_(i+1) + y_i,    i = 0, ..., n − 3.

    This is how much the slope changes from one step to the next (divided by the squared step,
    it approximates the second derivative). A straight line y = w·x + b has Δ²y = 0 everywhere,
    up to rounding; a parabola a·x² has the constant 2a·h² for step h; a curve that bends has
    large values where it bends.

    y: shape (n,) or (n, 1), n ≥ 3. Returns a new float64 array of shape (n − 2,).
    """
    y = as_curve("second_differences", "y", y, min_points=3)
    ### BEGIN SOLUTION
    return y[2:] - 2.0 * y[1:-1] + y[:-2]
    ### END SOLUTION


def run_linear_stack(n_points=1000, epochs=100, seed=0):
    """The article's 1-5-1 network without activations, trained on y = 2 sin x + 5.

    Five hidden neurons, identity activations, Keras' default initialization (glorot_uniform)
    and optimizer (SGD, learning rate 0.01, batches of 32). However it trains, the network is
    f(x) = Σ w'ᵢ(wᵢx + bᵢ) + b: one affine map. Returns the fit, the slope and intercept of
    that map (unit 3's ``collapse_linear``), and the second differences of target and fit.
    """
    fit = curve_fit(5, "identity", "glorot_uniform", "sine", optimizer="sgd",
                    epochs=epochs, n_points=n_points, seed=seed)
    W, b = unit03_layers.collapse_linear(fit["model"].layers)
    return {**fit, "slope": float(W[0, 0]), "intercept": float(b[0]),
            "second_differences": second_differences(fit["prediction"]),
            "target_second_differences": second_differences(fit["target"])}


def plot_linear_stack(result, fig=None):
    """Left: the fit and the single line it collapses to. Right: second differences."""
    fig = new_figure(11, 4, fig)
    left, right = fig.subplots(1, 2)
    x = result["x"]
    draw_target(left, x, result["target"], "target 2 sin x + 5")
    draw_fit(left, x, result["prediction"], "1-5-1 linear network")
    line = result["slope"] * x + result["intercept"]
    left.plot(x, line, color="gold", linewidth=1, linestyle="--",
              label=f"one line: {result['slope']:.4f}·x + {result['intercept']:.4f}", zorder=4)
    label_axes(left, "Five linear neurons still draw a straight line")
    right.plot(x[1:-1], result["target_second_differences"], color=TARGET_COLOUR,
               label="target")
    right.plot(x[1:-1], result["second_differences"], color=FIT_COLOUR, linewidth=2,
               label="network")
    label_axes(right, "Second differences: a straight line has none",
               ylabel="$y_{i+2} - 2y_{i+1} + y_i$")
    return fig


# 9.2 ReLU bends the line ------------------------------------------------------------------------

def count_kinks(x, y, tol=1e-6):
    """How many times a piecewise-linear curve changes its slope.

    Compute the slope of each of the n − 1 segments, sᵢ = (y_(i+1) − yᵢ) / (x_(i+1) − xᵢ), and
    call segment i → i+1 a slope change when |s_(i+1) − sᵢ| > tol · max(1, max|s|): rounding
    makes even a straight line's slopes differ in their last digits, so small changes do not
    count. A kink that falls exactly on a sample point changes the slope once, but one that falls
    between two points gives that segment a slope of its own and so makes two slope changes in a
    row. Count each run of consecutive slope changes as ONE kink. (Two real kinks closer than
    two grid steps merge into one: sample finely.)

    x, y: shapes (n,) or (n, 1), n ≥ 3, x increasing. Returns the count as a Python int.
    """
    x, y = as_curves("count_kinks", ("x", "y"), (x, y), min_points=3)
    ### BEGIN SOLUTION
    slopes = np.diff(y) / np.diff(x)
    scale = max(1.0, float(np.max(np.abs(slopes))))
    changes = np.abs(np.diff(slopes)) > tol * scale
    # A run of changes starts where a change follows a segment pair without one.
    run_starts = changes[1:] & ~changes[:-1]
    return int(changes[0]) + int(np.sum(run_starts))
    ### END SOLUTION


def relu_kink_positions(model, low=functions.LOW, high=functions.HIGH):
    """Where a 1-H-1 ReLU network can bend: x = −bᵢ/wᵢ of every hidden neuron with wᵢ ≠ 0 and a
    nonzero output weight, inside (low, high), sorted. Each neuron switches on or off there."""
    W1, b1, W2, _ = one_hidden_layer("relu_kink_positions", model)
    w, b, w_out = W1[0], b1, W2[:, 0]
    active = (w != 0) & (w_out != 0)
    positions = -b[active] / w[active]
    return np.sort(positions[(positions > low) & (positions < high)])


def run_relu_kinks(hidden_sizes=(3, 59), n_points=1000, epochs=100, seed=0):
    """ReLU networks 1-n-1 on y = 2 sin x + 5 with Keras' defaults (glorot_uniform, SGD 0.01):
    at most n kinks for n hidden neurons. The notebook shows n = 3 and n = 59."""
    fits = []
    for hidden in hidden_sizes:
        fit = curve_fit(hidden, "relu", "glorot_uniform", "sine", optimizer="sgd",
                        epochs=epochs, n_points=n_points, seed=seed)
        fit["hidden"] = hidden
        fit["kinks"] = count_kinks(fit["x"], fit["prediction"])
        fit["kink_positions"] = relu_kink_positions(fit["model"])
        fits.append(fit)
    return {"fits": fits}


def plot_relu_kinks(result, fig=None):
    """One panel per network: the fit, with a tick at every place a neuron switches."""
    fits = result["fits"]
    fig = new_figure(5.5 * len(fits), 4, fig)
    for ax, fit in zip(np.atleast_1d(fig.subplots(1, len(fits))), fits):
        draw_target(ax, fit["x"], fit["target"], "target 2 sin x + 5")
        draw_fit(ax, fit["x"], fit["prediction"], f"ReLU network, {fit['hidden']} hidden")
        for position in fit["kink_positions"]:
            ax.axvline(position, color="0.6", linewidth=0.6, linestyle=":", zorder=0)
        label_axes(ax, f"{fit['hidden']} hidden ReLU neurons → {fit['kinks']} kinks "
                       f"(at most {fit['hidden']})")
    return fig


# 9.3 Momentum turns the bends --------------------------------------------------------------------

def bend_points(y_true, sharpness=0.8):
    """Where the target bends: a boolean mask of shape (n,).

    The target bends where its second difference (exercise 9.1) is large. For the interior
    points i = 1, ..., n − 2 the curvature is cᵢ = |y_true[i−1] − 2·y_true[i] + y_true[i+1]|;
    point i is a bend when it bends at least `sharpness` times as sharply as the sharpest point,
    cᵢ ≥ sharpness · max c (so the sharpest point is always a bend). The two end points have no
    curvature and are never bends. (On a straight target every interior point is a "bend".)

    y_true: shape (n,) or (n, 1), n ≥ 3, samples at evenly spaced x in order; sharpness in
    (0, 1]. Returns a NumPy array of booleans of shape (n,).
    """
    y_true = as_curve("bend_points", "y_true", y_true, min_points=3)
    sharpness = fraction_of_one("bend_points", "sharpness", sharpness)
    ### BEGIN SOLUTION
    curvature = np.abs(y_true[:-2] - 2.0 * y_true[1:-1] + y_true[2:])
    bends = np.zeros(len(y_true), dtype=bool)
    bends[1:-1] = curvature >= sharpness * curvature.max()
    return bends
    ### END SOLUTION


def bend_error(y_true, y_pred, sharpness=0.8):
    """The mean squared error at the bends of the target only: the mean of (y_pred − y_true)²
    over the points that `bend_points(y_true, sharpness)` marks, as a float.

    The article saw its ReLU fits lag "at the bends, where the function is least like a
    straight line"; this puts a number on it. y_true, y_pred: shape (n,) or (n, 1), n ≥ 3.
    """
    y_true, y_pred = as_curves("bend_error", ("y_true", "y_pred"), (y_true, y_pred),
                             min_points=3)
    sharpness = fraction_of_one("bend_error", "sharpness", sharpness)
    ### BEGIN SOLUTION
    bends = bend_points(y_true, sharpness)
    return float(np.mean((y_pred[bends] - y_true[bends]) ** 2))
    ### END SOLUTION


def run_momentum(hidden=100, n_points=1000, epochs=100, seeds=(0,), learning_rate=0.01,
                 momentum=0.9, batch_size=32):
    """ReLU-100 on y = 2 sin x + 5, trained by plain SGD and by SGD with Nesterov momentum
    (the article's SGD(lr=0.01, momentum=0.9, nesterov=True)), from the same initial weights
    and for the same number of epochs, once per seed."""
    fits = {}
    for name in ("sgd", "nesterov"):
        runs = [curve_fit(hidden, "relu", "glorot_uniform", "sine", optimizer=name,
                          learning_rate=learning_rate, momentum=momentum, epochs=epochs,
                          n_points=n_points, batch_size=batch_size, seed=seed)
                for seed in seeds]
        fits[name] = {"predictions": np.array([run["prediction"] for run in runs]),
                      "histories": np.array([run["history"] for run in runs])}
    x, target = runs[0]["x"], runs[0]["target"]
    for fit in fits.values():
        fit["bend_errors"] = np.array([bend_error(target, p) for p in fit["predictions"]])
        fit["errors"] = np.mean((fit["predictions"] - target) ** 2, axis=1)
    return {"x": x, "target": target, "fits": fits, "bends": bend_points(target),
            "epochs": epochs}


def plot_momentum(result, fig=None):
    """SGD and Nesterov fits side by side, the bends shaded; then both loss curves."""
    fig = new_figure(15, 4, fig)
    axes = fig.subplots(1, 3)
    x, target, bends = result["x"], result["target"], result["bends"]
    titles = {"sgd": "plain SGD", "nesterov": "SGD + Nesterov momentum"}
    for ax, (name, fit) in zip(axes, result["fits"].items()):
        ax.fill_between(x, np.min(target) - 0.5, np.max(target) + 0.5, where=bends,
                        color="0.88", label="bends", zorder=0)
        draw_target(ax, x, target, "target 2 sin x + 5")
        draw_fit(ax, x, fit["predictions"][0], "ReLU-100")
        label_axes(ax, f"{titles[name]}: MSE at the bends {fit['bend_errors'][0]:.4f}")
    for (name, fit), colour in zip(result["fits"].items(), PALETTE):
        axes[2].semilogy(np.arange(1, result["epochs"] + 1), fit["histories"][0],
                         color=colour, label=titles[name])
    label_axes(axes[2], f"Training loss over the same {result['epochs']} epochs", "epoch",
               "MSE")
    return fig


# 9.4 A harder target: activation, initialization, epochs ---------------------------------------

def region_errors(x, y_true, y_pred, n_regions=6):
    """The mean squared error in each of `n_regions` equal-width slices of the x range.

    Split [min x, max x] into n_regions intervals of equal width; point x belongs to region
    k = ⌊(x − min x) / (max x − min x) · n_regions⌋, except that x = max x belongs to the last
    region (k = n_regions − 1), not to a region of its own. Return a float64 array of shape
    (n_regions,): region k's mean of (y_pred − y_true)² over its points, or NaN for a region
    without points. Equal widths, not equal counts: x need not be evenly spaced.

    x, y_true, y_pred: shape (n,) or (n, 1), x not all equal; n_regions a whole number ≥ 1.
    """
    x, y_true, y_pred = as_curves("region_errors", ("x", "y_true", "y_pred"),
                                (x, y_true, y_pred), min_points=2)
    if not np.ptp(x) > 0:
        raise ValueError("region_errors: x must not be constant: its range defines the regions")
    count_at_least("region_errors", "n_regions", n_regions, 1)
    ### BEGIN SOLUTION
    position = (x - x.min()) / (x.max() - x.min())              # 0 … 1
    region = np.minimum((position * n_regions).astype(int), n_regions - 1)
    squared = (y_pred - y_true) ** 2
    totals = np.bincount(region, weights=squared, minlength=n_regions)
    counts = np.bincount(region, minlength=n_regions)
    return np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)
    ### END SOLUTION


# (label, hidden neurons, activation, weight initializer): the article's sequence of attempts.
# Keras' Dense layers start from glorot_uniform; "random normal" is Keras' small RandomNormal
# (σ = 0.05).
PIECEWISE_CONFIGS = (
    ("ReLU-100", 100, "relu", "glorot_uniform"),
    ("tanh-20, random normal", 20, "tanh", "random_normal"),
    ("tanh-20, glorot_normal", 20, "tanh", "glorot_normal"),
    ("tanh-20, he_normal", 20, "tanh", "he_normal"),
)


def run_piecewise(configs=PIECEWISE_CONFIGS, n_points=1000, epochs=400, checkpoint=100,
                  seeds=(0,), learning_rate=0.01, batch_size=32, n_regions=6):
    """The hard target x·sin(2πx) | −x·sin(πx) + e^(x/2) − 1, attempted as in the article:
    ReLU-100, then tanh-20 with three initializations, all with SGD + Nesterov momentum
    (0.01, 0.9), each for `epochs` epochs with its prediction after `checkpoint` epochs kept
    too (the article's 100 versus 400). One run per seed."""
    x = functions.grid(n_points)[:, 0]
    target = functions.piecewise(x)
    fits = {}
    for label, hidden, activation, weight_init in configs:
        runs = [curve_fit(hidden, activation, weight_init, "piecewise", epochs=epochs,
                          learning_rate=learning_rate, n_points=n_points,
                          batch_size=batch_size, seed=seed, checkpoints=(checkpoint,))
                for seed in seeds]
        fits[label] = {"predictions": np.array([run["prediction"] for run in runs]),
                       "early": np.array([run["snapshots"][checkpoint] for run in runs]),
                       "models": [run["model"] for run in runs]}
    for fit in fits.values():
        fit["region_errors"] = np.array([region_errors(x, target, p, n_regions)
                                         for p in fit["predictions"]])
        fit["errors"] = np.mean((fit["predictions"] - target) ** 2, axis=1)
        fit["early_errors"] = np.mean((fit["early"] - target) ** 2, axis=1)
    return {"x": x, "target": target, "fits": fits, "epochs": epochs,
            "checkpoint": checkpoint, "n_regions": n_regions}


def plot_piecewise(result, fig=None):
    """One panel per attempt (after `checkpoint` epochs faint, after `epochs` strong), then the
    error of every attempt in every region of x."""
    fits = result["fits"]
    fig = new_figure(16, 7.5, fig)
    grid = fig.add_gridspec(2, 3)
    panels = [fig.add_subplot(grid[k // 3, k % 3]) for k in range(len(fits))]
    x, target = result["x"], result["target"]
    for ax, (label, fit) in zip(panels, fits.items()):
        draw_target(ax, x, target)
        draw_fit(ax, x, fit["early"][0], f"after {result['checkpoint']} epochs",
                 colour="#f48fb1", linewidth=1.2)
        draw_fit(ax, x, fit["predictions"][0], f"after {result['epochs']} epochs")
        early, late = fit["early_errors"][0], fit["errors"][0]
        # A net at its ceiling gains nothing from more epochs: minibatch SGD with momentum
        # only moves its error about that level, sometimes up. Say so rather than hide it.
        verdict = "" if late < 0.9 * early else ": at its ceiling, SGD noise only"
        label_axes(ax, f"{label}: MSE {early:.3f} → {late:.3f}{verdict}")
    bars = fig.add_subplot(grid[len(fits) // 3, len(fits) % 3:])
    width = 0.8 / len(fits)
    centres = np.arange(result["n_regions"])
    for i, ((label, fit), colour) in enumerate(zip(fits.items(), PALETTE)):
        bars.bar(centres + (i - (len(fits) - 1) / 2) * width, fit["region_errors"][0], width,
                 color=colour, label=label)
    edges = np.linspace(x.min(), x.max(), result["n_regions"] + 1)
    bars.set_xticks(centres, [f"[{a:.0f}, {b:.0f}]" for a, b in zip(edges[:-1], edges[1:])])
    bars.set_yscale("log")
    label_axes(bars, f"Error by region after {result['epochs']} epochs", "region of x", "MSE",
               legend=False)
    low, high = bars.get_ylim()
    bars.set_ylim(low, high * 30)  # room above the bars for the legend
    bars.legend(fontsize=8, ncol=len(fits), loc="upper center", framealpha=0.85)
    return fig


# 9.5 A tanh net is a sum of bumps ----------------------------------------------------------------

def per_neuron_terms(model, x):
    """Split a 1-H-1 tanh network into the contributions of its hidden neurons.

    With one hidden layer of tanh neurons and a linear output, the network computes

        f(x) = Σᵢ w'ᵢ·tanh(wᵢ·x + bᵢ) + b,

    where wᵢ = W1[0, i] and bᵢ = b1[i] feed neuron i, w'ᵢ = W2[i, 0] weighs its output and b is
    the output bias b2[0]. Neuron i's term is w'ᵢ·tanh(wᵢ·x + bᵢ): an S-shaped step of height
    2w'ᵢ centred at x = −bᵢ/wᵢ, flat on both sides.

    model: a 1-H-1 network (params W1 (1, H), b1 (H,), W2 (H, 1), b2 (1,)); x: inputs (n, 1).
    Returns (terms, bias): terms of shape (n, H), column i holding neuron i's term at every x,
    and bias, the output bias as a float, counted once, so that terms.sum(axis=1) + bias
    equals the network's output.
    """
    W1, b1, W2, b2 = one_hidden_layer("per_neuron_terms", model)
    x = as_column("per_neuron_terms", "x", x)
    ### BEGIN SOLUTION
    hidden = np.tanh(x @ W1 + b1)          # (n, H): every neuron's output at every x
    return hidden * W2[:, 0], float(b2[0])
    ### END SOLUTION


def run_tanh_decomposition(hidden=20, n_points=1000, epochs=100, seed=0):
    """A tanh-20 network (he_normal, Nesterov 0.01/0.9) on the piecewise target, taken apart
    into its 20 bumps, as the article does after 100 epochs."""
    fit = curve_fit(hidden, "tanh", "he_normal", "piecewise", epochs=epochs,
                    n_points=n_points, seed=seed)
    terms, bias = per_neuron_terms(fit["model"], fit["x"][:, np.newaxis])
    return {**fit, "terms": terms, "bias": bias}


def plot_tanh_decomposition(result, fig=None):
    """Left: the fit. Middle: every neuron's step on a row of its own, ordered by where it
    switches. Right: the steps added to the output bias one by one, in that order."""
    fig = new_figure(17, 4.8, fig)
    left, middle, right = fig.subplots(1, 3)
    x, terms, bias = result["x"], result["terms"], result["bias"]
    W1, b1 = result["model"].params[0], result["model"].params[1]
    centres = -b1 / W1[0]  # where wᵢx + bᵢ = 0: the middle of neuron i's step
    order = np.argsort(centres)
    draw_target(left, x, result["target"])
    draw_fit(left, x, result["prediction"], f"tanh-{terms.shape[1]} network")
    label_axes(left, f"The tanh-{terms.shape[1]} network and its target")
    for row, i in enumerate(order):
        low, high = terms[:, i].min(), terms[:, i].max()
        scaled = (terms[:, i] - low) / max(high - low, 1e-300)
        middle.plot(x, row + 0.8 * scaled, color=PALETTE[row % len(PALETTE)], linewidth=1.3)
        if x[0] <= centres[i] <= x[-1]:
            middle.plot(centres[i], row + 0.4, "|", color="black", markersize=7)
        middle.annotate(f"{high - low:.2f}", (x[-1], row + 0.4), xytext=(3, 0), fontsize=6,
                        textcoords="offset points", va="center", annotation_clip=False)
    middle.set_yticks([])
    label_axes(middle, "Each neuron w′ᵢ·tanh(wᵢx + bᵢ), one row each, scaled to the row\n"
               "(| its centre; right: its full height)", ylabel="neurons, by centre",
               legend=False)
    shown = sorted({round(k) for k in np.linspace(0, len(order), 5)})
    for count, shade in zip(shown, np.linspace(0.8, 0.0, len(shown))):
        partial = bias + terms[:, order[:count]].sum(axis=1)
        label = ("the output bias alone" if count == 0 else
                 f"+ the {count} leftmost steps" if count < len(order) else
                 f"all {count}: the network")
        right.plot(x, partial, color=FIT_COLOUR if count == len(order) else str(shade),
                   linewidth=2.2 if count == len(order) else 1.2, label=label)
    gap = np.max(np.abs(bias + terms.sum(axis=1) - result["prediction"]))
    label_axes(right, f"Adding the steps from left to right (all of them: the network, "
               f"to {gap:.0e})")
    return fig


# 9.6 Outside the training range -----------------------------------------------------------------

def output_slopes(model, x, h=1e-4):
    """The slope of a one-input, one-output network at each x, by central differences:

        slope(x) ≈ (f(x + h) − f(x − h)) / (2h),   f = model.forward.

    model: a network with one input and one output; x: inputs, a column (n, 1); h > 0.
    Returns a float64 array of shape (n,).
    """
    as_model("output_slopes", model)
    x = as_column("output_slopes", "x", x)
    if not h > 0:
        raise ValueError(f"output_slopes: h must be positive, got {h}")
    ### BEGIN SOLUTION
    above = model.forward(x + h)[:, 0]
    below = model.forward(x - h)[:, 0]
    return (above - below) / (2.0 * h)
    ### END SOLUTION


def run_extrapolation(n_points=1000, epochs=100, seed=0, view=(-6.0, 6.0), n_view=2000):
    """A tanh-20 (he_normal) and a ReLU-100 (glorot_uniform) network trained on the piecewise
    target over [-3, 3] with Nesterov momentum, then evaluated over `view`, twice as wide:
    every tanh saturates and the net goes flat, while ReLU carries on in straight lines."""
    x_view = functions.grid(n_view, *view)
    fits = {}
    for name, hidden, activation, weight_init in (("tanh", 20, "tanh", "he_normal"),
                                                  ("ReLU", 100, "relu", "glorot_uniform")):
        fit = curve_fit(hidden, activation, weight_init, "piecewise", epochs=epochs,
                        n_points=n_points, seed=seed)
        fits[name] = {"model": fit["model"], "hidden": hidden,
                      "prediction": fit["model"].forward(x_view)[:, 0],
                      "slopes": output_slopes(fit["model"], x_view)}
    return {"x": x_view[:, 0], "target": functions.piecewise(x_view)[:, 0], "fits": fits,
            "train_range": (functions.LOW, functions.HIGH)}


def plot_extrapolation(result, fig=None):
    """Top: both networks far beyond their training range. Bottom: their slopes."""
    fig = new_figure(13, 7, fig)
    axes = fig.subplots(2, 2, sharex=True)
    x, (low, high) = result["x"], result["train_range"]
    for column, (name, fit) in enumerate(result["fits"].items()):
        top, bottom = axes[0, column], axes[1, column]
        for ax in (top, bottom):
            ax.axvspan(low, high, color="0.93", zorder=0,
                       label="training range" if ax is top else None)
        draw_target(top, x, result["target"])
        draw_fit(top, x, fit["prediction"], f"{name}-{fit['hidden']} network")
        top.set_ylim(-6, 12)
        label_axes(top, f"{name}: what the network says beyond [{low:g}, {high:g}]")
        bottom.plot(x, fit["slopes"], color=FIT_COLOUR, linewidth=1.5)
        label_axes(bottom, f"{name}: slope of the output (central differences)",
                   ylabel="slope", legend=False)
    return fig


# 9.7 Two hidden layers beat one -----------------------------------------------------------------

def epochs_to_reach(losses, threshold):
    """The first epoch whose loss is at or below `threshold`, or None if none is.

    losses[k] is the loss of epoch k + 1 (the history of `train`: epochs count from 1). Return
    the epoch number as a Python int (so 1 when the very first loss is low enough), or None
    when no loss reaches the threshold. A faster learner reaches a given loss in fewer epochs.
    """
    losses = as_curve("epochs_to_reach", "losses", losses)
    threshold = float(threshold)
    ### BEGIN SOLUTION
    reached = np.nonzero(losses <= threshold)[0]
    return int(reached[0]) + 1 if reached.size else None
    ### END SOLUTION


DEPTH_CONFIGS = (("1 × 50", [50]), ("2 × 50", [50, 50]))


def run_depth(configs=DEPTH_CONFIGS, n_points=1000, epochs=100, seeds=(0,),
              learning_rate=0.01, batch_size=32):
    """One and two hidden layers of 50 tanh neurons (he_normal, Nesterov) on the piecewise
    target for the same number of epochs. The finish line of each seed is the best loss the
    first configuration reached in all its epochs; every configuration's epochs_to_reach it is
    recorded. (The first one gets there last, by construction; does the other beat it?)"""
    fits = {}
    for label, hidden in configs:
        runs = [curve_fit(hidden, "tanh", "he_normal", "piecewise", epochs=epochs,
                          learning_rate=learning_rate, n_points=n_points,
                          batch_size=batch_size, seed=seed) for seed in seeds]
        fits[label] = {"predictions": np.array([run["prediction"] for run in runs]),
                       "histories": np.array([run["history"] for run in runs])}
    thresholds = fits[configs[0][0]]["histories"].min(axis=1)
    for fit in fits.values():
        fit["epochs_to_reach"] = [epochs_to_reach(history, threshold)
                                  for history, threshold in zip(fit["histories"], thresholds)]
    return {"x": runs[0]["x"], "target": runs[0]["target"], "fits": fits,
            "thresholds": thresholds, "epochs": epochs}


def plot_depth(result, fig=None):
    """Both fits, then both loss curves with the shallow net's final loss as a finish line."""
    fig = new_figure(16, 4.2, fig)
    axes = fig.subplots(1, 3)
    x, target = result["x"], result["target"]
    for ax, (label, fit) in zip(axes, result["fits"].items()):
        draw_target(ax, x, target)
        draw_fit(ax, x, fit["predictions"][0], f"tanh {label}")
        error = np.mean((fit["predictions"][0] - target) ** 2)
        label_axes(ax, f"{label} hidden: MSE {error:.3f} after {result['epochs']} epochs")
    curves = axes[2]
    epochs = np.arange(1, result["epochs"] + 1)
    for (label, fit), colour in zip(result["fits"].items(), PALETTE):
        curves.semilogy(epochs, fit["histories"][0], color=colour, label=label)
        reached = fit["epochs_to_reach"][0]
        if reached is not None:
            curves.plot(reached, fit["histories"][0][reached - 1], "o", color=colour)
            curves.annotate(f"epoch {reached}", (reached, fit["histories"][0][reached - 1]),
                            textcoords="offset points", xytext=(5, 8), fontsize=8,
                            color=colour)
    curves.axhline(result["thresholds"][0], color="0.5", linestyle="--", linewidth=1,
                   label=f"best loss of {list(result['fits'])[0]}")
    label_axes(curves, "Who gets there first", "epoch", "training loss (MSE)")
    return fig


# 9.8 Width and epochs: where more stops helping --------------------------------------------------

def plateau_start(sizes, errors, tolerance=0.1):
    """The first size of a sweep whose error is good enough: where the curve levels off.

    sizes: the settings tried, in increasing order (hidden widths, epoch counts...); errors: the
    error reached with each, same length. An error is good enough when it closes all but
    `tolerance` of the gap between the worst and the best error:

        error ≤ best + tolerance · (worst − best),    best = min(errors), worst = max(errors).

    Return that first size itself (an entry of `sizes`, e.g. the int 5), not its index. With
    tolerance 0 it is the size of the best error; with tolerance 1, the first size.
    """
    errors = as_curve("plateau_start", "errors", errors)
    if len(sizes) != len(errors):
        raise ValueError(f"plateau_start: {len(sizes)} sizes but {len(errors)} errors; "
                         "give one error per size")
    tolerance = fraction_of_one("plateau_start", "tolerance", tolerance, low_open=False)
    ### BEGIN SOLUTION
    best, worst = errors.min(), errors.max()
    good_enough = errors <= best + tolerance * (worst - best)
    return sizes[int(np.argmax(good_enough))]          # argmax finds the first True
    ### END SOLUTION


def run_sweeps(widths=(1, 2, 3, 5, 10, 20, 50, 100), checkpoints=(1, 3, 10, 30, 100),
               shown_width=20, n_points=1000, seeds=(0,), learning_rate=0.01, batch_size=32):
    """Tanh networks 1-w-1 (he_normal, Nesterov) of every width on y = 2 sin x + 5, each
    trained to the last checkpoint with its error recorded at every checkpoint (epochs).

    errors[s, i, j] is the MSE of seed s, width i, after checkpoint j. The width sweep reads the
    last checkpoint, the epoch sweep the rows of `shown_width` (whose predictions are kept)."""
    if shown_width not in widths:
        raise ValueError(f"run_sweeps: shown_width {shown_width} is not one of the widths {widths}")
    errors = np.zeros((len(seeds), len(widths), len(checkpoints)))
    for s, seed in enumerate(seeds):
        for i, width in enumerate(widths):
            fit = curve_fit(width, "tanh", "he_normal", "sine", epochs=max(checkpoints),
                            learning_rate=learning_rate, n_points=n_points,
                            batch_size=batch_size, seed=seed, checkpoints=checkpoints)
            errors[s, i] = [np.mean((fit["snapshots"][c] - fit["target"]) ** 2)
                            for c in checkpoints]
            if s == 0 and width == shown_width:
                snapshots = fit["snapshots"]
    return {"x": fit["x"], "target": fit["target"], "widths": list(widths),
            "checkpoints": list(checkpoints), "errors": errors, "snapshots": snapshots,
            "shown_width": shown_width,
            "width_plateau": plateau_start(list(widths), errors[:, :, -1].mean(axis=0))}


def plot_sweeps(result, fig=None):
    """Top: the fit of one width after more and more epochs. Bottom: error against width and
    against epochs, with the point where each levels off."""
    fig = new_figure(16, 7.5, fig)
    grid = fig.add_gridspec(2, 4)
    x, target = result["x"], result["target"]
    shown = [c for c in result["checkpoints"] if c in result["snapshots"]][-4:]
    for column, epochs in enumerate(shown):
        ax = fig.add_subplot(grid[0, column])
        draw_target(ax, x, target)
        draw_fit(ax, x, result["snapshots"][epochs], f"tanh-{result['shown_width']}")
        label_axes(ax, f"after {epochs} epoch{'s' if epochs > 1 else ''}",
                   legend=column == 0)
    mean = result["errors"].mean(axis=0)
    by_width = fig.add_subplot(grid[1, :2])
    by_width.semilogx(result["widths"], mean[:, -1], "o-", color=FIT_COLOUR,
                      label=f"after {result['checkpoints'][-1]} epochs")
    by_width.axvline(result["width_plateau"], color="0.5", linestyle="--",
                     label=f"levels off at {result['width_plateau']} neurons")
    label_axes(by_width, "Error against width", "hidden neurons", "MSE")
    by_epoch = fig.add_subplot(grid[1, 2:])
    shown_widths = sorted({result["widths"][0], result["width_plateau"], result["shown_width"],
                           result["widths"][-1]})
    for width, colour in zip(shown_widths, PALETTE):
        row = mean[result["widths"].index(width)]
        by_epoch.loglog(result["checkpoints"], row, "o-", color=colour,
                        label=f"{width} neuron{'s' if width > 1 else ''}")
    label_axes(by_epoch, "Error against epochs", "epochs", "MSE")
    return fig


# 9.9 XOR: boundaries of 3 and 50 neurons, and the late blow-up ----------------------------------

def decision_regions(model, x_range, y_range, resolution=100):
    """The class a 2-input classifier picks at every point of a grid, to draw its boundaries.

    Take `resolution` evenly spaced values xs over x_range = (x_min, x_max) (np.linspace, ends
    included) and likewise ys over y_range. labels[i, j] is the class the model predicts at
    the point (xs[j], ys[i]): rows follow y and columns follow x, the layout of an image and
    of np.meshgrid(xs, ys). The predicted class is the output column with the largest value
    (np.argmax along axis 1). Evaluate all resolution² points in one forward pass.

    model: a network with 2 inputs and one output per class. Returns (xs, ys, labels): xs and
    ys float64 of shape (resolution,), labels an integer array of shape (resolution, resolution).
    """
    as_model("decision_regions", model)
    x_range = as_range("decision_regions", "x_range", x_range)
    y_range = as_range("decision_regions", "y_range", y_range)
    count_at_least("decision_regions", "resolution", resolution, 2)
    ### BEGIN SOLUTION
    xs = np.linspace(*x_range, resolution)
    ys = np.linspace(*y_range, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)          # rows follow y, columns follow x
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    labels = np.argmax(model.forward(points), axis=1).reshape(grid_x.shape)
    return xs, ys, labels
    ### END SOLUTION


def loss_blowup(losses, factor=2.0):
    """The first epoch at which the training loss blows up, or None if it never does.

    Epoch k ≥ 1 (an index into `losses`) blows up when its loss is more than `factor` times the
    best (smallest) loss of the epochs before it: losses[k] > factor · min(losses[:k]). A loss
    that is NaN or infinite also counts as a blow-up. Comparing with the best so far, not with
    the previous epoch, catches a loss that climbs back slowly over several epochs as well as a
    sudden jump. Return k as a Python int, or None.

    losses: shape (n,), one loss per epoch; factor > 1.
    """
    losses = as_curve("loss_blowup", "losses", losses)
    if not factor > 1:
        raise ValueError(f"loss_blowup: factor must be greater than 1, got {factor}")
    ### BEGIN SOLUTION
    losses = np.where(np.isnan(losses), np.inf, losses)
    best_before = np.minimum.accumulate(losses)[:-1]     # best of losses[:k], for k = 1 …
    blown = losses[1:] > factor * best_before
    return int(np.argmax(blown)) + 1 if blown.any() else None
    ### END SOLUTION


# (label, hidden neurons, learning rate, decay): decay d lowers the rate to η/(1 + k/d) at step k.
XOR_CONFIGS = (
    ("3 hidden, rate 0.5", 3, 0.5, None),
    ("50 hidden, rate 0.5", 50, 0.5, None),
    ("50 hidden, rate 0.25", 50, 0.25, None),
    ("50 hidden, rate 0.5 decaying", 50, 0.5, 100),
)
XOR_VIEW = ((-1.5, 1.5), (-1.5, 1.5))


def _train_until_blowup(model, X, y, optimizer, epochs, rng, loss="mse"):
    """Full-batch training, one epoch per `train` call, so that a run whose loss turns NaN or
    infinite keeps its history: the epochs it could not run are recorded as inf."""
    losses = np.full(epochs, np.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            try:
                losses[epoch] = train(model, X, y, loss=loss, optimizer=optimizer, epochs=1,
                                      batch_size=len(X), rng=rng)["loss"][0]
            except FloatingPointError:
                break
    return losses


def run_xor(configs=XOR_CONFIGS, n_samples=200, epochs=300, seeds=(0,), resolution=150):
    """The XOR experiment of "Like Lego", on clouds of points (noisy_xor, 200 points of
    [-1, 1]², class 1 where x1·x2 < 0): 2-n-2 networks with tanh hidden neurons, one-hot
    targets and a squared loss, trained by full-batch gradient descent. At rate 0.5 the
    50-neuron net trains smoothly, then its loss suddenly jumps; a smaller or a decaying rate
    (unit 7's inverse_time_decay) avoids it. The decision regions use seed 0."""
    X, y = classification.noisy_xor(n_samples, np.random.default_rng(0))
    targets = classification.one_hot(y, 2)
    runs = {}
    for label, hidden, rate, decay in configs:
        losses, models = [], []
        for seed in seeds:
            rng = np.random.default_rng(seed)
            model = MLP([2, hidden, 2], "tanh", weight_init="glorot_normal", rng=rng)
            schedule = None if decay is None else (
                lambda k, rate=rate, decay=decay:
                unit07_optimizers.inverse_time_decay(rate, k, 1.0, decay))
            optimizer = make_optimizer("sgd", rate, schedule=schedule)
            losses.append(_train_until_blowup(model, X, targets, optimizer, epochs, rng))
            models.append(model)
        runs[label] = {"hidden": hidden, "learning_rate": rate, "decay": decay,
                       "losses": np.array(losses), "models": models,
                       "blowups": [loss_blowup(history) for history in losses],
                       "accuracy": float(np.mean(np.argmax(models[0].forward(X), axis=1) == y))}
        runs[label]["regions"] = decision_regions(models[0], *XOR_VIEW, resolution)
    return {"X": X, "y": y, "runs": runs, "epochs": epochs}


def plot_xor(result, fig=None):
    """Left: the boundaries of a small and a large net. Right: loss curves, blow-ups marked."""
    fig = new_figure(16, 4.8, fig)
    axes = fig.subplots(1, 3)
    runs = result["runs"]
    small = next(label for label, run in runs.items() if run["hidden"] <= 3)
    large = next((label for label, run in runs.items() if run["decay"] is not None),
                 list(runs)[-1])
    for ax, label in zip(axes, (small, large)):
        run = runs[label]
        draw_regions(ax, run["regions"], result["X"], result["y"],
                     f"{label}: accuracy {run['accuracy']:.0%}",
                     class_names=("class 0: x₁, x₂ of one sign", "class 1: opposite signs"))
    curves = axes[2]
    epochs = np.arange(1, result["epochs"] + 1)
    for (label, run), colour in zip(runs.items(), PALETTE):
        losses = run["losses"][0]
        curves.semilogy(epochs, np.where(np.isfinite(losses), losses, np.nan), color=colour,
                        label=label, linewidth=1.3)
        blowup = run["blowups"][0]
        if blowup is not None and np.isfinite(losses[blowup]):
            curves.plot(blowup + 1, losses[blowup], "o", color=colour, markersize=6)
            curves.annotate(f"blow-up at epoch {blowup + 1}", (blowup + 1, losses[blowup]),
                            fontsize=8, textcoords="offset points", xytext=(8, -4),
                            color=colour)
    label_axes(curves, "Training loss: the late blow-up", "epoch", "loss (MSE)")
    return fig


# 9.10 Dead ReLUs and the learning rate ----------------------------------------------------------

def dead_relu_fraction(model, X):
    """The fraction of hidden ReLU neurons that are dead on the data X.

    A hidden neuron is dead on X when its pre-activation z is ≤ 0 for every sample of X: ReLU
    then outputs 0 and its gradient is 0 for every sample, so no update can revive it (CS231n:
    "as much as 40% of your network can be dead" when the learning rate is too high). Count the
    neurons of all hidden layers together (the output layer is not hidden) and return
    dead / total as a float in [0, 1].

    model: an MLP with ReLU hidden layers; after ``model.forward(X)``, ``model.cache`` holds one
    (A_prev, Z) pair per layer, first layer first, Z of shape (n_samples, n_neurons).
    X: the inputs, (n_samples, n_in).
    """
    as_model("dead_relu_fraction", model)
    X = np.asarray(X, dtype=np.float64)
    ### BEGIN SOLUTION
    model.forward(X)
    hidden = [Z for _, Z in model.cache[:-1]]        # the output layer is not hidden
    dead = np.concatenate([np.all(Z <= 0, axis=0) for Z in hidden])
    return float(np.mean(dead))
    ### END SOLUTION


def run_dead_relu(learning_rates=(0.01, 0.03, 0.1, 0.3, 1.0, 2.0), hidden=(50, 50),
                  epochs=20, seeds=(0, 1, 2), batch_size=16):
    """ReLU networks 2-50-50-3 (he_normal) trained with plain SGD and softmax cross-entropy on
    CS231n's 3-arm spiral (100 points per arm) at each learning rate, once per seed; the dead
    fraction on the training data after training (models[s][r] is the network of seed s and
    rate r). A run that diverges records NaN and no model."""
    X, y = classification.spiral(100, np.random.default_rng(0))
    fractions = np.full((len(seeds), len(learning_rates)), np.nan)
    models = [[None] * len(learning_rates) for _ in seeds]
    histories = {}
    for s, seed in enumerate(seeds):
        for r, rate in enumerate(learning_rates):
            rng = np.random.default_rng(seed)
            model = MLP([2, *hidden, 3], "relu", weight_init="he_normal", rng=rng)
            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    history = train(model, X, y, loss="softmax_cross_entropy",
                                    learning_rate=rate, epochs=epochs, batch_size=batch_size,
                                    rng=rng)["loss"]
            except FloatingPointError:
                continue
            fractions[s, r] = dead_relu_fraction(model, X)
            models[s][r] = model
            if s == 0:
                histories[rate] = history
    return {"X": X, "learning_rates": list(learning_rates), "fractions": fractions,
            "models": models, "histories": histories, "epochs": epochs}


def plot_dead_relu(result, fig=None):
    """Left: the dead fraction against the learning rate. Right: the training losses."""
    fig = new_figure(13, 4.5, fig)
    left, right = fig.subplots(1, 2)
    rates, fractions = np.array(result["learning_rates"]), result["fractions"]
    for row in fractions:
        left.plot(rates, row, "o", color="0.6", markersize=4)
    left.plot(rates, np.nanmean(fractions, axis=0), "o-", color=FIT_COLOUR, linewidth=2,
              label=f"mean of {len(fractions)} runs (grey: each run)")
    left.set_xscale("log")
    left.set_ylim(-0.02, 1.02)
    label_axes(left, "Dead ReLU neurons after training", "learning rate (SGD)",
               "fraction of hidden neurons dead")
    epochs = np.arange(1, result["epochs"] + 1)
    for (rate, history), colour in zip(result["histories"].items(), PALETTE):
        right.semilogy(epochs, history, color=colour, label=f"rate {rate:g}")
    label_axes(right, "Training loss", "epoch", "softmax cross-entropy")
    return fig


# 9.11 Vanishing gradients in a deep sigmoid net -------------------------------------------------

def layer_gradient_norms(model, X, y):
    """How large the gradient of each layer's weights is, first layer first.

    Run one forward pass on X, take the gradient of the MSE loss L = mean((ŷ − y)²) (the mean
    over all entries, as in unit 4) with respect to the output, dL/dŷ = 2(ŷ − y) / N with N the
    number of entries of ŷ, and run one backward pass. Return the Frobenius norm ‖dL/dWₗ‖ =
    sqrt(Σ (dL/dWₗ)²) of every layer's weight gradient (biases left out), as a float64 array of
    shape (n_layers,), the layer nearest the input first.

    model: an MLP without L2; X: (n_samples, n_in); y: targets (n_samples, n_out).
    """
    as_model("layer_gradient_norms", model)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    ### BEGIN SOLUTION
    y_pred = model.forward(X)
    grads = model.backward(2.0 * (y_pred - y) / y_pred.size)
    return np.array([np.linalg.norm(dW) for dW in grads[0::2]])   # [dW1, db1, dW2, ...]
    ### END SOLUTION


# activation -> initializer suited to it (Glorot for the S-shaped ones, He for ReLU)
VANISHING_CONFIGS = (("sigmoid", "glorot_normal"), ("tanh", "glorot_normal"),
                     ("relu", "he_normal"))


def run_vanishing_gradients(configs=VANISHING_CONFIGS, depth=6, width=30, seeds=(0, 1, 2, 3)):
    """Deep networks 2-30-…-30-3 (`depth` hidden layers) at initialization on the spiral with
    one-hot targets: the gradient norm of every layer, for each activation and seed."""
    X, y = classification.spiral(100, np.random.default_rng(0))
    targets = classification.one_hot(y, 3)
    norms = {}
    for activation, weight_init in configs:
        norms[activation] = np.array([
            layer_gradient_norms(MLP([2, *[width] * depth, 3], activation,
                                     weight_init=weight_init, rng=np.random.default_rng(seed)),
                                 X, targets)
            for seed in seeds])
    return {"norms": norms, "depth": depth, "width": width}


def plot_vanishing_gradients(result, fig=None):
    """The gradient norm of every layer, input side on the left, on a log scale."""
    fig = new_figure(8.5, 4.8, fig)
    ax = fig.subplots()
    for (activation, norms), colour in zip(result["norms"].items(), PALETTE):
        layers = np.arange(1, norms.shape[1] + 1)
        for row in norms:
            ax.semilogy(layers, row, color=colour, alpha=0.25, linewidth=1)
        ax.semilogy(layers, np.exp(np.mean(np.log(norms), axis=0)), "o-", color=colour,
                    linewidth=2, label=activation)
    ax.set_xticks(np.arange(1, result["depth"] + 2))
    label_axes(ax, f"Gradient size per layer at initialization ({result['depth']} hidden "
                   f"layers of {result['width']})",
               "layer (1 = next to the input)", "‖dL/dW‖ (Frobenius)")
    return fig


# 9.12 Capacity and regularization on 2-D data ---------------------------------------------------

def weight_norm(model):
    """The Euclidean norm of all the network's weights together, biases left out:

        sqrt(Σₗ Σ W_l[i, j]²),

    the quantity whose square the L2 penalty (λ/2)·Σ‖W‖² keeps small. model.params is
    [W1, b1, W2, b2, ...]. Returns a float.
    """
    as_model("weight_norm", model)
    ### BEGIN SOLUTION
    weights = model.params[0::2]
    return float(np.sqrt(sum(np.sum(W ** 2) for W in weights)))
    ### END SOLUTION


def boundary_fraction(labels):
    """How rough a map of decision regions is: the fraction of neighbouring grid cells whose
    labels differ.

    labels: a 2-D grid of class labels, shape (rows, columns) with both ≥ 2 (the labels of
    `decision_regions`). Compare every cell with its right-hand neighbour and with the one
    below: there are rows·(columns − 1) + (rows − 1)·columns such pairs. Return the number of
    pairs that disagree divided by the number of pairs, a float in [0, 1]. A single straight
    boundary across a 100 × 100 grid gives about 0.005; islands and wiggles give more.
    """
    labels = np.asarray(labels)
    if labels.ndim != 2 or min(labels.shape) < 2:
        raise ValueError(f"boundary_fraction: labels must be a 2-D grid of at least 2 × 2, "
                         f"got shape {labels.shape}")
    ### BEGIN SOLUTION
    across = labels[:, 1:] != labels[:, :-1]     # each cell against its right-hand neighbour
    down = labels[1:, :] != labels[:-1, :]       # each cell against the one below
    return float((across.sum() + down.sum()) / (across.size + down.size))
    ### END SOLUTION


CAPACITY_VIEW = ((-1.2, 1.2), (-1.2, 1.2))
REGULARIZATION_VIEW = ((-2.0, 3.0), (-1.8, 2.2))


def _classifier(X, y, hidden, l2, epochs, seed, learning_rate):
    """A 2-hidden-k tanh network trained with Adam on softmax cross-entropy."""
    rng = np.random.default_rng(seed)
    model = MLP([2, hidden, int(y.max()) + 1], "tanh", weight_init="glorot_normal", rng=rng,
                l2=l2)
    train(model, X, y, loss="softmax_cross_entropy", optimizer="adam",
          learning_rate=learning_rate, epochs=epochs, batch_size=32, rng=rng)
    return model


def run_capacity(hidden_sizes=(3, 6, 20), l2_strengths=(0.0, 0.01, 0.1), epochs=200,
                 seeds=(0,), learning_rate=0.01, resolution=150):
    """CS231n's two pictures. Capacity: 2-n-3 tanh networks (n = 3, 6, 20) on the 3-arm spiral.
    Regularization: 2-20-2 networks on noisy moons (noise 0.3) with L2 strength λ. Adam, 32
    per batch, `epochs` epochs, one run per seed; regions, norms and roughness of seed 0."""
    spiral = classification.spiral(100, np.random.default_rng(0))
    moons = classification.moons(100, np.random.default_rng(0), noise=0.3)
    parts = {"capacity": (spiral, CAPACITY_VIEW, [(h, 0.0) for h in hidden_sizes]),
             "regularization": (moons, REGULARIZATION_VIEW, [(20, l2) for l2 in l2_strengths])}
    result = {}
    for part, ((X, y), view, settings) in parts.items():
        fits = []
        for hidden, l2 in settings:
            models = [_classifier(X, y, hidden, l2, epochs, seed, learning_rate)
                      for seed in seeds]
            regions = decision_regions(models[0], *view, resolution)
            fits.append({"hidden": hidden, "l2": l2, "models": models, "regions": regions,
                         "accuracy": np.array([np.mean(np.argmax(m.forward(X), axis=1) == y)
                                               for m in models]),
                         "weight_norm": np.array([weight_norm(m) for m in models]),
                         "boundary": boundary_fraction(regions[2])})
        result[part] = {"X": X, "y": y, "fits": fits}
    return result


def plot_capacity(result, fig=None):
    """Top: boundaries of 3, 6 and 20 neurons. Bottom: 20 neurons under growing L2."""
    fig = new_figure(15, 9.5, fig)
    axes = fig.subplots(2, 3)
    capacity, regularization = result["capacity"], result["regularization"]
    for ax, fit in zip(axes[0], capacity["fits"]):
        draw_regions(ax, fit["regions"], capacity["X"], capacity["y"],
                     f"{fit['hidden']} hidden neurons: training accuracy "
                     f"{fit['accuracy'][0]:.0%}")
    for ax, fit in zip(axes[1], regularization["fits"]):
        draw_regions(ax, fit["regions"], regularization["X"], regularization["y"],
                     f"λ = {fit['l2']:g}: ‖W‖ = {fit['weight_norm'][0]:.1f}; "
                     f"{fit['boundary']:.1%} of neighbouring cells differ")
    return fig


# 9.13 Capstone: handwritten digits ---------------------------------------------------------------

def train_digits_classifier(X_train, y_train, seed=0):
    """Build and train YOUR classifier of 8×8 handwritten digits; return (model, history).

    X_train: (n, 64) pixel intensities in [0, 1], one flattened image per row; y_train: (n,)
    integer labels 0–9. The graded test holds out a fifth of the 1797 digits, gives you the
    rest, and expects at least 95% accuracy on the held-out fifth: the predicted class of a
    test image is the column of model.forward(X_test) with the largest value.

    Choose the architecture and the training yourself with `MLP` and `train` (softmax
    cross-entropy takes the integer labels as they are). A single hidden layer of a few dozen
    ReLU neurons trained with Adam for a couple of dozen epochs is a good start; it takes a
    second or two. Take all randomness from np.random.default_rng(seed). history is what
    `train` returns.
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    y_train = np.asarray(y_train)
    if X_train.ndim != 2 or X_train.shape[1] != digits.N_PIXELS or len(y_train) != len(X_train):
        raise ValueError(f"train_digits_classifier: expected X_train (n, {digits.N_PIXELS}) and "
                         f"y_train (n,), got shapes {X_train.shape} and {y_train.shape}")
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    model = MLP([digits.N_PIXELS, 64, digits.N_CLASSES], "relu", weight_init="he_normal",
                rng=rng)
    history = train(model, X_train, y_train, loss="softmax_cross_entropy", optimizer="adam",
                    learning_rate=0.003, epochs=25, batch_size=32, rng=rng)
    return model, history
    ### END SOLUTION


def confusion_matrix(y_true, y_pred, n_classes=10):
    """Count how often each true class was predicted as each class.

    matrix[t, p] = the number of samples whose true label is t and predicted label is p: rows
    are the truth, columns the prediction, so the diagonal holds the correct answers and each
    row sums to the number of samples of that class. y_true, y_pred: integer labels in
    0 … n_classes − 1, shape (n,). Returns an integer array of shape (n_classes, n_classes).
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"confusion_matrix: y_true and y_pred must be label arrays of the same "
                         f"shape (n,), got {y_true.shape} and {y_pred.shape}")
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size and (not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0
                            or labels.max() >= n_classes):
            raise ValueError(f"confusion_matrix: {name} must hold integer labels 0 … "
                             f"{n_classes - 1}")
    ### BEGIN SOLUTION
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)      # += 1 once per sample, repeats included
    return matrix
    ### END SOLUTION


def split_digits(seed=0, test_fraction=0.2):
    """The shipped digits, split by unit 8's validation_split: ((X_train, y_train), (X_test,
    y_test)), labels as integers."""
    X, y = digits.load_digits()
    (X_train, y_train), (X_test, y_test) = unit08_training.validation_split(
        X, y, test_fraction, np.random.default_rng(seed))
    return (X_train, y_train.astype(np.int64)), (X_test, y_test.astype(np.int64))


def run_digits(seed=0):
    """Your classifier on an 80/20 split of the digits: the held-out accuracy, the confusion
    matrix and the images it gets wrong."""
    (X_train, y_train), (X_test, y_test) = split_digits(seed)
    model, history = train_digits_classifier(X_train, y_train, seed)
    predicted = np.argmax(model.forward(X_test), axis=1)
    wrong = np.nonzero(predicted != y_test)[0]
    return {"history": history["loss"], "accuracy": float(np.mean(predicted == y_test)),
            "confusion": confusion_matrix(y_test, predicted), "n_train": len(X_train),
            "wrong_images": X_test[wrong], "wrong_true": y_test[wrong],
            "wrong_predicted": predicted[wrong], "model": model}


def plot_digits(result, fig=None):
    """The loss curve, the confusion matrix, and some of the digits the network got wrong."""
    fig = new_figure(16, 5, fig)
    left, middle, right = fig.subfigures(1, 3, width_ratios=[1, 1.1, 1.1])
    curve = left.subplots()
    curve.semilogy(np.arange(1, len(result["history"]) + 1), result["history"],
                   color=FIT_COLOUR)
    label_axes(curve, f"Training on {result['n_train']} digits", "epoch",
               "softmax cross-entropy", legend=False)
    matrix = result["confusion"]
    heat = middle.subplots()
    heat.imshow(matrix, cmap="Blues")
    for (t, p), count in np.ndenumerate(matrix):
        if count:
            heat.text(p, t, str(count), ha="center", va="center", fontsize=7,
                      color="white" if count > matrix.max() / 2 else "black")
    heat.set_xticks(range(len(matrix)))
    heat.set_yticks(range(len(matrix)))
    label_axes(heat, f"Held-out accuracy {result['accuracy']:.1%}", "predicted digit",
               "true digit", legend=False)
    heat.grid(False)
    right.suptitle(f"{len(result['wrong_true'])} held-out digits it got wrong "
                   "(true → predicted)", fontsize=10)
    for k, ax in enumerate(right.subplots(3, 4).ravel()):
        ax.set_axis_off()
        if k < len(result["wrong_true"]):
            ax.imshow(result["wrong_images"][k].reshape(8, 8), cmap="gray_r")
            ax.set_title(f"{result['wrong_true'][k]} → {result['wrong_predicted'][k]}",
                         fontsize=9)
    return fig
