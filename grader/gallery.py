"""The gallery: every figure of the kit, drawn by the implementation you choose.

    nnlings gallery --out DIR                    your implementation (exercises/)
    nnlings gallery --out DIR --impl solutions   the reference
    nnlings gallery --out DIR --only 'unit09-*'  some figures only (shell-style patterns)
    nnlings gallery --out DIR --quick            small settings: a fast check that all draw

It writes one PNG per figure and an `index.md` that shows them in the order of the curriculum
(and of the source articles), each with a caption. Figures are drawn off-screen with matplotlib
(no window opens). A figure whose code is not written yet (NotImplementedError), or that fails,
is listed as skipped with the reason; the gallery itself never stops for it. So a student sees
their own network reproduce the articles' figures as the exercises get done.

Unit 9's figures are those of its `run_...` and `plot_...` functions, with the articles'
settings (about a minute for all of them); units 1–8 get one figure each, drawn here.
"""
from __future__ import annotations

import argparse
import fnmatch
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from nnlings.datasets import classification, functions

from . import registry
from .implementation import load_unit


@dataclass(frozen=True)
class Entry:
    """One figure: its file name (without .png), the exercises it shows, a title, a caption,
    and draw(units, quick) → matplotlib Figure, where units(module) loads a unit module of the
    chosen implementation."""
    name: str
    exercises: str
    title: str
    caption: str
    draw: Callable

    @property
    def unit(self) -> int:
        return int(self.name[4:6])


# Drawing helpers for units 1–8 -----------------------------------------------------------------

DARK, ACCENT = "0.15", "#c2185b"
PATIENCE = 100
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


def _figure(width, height):
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), layout="constrained")


def _decorate(ax, title, xlabel="x", ylabel="y", legend=True):
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.25)
    if legend:
        ax.legend(fontsize=8)


# Unit 1 ------------------------------------------------------------------------------------------

def _one_neuron(units, quick):
    neuron = units("unit01_neuron")
    x = functions.grid(200 if quick else 1000)[:, 0]
    fig = _figure(11, 4)
    for ax, (label, target) in zip(fig.subplots(1, 2), (("2x + 5", functions.linear),
                                                         ("2 sin x + 5", functions.sine))):
        y = target(x)
        w, b = neuron.train_neuron(x, y)
        w_line, b_line = neuron.least_squares_line(x, y)
        # The lines coincide by design: a wide pale band under a thin dashed line shows both,
        # and open circles (every 40th of the points) keep the data visible on top.
        ax.plot(x, w * x + b, color=ACCENT, linewidth=7, alpha=0.35, solid_capstyle="butt",
                label=f"neuron after gradient descent: {w:.4f}·x + {b:.4f}")
        ax.plot(x, w_line * x + b_line, color=DARK, linestyle="--", linewidth=1.2,
                label=f"least-squares line: {w_line:.4f}·x + {b_line:.4f}")
        step = max(len(x) // 25, 1)
        ax.scatter(x[::step], y[::step], s=28, facecolors="none", edgecolors=PALETTE[0],
                   linewidths=1.2, zorder=3, label=f"data: y = {label} (every {step}th point)")
        _decorate(ax, f"One linear neuron on y = {label}")
    return fig


# Unit 2 ------------------------------------------------------------------------------------------

def _activations(units, quick):
    activations = units("unit02_activations")
    x = np.linspace(-4.0, 4.0, 401)
    fig = _figure(16, 7)
    axes = fig.subplots(2, 4).ravel()
    for ax, (name, (f, f_grad)) in zip(axes, activations.ACTIVATIONS.items()):
        ax.plot(x, f(x), color=ACCENT, linewidth=2, label=f"{name}(x)")
        ax.plot(x, f_grad(x), color=PALETTE[0], linewidth=1.3, linestyle="--",
                label="derivative")
        ax.axhline(0, color="0.6", linewidth=0.6)
        _decorate(ax, name)
    pieces = np.stack([x, -0.5 * x, 0.3 * x + 1.0], axis=-1)
    last = axes[len(activations.ACTIVATIONS)]
    for k in range(3):
        last.plot(x, pieces[..., k], color="0.7", linewidth=1, linestyle=":")
    last.plot(x, activations.maxout(pieces), color=ACCENT, linewidth=2,
              label="maxout of the three lines")
    _decorate(last, "maxout")
    for ax in axes[len(activations.ACTIVATIONS) + 1:]:
        ax.set_visible(False)
    return fig


# Unit 3 ------------------------------------------------------------------------------------------

def _forward_pass(units, quick):
    layers, activations = units("unit03_layers"), units("unit02_activations")
    table = activations.ACTIVATIONS
    rng = np.random.default_rng(3)
    x = functions.grid(400)
    params = [(rng.normal(0.0, 1.5, (1, 8)), rng.normal(0.0, 1.5, 8)),
              (rng.normal(0.0, 1.0, (8, 1)), np.zeros(1))]
    fig = _figure(12, 4.3)
    left, right = fig.subplots(1, 2)
    for name, colour in zip(("identity", "relu", "tanh", "sigmoid"), PALETTE):
        output, _ = layers.mlp_forward(x, params, [table[name][0], table["identity"][0]])
        left.plot(x[:, 0], output[:, 0], color=colour, linewidth=1.8, label=f"hidden {name}")
    _decorate(left, "The same 1-8-1 weights, four hidden activations")
    stack = [(rng.normal(0.0, 1.0, (1, 4)), rng.normal(0.0, 1.0, 4)),
             (rng.normal(0.0, 0.7, (4, 4)), rng.normal(0.0, 1.0, 4)),
             (rng.normal(0.0, 0.7, (4, 1)), rng.normal(0.0, 1.0, 1))]
    output, _ = layers.mlp_forward(x, stack, [table["identity"][0]] * 3)
    W, b = layers.collapse_linear(stack)
    right.plot(x[:, 0], output[:, 0], color=ACCENT, linewidth=4, alpha=0.4,
               label="1-4-4-1 linear stack")
    right.plot(x[:, 0], x[:, 0] * W[0, 0] + b[0], color=DARK, linestyle="--",
               label=f"collapsed: {W[0, 0]:.3f}·x + {b[0]:.3f}")
    _decorate(right, "Three linear layers are one affine map")
    return fig


# Unit 4 ------------------------------------------------------------------------------------------

def _curve(loss, values):
    return np.array([loss(v) for v in values])


def _losses(units, quick):
    losses = units("unit04_losses")
    z = np.linspace(-4.0, 4.0, 161)
    fig = _figure(15, 4.2)
    first, second, third = fig.subplots(1, 3)
    one = np.ones((1, 1))
    first.plot(z, _curve(lambda v: losses.mse(np.full((1, 1), v), one), z), color=ACCENT,
               linewidth=2, label="MSE, target 1")
    first.plot(z, _curve(lambda v: losses.mse_grad(np.full((1, 1), v), one)[0, 0], z),
               color=PALETTE[0], linestyle="--", label="its gradient")
    _decorate(first, "Mean squared error", "prediction", "loss")
    bce = _curve(lambda v: losses.binary_cross_entropy_with_logits(np.array([v]),
                                                                     np.array([1.0])), z)
    hinge = _curve(lambda v: losses.hinge_loss(np.array([v]), np.array([1.0])), z)
    second.plot(z, bce, color=ACCENT, linewidth=2, label="cross-entropy from the logit, y = 1")
    second.plot(z, hinge, color=PALETTE[1], linewidth=2, label="hinge (SVM), y = +1")
    _decorate(second, "A single neuron as a classifier", "score z", "loss")
    labels = np.zeros(1, dtype=np.int64)
    logits = [np.array([[v, 0.0, 0.0]]) for v in z]
    third.plot(z, [losses.softmax_cross_entropy(Z, labels) for Z in logits], color=ACCENT,
               linewidth=2, label="softmax cross-entropy, class 0")
    third.plot(z, [losses.softmax(Z)[0, 0] for Z in logits], color=PALETTE[2],
               label="softmax probability of class 0")
    third.plot(z, [losses.softmax_cross_entropy_grad(Z, labels)[0, 0] for Z in logits],
               color=PALETTE[0], linestyle="--", label="gradient w.r.t. z₀")
    _decorate(third, "Three classes, logits (z₀, 0, 0)", "logit z₀", "")
    return fig


# Unit 5 ------------------------------------------------------------------------------------------

def _xor_backprop(units, quick):
    backprop = units("unit05_backprop")
    params, losses = backprop.train_xor(backprop.xor_loss_and_grads, hidden=3,
                                        epochs=500 if quick else 2000)
    X, y = classification.xor_points()
    xs = np.linspace(-0.5, 1.5, 120)
    grid_x, grid_y = np.meshgrid(xs, xs)
    labels = backprop.xor_predict(params, np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    fig = _figure(11, 4.3)
    left, right = fig.subplots(1, 2)
    left.semilogy(np.arange(1, len(losses) + 1), losses, color=ACCENT)
    _decorate(left, "2-3-2 sigmoid network: squared loss + L2", "epoch", "loss", legend=False)
    right.contourf(xs, xs, labels.reshape(grid_x.shape), levels=[-0.5, 0.5, 1.5],
                   colors=["#9ecae1", "#fdae6b"])
    right.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=120, edgecolors="black", zorder=3)
    for point, label in zip(X, y):
        right.annotate(f"{int(point[0])} XOR {int(point[1])} = {label}", point,
                       textcoords="offset points", xytext=(8, 8), fontsize=8)
    right.set_aspect("equal")
    _decorate(right, "The decision regions it learned", "$x_1$", "$x_2$", legend=False)
    return fig


# Unit 6 ------------------------------------------------------------------------------------------

def _initializers(units, quick):
    init = units("unit06_initializers")
    rng = np.random.default_rng(6)
    fig = _figure(13, 4.5)
    left, right = fig.subplots(1, 2)
    for name, colour in zip(("glorot_normal", "glorot_uniform", "he_normal", "he_uniform"),
                            PALETTE):
        W = getattr(init, name)((200, 100), rng)
        left.hist(W.ravel(), bins=60, histtype="step", color=colour, linewidth=1.5,
                  label=f"{name}: std {W.std():.3f}")
    _decorate(left, "Weights of a 200 → 100 layer", "weight", "count")
    X = rng.normal(0.0, 1.0, (300 if quick else 1000, 100))
    for (name, activation), colour in zip((("random_normal", np.tanh),
                                           ("glorot_normal", np.tanh),
                                           ("he_normal", lambda z: np.maximum(z, 0.0))),
                                          PALETTE):
        A, spread = X, []
        for _ in range(10):
            A = activation(A @ getattr(init, name)((100, 100), rng))
            spread.append(A.std())
        label = f"{name}, {'ReLU' if name == 'he_normal' else 'tanh'}"
        right.semilogy(np.arange(1, 11), spread, "o-", color=colour, label=label)
    _decorate(right, "Activations through 10 layers of 100", "layer",
              "standard deviation of the activations")
    return fig


# Unit 7 ------------------------------------------------------------------------------------------

def _optimizers(units, quick):
    optim = units("unit07_optimizers")
    curvature = np.array([1.0, 20.0])            # f(w) = ½(w₁² + 20·w₂²): a narrow valley
    runs = (("SGD", optim.SGD(0.09)), ("momentum 0.9", optim.Momentum(0.015, 0.9)),
            ("Nesterov 0.9", optim.Nesterov(0.015, 0.9)), ("Adam", optim.Adam(0.3)))
    fig = _figure(13, 4.5)
    left, right = fig.subplots(1, 2)
    w1, w2 = np.meshgrid(np.linspace(-4.5, 1.5, 200), np.linspace(-1.5, 1.5, 200))
    left.contour(w1, w2, 0.5 * (w1 ** 2 + 20.0 * w2 ** 2), levels=15, colors="0.8",
                 linewidths=0.7)
    for (label, optimizer), colour in zip(runs, PALETTE):
        w = np.array([-4.0, 1.0])
        path = [w.copy()]
        for _ in range(40):
            optimizer.step([w], [curvature * w])
            path.append(w.copy())
        path = np.array(path)
        left.plot(path[:, 0], path[:, 1], "o-", color=colour, markersize=2.5, linewidth=1.2,
                  label=label)
    left.plot(0, 0, "k*", markersize=10)
    _decorate(left, "40 steps on ½(w₁² + 20·w₂²) from (−4, 1)", "$w_1$", "$w_2$")
    k = np.arange(0, 201)
    for (label, schedule), colour in zip(
            (("step decay (½ every 50)", lambda k: optim.step_decay(0.1, k, 0.5, 50)),
             ("exponential decay", lambda k: optim.exponential_decay(0.1, k, 0.5, 50)),
             ("inverse time decay", lambda k: optim.inverse_time_decay(0.1, k, 1.0, 50))),
            PALETTE):
        right.plot(k, [schedule(int(step)) for step in k], color=colour, linewidth=2,
                   label=label)
    _decorate(right, "Learning-rate schedules from 0.1", "step k", "learning rate")
    return fig


# Unit 8 ------------------------------------------------------------------------------------------

def _training_loop(units, quick):
    training, losses = units("unit08_training"), units("unit04_losses")
    experiments = units("unit09_experiments")
    rng = np.random.default_rng(8)
    x = np.sort(rng.uniform(-3.0, 3.0, 40))[:, np.newaxis]
    y = functions.sine(x) + rng.normal(0.0, 0.5, x.shape)
    (x_train, y_train), (x_val, y_val) = training.validation_split(x, y, 0.3, rng)
    model = experiments.MLP([1, 100, 100, 1], "tanh", weight_init="he_normal", rng=rng)
    optimizer = experiments.make_optimizer("adam", 0.01)
    history = training.fit(model, x_train, y_train, loss=losses.mse, loss_grad=losses.mse_grad,
                           optimizer=optimizer, epochs=30 if quick else 600, batch_size=8,
                           rng=rng, validation_data=(x_val, y_val), patience=PATIENCE,
                           verbose=False)
    best = int(np.argmin(history["val_loss"])) + 1
    fig = _figure(12, 4.3)
    left, right = fig.subplots(1, 2)
    epochs = np.arange(1, len(history["loss"]) + 1)
    left.semilogy(epochs, history["loss"], color=PALETTE[0], label="training loss")
    left.semilogy(epochs, history["val_loss"], color=ACCENT, label="validation loss")
    left.axvline(best, color="0.4", linestyle="--",
                 label=f"best validation loss: epoch {best}, restored")
    _decorate(left, f"Overfitting, stopped after {PATIENCE} epochs without progress", "epoch",
              "MSE")
    grid = functions.grid(400)
    right.scatter(x_train, y_train, s=14, color=PALETTE[0], label="training points", zorder=3)
    right.scatter(x_val, y_val, s=14, color=ACCENT, label="validation points", zorder=3)
    right.plot(grid, functions.sine(grid), color="0.6", linestyle=":", label="2 sin x + 5")
    right.plot(grid, model.forward(grid), color=DARK, linewidth=2,
               label=f"network, weights of epoch {best}")
    _decorate(right, "A 1-100-100-1 tanh network on 28 noisy samples")
    return fig


# Unit 9 ------------------------------------------------------------------------------------------

def _experiment(name, quick_settings):
    """draw() for unit 9's run_<name> and plot_<name>; `quick_settings` shrink the run."""
    def draw(units, quick):
        experiments = units("unit09_experiments")
        result = getattr(experiments, f"run_{name}")(**(quick_settings if quick else {}))
        return getattr(experiments, f"plot_{name}")(result)
    return draw


ENTRIES = (
    Entry("unit01-neuron", "1.3, 1.5", "One neuron, two targets",
          "A single linear neuron trained by gradient descent on 1000 points of [-3, 3] (open "
          "circles: every 40th). It fits y = 2x + 5 exactly (w = 2, b = 5); on y = 2 sin x + 5 "
          "the best it can do is the least-squares line, w ≈ 0.6896, b = 5, which it reaches: "
          "the dashed closed-form line runs inside the pale band of the trained neuron.",
          _one_neuron),
    Entry("unit02-activations", "2.1–2.8", "Activations and their derivatives",
          "Each activation of unit 2 (solid) with its derivative (dashed), evaluated at the "
          "pre-activation; at the kinks the left derivative is used. Last: maxout of three "
          "lines.", _activations),
    Entry("unit03-forward", "3.2, 3.4", "The forward pass",
          "Left: one set of 1-8-1 weights under four hidden activations; only the nonlinear "
          "ones bend. Right: a stack of linear layers and the single affine map it collapses "
          "to.", _forward_pass),
    Entry("unit04-losses", "4.1, 4.3–4.6", "Losses and their gradients",
          "Mean squared error; cross-entropy from a logit against the hinge loss of a binary "
          "SVM; softmax cross-entropy as one logit grows.", _losses),
    Entry("unit05-xor", "5.6", "Backpropagation learns XOR",
          "The 2-3-2 sigmoid network of \"Like Lego\", trained by full-batch gradient descent "
          "with the gradients derived by hand: its loss and its decision regions.",
          _xor_backprop),
    Entry("unit06-initializers", "6.2–6.5", "Initialization scales",
          "Left: Glorot and He draws for a 200 → 100 layer. Right: how the spread of the "
          "activations evolves through 10 layers: a small random normal start fades away, "
          "Glorot keeps tanh alive, He keeps ReLU alive.", _initializers),
    Entry("unit07-optimizers", "7.1–7.5", "Optimizers and schedules",
          "Left: 40 steps from (−4, 1) in a valley 20 times steeper across than along. Plain "
          "SGD, at a rate close to where the steep direction would diverge, zigzags across the "
          "valley; momentum builds up speed along the floor and overshoots the minimum, "
          "swinging back; Nesterov's look-ahead damps the swing and comes in smoothly; Adam "
          "moves about as far in every direction and circles in. Right: three learning-rate "
          "schedules.", _optimizers),
    Entry("unit08-training", "8.1–8.3, 8.5", "The training loop and early stopping",
          "A large network on few noisy points: the training loss keeps falling while the "
          "validation loss turns back up. Early stopping ends the run once the validation loss "
          "has not improved for 100 epochs and restores the weights of its best epoch.",
          _training_loop),
    Entry("unit09-linear-stack", "9.1", "A linear stack is one straight line",
          "The article's 1-5-1 network without activations on y = 2 sin x + 5: five neurons, "
          "still one line, and its second differences are zero.",
          _experiment("linear_stack", {"n_points": 200, "epochs": 10})),
    Entry("unit09-relu-kinks", "9.2", "ReLU bends the line",
          "ReLU networks with 3 and 59 hidden neurons on the sine: n neurons bend the line at "
          "most n times (dotted: where each neuron switches).",
          _experiment("relu_kinks", {"n_points": 200, "epochs": 5})),
    Entry("unit09-momentum", "9.3", "Momentum turns the bends",
          "ReLU-100 on the sine after 100 epochs of plain SGD and of SGD with Nesterov momentum "
          "(0.01, 0.9): the error at the bends (shaded) and the loss curves.",
          _experiment("momentum", {"n_points": 200, "epochs": 10})),
    Entry("unit09-piecewise", "9.4", "A harder target: activation, initialization, epochs",
          "The piecewise target x·sin(2πx) | −x·sin(πx) + e^(x/2) − 1, after 100 epochs (pale) "
          "and 400 (strong). ReLU-100 hits its ceiling early: a few straight pieces that miss "
          "the fast wiggles, and 300 more epochs of minibatch SGD with momentum only move its "
          "error about that level (for this seed it ends a little higher than at epoch 100). "
          "tanh-20 does better, more so from glorot_normal and most from he_normal, and for "
          "tanh 400 epochs beat 100. Bottom right: the error in each sixth of [-3, 3].",
          _experiment("piecewise", {"n_points": 200, "epochs": 20, "checkpoint": 5})),
    Entry("unit09-tanh-decomposition", "9.5", "A tanh network is a sum of bumps",
          "Left: tanh-20 on the piecewise target after 100 epochs. Middle: each hidden neuron's "
          "term w′ᵢ·tanh(wᵢx + bᵢ) on a row of its own, ordered by where it switches (tick "
          "mark) and scaled to its row, with its full height at the right: every neuron is one "
          "smooth step, steep or gentle, big or small. Right: the output bias, then the steps "
          "added from left to right; with all 20 the sum is the network, to round-off.",
          _experiment("tanh_decomposition", {"n_points": 200, "epochs": 10})),
    Entry("unit09-extrapolation", "9.6", "Outside the training range",
          "Trained on [-3, 3], evaluated on [-6, 6]: every tanh saturates and the network goes "
          "flat; a ReLU network carries on along straight lines. Neither knows the target "
          "there.", _experiment("extrapolation", {"n_points": 200, "epochs": 10})),
    Entry("unit09-depth", "9.7", "Two hidden layers beat one",
          "One and two hidden layers of 50 tanh neurons after the same 100 epochs, and how soon "
          "each reaches the best loss of the single layer.",
          _experiment("depth", {"n_points": 200, "epochs": 10})),
    Entry("unit09-sweeps", "9.8", "Width and epochs",
          "Top: tanh-20 on the sine after more and more epochs. Bottom: past a few neurons, "
          "more width stops helping, while more epochs keep lowering the error.",
          _experiment("sweeps", {"widths": (1, 3, 10), "checkpoints": (1, 3, 10),
                                 "shown_width": 10, "n_points": 200})),
    Entry("unit09-xor", "9.9", "XOR: 3 against 50 neurons, and the late blow-up",
          "Decision regions (shading: the class predicted there; dots: the samples, coloured "
          "by their class) of a small and a large tanh network on XOR clouds, where class 1 "
          "is the points whose two coordinates have opposite signs. Right: the loss of the "
          "large one at rate 0.5: smooth for a while, then a sudden jump; a smaller or a "
          "decaying rate avoids it.", _experiment("xor", {"epochs": 60, "resolution": 60})),
    Entry("unit09-dead-relu", "9.10", "Dead ReLUs and the learning rate",
          "The fraction of hidden ReLU neurons that never fire on the spiral after training with "
          "SGD at each learning rate (3 runs each): too high a rate kills them.",
          _experiment("dead_relu", {"learning_rates": (0.1, 2.0), "epochs": 3,
                                    "seeds": (0,)})),
    Entry("unit09-vanishing-gradients", "9.11", "Vanishing gradients",
          "The size of each layer's weight gradient in a network of 6 hidden layers at "
          "initialization: with sigmoid it shrinks by orders of magnitude toward the input.",
          _experiment("vanishing_gradients", {"seeds": (0,)})),
    Entry("unit09-capacity", "9.12", "Capacity and regularization",
          "Top: 3, 6 and 20 hidden neurons on the three-armed spiral; more neurons draw more "
          "complex regions. Bottom: 20 neurons on noisy moons under growing L2: smaller "
          "weights, smoother boundaries. The percentage in each title measures how long and "
          "wiggly the boundary is: the share of neighbouring grid cells (of the drawn grid) "
          "whose predicted classes differ, as boundary_fraction (9.12) computes it; one "
          "straight line across the grid gives about 0.5%.",
          _experiment("capacity", {"epochs": 5, "resolution": 50})),
    Entry("unit09-digits", "9.13", "Capstone: handwritten digits",
          "Your classifier on a held-out fifth of the 1797 UCI digits: its loss, the confusion "
          "matrix (rows: true digit) and the digits it gets wrong.", _experiment("digits", {})),
)


# Rendering ---------------------------------------------------------------------------------------

def _selected(only):
    if not only:
        return list(ENTRIES)
    patterns = [only] if isinstance(only, str) else list(only)
    chosen = [e for e in ENTRIES if any(fnmatch.fnmatch(e.name, p) for p in patterns)]
    if not chosen:
        names = ", ".join(e.name for e in ENTRIES)
        raise ValueError(f"no figure matches {patterns}; the figures are: {names}")
    return chosen


def _reason(error: BaseException) -> str:
    if isinstance(error, NotImplementedError):
        return f"not implemented yet: {error}"
    return f"failed: {type(error).__name__}: {error}"


def render_gallery(out_dir, impl="solutions", only=None, quick=False, dpi=90, log=None):
    """Draw the figures of implementation `impl` into `out_dir`; return (rendered, skipped).

    impl: "solutions", "exercises" or the path of a folder of unitNN_*.py files. only: a
    shell-style pattern, or a list of them, matched against the figure names (e.g.
    "unit09-*"); None draws every figure. quick: small settings, for a fast check that every
    figure draws. log: a function called with one line of progress per figure (e.g. print).

    rendered: the PNG paths written, in gallery order; skipped: (figure name, reason) pairs.
    Writes `index.md` listing every selected figure, rendered or skipped, with its caption.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = _selected(only)

    def units(module):
        return load_unit(impl, module)

    rendered, skipped, outcome = [], [], {}
    for entry in entries:
        start = time.perf_counter()
        try:
            with np.errstate(all="ignore"):
                fig = entry.draw(units, quick)
            path = out_dir / f"{entry.name}.png"
            fig.savefig(path, dpi=dpi)
            rendered.append(path)
            outcome[entry.name] = None
        except Exception as error:  # a student's unfinished or broken code: skip, never stop
            skipped.append((entry.name, _reason(error)))
            outcome[entry.name] = _reason(error)
        if log is not None:
            status = "skipped" if outcome[entry.name] else "drawn"
            log(f"{entry.name:<28} {status} ({time.perf_counter() - start:.1f} s)")
    (out_dir / "index.md").write_text(_index(entries, outcome, impl), encoding="utf-8")
    return rendered, skipped


def _index(entries, outcome, impl):
    titles = {unit.number: unit.title for unit in registry.units()}
    who = {"solutions": "the reference solutions", "exercises": "your exercises/"}.get(
        impl, f"`{impl}`")
    lines = ["# nnlings gallery", "",
             f"Every figure below was drawn by {who}. Figures whose code is not written yet "
             "are listed as skipped.", ""]
    unit = None
    for entry in entries:
        if entry.unit != unit:
            unit = entry.unit
            lines += [f"## Unit {unit} — {titles.get(unit, '')}".rstrip(" —"), ""]
        lines += [f"### {entry.title} ({entry.exercises})", ""]
        reason = outcome[entry.name]
        if reason is None:
            lines += [f"![{entry.title}]({entry.name}.png)", ""]
        else:
            lines += [f"*Skipped — {reason}*", ""]
        lines += [entry.caption, ""]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="folder for the PNGs and index.md")
    parser.add_argument("--impl", default="exercises",
                        help="'exercises' (yours, default), 'solutions' (the reference) or a "
                             "folder")
    parser.add_argument("--only", nargs="+", metavar="PATTERN",
                        help="draw only the figures whose names match, e.g. 'unit09-*'")
    parser.add_argument("--quick", action="store_true",
                        help="small settings: a fast check that every figure draws")


def run(args: argparse.Namespace) -> int:
    rendered, skipped = render_gallery(args.out, args.impl, args.only, args.quick, log=print)
    print(f"\n{len(rendered)} figures drawn, {len(skipped)} skipped; open "
          f"{Path(args.out) / 'index.md'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nnlings gallery",
                                     description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except ValueError as error:
        print(f"nnlings gallery: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
