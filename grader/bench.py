"""`nnlings bench`: the same training run three ways, timed side by side.

Each case trains one network on the article's hard target (the piecewise function on 1000 points
of [-3, 3]) with MSE loss, he_normal weights and zero biases, SGD with Nesterov momentum (lr 0.01,
μ 0.9, Keras' form) and shuffled batches of 32, from the same initial weights and the same
shuffling order, with

* ``numba``: the compiled reference trainer, solutions/fast_training.fit_numba;
* ``numpy``: the same training written in vectorised NumPy, fit_numpy of the same module;
* ``torch``: PyTorch on the CPU, eager mode, float64 (only if PyTorch is installed:
  ``pip install torch``).

For each it reports the time per training step (the whole run, shuffling included, divided by
the number of steps), the one-off cost of the first call beyond its steps (for numba: compiling
the trainer, or loading it from numba's cache in __pycache__), and the MSE of the trained network
on all 1000 points, so that a fast wrong answer shows. The first case is the source article's
experiment (1-20-1 tanh, 400 epochs); the second a wider network, 1-100-100-1.
"""
from __future__ import annotations

import importlib.util
import json
import time

import numpy as np

from ..datasets.functions import grid, piecewise
from ..solutions import fast_training
from ..solutions.unit06_initializers import he_normal

CASES = (
    ("article: 1-20-1 tanh", [1, 20, 1]),
    ("wide: 1-100-100-1 tanh", [1, 100, 100, 1]),
)
EPOCHS = 400
BATCH_SIZE = 32
LEARNING_RATE, MOMENTUM = 0.01, 0.9
INIT_SEED, SHUFFLE_SEED = 0, 1


def initial_params(layer_sizes, seed=INIT_SEED):
    """he_normal weights and zero biases, the same for every implementation."""
    rng = np.random.default_rng(seed)
    return [(he_normal((n_in, n_out), rng), np.zeros(n_out))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def activations_of(layer_sizes):
    """tanh on every hidden layer, a linear output."""
    return ["tanh"] * (len(layer_sizes) - 2) + ["identity"]


def mse_of(params, X, Y):
    """The MSE of an MLP with tanh hidden layers and a linear output, on all of (X, Y)."""
    A = X
    for layer, (W, b) in enumerate(params):
        A = A @ W + b
        if layer < len(params) - 1:
            A = np.tanh(A)
    return float(np.mean((A - Y) ** 2))


# The three trainers: each takes (params, X, Y, epochs, rng) and returns the trained params. ----

def train_numba(params, X, Y, epochs, rng):
    trained, _ = fast_training.fit_numba(
        params, activations_of(fast_training.layer_sizes_of(params)), X, Y, epochs=epochs,
        batch_size=BATCH_SIZE, rng=rng, optimizer="nesterov", learning_rate=LEARNING_RATE,
        momentum=MOMENTUM)
    return trained


def train_numpy(params, X, Y, epochs, rng):
    trained, _ = fast_training.fit_numpy(
        params, activations_of(fast_training.layer_sizes_of(params)), X, Y, epochs=epochs,
        batch_size=BATCH_SIZE, rng=rng, optimizer="nesterov", learning_rate=LEARNING_RATE,
        momentum=MOMENTUM)
    return trained


def train_torch(params, X, Y, epochs, rng):
    """The same run in PyTorch: nn.Linear layers holding the same initial weights (PyTorch
    stores W transposed, (n_out, n_in)), and torch.optim.SGD(nesterov=True), whose update is
    Keras' with the velocity scaled by −1/η, so the same steps up to round-off."""
    import torch

    layers = []
    for layer, (W, b) in enumerate(params):
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if layer < len(params) - 1:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM,
                                nesterov=True)
    inputs, targets = torch.from_numpy(X), torch.from_numpy(Y)
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(X)))
        for start in range(0, len(X), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.mse_loss(model(inputs[batch]), targets[batch])
            loss.backward()
            optimizer.step()
    linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
    return [(linear.weight.detach().numpy().T.copy(), linear.bias.detach().numpy().copy())
            for linear in linears]


def torch_available():
    return importlib.util.find_spec("torch") is not None


def trainers():
    """name -> trainer, for the implementations present on this machine."""
    found = {"numba": train_numba, "numpy": train_numpy}
    if torch_available():
        import torch  # noqa: F401  (imported here, so that no run's time includes the import)
        found["torch"] = train_torch
    return found


# Measuring ------------------------------------------------------------------------------------

def _timed(train, params, X, Y, epochs):
    start = time.perf_counter()
    trained = train(params, X, Y, epochs, np.random.default_rng(SHUFFLE_SEED))
    return trained, time.perf_counter() - start


def measure(train, layer_sizes, epochs):
    """{"us_per_step", "compile_s", "final_mse"} of one trainer on one network."""
    X = grid()
    Y = piecewise(X)
    params = initial_params(layer_sizes)
    steps_per_epoch = -(-len(X) // BATCH_SIZE)
    _, first_epoch_s = _timed(train, params, X, Y, 1)  # compiles (numba), warms caches
    trained, total_s = _timed(train, params, X, Y, epochs)
    step_s = total_s / (epochs * steps_per_epoch)
    return {"us_per_step": step_s * 1e6,
            "compile_s": max(first_epoch_s - steps_per_epoch * step_s, 0.0),
            "final_mse": mse_of(trained, X, Y)}


def numba_compile_source():
    """Whether this process compiled the trainer or loaded it from numba's on-disk cache."""
    stats = fast_training.train_epochs.stats
    if sum(stats.cache_hits.values()):
        return "loaded from numba's cache"
    if sum(stats.cache_misses.values()):
        return "compiled (no cache yet)"
    return "already compiled in this process"


def run(epochs=EPOCHS):
    """The benchmark's results: {"cases": [{"name", "layers", "epochs", "steps", "results"}],
    "notes": [...]}, the article's experiment first; an implementation not installed is left
    out of "results" and named in "notes"."""
    available = trainers()
    cases = []
    for name, layer_sizes in CASES:
        results = {which: measure(train, layer_sizes, epochs)
                   for which, train in available.items()}
        cases.append({"name": name, "layers": layer_sizes, "epochs": epochs,
                      "steps": epochs * -(-len(grid()) // BATCH_SIZE), "results": results})
    notes = [f"numba trainer: {numba_compile_source()}"]
    if "torch" not in available:
        notes.append("torch: not installed, skipped (pip install torch to compare with it)")
    return {"cases": cases, "notes": notes}


def format_report(report):
    """The benchmark's results as a table per case, with the speed-ups of numba."""
    lines = [f"nnlings bench: SGD + Nesterov (lr {LEARNING_RATE}, μ {MOMENTUM}), MSE, batch "
             f"{BATCH_SIZE}, {len(grid())} points of the article's piecewise target", ""]
    for case in report["cases"]:
        results = case["results"]
        lines.append(f"{case['name']}, {case['epochs']} epochs = {case['steps']} steps")
        lines.append(f"  {'':8}{'µs/step':>12}{'first call':>14}{'final MSE':>14}"
                     f"{'numba is':>16}")
        numba_step = results["numba"]["us_per_step"]
        for which, result in results.items():
            speedup = ("" if which == "numba"
                       else f"{result['us_per_step'] / numba_step:.1f}× faster")
            lines.append(f"  {which:8}{result['us_per_step']:12.2f}"
                         f"{result['compile_s']:13.3f}s{result['final_mse']:14.6g}"
                         f"{speedup:>16}")
        lines.append("")
    lines.append("first call: the one-off cost of the first call beyond its training steps.")
    lines.extend(report["notes"])
    return "\n".join(lines)


def main(epochs=EPOCHS, as_json=False):
    report = run(epochs)
    print(json.dumps(report, indent=2) if as_json else format_report(report))
    return 0
