"""Unit 10 mistakes: compiled loops, a fused step and CUDA kernels as students get them wrong.

The first three exercises' mutants are NumPy functions with the signature of the compiled ones.
The kernels' mutants are CUDA kernels: the graded tests send their source to numba's simulator.
"""
import math

import numba
import numpy as np
from numba import cuda

from . import Mistake

TILE = 16


# 10.1 dense_forward_loops -----------------------------------------------------------------------

def _dense_without_bias(X, W, b):
    return X @ W


def _dense_bias_added_per_input(X, W, b):
    return X @ W + X.shape[1] * b


def _dense_transposed_weights(X, W, b):
    return X @ W.T + b


@numba.njit
def _dense_sums_into_empty(X, W, b):
    n, n_in = X.shape
    n_out = W.shape[1]
    Z = np.empty((n, n_out))  # never cleared: the sums start from leftover memory
    for s in range(n):
        for j in range(n_out):
            for i in range(n_in):
                Z[s, j] += X[s, i] * W[i, j]
            Z[s, j] += b[j]
    return Z


# 10.2 tanh_map --------------------------------------------------------------------------------

def _tanh_map_in_place(Z):
    np.tanh(Z, out=Z)
    return Z


def _tanh_map_from_exponentials(Z):
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))


def _tanh_map_derivative(Z):
    return 1.0 - np.tanh(Z) ** 2


@numba.njit(parallel=True)
def _tanh_map_shared_scratch(Z):
    rows, columns = Z.shape
    A = np.empty((rows, columns))
    row = np.empty(columns)  # one scratch row for every iteration: they overwrite each other
    for i in numba.prange(rows):
        for j in range(columns):
            row[j] = math.tanh(Z[i, j])
        for j in range(columns):
            A[i, j] = row[j]
    return A


@numba.njit(parallel=True)
def _tanh_map_with_range(Z):
    rows, columns = Z.shape
    A = np.empty((rows, columns))
    for i in range(rows):
        for j in range(columns):
            A[i, j] = math.tanh(Z[i, j])
    return A


@numba.njit(parallel=True)
def _tanh_map_last_column_unwritten(Z):
    rows, columns = Z.shape
    A = np.empty((rows, columns))
    for i in numba.prange(rows):
        for j in range(columns - 1):
            A[i, j] = math.tanh(Z[i, j])
    return A


# 10.3 train_step_fused --------------------------------------------------------------------------

def _forward(W1, b1, W2, b2, X):
    H = np.tanh(X @ W1 + b1)
    return H, H @ W2 + b2


def _step_updates_W2_first(W1, b1, W2, b2, X, Y, learning_rate):
    H, P = _forward(W1, b1, W2, b2, X)
    dP = 2.0 * (P - Y) / P.size
    W2 -= learning_rate * (H.T @ dP)
    b2 -= learning_rate * dP.sum(axis=0)
    dZ1 = dP @ W2.T * (1.0 - H ** 2)  # W2 has already moved
    W1 -= learning_rate * (X.T @ dZ1)
    b1 -= learning_rate * dZ1.sum(axis=0)
    return float(np.mean((P - Y) ** 2))


def _step_tanh_derivative_of_preactivation(W1, b1, W2, b2, X, Y, learning_rate):
    Z1 = X @ W1 + b1
    H = np.tanh(Z1)
    P = H @ W2 + b2
    dP = 2.0 * (P - Y) / P.size
    dZ1 = dP @ W2.T * (1.0 - Z1 ** 2)
    W1 -= learning_rate * (X.T @ dZ1)
    b1 -= learning_rate * dZ1.sum(axis=0)
    W2 -= learning_rate * (H.T @ dP)
    b2 -= learning_rate * dP.sum(axis=0)
    return float(np.mean((P - Y) ** 2))


def _step_without_dividing_by_n(W1, b1, W2, b2, X, Y, learning_rate):
    H, P = _forward(W1, b1, W2, b2, X)
    dP = 2.0 * (P - Y)
    dZ1 = dP @ W2.T * (1.0 - H ** 2)
    W1 -= learning_rate * (X.T @ dZ1)
    b1 -= learning_rate * dZ1.sum(axis=0)
    W2 -= learning_rate * (H.T @ dP)
    b2 -= learning_rate * dP.sum(axis=0)
    return float(np.mean((P - Y) ** 2))


def _step_rebinds_instead_of_updating(W1, b1, W2, b2, X, Y, learning_rate):
    H, P = _forward(W1, b1, W2, b2, X)
    dP = 2.0 * (P - Y) / P.size
    dZ1 = dP @ W2.T * (1.0 - H ** 2)
    W1 = W1 - learning_rate * (X.T @ dZ1)  # noqa: F841 (the caller's arrays never change)
    b1 = b1 - learning_rate * dZ1.sum(axis=0)  # noqa: F841
    W2 = W2 - learning_rate * (H.T @ dP)  # noqa: F841
    b2 = b2 - learning_rate * dP.sum(axis=0)  # noqa: F841
    return float(np.mean((P - Y) ** 2))


def _step_returns_loss_after_update(W1, b1, W2, b2, X, Y, learning_rate):
    H, P = _forward(W1, b1, W2, b2, X)
    dP = 2.0 * (P - Y) / P.size
    dZ1 = dP @ W2.T * (1.0 - H ** 2)
    W1 -= learning_rate * (X.T @ dZ1)
    b1 -= learning_rate * dZ1.sum(axis=0)
    W2 -= learning_rate * (H.T @ dP)
    b2 -= learning_rate * dP.sum(axis=0)
    return float(np.mean((_forward(W1, b1, W2, b2, X)[1] - Y) ** 2))


# 10.4 tanh_kernel -------------------------------------------------------------------------------

@cuda.jit
def _tanh_kernel_without_bounds(Z, A):
    j, i = cuda.grid(2)
    A[i, j] = math.tanh(Z[i, j])


@cuda.jit
def _tanh_kernel_rows_and_columns_swapped(Z, A):
    i, j = cuda.grid(2)
    if i < A.shape[0] and j < A.shape[1]:
        A[i, j] = math.tanh(Z[i, j])


@cuda.jit
def _tanh_kernel_or_in_bounds(Z, A):
    j, i = cuda.grid(2)
    if i < A.shape[0] or j < A.shape[1]:
        A[i, j] = math.tanh(Z[i, j])


# 10.5 matmul_kernel -----------------------------------------------------------------------------

@cuda.jit
def _matmul_without_padding(X, W, out):
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    column, row = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    total = 0.0
    for first in range(0, X.shape[1], TILE):
        X_tile[ty, tx] = X[row, first + tx]
        W_tile[ty, tx] = W[first + ty, column]
        cuda.syncthreads()
        for t in range(TILE):
            total += X_tile[ty, t] * W_tile[t, tx]
        cuda.syncthreads()
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total


@cuda.jit
def _matmul_whole_tiles_only(X, W, out):
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    column, row = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    inner = X.shape[1]
    total = 0.0
    for tile in range(inner // TILE):  # a last, partial tile is never added
        k = tile * TILE + tx
        X_tile[ty, tx] = X[row, k] if row < X.shape[0] else 0.0
        k = tile * TILE + ty
        W_tile[ty, tx] = W[k, column] if column < W.shape[1] else 0.0
        cuda.syncthreads()
        for t in range(TILE):
            total += X_tile[ty, t] * W_tile[t, tx]
        cuda.syncthreads()
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total


@cuda.jit
def _matmul_tile_indices_swapped(X, W, out):
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    column, row = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    inner = X.shape[1]
    total = 0.0
    for first in range(0, inner, TILE):
        k = first + tx
        X_tile[ty, tx] = X[row, k] if row < X.shape[0] and k < inner else 0.0
        k = first + ty
        W_tile[ty, tx] = W[k, column] if k < inner and column < W.shape[1] else 0.0
        cuda.syncthreads()
        for t in range(TILE):
            total += X_tile[t, ty] * W_tile[tx, t]
        cuda.syncthreads()
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total


MISTAKES = (
    Mistake("10.1", "dense_forward_loops", "the bias is never added",
            "Start each row Z[s, :] at b before adding the products.", 2, _dense_without_bias),
    Mistake("10.1", "dense_forward_loops", "b added inside the loop over inputs",
            "b[j] is added once per output entry, not once per input: set Z[s, j] = b[j] "
            "before the loop over i.", 2, _dense_bias_added_per_input),
    Mistake("10.1", "dense_forward_loops", "W indexed as W[j, i]",
            "W has shape (n_in, n_out): input i, output j is W[i, j].", 2,
            _dense_transposed_weights),
    Mistake("10.1", "dense_forward_loops", "sums started in np.empty's memory",
            "np.empty does not clear memory: set Z[s, j] = b[j] (or 0.0) before adding the "
            "products.", 2, _dense_sums_into_empty, says="from np.empty's memory"),
    Mistake("10.2", "tanh_map", "writes the result into Z",
            "Make a new array with np.empty(Z.shape); the caller still needs Z.", 1,
            _tanh_map_in_place,
            says='tanh_map changed the array it was given'),
    Mistake("10.2", "tanh_map", "tanh from exponentials overflows",
            "e^x overflows for x > 709 and inf/inf is NaN; math.tanh never overflows.", 2,
            _tanh_map_from_exponentials),
    Mistake("10.2", "tanh_map", "1 − tanh² instead of tanh",
            "This exercise maps the activation itself, not its derivative.", 2,
            _tanh_map_derivative),
    Mistake("10.2", "tanh_map", "one scratch array shared by every prange iteration",
            "Iterations of a prange loop run at the same time: a scratch array made outside "
            "the loop is written by all of them at once. Write each row's results straight "
            "into A[i, j], or make the scratch array inside the loop.", 2,
            _tanh_map_shared_scratch, says="inside its prange loop"),
    Mistake("10.2", "tanh_map", "range where prange is asked",
            "Only a numba.prange loop is shared among the cores; a range loop runs on one.", 1,
            _tanh_map_with_range, says="has no prange loop"),
    Mistake("10.2", "tanh_map", "the last column never written",
            "np.empty does not clear memory: loop over range(columns) so every entry is "
            "assigned.", 2, _tanh_map_last_column_unwritten, says="from np.empty's memory"),
    Mistake("10.3", "train_step_fused", "W2 updated before the gradient flows through it",
            "dH = dP·W2ᵀ needs the W2 of before the step: compute every gradient first, then "
            "update.", 1, _step_updates_W2_first),
    Mistake("10.3", "train_step_fused", "tanh' as 1 − z² of the pre-activation",
            "tanh'(z) = 1 − tanh(z)² = 1 − H²: square the hidden activation H, not z.", 2,
            _step_tanh_derivative_of_preactivation),
    Mistake("10.3", "train_step_fused", "dP without dividing by N",
            "The loss is a mean over N = n·n_out entries, so dP = 2(P − Y)/N.", 2,
            _step_without_dividing_by_n),
    Mistake("10.3", "train_step_fused", "W1 = W1 − η·dW1 rebinds the name",
            "That makes a new local array and leaves the caller's W1 as it was: update in "
            "place with W1 -= learning_rate * dW1.", 1, _step_rebinds_instead_of_updating,
            says='only rebinds your local name'),
    Mistake("10.3", "train_step_fused", "returns the loss after the step",
            "Return the loss of the forward pass the gradients came from, before the update.",
            3, _step_returns_loss_after_update),
    Mistake("10.4", "tanh_kernel", "no bounds check",
            "The grid is rounded up to whole blocks: threads outside A must not touch it.", 1,
            _tanh_kernel_without_bounds,
            says='must not touch the arrays'),
    Mistake("10.4", "tanh_kernel", "i, j = cuda.grid(2)",
            "x runs along the columns: j, i = cuda.grid(2).", 2,
            _tanh_kernel_rows_and_columns_swapped,
            says='x of cuda.grid(2) runs along the columns'),
    Mistake("10.4", "tanh_kernel", "or instead of and in the bounds check",
            "The thread is inside A only if BOTH its row and its column are.", 2,
            _tanh_kernel_or_in_bounds,
            says='must not touch the arrays'),
    Mistake("10.5", "matmul_kernel", "tiles loaded without bounds checks",
            "The last tile sticks out of X and W: load 0.0 where the entry does not exist.", 3,
            _matmul_without_padding,
            says='must not touch the arrays'),
    Mistake("10.5", "matmul_kernel", "range(k // TILE) drops the last tile",
            "Loop over range(0, k, TILE) so a partial last tile is included.", 2,
            _matmul_whole_tiles_only,
            says='leaves out the last, partial tile'),
    Mistake("10.5", "matmul_kernel", "tile indices swapped in the sum",
            "This thread needs row ty of X_tile and column tx of W_tile: "
            "X_tile[ty, t] * W_tile[t, tx].", 2, _matmul_tile_indices_swapped),
)
