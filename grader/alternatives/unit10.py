"""Unit 10 right answers: compiled loops in other orders, other prange splits, a NumPy fused step,
and CUDA kernels indexed by hand, returning early or striding over the grid.

The kernels run under numba's simulator like a student's: their source is sent to a child
process that provides math, numba, np, cuda and TILE.
"""
import math

import numba
import numpy as np
from numba import cuda, prange

from . import Alternative

TILE = 16


# 10.1 dense_forward_loops -----------------------------------------------------------------------

@numba.njit(cache=True)
def _dense_dot_per_output(X, W, b):
    n, n_in = X.shape
    n_out = W.shape[1]
    Z = np.zeros((n, n_out))
    for s in range(n):
        for j in range(n_out):
            total = b[j]
            for i in range(n_in):
                total += X[s, i] * W[i, j]
            Z[s, j] = total
    return Z


@numba.njit(cache=True)
def _dense_row_sums(X, W, b):
    Z = np.empty((X.shape[0], W.shape[1]))
    for s in range(X.shape[0]):
        for j in range(W.shape[1]):
            Z[s, j] = np.sum(X[s, :] * W[:, j]) + b[j]
    return Z


def _dense_einsum(X, W, b):
    return np.einsum("si,ij->sj", X, W) + b


# 10.2 tanh_map ----------------------------------------------------------------------------------

@numba.njit(cache=True, parallel=True)
def _tanh_map_flat_prange(Z):
    rows, columns = Z.shape
    A = np.empty((rows, columns))
    for k in prange(rows * columns):
        i, j = k // columns, k % columns
        A[i, j] = math.tanh(Z[i, j])
    return A


@numba.njit(cache=True, parallel=True)
def _tanh_map_rows(Z):
    A = np.empty(Z.shape)
    for i in prange(Z.shape[0]):
        A[i, :] = np.tanh(Z[i, :])
    return A


@numba.njit(cache=True, parallel=True)
def _tanh_map_columns_outside(Z):
    rows, columns = Z.shape
    A = np.zeros_like(Z)
    for j in prange(columns):
        for i in range(rows):
            A[i, j] = np.tanh(Z[i, j])
    return A


# 10.3 train_step_fused --------------------------------------------------------------------------

def _fused_numpy(W1, b1, W2, b2, X, Y, learning_rate):
    H = np.tanh(X @ W1 + b1)
    P = H @ W2 + b2
    dP = 2.0 * (P - Y) / P.size
    dZ1 = (dP @ W2.T) * (1.0 - H * H)
    dW1, db1 = X.T @ dZ1, dZ1.sum(axis=0)
    dW2, db2 = H.T @ dP, dP.sum(axis=0)
    W1 -= learning_rate * dW1
    b1 -= learning_rate * db1
    W2 -= learning_rate * dW2
    b2 -= learning_rate * db2
    return float(np.mean((P - Y) ** 2))


@numba.njit(cache=True)
def _fused_layer_by_layer(W1, b1, W2, b2, X, Y, learning_rate):
    n, n_in = X.shape
    hidden, n_out = W2.shape
    H = np.zeros((n, hidden))
    for s in range(n):
        for k in range(hidden):
            H[s, k] = b1[k]
            for i in range(n_in):
                H[s, k] += X[s, i] * W1[i, k]
            H[s, k] = np.tanh(H[s, k])
    dP = np.zeros((n, n_out))
    loss = 0.0
    for s in range(n):
        for j in range(n_out):
            p = b2[j]
            for k in range(hidden):
                p += H[s, k] * W2[k, j]
            loss += (p - Y[s, j]) ** 2
            dP[s, j] = 2.0 * (p - Y[s, j]) / (n * n_out)
    dZ1 = np.zeros((n, hidden))
    for s in range(n):
        for k in range(hidden):
            for j in range(n_out):
                dZ1[s, k] += dP[s, j] * W2[k, j]
            dZ1[s, k] *= 1.0 - H[s, k] ** 2
    for k in range(hidden):               # second layer: W2 -= η·Hᵀ dP, b2 -= η·Σ dP
        for j in range(n_out):
            g = 0.0
            for s in range(n):
                g += H[s, k] * dP[s, j]
            W2[k, j] -= learning_rate * g
    for j in range(n_out):
        b2[j] -= learning_rate * dP[:, j].sum()
    for i in range(n_in):                 # first layer, from dZ1 computed before any update
        for k in range(hidden):
            g = 0.0
            for s in range(n):
                g += X[s, i] * dZ1[s, k]
            W1[i, k] -= learning_rate * g
    for k in range(hidden):
        b1[k] -= learning_rate * dZ1[:, k].sum()
    return loss / (n * n_out)


@numba.njit(cache=True)
def _fused_row_vectors(W1, b1, W2, b2, X, Y, learning_rate):
    n = X.shape[0]
    count = Y.size
    dW1, db1 = np.zeros(W1.shape), np.zeros(b1.shape)
    dW2, db2 = np.zeros(W2.shape), np.zeros(b2.shape)
    loss = 0.0
    for s in range(n):
        z = b1.copy()
        for i in range(X.shape[1]):
            z += X[s, i] * W1[i, :]
        h = np.tanh(z)
        p = b2.copy()
        for k in range(h.size):
            p += h[k] * W2[k, :]
        d = p - Y[s, :]
        loss += np.sum(d * d)
        dp = 2.0 * d / count
        db2 += dp
        dh = np.zeros(h.size)
        for k in range(h.size):
            dW2[k, :] += h[k] * dp
            dh[k] = np.sum(dp * W2[k, :])
        dz = dh * (1.0 - h * h)
        db1 += dz
        for i in range(X.shape[1]):
            dW1[i, :] += X[s, i] * dz
    W1 -= learning_rate * dW1
    b1 -= learning_rate * db1
    W2 -= learning_rate * dW2
    b2 -= learning_rate * db2
    return loss / count


# 10.4 tanh_kernel -------------------------------------------------------------------------------

@cuda.jit
def _tanh_kernel_by_hand(Z, A):
    j = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    i = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if i < Z.shape[0] and j < Z.shape[1]:
        A[i, j] = math.tanh(Z[i, j])


@cuda.jit
def _tanh_kernel_early_return(Z, A):
    column, row = cuda.grid(2)
    if row >= A.shape[0] or column >= A.shape[1]:
        return
    A[row, column] = math.tanh(Z[row, column])


@cuda.jit
def _tanh_kernel_grid_stride(Z, A):
    start_column, start_row = cuda.grid(2)
    step_columns, step_rows = cuda.gridsize(2)
    for i in range(start_row, A.shape[0], step_rows):
        for j in range(start_column, A.shape[1], step_columns):
            A[i, j] = math.tanh(Z[i, j])


# 10.5 matmul_kernel -----------------------------------------------------------------------------

@cuda.jit
def _matmul_tiles_counted(X, W, out):
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    row = cuda.blockIdx.y * TILE + ty
    column = cuda.blockIdx.x * TILE + tx
    n, inner = X.shape
    m = W.shape[1]
    total = 0.0
    for tile in range((inner + TILE - 1) // TILE):
        if row < n and tile * TILE + tx < inner:
            X_tile[ty, tx] = X[row, tile * TILE + tx]
        else:
            X_tile[ty, tx] = 0.0
        if column < m and tile * TILE + ty < inner:
            W_tile[ty, tx] = W[tile * TILE + ty, column]
        else:
            W_tile[ty, tx] = 0.0
        cuda.syncthreads()
        for t in range(TILE):
            total += X_tile[ty, t] * W_tile[t, tx]
        cuda.syncthreads()
    if row < n and column < m:
        out[row, column] = total


@cuda.jit
def _matmul_transposed_tile(X, W, out):
    # W's tile is stored transposed: W_tile[column in tile, k in tile]
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    column, row = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    total = 0.0
    for first in range(0, X.shape[1], TILE):
        inside = row < X.shape[0] and first + tx < X.shape[1]
        X_tile[ty, tx] = X[row, first + tx] if inside else 0.0
        inside = first + ty < W.shape[0] and column < W.shape[1]
        W_tile[tx, ty] = W[first + ty, column] if inside else 0.0
        cuda.syncthreads()
        for t in range(TILE):
            total += X_tile[ty, t] * W_tile[tx, t]
        cuda.syncthreads()
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total


@cuda.jit
def _matmul_last_tile_trimmed(X, W, out):
    # zero-padded tiles, and the inner loop stops at the edge of the last tile
    X_tile = cuda.shared.array((TILE, TILE), numba.float64)
    W_tile = cuda.shared.array((TILE, TILE), numba.float64)
    column, row = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    inner = X.shape[1]
    total = 0.0
    first = 0
    while first < inner:
        X_tile[ty, tx] = 0.0
        W_tile[ty, tx] = 0.0
        if row < X.shape[0] and first + tx < inner:
            X_tile[ty, tx] = X[row, first + tx]
        if first + ty < inner and column < W.shape[1]:
            W_tile[ty, tx] = W[first + ty, column]
        cuda.syncthreads()
        for t in range(min(TILE, inner - first)):
            total += X_tile[ty, t] * W_tile[t, tx]
        cuda.syncthreads()
        first += TILE
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total


ALTERNATIVES = [
    Alternative("10.1", "dense_forward_loops", "one dot product per output",
                _dense_dot_per_output),
    Alternative("10.1", "dense_forward_loops", "np.sum of a row times a column",
                _dense_row_sums),
    Alternative("10.1", "dense_forward_loops", "np.einsum, uncompiled", _dense_einsum),
    Alternative("10.2", "tanh_map", "prange over the flat index", _tanh_map_flat_prange),
    Alternative("10.2", "tanh_map", "np.tanh of each row in prange", _tanh_map_rows),
    Alternative("10.2", "tanh_map", "prange over the columns", _tanh_map_columns_outside),
    Alternative("10.3", "train_step_fused", "NumPy, updated in place", _fused_numpy),
    Alternative("10.3", "train_step_fused", "loops layer by layer", _fused_layer_by_layer),
    Alternative("10.3", "train_step_fused", "row vectors per sample", _fused_row_vectors),
    Alternative("10.4", "tanh_kernel", "blockIdx·blockDim + threadIdx", _tanh_kernel_by_hand),
    Alternative("10.4", "tanh_kernel", "an early return", _tanh_kernel_early_return),
    Alternative("10.4", "tanh_kernel", "a grid-stride loop", _tanh_kernel_grid_stride),
    Alternative("10.5", "matmul_kernel", "tiles counted, if/else loads", _matmul_tiles_counted),
    Alternative("10.5", "matmul_kernel", "W's tile stored transposed", _matmul_transposed_tile),
    Alternative("10.5", "matmul_kernel", "a while loop, the last tile trimmed",
                _matmul_last_tile_trimmed),
]
