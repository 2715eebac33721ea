"""Unit 10 — Speed: the same arithmetic, compiled by numba, spread over CPU cores, and on a GPU.

NumPy is fast on big arrays because each operation runs a compiled loop over the whole array.
On the small arrays of a training step (a batch of 32 through a layer of 20 neurons) that loop
takes less time than the step from Python into it, which costs about a microsecond per operation,
and a step takes dozens of operations. numba removes that cost: ``@numba.njit`` compiles a Python
function, loops and all, into machine code the first time it is called. Inside such a function
write plain loops over array entries — they run as fast as C. Three rules make numba happy:

* Use NumPy arrays, numbers and the ``math`` module; no Python lists of mixed things, no dicts of
  arrays, no f-strings in error messages.
* ``X @ W`` and ``np.dot`` inside numba need SciPy's BLAS, which this kit does not install:
  write the matrix product as loops (that is the exercise).
* ``cache=True`` keeps the compiled code in ``__pycache__``, so only the first run of your file
  pays the few seconds of compilation.

``@numba.njit(parallel=True)`` with ``numba.prange`` in place of ``range`` shares the iterations
of a loop among the CPU's cores; the iterations must be independent (each writes its own rows).

A GPU runs one small function, a *kernel* (``@cuda.jit``), in thousands of threads at once. The
threads come in *blocks* (here 16 × 16 = 256 threads) on a *grid* of blocks that covers the
output. ``cuda.grid(2)`` gives a thread its (x, y) position on the whole grid, from which it
picks the one output entry it computes. The grid is rounded up to whole blocks, so threads past
the edge of the output exist and must do nothing. Threads of a block share a small, fast
*shared memory* (``cuda.shared.array``) and can wait for one another with
``cuda.syncthreads()``: no thread of the block passes that line until every thread reaches it.

No GPU? numba's CUDA simulator runs kernels on the CPU, one Python thread per GPU thread (slow,
so keep the arrays small). Switch it on by setting NUMBA_ENABLE_CUDASIM=1 before Python starts:
``NUMBA_ENABLE_CUDASIM=1 python -c "..."``. The graded tests run your kernels that way.

When everything passes, run ``python -c "import nnlings.exercises.unit10_speed as u;
u.benchmark()"`` to see your speed-ups.
"""
import math
import time

import numba
import numpy as np
from numba import cuda, prange

TILE = 16  # a block is TILE × TILE threads; the tiled matrix product moves in TILE × TILE tiles


# 10.1 ------------------------------------------------------------------------------------------

@numba.njit(cache=True)
def dense_forward_loops(X, W, b):
    """Z = X @ W + b for X (n, n_in), W (n_in, n_out), b (n_out,), as explicit loops.

    Return a new float64 array Z of shape (n, n_out) with Z[s, j] = b[j] + Σ_i X[s, i]·W[i, j].
    Allocate it with np.empty((n, n_out)) and fill every entry. Loop order matters for speed: for
    each sample s, start the row Z[s] at b, then for each input i add X[s, i] times row i of W.
    The innermost loop then walks along rows of W and Z, which lie next to each other in memory.
    Do not modify X, W or b.
    """
    if X.shape[1] != W.shape[0] or b.shape[0] != W.shape[1]:
        raise ValueError("dense_forward_loops: expected X (n, n_in), W (n_in, n_out) and "
                         "b (n_out,) with matching n_in and n_out")
    ### BEGIN SOLUTION
    n, n_in = X.shape
    n_out = W.shape[1]
    Z = np.empty((n, n_out))
    for s in range(n):
        for j in range(n_out):
            Z[s, j] = b[j]
        for i in range(n_in):
            x = X[s, i]
            for j in range(n_out):
                Z[s, j] += x * W[i, j]
    return Z
    ### END SOLUTION


# 10.2 ------------------------------------------------------------------------------------------

@numba.njit(cache=True, parallel=True)
def tanh_map(Z):
    """A = tanh(Z) for a 2-D array Z, the rows shared among the CPU cores.

    Return a new float64 array of Z's shape. Loop over the rows with ``prange`` (numba splits its
    iterations among threads, one chunk of rows per core) and over the columns of a row with
    ``range``, computing each entry with math.tanh. Every iteration of the prange loop must write
    only its own row of A: iterations run at the same time, in no fixed order.
    Do not modify Z.
    """
    ### BEGIN SOLUTION
    rows, columns = Z.shape
    A = np.empty((rows, columns))
    for i in prange(rows):
        for j in range(columns):
            A[i, j] = math.tanh(Z[i, j])
    return A
    ### END SOLUTION


# 10.3 ------------------------------------------------------------------------------------------

@numba.njit(cache=True)
def train_step_fused(W1, b1, W2, b2, X, Y, learning_rate):
    """One SGD step of a one-hidden-layer tanh network, forward, backward and update in one
    compiled function. Returns the batch's loss before the step; updates W1, b1, W2, b2 in place.

    Shapes: X (n, n_in), Y (n, n_out), W1 (n_in, h), b1 (h,), W2 (h, n_out), b2 (n_out,).
    The network and its loss (units 3 and 4):

        H = tanh(X @ W1 + b1)      (n, h)
        P = H @ W2 + b2            (n, n_out)
        loss = mean((P − Y)²)      over all N = n·n_out entries

    Its gradients (unit 5), with tanh' written through H, 1 − H²:

        dP = 2(P − Y) / N
        dW2 = Hᵀ dP,   db2 = Σ_rows dP
        dH = dP W2ᵀ,   dZ1 = dH ⊙ (1 − H²)
        dW1 = Xᵀ dZ1,  db1 = Σ_rows dZ1

    Then every parameter takes the SGD step p ← p − η·dp, written into the array itself
    (``W1 -= learning_rate * dW1`` works inside numba too). Compute every gradient before
    changing any parameter: dH needs the W2 of before the step. Do not modify X or Y.
    """
    if (X.shape[1] != W1.shape[0] or W1.shape[1] != W2.shape[0] or b1.shape[0] != W1.shape[1]
            or b2.shape[0] != W2.shape[1] or Y.shape[0] != X.shape[0]
            or Y.shape[1] != W2.shape[1]):
        raise ValueError("train_step_fused: expected X (n, n_in), Y (n, n_out), W1 (n_in, h), "
                         "b1 (h,), W2 (h, n_out) and b2 (n_out,)")
    ### BEGIN SOLUTION
    n, n_in = X.shape
    hidden, n_out = W2.shape
    count = n * n_out

    H = np.empty((n, hidden))
    dP = np.empty((n, n_out))
    loss = 0.0
    for s in range(n):  # forward, and the loss and its gradient at the output
        for k in range(hidden):
            z = b1[k]
            for i in range(n_in):
                z += X[s, i] * W1[i, k]
            H[s, k] = math.tanh(z)
        for j in range(n_out):
            p = b2[j]
            for k in range(hidden):
                p += H[s, k] * W2[k, j]
            difference = p - Y[s, j]
            loss += difference * difference
            dP[s, j] = 2.0 * difference / count

    dW1, db1 = np.zeros_like(W1), np.zeros_like(b1)
    dW2, db2 = np.zeros_like(W2), np.zeros_like(b2)
    for s in range(n):  # backward, sample by sample, adding up over the batch
        for j in range(n_out):
            db2[j] += dP[s, j]
            for k in range(hidden):
                dW2[k, j] += H[s, k] * dP[s, j]
        for k in range(hidden):
            dH = 0.0
            for j in range(n_out):
                dH += dP[s, j] * W2[k, j]
            dZ1 = dH * (1.0 - H[s, k] * H[s, k])
            db1[k] += dZ1
            for i in range(n_in):
                dW1[i, k] += X[s, i] * dZ1

    W1 -= learning_rate * dW1  # the update, after every gradient is known
    b1 -= learning_rate * db1
    W2 -= learning_rate * dW2
    b2 -= learning_rate * db2
    return loss / count
    ### END SOLUTION


# 10.4 ------------------------------------------------------------------------------------------

@cuda.jit
def tanh_kernel(Z, A):
    """A[i, j] = tanh(Z[i, j]), one GPU thread per entry (Z and A 2-D, of the same shape).

    The kernel is launched (see tanh_on_gpu) on a 2-D grid of TILE × TILE blocks whose x axis
    covers the columns and whose y axis the rows: ``j, i = cuda.grid(2)`` gives this thread's
    column j and row i. (x runs along columns because threads that are neighbours in x run in
    lockstep, and neighbouring columns are neighbouring memory: their reads merge into one.)
    The grid is rounded up to whole blocks, so a thread whose (i, j) lies outside A must do
    nothing. Use math.tanh.
    """
    ### BEGIN SOLUTION
    j, i = cuda.grid(2)
    if i < A.shape[0] and j < A.shape[1]:
        A[i, j] = math.tanh(Z[i, j])
    ### END SOLUTION


# 10.5 ------------------------------------------------------------------------------------------

@cuda.jit
def matmul_kernel(X, W, out):
    """out = X @ W, with X (n, k), W (k, m) and out (n, m), through shared-memory tiles.

    Launched like tanh_kernel: ``column, row = cuda.grid(2)`` is this thread's entry of out, and
    ``tx, ty = cuda.threadIdx.x, cuda.threadIdx.y`` its place in its TILE × TILE block. The
    block walks along the inner dimension k one tile at a time, ``first = 0, TILE, 2·TILE, ...``:

    1. each thread copies ONE entry of X's tile and ONE of W's tile into shared memory,
       X_tile[ty, tx] = X[row, first + tx] and W_tile[ty, tx] = W[first + ty, column],
       or 0.0 where that entry lies outside X or W (the last tile may stick out);
    2. ``cuda.syncthreads()``: wait until the whole block has filled both tiles;
    3. add up Σ_t X_tile[ty, t]·W_tile[t, tx] for t in range(TILE) into this thread's total;
    4. ``cuda.syncthreads()`` again, before the next round overwrites the tiles.

    Finally, if (row, column) lies inside out, store the total there. Make the tiles with
    ``cuda.shared.array((TILE, TILE), numba.float64)``. Every thread of a block must reach every
    syncthreads, so a thread outside out must not leave early: it helps load (zeros) and stores
    nothing at the end. Each entry of X and W is then read from the GPU's slow main memory once
    per tile, not once per product: TILE times less traffic.
    """
    ### BEGIN SOLUTION
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
            total += X_tile[ty, t] * W_tile[t, tx]
        cuda.syncthreads()
    if row < out.shape[0] and column < out.shape[1]:
        out[row, column] = total
    ### END SOLUTION


# Given: launching the kernels, and the benchmark ------------------------------------------------

def _launch_shape(rows, columns):
    """(blocks, threads per block): TILE × TILE blocks, x along columns, y along rows."""
    return (math.ceil(columns / TILE), math.ceil(rows / TILE)), (TILE, TILE)


def tanh_on_gpu(Z):
    """tanh(Z) by your tanh_kernel: on the GPU, or on the simulator (NUMBA_ENABLE_CUDASIM=1)."""
    Z = np.ascontiguousarray(Z, dtype=np.float64)
    A = cuda.device_array_like(Z)
    blocks, threads = _launch_shape(*Z.shape)
    tanh_kernel[blocks, threads](cuda.to_device(Z), A)
    return A.copy_to_host()


def matmul_on_gpu(X, W):
    """X @ W by your matmul_kernel: on the GPU, or on the simulator."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    W = np.ascontiguousarray(W, dtype=np.float64)
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0]:
        raise ValueError(f"matmul_on_gpu: X {X.shape} and W {W.shape} do not fit X @ W")
    out = cuda.device_array((X.shape[0], W.shape[1]))
    blocks, threads = _launch_shape(*out.shape)
    matmul_kernel[blocks, threads](cuda.to_device(X), cuda.to_device(W), out)
    return out.copy_to_host()


def _best_time(function, *args, repeat=5, number=None):
    """The fastest of `repeat` timings of `function(*args)`, in seconds per call."""
    function(*args)  # compile, warm up
    if number is None:  # enough calls for about 20 ms per timing
        start = time.perf_counter()
        function(*args)
        number = max(1, int(0.02 / max(time.perf_counter() - start, 1e-9)))
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function(*args)
        best = min(best, (time.perf_counter() - start) / number)
    return best


def _numpy_train_step(W1, b1, W2, b2, X, Y, learning_rate):
    """train_step_fused's step in NumPy, one array operation at a time."""
    H = np.tanh(X @ W1 + b1)
    P = H @ W2 + b2
    dP = 2.0 * (P - Y) / P.size
    dZ1 = dP @ W2.T * (1.0 - H ** 2)
    loss = float(np.mean((P - Y) ** 2))
    W1 -= learning_rate * (X.T @ dZ1)
    b1 -= learning_rate * dZ1.sum(axis=0)
    W2 -= learning_rate * (H.T @ dP)
    b2 -= learning_rate * dP.sum(axis=0)
    return loss


def benchmark(seed=0):
    """Time your compiled functions against NumPy, print a table and return the timings.

    Returns a dict name -> (your seconds per call, the comparison's seconds per call). The
    comparisons: NumPy's X @ W + b; tanh_map compiled without parallel=True (one core);
    the training step of the article's 1-20-1 network written in NumPy.
    """
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(32, 20)), rng.normal(size=(20, 20)), rng.normal(size=20)
    Z = rng.normal(size=(2000, 500))
    one_core_tanh_map = numba.njit(tanh_map.py_func)  # the same loops, prange as plain range
    X1, Y1 = rng.normal(size=(32, 1)), rng.normal(size=(32, 1))
    network = [rng.normal(size=(1, 20)), np.zeros(20), rng.normal(size=(20, 1)), np.zeros(1)]
    rate = 1e-6  # tiny steps: the weights hardly move over the many timed calls
    results = {
        "dense_forward_loops (32×20 @ 20×20)": (
            _best_time(dense_forward_loops, X, W, b), _best_time(lambda: X @ W + b)),
        "tanh_map (2000×500), vs one core": (
            _best_time(tanh_map, Z), _best_time(one_core_tanh_map, Z)),
        "train_step_fused (1-20-1, batch 32)": (
            _best_time(train_step_fused, *network, X1, Y1, rate),
            _best_time(_numpy_train_step, *[p.copy() for p in network], X1, Y1, rate)),
    }
    print(f"{'':40}{'yours':>12}{'compared':>12}{'speed-up':>10}")
    for name, (yours, compared) in results.items():
        print(f"{name:40}{yours * 1e6:10.1f}µs{compared * 1e6:10.1f}µs"
              f"{compared / yours:9.1f}×")
    return results
