"""`python -m nnlings.grader.gpu_check`: every CUDA kernel of the kit on a real GPU, against NumPy.

Runs each kernel of solutions/cuda_kernels.py (the activations forward and backward, the tiled
matrix product, the fused dense layer) and of unit 10's reference (tanh_kernel, matmul_kernel)
on arrays large enough to keep a GPU busy, checks every result against NumPy, and prints the
kernel's time (inputs already on the GPU, launch to synchronisation, the best of a few runs)
beside the CPU's: the compiled loops of fast_training (one core) and NumPy. It takes well under
a minute with a GPU; most of it is compiling the kernels and the CPU's matrix products.

Without a GPU it says so and exits with status 2. ``--simulator`` runs the same checks on tiny
arrays in numba's CUDA simulator instead (set NUMBA_ENABLE_CUDASIM=1 before Python starts); its
times are not shown, but it tests this script where there is no GPU. Exit status 0: every kernel
agrees with NumPy; 1: one does not.

The GPU path: with the ``gpu`` extra (``pip install -e '.[gpu]'``), NVIDIA's maintained
``numba-cuda`` package is installed and ``numba.cuda`` is its implementation; without it, numba's
built-in ``numba.cuda`` (deprecated upstream) is used where numba still ships one.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

NO_GPU = 2

# (rows, inner, columns) of the matrix products and (rows, columns) of the activations: on a
# GPU, and in the simulator (one Python thread per GPU thread: tiny).
GPU_SHAPES = {"product": (1024, 1024, 1024), "map": (2048, 2048)}
SIMULATOR_SHAPES = {"product": (17, 18, 3), "map": (3, 17)}  # edges not multiples of 16
REPEAT = 5  # timed runs per kernel on a GPU; the fastest counts


def cuda_driver_present() -> bool:
    """Whether this machine has NVIDIA's kernel driver (checked without starting CUDA)."""
    return os.path.exists("/dev/nvidiactl") or os.path.exists("/proc/driver/nvidia/version")


def _implementation(cuda) -> str:
    name = getattr(cuda, "implementation", "Built-in")
    return ("numba-cuda (NVIDIA's maintained CUDA target)" if name == "NVIDIA"
            else "numba's built-in numba.cuda (deprecated)")


def _best_seconds(function, repeat):
    function()  # compile, warm up
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _cpu_activation(Z, activation, dA=None):
    """f(Z), or with dA the backward pass dA ⊙ f'(Z), by fast_training's compiled loops."""
    from ..solutions import cuda_kernels, fast_training

    code, alpha = cuda_kernels._activation_code(activation)
    A = np.empty_like(Z)
    fast_training.activation_forward(Z, code, alpha, A)
    if dA is None:
        return A
    dZ = np.empty_like(Z)
    fast_training.activation_backward(dA, Z, A, code, alpha, dZ)
    return dZ


def _cpu_dense(X, W, b, activation=None):
    """X @ W + b, then f if an activation is named, by fast_training's compiled loops."""
    Z = np.empty((X.shape[0], W.shape[1]))
    from ..solutions import fast_training

    fast_training.dense_forward(X, W, b, Z)
    return Z if activation is None else _cpu_activation(Z, activation)


def _checks(shapes):
    """(name, shape, launch, result, expected, cpu, numpy) for every kernel: launch() runs the
    kernel and waits for it, result() copies its output back; cpu() and numpy() compute the
    same on the CPU."""
    from numba import cuda

    from ..solutions import cuda_kernels as ck
    from ..solutions import fast_training, unit02_activations, unit10_speed

    rng = np.random.default_rng(0)
    n, k, m = shapes["product"]
    X, W, b = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=m)
    Z = rng.normal(0.0, 3.0, size=shapes["map"])
    dA = rng.normal(size=Z.shape)
    X_d, W_d, b_d, Z_d, dA_d = (cuda.to_device(array) for array in (X, W, b, Z, dA))
    out_d, Z_out_d = cuda.device_array((n, m)), cuda.device_array((n, m))
    map_d = cuda.device_array(Z.shape)
    product_grid, map_grid = ck._grid(n, m), ck._grid(*Z.shape)
    product, mapped = f"{n}×{k} @ {k}×{m}", "×".join(map(str, Z.shape))
    zeros = np.zeros(m)

    def launcher(kernel, grid, *args):
        def launch():
            kernel[grid](*args)
            cuda.synchronize()
        return launch

    checks = [
        ("cuda_kernels.matmul_kernel", product, launcher(ck.matmul_kernel, product_grid, X_d,
                                                         W_d, out_d),
         out_d.copy_to_host, X @ W, lambda: _cpu_dense(X, W, zeros), lambda: X @ W),
        ("cuda_kernels.dense_layer_kernel (tanh)", product,
         launcher(ck.dense_layer_kernel, product_grid, X_d, W_d, b_d, fast_training.TANH, 0.0,
                  Z_out_d, out_d),
         out_d.copy_to_host, np.tanh(X @ W + b), lambda: _cpu_dense(X, W, b, "tanh"),
         lambda: np.tanh(X @ W + b)),
        ("unit10_speed.matmul_kernel", product,
         launcher(unit10_speed.matmul_kernel, product_grid, X_d, W_d, out_d),
         out_d.copy_to_host, X @ W, lambda: _cpu_dense(X, W, zeros), lambda: X @ W),
        ("unit10_speed.tanh_kernel", mapped, launcher(unit10_speed.tanh_kernel, map_grid, Z_d,
                                                      map_d),
         map_d.copy_to_host, np.tanh(Z), lambda: _cpu_activation(Z, "tanh"), lambda: np.tanh(Z)),
    ]
    for name, (f, f_grad) in sorted(unit02_activations.ACTIVATIONS.items()):
        code, alpha = ck._activation_code(name)
        checks.append((f"cuda_kernels.activation_forward_kernel ({name})", mapped,
                       launcher(ck.activation_forward_kernel, map_grid, Z_d, code, alpha, map_d),
                       map_d.copy_to_host, f(Z), lambda name=name: _cpu_activation(Z, name),
                       lambda f=f: f(Z)))
        checks.append((f"cuda_kernels.activation_backward_kernel ({name})", mapped,
                       launcher(ck.activation_backward_kernel, map_grid, dA_d, Z_d, code, alpha,
                                map_d),
                       map_d.copy_to_host, dA * f_grad(Z),
                       lambda name=name: _cpu_activation(Z, name, dA),
                       lambda f_grad=f_grad: dA * f_grad(Z)))
    return checks


def agrees(got, expected):
    """Equal to float64 round-off: products add in another order and fuse multiply-adds, and
    the GPU's exp and tanh are within a few ulp of NumPy's. Infinities and NaNs must match."""
    got, expected = np.asarray(got), np.asarray(expected)
    finite = np.isfinite(expected)
    if got.shape != expected.shape or not np.array_equal(got[~finite], expected[~finite],
                                                         equal_nan=True):
        return False
    if not finite.any():
        return True
    scale = max(float(np.max(np.abs(expected[finite]))), 1.0)
    return bool(np.max(np.abs(got[finite] - expected[finite])) <= 1e-12 * scale)


def run(simulator=False):
    """Run every check; returns the exit status (0 all agree, 1 some do not, NO_GPU)."""
    import numba
    from numba import cuda

    simulating = bool(numba.config.ENABLE_CUDASIM)
    if simulator and not simulating:
        print("gpu-check --simulator: set NUMBA_ENABLE_CUDASIM=1 before Python starts, e.g.\n"
              "  NUMBA_ENABLE_CUDASIM=1 python -m nnlings.grader.gpu_check --simulator",
              file=sys.stderr)
        return NO_GPU
    if not simulator and (simulating or not cuda.is_available()):
        reason = ("NUMBA_ENABLE_CUDASIM is set: numba simulates CUDA on the CPU" if simulating
                  else "no CUDA GPU found" + ("" if cuda_driver_present()
                                             else " (no NVIDIA driver on this machine)"))
        print(f"gpu-check: {reason}, so there is nothing to check here. Run it on a machine "
              "with an NVIDIA GPU and `pip install -e '.[gpu]'`; or test this script in the "
              "simulator: NUMBA_ENABLE_CUDASIM=1 python -m nnlings.grader.gpu_check --simulator",
              file=sys.stderr)
        return NO_GPU

    shapes = SIMULATOR_SHAPES if simulator else GPU_SHAPES
    device = "the CUDA simulator" if simulator else cuda.get_current_device().name
    if isinstance(device, bytes):
        device = device.decode()
    print(f"gpu-check on {device}, {_implementation(cuda)}, numba {numba.__version__}")
    print(f"{'kernel':52}{'shape':>18}{'agrees':>8}{'GPU µs':>11}{'numba CPU µs':>14}"
          f"{'NumPy µs':>11}")
    failed = 0
    for name, shape, launch, result, expected, cpu, numpy in _checks(shapes):
        launch()
        ok = agrees(result(), expected) and agrees(cpu(), expected)
        failed += not ok
        times = ("" if simulator else "".join(  # the simulator's times mean nothing
            f"{_best_seconds(function, REPEAT) * 1e6:{width}.1f}"
            for function, width in ((launch, 11), (cpu, 14), (numpy, 11))))
        print(f"{name:52}{shape:>18}{'yes' if ok else 'NO':>8}{times}")
    print("GPU µs: the kernel from launch to synchronisation, inputs and output already on the "
          "GPU, best of a few runs. numba CPU: fast_training's loops, one core.")
    if failed:
        print(f"gpu-check: {failed} kernel(s) disagree with NumPy", file=sys.stderr)
        return 1
    print("gpu-check: every kernel agrees with NumPy")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnlings.grader.gpu_check",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--simulator", action="store_true",
                        help="run on tiny arrays in numba's CUDA simulator (needs "
                             "NUMBA_ENABLE_CUDASIM=1), to test this script without a GPU")
    return run(parser.parse_args(argv).simulator)


if __name__ == "__main__":
    sys.exit(main())
