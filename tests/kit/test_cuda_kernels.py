"""The numba.cuda kernels of solutions/cuda_kernels.py, run by numba's CUDA simulator, and the
GPU check of grader/gpu_check.py.

The simulator must be chosen before numba is first imported, so the kernels run in child
process started with NUMBA_ENABLE_CUDASIM=1 (this process has imported numba already, and
must keep using the real CUDA target). Each kernel family is checked on small shapes —
edges that are not multiples of the 16 × 16 tile, 1 × 1, tall and wide — and prints the largest
differences from NumPy as JSON; one child runs all three families, so numba and the simulator
are imported once. The host functions' CPU path is tested here.
"""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from nnlings.grader import gpu_check
from nnlings.solutions import cuda_kernels, unit02_activations

# One xdist worker runs this whole file, so its module fixtures are built once.
pytestmark = [pytest.mark.kit, pytest.mark.xdist_group(__name__)]

PRODUCT_SHAPES = [(1, 1, 1), (17, 33, 5), (40, 3, 2), (2, 40, 20)]  # X (n, k) @ W (k, m): no
# edge is a multiple of the 16-wide tile; 1 × 1, square-ish, tall (3 block rows), wide (3 k-tiles)
ACTIVATIONS = sorted(unit02_activations.ACTIVATIONS)

PRELUDE = """
import json
import threading
threading.stack_size(1 << 20)  # 256 simulated threads per block, each with a small stack
import numpy as np
from nnlings.solutions import cuda_kernels as ck
from nnlings.solutions import unit02_activations
rng = np.random.default_rng(0)
errors = {"gpu_available": ck.gpu_available()}
"""

CHILDREN = {
    "matmul": """
for n, k, m in %r:
    X, W = rng.normal(size=(n, k)), rng.normal(size=(k, m))
    errors[f"{n}x{k} @ {k}x{m}"] = float(np.max(np.abs(ck.launch_matmul(X, W) - X @ W)))
""" % (PRODUCT_SHAPES,),
    "dense_layer": """
for (n, k, m), activation in zip(%r, ["tanh", "relu", "sigmoid", "elu"]):
    X, W, b = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=m)
    Z, A = ck.launch_dense_layer(X, W, b, activation)
    f = unit02_activations.ACTIVATIONS[activation][0]
    errors[f"{activation} {n}x{k} @ {k}x{m}"] = float(max(np.max(np.abs(Z - (X @ W + b))),
                                                        np.max(np.abs(A - f(X @ W + b)))))
""" % (PRODUCT_SHAPES,),
    "activations": """
Z = np.concatenate([np.linspace(-4.0, 4.0, 16), [0.0, 800.0, -800.0]]).reshape(1, -1)
dA = np.linspace(-2.0, 2.0, Z.size).reshape(Z.shape)
for name, (f, f_grad) in unit02_activations.ACTIVATIONS.items():
    errors[name] = float(max(np.max(np.abs(ck.launch_activation_forward(Z, name) - f(Z))),
                             np.max(np.abs(ck.launch_activation_backward(dA, Z, name)
                                           - dA * f_grad(Z)))))
""",
}


GPU_CHECK = """
import contextlib, io
from nnlings.grader import gpu_check
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    status = gpu_check.run(simulator=True)
results["gpu_check"] = {"status": status, "printed": printed.getvalue()}
"""


@pytest.fixture(scope="module")
def simulated():
    """Run every kernel family, and the GPU check's --simulator run, in one child under the
    simulator; JSON results by family."""
    script = PRELUDE + "results = {}\n"
    for name, body in CHILDREN.items():
        script += (f"errors = {{'gpu_available': ck.gpu_available()}}\n{body}\n"
                   f"results[{name!r}] = errors\n")
    script += GPU_CHECK
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(script)
                            + "print(json.dumps(results))"],
                           env=dict(os.environ, NUMBA_ENABLE_CUDASIM="1"),
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, f"the kernels failed under the simulator:\n{child.stderr}"
    return json.loads(child.stdout)


@pytest.mark.parametrize("kernel", sorted(CHILDREN))
def test_kernel_matches_numpy_under_the_simulator(simulated, kernel):
    errors = dict(simulated[kernel])
    assert errors.pop("gpu_available") is False  # the simulator is not a GPU
    assert errors, "the child checked nothing"
    for case, error in errors.items():
        assert error < 1e-12, f"{kernel} {case}: largest difference from NumPy {error:.3g}"


def test_the_matmul_child_covers_every_shape(simulated):
    assert len(simulated["matmul"]) == 1 + len(PRODUCT_SHAPES)


# The GPU check (grader/gpu_check.py) ------------------------------------------------------------

def test_the_gpu_check_runs_every_kernel_in_the_simulator(simulated):
    status, printed = simulated["gpu_check"]["status"], simulated["gpu_check"]["printed"]
    assert status == 0, printed
    rows = [line for line in printed.splitlines() if line.startswith(("cuda_kernels.",
                                                                      "unit10_speed."))]
    assert len(rows) == 4 + 2 * len(ACTIVATIONS)
    assert all(line.split()[-1] == "yes" for line in rows), printed
    assert "the CUDA simulator" in printed and "every kernel agrees" in printed


def test_the_gpu_check_says_when_there_is_no_gpu(capsys):
    if cuda_kernels.gpu_available():
        pytest.skip("a GPU is present: the check would run")
    assert gpu_check.main([]) == gpu_check.NO_GPU
    said = capsys.readouterr().err
    assert "no CUDA GPU found" in said and "--simulator" in said
    assert gpu_check.main(["--simulator"]) == gpu_check.NO_GPU  # this process did not set it
    assert "NUMBA_ENABLE_CUDASIM=1" in capsys.readouterr().err


def test_the_gpu_check_compares_to_round_off():
    expected = np.array([[1.0, -2.0], [np.inf, 3.0]])
    assert gpu_check.agrees(expected * (1 + 1e-15), expected)
    assert not gpu_check.agrees(expected + 1e-9, expected)
    assert not gpu_check.agrees(np.where(np.isinf(expected), np.nan, expected), expected)


def test_no_address_space_cap_where_cuda_can_start(monkeypatch):
    """CUDA reserves address space for all of the GPU's memory: where NVIDIA's driver is present
    the grading child caps its data segment instead of its address space."""
    import resource
    from nnlings.grader.worker.__main__ import memory_limit
    monkeypatch.setattr(os.path, "exists", lambda path: path == "/dev/nvidiactl")
    assert memory_limit() == resource.RLIMIT_DATA
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    assert memory_limit() == resource.RLIMIT_AS


# The host functions, here on the CPU path (no GPU in this process) -----------------------------

def test_without_a_gpu_the_host_functions_take_the_cpu_path_and_agree_with_numpy():
    if cuda_kernels.gpu_available():
        pytest.skip("a GPU is present: the host functions run the kernels")
    rng = np.random.default_rng(1)
    for n, k, m in PRODUCT_SHAPES:
        X, W, b = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=m)
        np.testing.assert_allclose(cuda_kernels.matmul(X, W), X @ W, rtol=1e-12, atol=1e-12)
        for name in ACTIVATIONS:
            f, f_grad = unit02_activations.ACTIVATIONS[name]
            Z, A = cuda_kernels.dense_layer(X, W, b, name)
            np.testing.assert_allclose(Z, X @ W + b, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(A, f(Z), rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(cuda_kernels.activation_forward(Z, name), f(Z),
                                       rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(cuda_kernels.activation_backward(A, Z, name),
                                       A * f_grad(Z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("call, complaint", [
    (lambda: cuda_kernels.matmul(np.ones((2, 3)), np.ones((4, 2))), "X has 3 columns but W"),
    (lambda: cuda_kernels.matmul(np.ones(3), np.ones((3, 2))), "X must be a 2-D array"),
    (lambda: cuda_kernels.dense_layer(np.ones((2, 3)), np.ones((3, 2)), np.ones(3), "tanh"),
     "b must have shape (2,)"),
    (lambda: cuda_kernels.activation_forward(np.ones((2, 2)), "swish"),
     "activation must be one of"),
    (lambda: cuda_kernels.activation_backward(np.ones((2, 2)), np.ones((2, 3)), "tanh"),
     "dA has shape (2, 2) but Z has shape (2, 3)"),
])
def test_bad_arguments_get_a_clear_message(call, complaint):
    with pytest.raises(ValueError) as raised:
        call()
    assert complaint in str(raised.value)
