"""`nnlings bench`: the same training run in every implementation at hand, timed side by side.

Each case trains one network on the article's hard target (the piecewise function on 1000 points
of [-3, 3]) with MSE loss, he_normal weights and zero biases, SGD with Nesterov momentum (lr 0.01,
μ 0.9, Keras' form) and shuffled batches of 32, from the same initial weights and the same
shuffling order, in float64, with

* ``numba``: the compiled reference trainer, solutions/fast_training.fit_numba;
* ``numpy``: the same training written in vectorised NumPy, fit_numpy of the same module;
* ``torch``: PyTorch on the CPU, eager mode (only if installed: ``pip install torch``);
* ``jax``: JAX on the CPU, as a JAX user writes it for speed: one ``jax.jit`` of a whole epoch,
  a ``lax.scan`` over its batches (only if installed: ``pip install jax``).

For each it reports the time per training step (the whole run, shuffling included, divided by
the number of steps; the fastest of a few runs, the implementations taking turns), the one-off
cost of the first call beyond its steps (compiling: for numba, or loading the trainer from
numba's cache in __pycache__), and the MSE of the trained network on all 1000 points, so that a
fast wrong answer shows; the bench checks that every final MSE agrees with NumPy's to 1e-9
relative and says so. The first case is the source article's experiment (1-20-1 tanh, 400
epochs); the second a wider network, 1-100-100-1, where the matrix products are most of the
work: for it the bench also prints the rate of numba's matrix products in GFLOP/s beside the
rate of NumPy's own BLAS on as many cores as numba used (and the BLAS kernel it ran, when
threadpoolctl is there). numba trains that network on two cores where it can (the two halves of
each batch side by side, fast_training.fit_numba); the other case, and every peer, as they come.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import os
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


@functools.cache
def _jax_epoch():
    """One epoch of training as one jitted JAX function, built once per process (so the
    bench's timed run reuses what its first call compiled):
    epoch((weights, velocities), X, Y, order) -> (weights, velocities)."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def loss(weights, inputs, targets):
        A = inputs
        for layer, (W, b) in enumerate(weights):
            A = A @ W + b
            if layer < len(weights) - 1:
                A = jnp.tanh(A)
        return jnp.mean((A - targets) ** 2)

    gradient = jax.grad(loss)

    def step(carry, inputs, targets):
        weights, velocities = carry
        grads = gradient(weights, inputs, targets)
        velocities = jax.tree.map(lambda v, g: MOMENTUM * v - LEARNING_RATE * g,
                                  velocities, grads)
        weights = jax.tree.map(lambda w, v, g: w + MOMENTUM * v - LEARNING_RATE * g,
                               weights, velocities, grads)
        return weights, velocities

    @jax.jit
    def epoch(carry, X, Y, order):
        n_full = len(order) // BATCH_SIZE
        full = order[:n_full * BATCH_SIZE].reshape(n_full, BATCH_SIZE)
        carry, _ = jax.lax.scan(lambda c, batch: (step(c, X[batch], Y[batch]), None),
                                carry, full)
        if n_full * BATCH_SIZE < len(order):  # the last, shorter batch
            rest = order[n_full * BATCH_SIZE:]
            carry = step(carry, X[rest], Y[rest])
        return carry

    return epoch


def train_jax(params, X, Y, epochs, rng):
    """The same run in JAX, written the fast way: one jax.jit of a whole epoch whose batches
    are a lax.scan (the last, shorter batch is one more step in the same compiled function),
    float64 throughout, Keras' form of Nesterov's update written out."""
    import jax
    import jax.numpy as jnp

    epoch = _jax_epoch()
    X_all, Y_all = jnp.asarray(X), jnp.asarray(Y)
    weights = [(jnp.asarray(W), jnp.asarray(b)) for W, b in params]
    carry = (weights, jax.tree.map(jnp.zeros_like, weights))
    for _ in range(epochs):
        carry = epoch(carry, X_all, Y_all, jnp.asarray(rng.permutation(len(X))))
    return [(np.array(W), np.array(b)) for W, b in jax.block_until_ready(carry[0])]


PEERS = {"torch": train_torch, "jax": train_jax}  # optional: run only where installed
INSTALL = {"torch": "pip install torch", "jax": "pip install jax"}


def available(name):
    """Whether the optional peer `name` ("torch" or "jax") is installed."""
    return importlib.util.find_spec(name) is not None


def torch_available():
    return available("torch")


def trainers():
    """name -> trainer, for the implementations present on this machine."""
    found = {"numba": train_numba, "numpy": train_numpy}
    for name, train in PEERS.items():
        if available(name):
            importlib.import_module(name)  # imported here, so that no run's time includes it
            found[name] = train
    return found


# Measuring ------------------------------------------------------------------------------------

REPEAT = 3  # timed runs per implementation, interleaved; the fastest counts (see measure_all)
AGREEMENT = 1e-9  # the final MSEs of all implementations agree to this relative difference


def _timed(train, params, X, Y, epochs):
    start = time.perf_counter()
    trained = train(params, X, Y, epochs, np.random.default_rng(SHUFFLE_SEED))
    return trained, time.perf_counter() - start


def measure_all(present, layer_sizes, epochs, repeat=REPEAT):
    """{name: {"us_per_step", "compile_s", "final_mse"}} of every trainer on one network.

    Each trainer first trains one epoch (compiling, warming caches), then the whole run
    `repeat` times, the implementations taking turns, so that a burst of load from other
    processes slows one round of all of them rather than one implementation; the fastest
    round counts. Every round trains from the same weights with the same batches.
    """
    X = grid()
    Y = piecewise(X)
    params = initial_params(layer_sizes)
    steps_per_epoch = -(-len(X) // BATCH_SIZE)
    first = {which: _timed(train, params, X, Y, 1)[1] for which, train in present.items()}
    best, trained = {}, {}
    for _ in range(repeat):
        for which, train in present.items():
            trained[which], seconds = _timed(train, params, X, Y, epochs)
            best[which] = min(best.get(which, np.inf), seconds)
    results = {}
    for which in present:
        step_s = best[which] / (epochs * steps_per_epoch)
        results[which] = {"us_per_step": step_s * 1e6,
                          "compile_s": max(first[which] - steps_per_epoch * step_s, 0.0),
                          "final_mse": mse_of(trained[which], X, Y)}
    return results


def matrix_flops_per_step(layer_sizes, batch_size=BATCH_SIZE):
    """The floating-point operations of a training step's matrix products (2 per multiply-add):
    Z = AW forward, dW = AᵀdZ and dA = dZWᵀ backward (none for the input layer's dA)."""
    products = sum(n_in * n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))
    first_layer = layer_sizes[0] * layer_sizes[1]
    return 2 * batch_size * (3 * products - first_layer)


def blas_peak(size=512, repeat=7):
    """{"gflops", "threads", "gflops_all_cores", "cores", "kernel"}: the rate of NumPy's own
    BLAS on one core (threads 1; "all" if threadpoolctl is not there to limit it) and on all the
    machine's cores, each the best of `repeat` (size × size) @ (size × size) products, and the
    BLAS kernel it ran (from threadpoolctl when installed)."""
    A = np.random.default_rng(0).random((size, size))

    def rate():
        A @ A  # warm up
        return 2 * size ** 3 / min(_seconds(lambda: A @ A) for _ in range(repeat)) / 1e9

    kernel, one_core, threads = "unknown (pip install threadpoolctl to see it)", None, "all"
    all_cores = rate()
    if available("threadpoolctl"):
        import threadpoolctl
        info = [lib for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]
        if info:
            kernel = f"{info[0]['internal_api']} {info[0].get('architecture', '?')} kernel"
        with threadpoolctl.threadpool_limits(1, user_api="blas"):
            one_core, threads = rate(), 1
    return {"gflops": one_core if one_core is not None else all_cores, "threads": threads,
            "gflops_all_cores": all_cores, "cores": os.cpu_count(), "kernel": kernel}


def numba_cores(layer_sizes, batch_size=BATCH_SIZE):
    """How many cores the numba trainer uses for the network: 2 where it holds the batch by
    rows and cuts each step in two halves side by side (fast_training.fit_numba), else 1."""
    sizes = np.array(layer_sizes)
    both = fast_training.rows_pay_off(sizes, batch_size) and fast_training.two_cores_pay_off()
    return 2 if both else 1


def _seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def numba_compile_source():
    """Whether this process compiled the trainer or loaded it from numba's on-disk cache."""
    stats = [function.stats for function in (fast_training.train_epochs_by_rows,
                                             fast_training.train_epochs_by_columns)]
    if any(sum(stat.cache_misses.values()) for stat in stats):
        return "compiled (no cache yet)"
    if any(sum(stat.cache_hits.values()) for stat in stats):
        return "loaded from numba's cache"
    return "already compiled in this process"


def run(epochs=EPOCHS, repeat=REPEAT):
    """The benchmark's results: {"cases": [...], "repeat", "peak": blas_peak(), "notes"}.

    A case is {"name", "layers", "epochs", "steps", "results", "fastest_peer", "speedup",
    "gflops", "mse_agree"}: results holds measure_all's figures by implementation (one not
    installed is left out, and named in "notes"); speedup is the fastest peer's time per step
    over numba's; gflops the matrix products' floating-point operations of a step
    (matrix_flops_per_step) over numba's time per step, in GFLOP/s; mse_agree whether every final
    MSE is within AGREEMENT (relative) of NumPy's.
    """
    present = trainers()
    cases = []
    for name, layer_sizes in CASES:
        results = measure_all(present, layer_sizes, epochs, repeat)
        peers = {which: result for which, result in results.items() if which != "numba"}
        fastest = min(peers, key=lambda which: peers[which]["us_per_step"])
        reference = results["numpy"]["final_mse"]
        cases.append({
            "name": name, "layers": layer_sizes, "epochs": epochs,
            "steps": epochs * -(-len(grid()) // BATCH_SIZE), "results": results,
            "fastest_peer": fastest,
            "speedup": peers[fastest]["us_per_step"] / results["numba"]["us_per_step"],
            "gflops": matrix_flops_per_step(layer_sizes) / results["numba"]["us_per_step"] / 1e3,
            "numba_cores": numba_cores(layer_sizes),
            "mse_agree": all(abs(result["final_mse"] - reference) <= AGREEMENT * abs(reference)
                             for result in results.values())})
    notes = [f"numba trainer: {numba_compile_source()}"]
    for name in PEERS:
        if name not in present:
            notes.append(f"{name}: not installed, skipped ({INSTALL[name]} to compare with it)")
    return {"cases": cases, "repeat": repeat, "peak": blas_peak(), "notes": notes}


def format_report(report):
    """The benchmark's results as a table per case, with the speed-ups of numba."""
    peak = report["peak"]
    lines = [f"nnlings bench: SGD + Nesterov (lr {LEARNING_RATE}, μ {MOMENTUM}), MSE, batch "
             f"{BATCH_SIZE}, {len(grid())} points of the article's piecewise target", ""]
    for case in report["cases"]:
        results = case["results"]
        lines.append(f"{case['name']}, {case['epochs']} epochs = {case['steps']} steps")
        lines.append(f"  {'':8}{'µs/step':>12}{'first call':>14}{'final MSE':>18}"
                     f"{'numba is':>16}")
        numba_step = results["numba"]["us_per_step"]
        for which, result in results.items():
            speedup = ("" if which == "numba"
                       else f"{result['us_per_step'] / numba_step:.2f}× faster")
            lines.append(f"  {which:8}{result['us_per_step']:12.2f}"
                         f"{result['compile_s']:13.3f}s{result['final_mse']:18.12g}"
                         f"{speedup:>16}")
        agree = ("agree" if case["mse_agree"] else "DO NOT agree")
        lines.append(f"  numba / fastest peer ({case['fastest_peer']}): {case['speedup']:.2f}×; "
                     f"the final MSEs {agree} to {AGREEMENT:g} relative")
        flops = matrix_flops_per_step(case["layers"])
        cores = case["numba_cores"]
        rate, which = ((peak["gflops"], "one-core") if cores == 1
                       else (peak["gflops_all_cores"], f"{peak['cores']}-core"))
        lines.append(f"  numba, on {cores} core{'s' if cores > 1 else ''}: {flops / 1e6:.2f} "
                     f"MFLOP of matrix products per step, {case['gflops']:.1f} GFLOP/s over its "
                     f"whole step = {case['gflops'] / rate:.0%} of the {which} BLAS rate")
        lines.append("")
    one_core = ("one core" if peak["threads"] == 1
                else "one core not measured (pip install threadpoolctl)")
    lines.append(f"BLAS rates, the machine's peak as NumPy reaches it (512 × 512 matrix product, "
                 f"best of 7, {peak['kernel']}): {one_core} {peak['gflops']:.1f} GFLOP/s, "
                 f"all {peak['cores']} cores {peak['gflops_all_cores']:.1f} GFLOP/s.")
    lines.append("first call: the one-off cost of the first call beyond its training steps; "
                 f"µs/step: the fastest of {report['repeat']} whole runs, the implementations "
                 "taking turns.")
    lines.extend(report["notes"])
    return "\n".join(lines)


def main(epochs=EPOCHS, as_json=False):
    report = run(epochs)
    print(json.dumps(report, indent=2) if as_json else format_report(report))
    return 0
