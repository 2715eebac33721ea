"""numba.cuda kernels for a dense layer: activations, a tiled matrix product, and the two fused.

A GPU runs one small function, the *kernel*, in thousands of threads at once. Threads come in
*blocks* (here 16 × 16 = 256 threads) laid out on a *grid* of blocks big enough to cover the
output; each thread finds its own output entry from its position (``cuda.grid(2)``) and computes
only that one. Threads past the edge of the output, in the last row or column of blocks, must
do nothing — or, in a kernel with ``cuda.syncthreads()``, take part in the synchronisation and
write nothing.

The matrix product shows the one idea that makes GPU linear algebra fast: *shared memory*.
Out[i, j] needs a whole row of X and a whole column of W, so computed naively every entry of X
and W is read from the slow global memory once per output entry that uses it. A block instead
walks along the inner dimension in 16 × 16 tiles: its 256 threads each copy one entry of the
X tile and one of the W tile into shared memory (fast, on-chip, visible to the whole block),
wait at ``cuda.syncthreads()`` until the tile is complete, then each adds its 16 products from
shared memory, and wait again before the tile is overwritten. Every global entry is then read
once per tile instead of once per product: 16 times less traffic.

Which path runs: the host functions at the end (``activation_forward``, ``matmul``,
``dense_layer``) use the kernels when a real CUDA GPU is present, and otherwise the compiled
CPU loops of fast_training, with the same results to float64 round-off. The ``launch_*``
functions always launch the kernels; with the environment variable NUMBA_ENABLE_CUDASIM=1 set
*before numba is imported*, numba's CUDA simulator runs them in Python threads on the CPU (slowly:
small arrays only), which is how the kit tests them on machines without a GPU.

Which CUDA target: ``numba.cuda`` is NVIDIA's maintained ``numba-cuda`` package where it is
installed (the kit's ``gpu`` extra; it takes over the name ``numba.cuda``), and numba's built-in,
deprecated implementation otherwise; the kernels are the same for both, and so is the simulator.
``python -m nnlings.grader.gpu_check`` runs every kernel on a real GPU against NumPy.
"""
import math

import numba
import numpy as np
from numba import cuda

from . import fast_training
from .fast_training import ELU, LEAKY_RELU, RELU, SIGMOID, SOFTPLUS, TANH

TILE = 16  # a block is TILE × TILE threads; the matrix product moves through TILE × TILE tiles


def gpu_available():
    """True when a real CUDA GPU can run the kernels (the simulator does not count)."""
    return not numba.config.ENABLE_CUDASIM and cuda.is_available()


# Device functions: called by the kernels, one number at a time ---------------------------------

@cuda.jit(device=True)
def _activation(code, alpha, z):
    """f(z) for the activation `code` of fast_training (unit 2's functions)."""
    if code == SIGMOID:
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    if code == TANH:
        return math.tanh(z)
    if code == RELU:
        return z if z > 0 else 0.0
    if code == LEAKY_RELU:
        return z if z > 0 else alpha * z
    if code == SOFTPLUS:
        return max(z, 0.0) + math.log1p(math.exp(-abs(z)))
    if code == ELU:
        return z if z > 0 else alpha * math.expm1(z)
    return z


@cuda.jit(device=True)
def _activation_derivative(code, alpha, z):
    """f'(z), the left derivative at a kink (unit 2's convention)."""
    if code == SIGMOID or code == SOFTPLUS:  # softplus' = σ
        e = math.exp(-abs(z))
        s = 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
        return s * (1.0 - s) if code == SIGMOID else s
    if code == TANH:
        t = math.tanh(z)
        return 1.0 - t * t
    if code == RELU:
        return 1.0 if z > 0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if z > 0 else alpha
    if code == ELU:
        return 1.0 if z > 0 else alpha * math.exp(z)
    return 1.0


# Kernels ----------------------------------------------------------------------------------------

@cuda.jit
def activation_forward_kernel(Z, code, alpha, A):
    """A[i, j] = f(Z[i, j]): one thread per entry."""
    j, i = cuda.grid(2)  # x runs along the columns, y along the rows
    if i < Z.shape[0] and j < Z.shape[1]:
        A[i, j] = _activation(code, alpha, Z[i, j])


@cuda.jit
def activation_backward_kernel(dA, Z, code, alpha, dZ):
    """dZ[i, j] = dA[i, j]·f'(Z[i, j]): one thread per entry."""
    j, i = cuda.grid(2)
    if i < Z.shape[0] and j < Z.shape[1]:
        dZ[i, j] = dA[i, j] * _activation_derivative(code, alpha, Z[i, j])


@cuda.jit(device=True)
def _tiled_dot(X, W, row, column):
    """Σ_k X[row, k]·W[k, column], computed by the whole block through shared-memory tiles.

    Every thread of the block must call this (it synchronises the block), also a thread whose
    (row, column) lies outside the output: it loads zeros where its tile entry lies outside X
    or W, and its sum is then simply not stored.
    """
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    n_inner = X.shape[1]
    total = 0.0
    for first in range(0, n_inner, TILE):
        # Each thread copies one entry of each tile: X[row, first + tx] and W[first + ty, column].
        k = first + tx
        X_tile[ty, tx] = X[row, k] if row < X.shape[0] and k < n_inner else 0.0
        k = first + ty
        W_tile[ty, tx] = W[k, column] if k < n_inner and column < W.shape[1] else 0.0
        cuda.syncthreads()  # the tiles are complete
        for k in range(TILE):
            total += X_tile[ty, k] * W_tile[k, tx]
        cuda.syncthreads()  # everyone is done with the tiles before they are overwritten
    return total


@cuda.jit
def matmul_kernel(X, W, out):
    """out = X @ W with shared-memory tiles: block (bx, by) computes out's TILE × TILE tile
    (rows by·TILE.., columns bx·TILE..), one entry per thread."""
    column, row = cuda.grid(2)
    total = _tiled_dot(X, W, row, column)
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total


@cuda.jit
def dense_layer_kernel(X, W, b, code, alpha, Z, A):
    """The fused dense layer: Z = X @ W + b and A = f(Z) in one kernel, one entry per thread.

    Fusing saves a second kernel launch and a round trip of Z through global memory: the
    thread that finished Z[row, column] applies the activation while the value is still in a
    register.
    """
    column, row = cuda.grid(2)
    total = _tiled_dot(X, W, row, column)
    if row < Z.shape[0] and column < Z.shape[1]:
        z = total + b[column]
        Z[row, column] = z
        A[row, column] = _activation(code, alpha, z)


# Launching the kernels --------------------------------------------------------------------------

def _grid(rows, columns):
    """(blocks, threads per block) covering a rows × columns output with TILE × TILE blocks."""
    return (math.ceil(columns / TILE), math.ceil(rows / TILE)), (TILE, TILE)


def _activation_code(activation):
    try:
        return (fast_training.ACTIVATION_CODES[activation],
                fast_training.DEFAULT_ALPHA.get(activation, 0.0))
    except KeyError:
        raise ValueError(f"activation must be one of {sorted(fast_training.ACTIVATION_CODES)}, "
                         f"got {activation!r}") from None


def _matrix(name, value):
    array = np.ascontiguousarray(value, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {array.shape}")
    return array


def _product_operands(X, W):
    X, W = _matrix("X", X), _matrix("W", W)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows "
                         f"(X {X.shape}, W {W.shape})")
    return X, W


def launch_activation_forward(Z, activation):
    """f(Z) computed by activation_forward_kernel (on the GPU, or the simulator)."""
    Z = _matrix("Z", Z)
    code, alpha = _activation_code(activation)
    A = cuda.device_array_like(Z)
    blocks, threads = _grid(*Z.shape)
    activation_forward_kernel[blocks, threads](cuda.to_device(Z), code, alpha, A)
    return A.copy_to_host()


def launch_activation_backward(dA, Z, activation):
    """dA ⊙ f'(Z) computed by activation_backward_kernel."""
    dA, Z = _matrix("dA", dA), _matrix("Z", Z)
    if dA.shape != Z.shape:
        raise ValueError(f"dA has shape {dA.shape} but Z has shape {Z.shape}")
    code, alpha = _activation_code(activation)
    dZ = cuda.device_array_like(Z)
    blocks, threads = _grid(*Z.shape)
    activation_backward_kernel[blocks, threads](cuda.to_device(dA), cuda.to_device(Z), code,
                                                alpha, dZ)
    return dZ.copy_to_host()


def launch_matmul(X, W):
    """X @ W computed by matmul_kernel."""
    X, W = _product_operands(X, W)
    out = cuda.device_array((X.shape[0], W.shape[1]))
    blocks, threads = _grid(*out.shape)
    matmul_kernel[blocks, threads](cuda.to_device(X), cuda.to_device(W), out)
    return out.copy_to_host()


def launch_dense_layer(X, W, b, activation):
    """(Z, A) = (X @ W + b, f(Z)) computed by dense_layer_kernel."""
    X, W = _product_operands(X, W)
    b = np.ascontiguousarray(b, dtype=np.float64)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},), got {b.shape}")
    code, alpha = _activation_code(activation)
    Z = cuda.device_array((X.shape[0], W.shape[1]))
    A = cuda.device_array_like(Z)
    blocks, threads = _grid(*Z.shape)
    dense_layer_kernel[blocks, threads](cuda.to_device(X), cuda.to_device(W), cuda.to_device(b),
                                        code, alpha, Z, A)
    return Z.copy_to_host(), A.copy_to_host()


# The host functions: the GPU when there is one, compiled CPU loops otherwise ---------------------

def activation_forward(Z, activation):
    """f(Z) for the activation named `activation` (unit 2's names)."""
    if gpu_available():
        return launch_activation_forward(Z, activation)
    Z = _matrix("Z", Z)
    code, alpha = _activation_code(activation)
    A = np.empty_like(Z)
    fast_training.activation_forward(Z, code, alpha, A)
    return A


def activation_backward(dA, Z, activation):
    """dA ⊙ f'(Z): the backward pass of the activation (unit 5)."""
    if gpu_available():
        return launch_activation_backward(dA, Z, activation)
    dA, Z = _matrix("dA", dA), _matrix("Z", Z)
    if dA.shape != Z.shape:
        raise ValueError(f"dA has shape {dA.shape} but Z has shape {Z.shape}")
    code, alpha = _activation_code(activation)
    A, dZ = np.empty_like(Z), np.empty_like(Z)
    fast_training.activation_forward(Z, code, alpha, A)
    fast_training.activation_backward(dA, Z, A, code, alpha, dZ)
    return dZ


def matmul(X, W):
    """X @ W."""
    if gpu_available():
        return launch_matmul(X, W)
    X, W = _product_operands(X, W)
    out = np.empty((X.shape[0], W.shape[1]))
    fast_training.dense_forward(X, W, np.zeros(W.shape[1]), out)
    return out


def dense_layer(X, W, b, activation):
    """(Z, A) = (X @ W + b, f(Z)): a dense layer and its activation, fused on the GPU."""
    if gpu_available():
        return launch_dense_layer(X, W, b, activation)
    X, W = _product_operands(X, W)
    b = np.ascontiguousarray(b, dtype=np.float64)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},), got {b.shape}")
    code, alpha = _activation_code(activation)
    Z = np.empty((X.shape[0], W.shape[1]))
    A = np.empty_like(Z)
    fast_training.dense_forward(X, W, b, Z)
    fast_training.activation_forward(Z, code, alpha, A)
    return Z, A
