"""The reference's hot loops, compiled by numba: a whole multi-layer perceptron trained in one call.

This is not a unit a student fills in. It is what the kit's experiments and benchmarks run when
they need thousands of training steps quickly, and what unit 10 (Speed) measures a student's
compiled loops against. It computes what units 2–8 compute in NumPy — the activations of unit 2,
the dense layer of unit 3, the MSE of unit 4, the backward pass of unit 5, the optimizers of
unit 7 and the shuffled minibatch loop of unit 8 — and agrees with them to float64 round-off.
``fit_numpy`` at the end is that NumPy formulation written out, and the kit's tests hold the two
against each other and against central differences.

Why compiling pays off: the article's network (1-20-1, batches of 32) does a few thousand
floating-point operations per step. NumPy dispatches every array operation from Python, about a
microsecond each and dozens per step, and that overhead is nearly all of its time. A compiled
loop does the same arithmetic with no dispatch at all.

**The parameter layout.** The compiled trainer keeps all of a network's weights and biases in
ONE flat float64 vector, layer after layer: W of layer 1 row by row (n_in·n_out numbers), then b
of layer 1 (n_out numbers), then W and b of layer 2, and so on. ``layer_sizes`` gives the widths
from the input on ([1, 20, 1] for the article's net); ``pack`` and ``unpack`` convert between
the kit's list of (W, b) pairs and the flat vector. Each W and b is a view into the vector, so an
optimizer moves every parameter of the network with one loop over one vector, and keeps its
velocities or running means in vectors of the same layout.

**Two layouts of the batch, inside the trainer.** The kit's convention puts one sample per row
(X is (n_samples, n_features)), and the public ``dense_forward`` and ``dense_backward`` follow
it. The innermost loop of a compiled matrix product should be long and walk through adjacent
numbers, because that is the loop the compiler turns into SIMD instructions. So the trainer
holds each batch quantity in one of two layouts, whichever makes that loop longer
(``rows_pay_off``):

* *by columns*, for networks narrower than the batch (the article's 1-20-1 with batches of 32):
  Aᵀ, Zᵀ of shape (n_units, batch), one row per unit, so that every innermost loop runs along
  the batch, whatever the widths of the layers (in the kit's layout the article's net would
  have innermost loops of length 1: its input and its output have one unit);
* *by rows*, for networks wider than the batch (1-100-100-1): the kit's layout, the innermost
  loops running along the units of a layer, in matrix products blocked 4 × 4 so that every
  number loaded into a register serves several multiply-adds (see the section on them below).

Both give the same results to round-off, and the tests train every network both ways.

**Two cores for a wide network.** By rows, a step has enough work to share: it cuts the batch
in two halves that go forward and backward side by side, one per core (``numba.prange``), then
cuts the parameter vector in two parts that the cores update side by side. The cut is the same
with one core or two, so the trained network is the same to the last bit either way
(``two_cores`` of ``fit_numba``).

**Codes instead of functions.** Compiled code cannot take a Python function such as ``np.tanh``
as a cheap argument, so activations and optimizers are chosen by integer codes
(``ACTIVATION_CODES``, ``OPTIMIZER_CODES``); ``fit_numba`` accepts their names.

**Randomness stays outside.** The order in which each epoch visits the samples is drawn by the
caller with ``rng.permutation(n_samples)``, exactly as unit 8's ``fit`` draws it, and handed in
as an array of indices, so the compiled trainer and the NumPy one see the same batches.

**Compilation.** Nothing is compiled when this module is imported: numba compiles each function
on its first call and, with ``cache=True``, stores the machine code in ``__pycache__``, so later
processes load it in a fraction of a second. ``error_model="numpy"`` makes a division by zero
give inf or NaN, as in NumPy, instead of raising, which also lets loops with a division become
SIMD code. ``fastmath={"contract"}`` lets a multiply and an add fuse into one instruction with a
single rounding; the loops that add up a sum in one variable also allow ``"reassoc"``, so that
the compiler may add it in several partial sums at once (as a BLAS matrix product does). Both
change results only in the last bits. (``"reassoc"`` is left out where no loop needs it: it
makes compiling slower.)
"""
import math
import numbers

import numba
import numpy as np

from .unit02_activations import ACTIVATIONS

_compiled = numba.njit(cache=True, error_model="numpy", fastmath={"contract"})
_compiled_sums = numba.njit(cache=True, error_model="numpy", fastmath={"contract", "reassoc"})

# Activation codes, in the order of unit 2.
IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTPLUS, ELU = range(7)
ACTIVATION_CODES = {"identity": IDENTITY, "sigmoid": SIGMOID, "tanh": TANH, "relu": RELU,
                    "leaky_relu": LEAKY_RELU, "softplus": SOFTPLUS, "elu": ELU}
# The α of unit 2's defaults: LeakyReLU's negative slope and ELU's saturation value.
DEFAULT_ALPHA = {"leaky_relu": 0.01, "elu": 1.0}

# Optimizer codes, in the order of unit 7.
SGD, MOMENTUM, NESTEROV, ADAM = range(4)
OPTIMIZER_CODES = {"sgd": SGD, "momentum": MOMENTUM, "nesterov": NESTEROV, "adam": ADAM}


# A tanh the compiler can vectorise ---------------------------------------------------------------
#
# A call to the C library's tanh is opaque to the compiler, so a loop that calls it handles one
# number at a time (about 15 ns each here). The same function written with + − × ÷ only runs on
# 4 numbers per instruction, about 1.3 ns each. It is accurate to 3 units in the last place.

_LN2_HI = 6.93147180369123816490e-01  # ln 2 in two parts: k·_LN2_HI is exact for |k| < 2^20
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e+00
_TWO_TO_MINUS_60 = 2.0 ** -60


@_compiled
def _expm1_nonpositive(y):
    """e^y − 1 for −40 ≤ y ≤ 0, accurate to a few ulp (also for tiny y, where e^y − 1 ≈ y).

    Write y = k·ln 2 + r with k a whole number and |r| ≤ ln(2)/2. Then e^y = 2^k·e^r, so
    e^y − 1 = 2^k·(e^r − 1) + (2^k − 1), and e^r − 1 is its Taylor series r + r²/2! + ... + r¹³/13!
    (the next term is below 1e-17 of the sum for |r| ≤ 0.35). 2^k is exact: the integer
    2^(k + 60), made by a bit shift, times the constant 2^(−60).
    """
    k = np.floor(y * _INV_LN2 + 0.5)
    r = (y - k * _LN2_HI) - k * _LN2_LO
    series = r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (
        1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (
            1.0 / 362880 + r * (1.0 / 3628800 + r * (1.0 / 39916800 + r * (
                1.0 / 479001600 + r * (1.0 / 6227020800)))))))))))))
    scale = np.float64(np.int64(1) << np.int64(k + 60)) * _TWO_TO_MINUS_60
    return scale * series + (scale - 1.0)


@_compiled
def fast_tanh(x):
    """tanh(x) = −(e^(−2|x|) − 1) / (e^(−2|x|) + 1), with the sign of x.

    e is only raised to non-positive powers, so nothing overflows; beyond |x| = 20, tanh is 1 to
    the last bit, so |x| is capped there. NaN passes through.
    """
    a = min(abs(x), 20.0)
    t = _expm1_nonpositive(-2.0 * a)
    value = math.copysign(-t / (2.0 + t), x)
    return value if x == x else x


# Activations by code -----------------------------------------------------------------------------

@_compiled
def activation(code, alpha, z):
    """f(z) for one number z: the activation of unit 2 named by `code` (α for Leaky ReLU, ELU)."""
    if code == SIGMOID:
        e = math.exp(-abs(z))  # in (0, 1]: never overflows
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    if code == TANH:
        return fast_tanh(z)
    if code == RELU:
        return z if z > 0 else 0.0
    if code == LEAKY_RELU:
        return z if z > 0 else alpha * z
    if code == SOFTPLUS:  # ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|))
        return max(z, 0.0) + math.log1p(math.exp(-abs(z)))
    if code == ELU:
        return z if z > 0 else alpha * math.expm1(z)
    return z  # IDENTITY


@_compiled
def activation_derivative(code, alpha, z, a):
    """f'(z), given the pre-activation z and the activation a = f(z) from the forward pass.

    Sigmoid and tanh have derivatives in terms of their own value, σ' = a(1 − a) and
    tanh' = 1 − a², so the backward pass need not evaluate an exponential again. At a kink the
    left derivative is taken, as in unit 2.
    """
    if code == SIGMOID:
        return a * (1.0 - a)
    if code == TANH:
        return 1.0 - a * a
    if code == RELU:
        return 1.0 if z > 0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if z > 0 else alpha
    if code == SOFTPLUS:  # softplus' = σ
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    if code == ELU:
        return 1.0 if z > 0 else alpha * math.exp(z)
    return 1.0  # IDENTITY


@_compiled
def _activate_block(Z, A, rows, columns, code, alpha):
    """A = f(Z) on the first `rows` × `columns` entries of the 2-D arrays Z and A."""
    if code == TANH:  # a loop of its own, with no choice inside, which the compiler vectorises
        for i in range(rows):
            for j in range(columns):
                A[i, j] = fast_tanh(Z[i, j])
    else:
        for i in range(rows):
            for j in range(columns):
                A[i, j] = activation(code, alpha, Z[i, j])


@_compiled
def _activate_in_workspace(Z, A, rows, columns, code, alpha):
    """_activate_block for the trainer's C-contiguous work arrays: where the block is made of
    whole rows, tanh runs along all its entries in one loop, with no short leftover at the end
    of every row (a 100-wide row is 12 groups of 8 for the vector instructions, and 4 more)."""
    if code == TANH and columns == Z.shape[1] == A.shape[1]:
        z, a = Z.reshape(-1), A.reshape(-1)
        for k in range(rows * columns):
            a[k] = fast_tanh(z[k])
    else:
        _activate_block(Z, A, rows, columns, code, alpha)


@_compiled
def _activation_gradient_block(dA, Z, A, dZ, rows, columns, code, alpha):
    """dZ = dA ⊙ f'(Z) on the first `rows` × `columns` entries; A = f(Z)."""
    if code == TANH:
        for i in range(rows):
            for j in range(columns):
                dZ[i, j] = dA[i, j] * (1.0 - A[i, j] * A[i, j])
    else:
        for i in range(rows):
            for j in range(columns):
                dZ[i, j] = dA[i, j] * activation_derivative(code, alpha, Z[i, j], A[i, j])


@_compiled
def activation_forward(Z, code, alpha, A):
    """A = f(Z) entry by entry, written into A (a 2-D array of Z's shape)."""
    _activate_block(Z, A, Z.shape[0], Z.shape[1], code, alpha)


@_compiled
def activation_backward(dA, Z, A, code, alpha, dZ):
    """dZ = dA ⊙ f'(Z), written into dZ; A = f(Z) from the forward pass (2-D arrays)."""
    _activation_gradient_block(dA, Z, A, dZ, Z.shape[0], Z.shape[1], code, alpha)


# Dense layers in the kit's layout (one sample per row) -------------------------------------------

@_compiled_sums
def dense_forward(X, W, b, Z):
    """Z = X @ W + b, written into Z: X (n, n_in), W (n_in, n_out), b (n_out,), Z (n, n_out).

    For each sample s, row i of W times X[s, i] is added to the row Z[s]: the innermost loop
    runs along rows of W and Z, adjacent in memory.
    """
    n, n_in = X.shape
    n_out = W.shape[1]
    for s in range(n):
        for j in range(n_out):
            Z[s, j] = b[j]
        for i in range(n_in):
            x = X[s, i]
            for j in range(n_out):
                Z[s, j] += x * W[i, j]


@_compiled_sums
def dense_backward(dZ, X, W, dX, dW, db):
    """Unit 5's dense backward, written into dX = dZ @ Wᵀ, dW = Xᵀ @ dZ and db = Σ_rows dZ."""
    n, n_in = X.shape
    n_out = W.shape[1]
    dW[:, :] = 0.0
    db[:] = 0.0
    for s in range(n):
        for i in range(n_in):
            x = X[s, i]
            total = 0.0
            for j in range(n_out):
                dW[i, j] += x * dZ[s, j]
                total += dZ[s, j] * W[i, j]
            dX[s, i] = total
        for j in range(n_out):
            db[j] += dZ[s, j]


# Dense layers inside the trainer, one sample per row: matrix products in register blocks -------
#
# The trainer's batch arrays hold one sample per row, as in the kit, with room for the widest
# layer (a layer of n_out units uses the first n_out columns) and BLOCK-rounded row counts: a
# batch of n samples fills the first n rows and the loops run over `rows`, n rounded up to a
# multiple of BLOCK. The rows past the batch hold finite numbers in the forward pass and zeros
# in the gradient dZ, so they add nothing to dW and db.
#
# Each loop nest below is a matrix product arranged for the processor. The innermost loop runs
# along a row (adjacent numbers, which the compiler turns into SIMD instructions, 8 float64 at a
# time where the CPU has AVX-512), and each of its iterations does 16 multiply-adds on 8 numbers
# loaded from memory: a block of 4 samples × 4 inputs, whose 16 numbers stay in registers for
# the whole row. A plain triple loop does 1 multiply-add per 2 or 3 numbers moved, and is
# limited by memory traffic instead of arithmetic.

BLOCK = 4


@_compiled
def padded_rows(n):
    """n rounded up to a multiple of BLOCK."""
    return (n + BLOCK - 1) // BLOCK * BLOCK


@_compiled_sums
def _dense_forward_narrow(X, W, b, Z, rows):
    """_dense_forward_rows for an output narrower than BLOCK (one unit, say): dot products of
    the rows of X with the columns of W."""
    n_in, n_out = W.shape
    for s in range(rows):
        for j in range(n_out):
            total = b[j]
            for i in range(n_in):
                total += X[s, i] * W[i, j]
            Z[s, j] = total


@_compiled
def _dense_forward_rows(X, W, b, Z, rows):
    """Z = X @ W + b on the first `rows` rows (a multiple of 4): X (≥rows, ≥n_in),
    W (n_in, n_out), Z (≥rows, ≥n_out). Row s of Z starts at b; then, four samples and four
    inputs at a time, Σ_i X[s, i]·(row i of W) is added to it."""
    n_in, n_out = W.shape
    if n_out < BLOCK:
        _dense_forward_narrow(X, W, b, Z, rows)
        return
    for s in range(0, rows, BLOCK):
        x0, x1, x2, x3 = X[s], X[s + 1], X[s + 2], X[s + 3]
        z0, z1, z2, z3 = Z[s], Z[s + 1], Z[s + 2], Z[s + 3]
        for j in range(n_out):
            z0[j] = b[j]
            z1[j] = b[j]
            z2[j] = b[j]
            z3[j] = b[j]
        i = 0
        while i + BLOCK <= n_in:
            w0, w1, w2, w3 = W[i], W[i + 1], W[i + 2], W[i + 3]
            a0, a1, a2, a3 = x0[i], x0[i + 1], x0[i + 2], x0[i + 3]
            b0, b1, b2, b3 = x1[i], x1[i + 1], x1[i + 2], x1[i + 3]
            c0, c1, c2, c3 = x2[i], x2[i + 1], x2[i + 2], x2[i + 3]
            d0, d1, d2, d3 = x3[i], x3[i + 1], x3[i + 2], x3[i + 3]
            for j in range(n_out):
                p, q, r, t = w0[j], w1[j], w2[j], w3[j]
                z0[j] += a0 * p + a1 * q + a2 * r + a3 * t
                z1[j] += b0 * p + b1 * q + b2 * r + b3 * t
                z2[j] += c0 * p + c1 * q + c2 * r + c3 * t
                z3[j] += d0 * p + d1 * q + d2 * r + d3 * t
            i += BLOCK
        for i in range(i, n_in):  # the last n_in mod 4 inputs, one at a time
            w0 = W[i]
            a0, b0, c0, d0 = x0[i], x1[i], x2[i], x3[i]
            for j in range(n_out):
                z0[j] += a0 * w0[j]
                z1[j] += b0 * w0[j]
                z2[j] += c0 * w0[j]
                z3[j] += d0 * w0[j]


@_compiled
def _dense_parameter_gradients_rows(dZ, X, dW, db, rows):
    """dW = Xᵀ dZ and db = Σ_rows dZ over the first `rows` rows (a multiple of 4).

    Row i of dW is Σ_s X[s, i]·(row s of dZ): four inputs (rows of dW) and four samples at a
    time. The first four samples write their products into dW and the others add theirs, which
    saves a pass that would set dW to zero first."""
    n_in, n_out = dW.shape
    for j in range(n_out):
        db[j] = 0.0
    for s in range(rows):
        g0 = dZ[s]
        for j in range(n_out):
            db[j] += g0[j]
    if n_out < BLOCK or rows == 0:  # a narrow output: column j of dW is Σ_s dZ[s, j]·(row s of X)
        dW[:, :] = 0.0
        for s in range(rows):
            x0 = X[s]
            for j in range(n_out):
                g = dZ[s, j]
                for i in range(n_in):
                    dW[i, j] += g * x0[i]
        return
    i = 0
    while i + BLOCK <= n_in:
        v0, v1, v2, v3 = dW[i], dW[i + 1], dW[i + 2], dW[i + 3]
        for s in range(0, rows, BLOCK):
            g0, g1, g2, g3 = dZ[s], dZ[s + 1], dZ[s + 2], dZ[s + 3]
            a0, a1, a2, a3 = X[s, i], X[s + 1, i], X[s + 2, i], X[s + 3, i]
            b0, b1, b2, b3 = X[s, i + 1], X[s + 1, i + 1], X[s + 2, i + 1], X[s + 3, i + 1]
            c0, c1, c2, c3 = X[s, i + 2], X[s + 1, i + 2], X[s + 2, i + 2], X[s + 3, i + 2]
            d0, d1, d2, d3 = X[s, i + 3], X[s + 1, i + 3], X[s + 2, i + 3], X[s + 3, i + 3]
            if s == 0:
                for j in range(n_out):
                    e, f, g, h = g0[j], g1[j], g2[j], g3[j]
                    v0[j] = a0 * e + a1 * f + a2 * g + a3 * h
                    v1[j] = b0 * e + b1 * f + b2 * g + b3 * h
                    v2[j] = c0 * e + c1 * f + c2 * g + c3 * h
                    v3[j] = d0 * e + d1 * f + d2 * g + d3 * h
            else:
                for j in range(n_out):
                    e, f, g, h = g0[j], g1[j], g2[j], g3[j]
                    v0[j] += a0 * e + a1 * f + a2 * g + a3 * h
                    v1[j] += b0 * e + b1 * f + b2 * g + b3 * h
                    v2[j] += c0 * e + c1 * f + c2 * g + c3 * h
                    v3[j] += d0 * e + d1 * f + d2 * g + d3 * h
        i += BLOCK
    for i in range(i, n_in):  # the last n_in mod 4 rows of dW, one at a time
        v0 = dW[i]
        for j in range(n_out):
            v0[j] = 0.0
        for s in range(0, rows, BLOCK):
            g0, g1, g2, g3 = dZ[s], dZ[s + 1], dZ[s + 2], dZ[s + 3]
            a0, a1, a2, a3 = X[s, i], X[s + 1, i], X[s + 2, i], X[s + 3, i]
            for j in range(n_out):
                v0[j] += a0 * g0[j] + a1 * g1[j] + a2 * g2[j] + a3 * g3[j]


@_compiled_sums
def _dense_input_gradient_rows(dZ, W, dX, rows):
    """dX = dZ Wᵀ, the gradient passed to the layer below, on the first `rows` rows.

    dX[s, i] is the dot product of row s of dZ with row i of W, both adjacent in memory: four
    samples × four inputs at a time, 16 sums held in registers along the rows."""
    n_in, n_out = W.shape
    if n_out < BLOCK:  # a narrow output: row s of dX is Σ_j dZ[s, j]·(column j of W)
        for s in range(rows):
            y0 = dX[s]
            for i in range(n_in):
                y0[i] = 0.0
            for j in range(n_out):
                g = dZ[s, j]
                for i in range(n_in):
                    y0[i] += g * W[i, j]
        return
    for s in range(0, rows, BLOCK):
        g0, g1, g2, g3 = dZ[s], dZ[s + 1], dZ[s + 2], dZ[s + 3]
        y0, y1, y2, y3 = dX[s], dX[s + 1], dX[s + 2], dX[s + 3]
        i = 0
        while i + BLOCK <= n_in:
            w0, w1, w2, w3 = W[i], W[i + 1], W[i + 2], W[i + 3]
            s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = 0.0
            s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = 0.0
            for j in range(n_out):
                p, q, r, t = w0[j], w1[j], w2[j], w3[j]
                e, f, g, h = g0[j], g1[j], g2[j], g3[j]
                s00 += e * p
                s01 += e * q
                s02 += e * r
                s03 += e * t
                s10 += f * p
                s11 += f * q
                s12 += f * r
                s13 += f * t
                s20 += g * p
                s21 += g * q
                s22 += g * r
                s23 += g * t
                s30 += h * p
                s31 += h * q
                s32 += h * r
                s33 += h * t
            y0[i], y0[i + 1], y0[i + 2], y0[i + 3] = s00, s01, s02, s03
            y1[i], y1[i + 1], y1[i + 2], y1[i + 3] = s10, s11, s12, s13
            y2[i], y2[i + 1], y2[i + 2], y2[i + 3] = s20, s21, s22, s23
            y3[i], y3[i + 1], y3[i + 2], y3[i + 3] = s30, s31, s32, s33
            i += BLOCK
        for i in range(i, n_in):  # the last n_in mod 4 inputs, one at a time
            w0 = W[i]
            s00 = s10 = s20 = s30 = 0.0
            for j in range(n_out):
                s00 += g0[j] * w0[j]
                s10 += g1[j] * w0[j]
                s20 += g2[j] * w0[j]
                s30 += g3[j] * w0[j]
            y0[i], y1[i], y2[i], y3[i] = s00, s10, s20, s30


@_compiled_sums
def _mse_and_gradient_rows(Y_pred, Y, dY, n, count):
    """The share of the first n rows in an MSE over `count` entries (unit 4): Σ(Ŷ − Y)²/count
    over the n·n_L entries of those rows, returned; its gradient 2(Ŷ − Y)/count written into
    the same entries of dY. With count = n·n_L it is the MSE of the n rows."""
    m = Y.shape[1]
    total = 0.0
    for s in range(n):
        for j in range(m):
            difference = Y_pred[s, j] - Y[s, j]
            total += difference * difference
            dY[s, j] = 2.0 * difference / count
    return total / count


# Dense layers inside the trainer, one sample per column ------------------------------------------
#
# In this layout the work arrays have one column per sample of the largest batch; a batch of n
# samples uses the first n columns, so each of these functions takes n. Every innermost loop
# runs along the batch.

@_compiled_sums
def _dense_forward_t(W, b, Xt, Zt, n):
    """Zᵀ = Wᵀ Xᵀ + b, the dense layer with samples as columns: Xt (n_in, ≥n), Zt (n_out, ≥n).

    Row j of Zᵀ (unit j over the batch) is b[j] plus Σ_i W[i, j] times row i of Xᵀ.
    """
    n_in, n_out = W.shape
    for j in range(n_out):
        for s in range(n):
            Zt[j, s] = b[j]
        for i in range(n_in):
            w = W[i, j]
            for s in range(n):
                Zt[j, s] += w * Xt[i, s]


@_compiled_sums
def _dense_parameter_gradients_t(dZt, Xt, dW, db, n):
    """dW[i, j] = Σ_s X[s, i]·dZ[s, j] and db[j] = Σ_s dZ[s, j], from the transposed Xt, dZt."""
    n_in, n_out = dW.shape
    for i in range(n_in):
        for j in range(n_out):
            total = 0.0
            for s in range(n):
                total += Xt[i, s] * dZt[j, s]
            dW[i, j] = total
    for j in range(n_out):
        total = 0.0
        for s in range(n):
            total += dZt[j, s]
        db[j] = total


@_compiled_sums
def _dense_input_gradient_t(dZt, W, dXt, n):
    """dXᵀ = W dZᵀ, the gradient passed to the layer below, samples as columns."""
    n_in, n_out = W.shape
    for i in range(n_in):
        for s in range(n):
            dXt[i, s] = 0.0
        for j in range(n_out):
            w = W[i, j]
            for s in range(n):
                dXt[i, s] += w * dZt[j, s]


@_compiled_sums
def _mse_and_gradient_t(Yt_pred, Yt, dYt, n):
    """The MSE, mean((Ŷ − Y)²) over all n_L·n entries (unit 4), returned; its gradient
    2(Ŷ − Y)/N written into dYt. (A mean over all entries does not care about the layout.)"""
    m = Yt.shape[0]
    count = m * n
    total = 0.0
    for j in range(m):
        for s in range(n):
            difference = Yt_pred[j, s] - Yt[j, s]
            total += difference * difference
            dYt[j, s] = 2.0 * difference / count
    return total / count


# The optimizers of unit 7, on the flat parameter vector ------------------------------------------

@_compiled
def optimizer_step(params, grads, velocity, second, step, optimizer, hyper):
    """Move every parameter by one step of the optimizer named by `optimizer`, in place.

    params, grads, velocity, second: flat vectors of the same layout; velocity and second are
    zeros at the start and kept between steps: velocity is v (momentum, Nesterov) or Adam's m,
    second Adam's v. step: Adam's t, counted from 1. hyper: (learning rate η, momentum μ, β1,
    β2, eps).
    """
    rate, mu, beta1, beta2, eps = hyper
    if optimizer == SGD:  # w ← w − η·g
        for k in range(params.shape[0]):
            params[k] = params[k] - rate * grads[k]
    elif optimizer == MOMENTUM:  # v ← μv − η·g;  w ← w + v
        for k in range(params.shape[0]):
            velocity[k] = mu * velocity[k] - rate * grads[k]
            params[k] = params[k] + velocity[k]
    elif optimizer == NESTEROV:  # v ← μv − η·g;  w ← w + μv − η·g   (Keras, as in the article)
        for k in range(params.shape[0]):
            velocity[k] = mu * velocity[k] - rate * grads[k]
            params[k] = params[k] + mu * velocity[k] - rate * grads[k]
    else:  # Adam: running means m, v of g and g², bias-corrected by 1 − β^t
        m_correction = 1.0 - beta1 ** step
        v_correction = 1.0 - beta2 ** step
        for k in range(params.shape[0]):
            g = grads[k]
            velocity[k] = beta1 * velocity[k] + (1.0 - beta1) * g
            second[k] = beta2 * second[k] + (1.0 - beta2) * g * g
            m_hat = velocity[k] / m_correction
            v_hat = second[k] / v_correction
            params[k] = params[k] - rate * m_hat / (math.sqrt(v_hat) + eps)


# The whole network -------------------------------------------------------------------------------

@_compiled
def parameter_offsets(layer_sizes):
    """Where each layer's W and b start in the flat parameter vector, and the vector's length."""
    n_layers = layer_sizes.shape[0] - 1
    w_start = np.empty(n_layers, dtype=np.int64)
    b_start = np.empty(n_layers, dtype=np.int64)
    offset = 0
    for layer in range(n_layers):
        w_start[layer] = offset
        offset += layer_sizes[layer] * layer_sizes[layer + 1]
        b_start[layer] = offset
        offset += layer_sizes[layer + 1]
    return w_start, b_start, offset


@_compiled
def _matrix(flat, start, rows, columns):
    """The (rows, columns) block of `flat` that starts at `start`, as a view (no copy)."""
    return flat[start:start + rows * columns].reshape((rows, columns))


@_compiled
def _arrays_of_each_layer(layer_sizes, shape):
    """Where each layer's W and b start in the flat parameter vector (parameter_offsets), and
    four zero arrays of the given shape for the batch quantities A, Z, dA, dZ."""
    w_start, b_start, _ = parameter_offsets(layer_sizes)
    return w_start, b_start, np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)


@_compiled
def workspace_by_columns(layer_sizes, batch_size):
    """What a training step by columns needs besides the parameters, allocated once per run.

    Returns (w_start, b_start, A, Z, dA, dZ): where each layer's W and b start in the flat
    parameter vector, and four arrays of shape (n_layers, widest layer, batch_size): A[l] holds
    layer l + 1's activations (its first n_(l+1) rows), Z[l] its pre-activations, and dA[l],
    dZ[l] the gradients of the loss with respect to them. (A[l] is a C-contiguous 2-D array; a
    narrower slice of it would not be, and numba compiles slower loops for such arrays.)
    """
    width = np.max(layer_sizes[1:])
    return _arrays_of_each_layer(layer_sizes, (layer_sizes.shape[0] - 1, width, batch_size))


@_compiled
def workspace_by_rows(layer_sizes, batch_size):
    """workspace_by_columns for a step by rows, which cuts its batch in two (split_point): the
    four arrays have shape (2, n_layers, padded_rows(split_point(batch_size)), widest layer),
    [h, l] for layer l + 1 in half h, one sample per row, in the first n_(l+1) columns."""
    width = np.max(layer_sizes[1:])
    rows = padded_rows(split_point(batch_size))
    return _arrays_of_each_layer(layer_sizes, (2, layer_sizes.shape[0] - 1, rows, width))


@_compiled
def _loss_and_gradient_rows(params, layer_sizes, codes, alphas, Xb, Yb, n, count, grads,
                            workspace):
    """Forward and backward pass of the network on n samples, the first n rows of
    Xb (≥padded_rows(n), n_0) and Yb (≥n, n_L), in a by_rows workspace. Returns their share in
    an MSE over `count` entries (_mse_and_gradient_rows) and writes its gradient into `grads`.
    Rows n to padded_rows(n) of Xb must be finite."""
    w_start, b_start, A, Z, dA, dZ = workspace
    n_layers = layer_sizes.shape[0] - 1
    rows = padded_rows(n)

    for layer in range(n_layers):
        n_in, n_out = layer_sizes[layer], layer_sizes[layer + 1]
        W = _matrix(params, w_start[layer], n_in, n_out)
        b = params[b_start[layer]:b_start[layer] + n_out]
        _dense_forward_rows(Xb if layer == 0 else A[layer - 1], W, b, Z[layer], rows)
        _activate_in_workspace(Z[layer], A[layer], rows, n_out, codes[layer], alphas[layer])

    last = n_layers - 1
    loss = _mse_and_gradient_rows(A[last], Yb, dA[last], n, count)

    for layer in range(last, -1, -1):
        n_in, n_out = layer_sizes[layer], layer_sizes[layer + 1]
        _activation_gradient_block(dA[layer], Z[layer], A[layer], dZ[layer], n, n_out,
                                   codes[layer], alphas[layer])
        dZ[layer, n:rows] = 0.0  # the padding rows add nothing to dW and db
        _dense_parameter_gradients_rows(dZ[layer], Xb if layer == 0 else A[layer - 1],
                                        _matrix(grads, w_start[layer], n_in, n_out),
                                        grads[b_start[layer]:b_start[layer] + n_out], rows)
        if layer > 0:  # the input needs no gradient
            _dense_input_gradient_rows(dZ[layer], _matrix(params, w_start[layer], n_in, n_out),
                                       dA[layer - 1], rows)
    return loss


# Two cores on one step: the batch cut in two -----------------------------------------------------
#
# A wide network's step is large enough to share between the processor's cores. Each half of the
# batch goes forward and backward on its own, into its own workspace and its own gradient
# vector; then the two gradients are added. The loss and its gradient are sums over the samples,
# so the halves' sums add up to the whole batch's (each half divides its squared errors by the
# whole batch's count). The batch is always cut in two at the same place, whether one core or
# two do the work, so the trained network does not depend on the machine: only the time does.

@_compiled
def split_point(n):
    """Where a batch of n rows is cut: the first half's row count, a multiple of BLOCK (so the
    second half starts on a block) and at most n. The second half has the other n − cut rows.
    The parameter vector's update is cut at the same point of its n entries."""
    return min(n, padded_rows((n + 1) // 2))


@_compiled
def _half_loss_and_gradient(half, params, layer_sizes, codes, alphas, Xb, Yb, n, grads,
                            workspace):
    """Half `half` (0 or 1) of the batch of n rows in (Xb, Yb): its share of the batch's MSE,
    returned, and of its gradient, written into grads[half]."""
    w_start, b_start, A, Z, dA, dZ = workspace
    cut = split_point(n)
    first, rows = (0, cut) if half == 0 else (cut, n - cut)
    return _loss_and_gradient_rows(params, layer_sizes, codes, alphas, Xb[first:], Yb[first:],
                                   rows, n * Yb.shape[1], grads[half],
                                   (w_start, b_start, A[half], Z[half], dA[half], dZ[half]))


@_compiled
def _add_second_to_first(grads, start, stop):
    """grads[0] += grads[1] on entries start to stop: the whole batch's gradient from its
    halves'."""
    first, second = grads[0], grads[1]
    for k in range(start, stop):
        first[k] += second[k]


@_compiled
def _update_part(part, params, grads, state, step, optimizer, hyper):
    """Part `part` (0 or 1) of the parameter vector, cut in two at split_point: the halves'
    gradients added, then the optimizer's step (optimizer_step) on that part only."""
    cut = split_point(params.shape[0])
    start, stop = (0, cut) if part == 0 else (cut, params.shape[0])
    _add_second_to_first(grads, start, stop)
    optimizer_step(params[start:stop], grads[0, start:stop], state[0, start:stop],
                   state[1, start:stop], step, optimizer, hyper)


@_compiled
def _step_one_after_the_other(params, layer_sizes, codes, alphas, Xb, Yb, n, grads, workspace,
                              state, step, optimizer, hyper):
    """One training step by rows on this core: both halves of the batch forward and backward,
    then both parts of the update. Returns the batch's MSE before the step."""
    loss = 0.0
    for half in range(2):
        loss += _half_loss_and_gradient(half, params, layer_sizes, codes, alphas, Xb, Yb, n,
                                        grads, workspace)
    for part in range(2):
        _update_part(part, params, grads, state, step, optimizer, hyper)
    return loss


@numba.njit(cache=True, parallel=True)
def _step_side_by_side(params, layer_sizes, codes, alphas, Xb, Yb, n, grads, workspace, state,
                       step, optimizer, hyper):
    """_step_one_after_the_other on two cores (numba.prange): the halves of the batch at once,
    then the parts of the update at once (each core updates the part it will read least from
    the other's cache). The same result to the last bit."""
    losses = np.zeros(2)
    for half in numba.prange(2):
        losses[half] = _half_loss_and_gradient(half, params, layer_sizes, codes, alphas, Xb, Yb,
                                               n, grads, workspace)
    for part in numba.prange(2):
        _update_part(part, params, grads, state, step, optimizer, hyper)
    return losses[0] + losses[1]


def two_cores_pay_off():
    """Whether _step_side_by_side runs its halves at once: numba has at least two threads,
    from a threading layer that starts a parallel loop in about a microsecond (OpenMP or TBB;
    numba's own "workqueue" layer takes about 100 µs, more than a wide step)."""
    if numba.get_num_threads() < 2:  # this also starts numba's threads
        return False
    return numba.threading_layer() in ("omp", "tbb")


@_compiled
def _loss_and_gradient_columns(params, layer_sizes, codes, alphas, Xt, Yt, n, grads,
                               workspace):
    """Forward and backward pass of the network on a batch of n samples held as columns,
    Xt (n_0, ≥n) and Yt (n_L, ≥n), in a workspace of the same layout. Returns the MSE and
    writes its gradient into `grads`."""
    w_start, b_start, A, Z, dA, dZ = workspace
    n_layers = layer_sizes.shape[0] - 1

    for layer in range(n_layers):
        n_in, n_out = layer_sizes[layer], layer_sizes[layer + 1]
        W = _matrix(params, w_start[layer], n_in, n_out)
        b = params[b_start[layer]:b_start[layer] + n_out]
        _dense_forward_t(W, b, Xt if layer == 0 else A[layer - 1], Z[layer], n)
        _activate_in_workspace(Z[layer], A[layer], n_out, n, codes[layer], alphas[layer])

    last = n_layers - 1
    loss = _mse_and_gradient_t(A[last], Yt, dA[last], n)

    for layer in range(last, -1, -1):
        n_in, n_out = layer_sizes[layer], layer_sizes[layer + 1]
        _activation_gradient_block(dA[layer], Z[layer], A[layer], dZ[layer], n_out, n,
                                   codes[layer], alphas[layer])
        _dense_parameter_gradients_t(dZ[layer], Xt if layer == 0 else A[layer - 1],
                                     _matrix(grads, w_start[layer], n_in, n_out),
                                     grads[b_start[layer]:b_start[layer] + n_out], n)
        if layer > 0:  # the input needs no gradient
            _dense_input_gradient_t(dZ[layer], _matrix(params, w_start[layer], n_in, n_out),
                                    dA[layer - 1], n)
    return loss


@_compiled
def rows_pay_off(layer_sizes, batch_size):
    """Whether to hold the batch one sample per row inside the trainer (else per column).

    The innermost loops run along the units of a layer in the first layout, along the batch in
    the second; the longer they are, the better the processor's vector instructions are used,
    and the blocked products of the first layout pay off on a product between two hidden
    layers. Rows win (measured) when two consecutive hidden layers are both wider than the
    batch is long: 1-50-50-1 with batches of 32, not 1-30-30-30-1 nor 1-100-1.
    """
    for layer in range(1, layer_sizes.shape[0] - 2):
        if min(layer_sizes[layer], layer_sizes[layer + 1]) > batch_size:
            return True
    return False


@_compiled
def _batch_arrays(n_inputs, n_outputs, batch_size, by_rows):
    """The batch buffers (Xb, Yb) of the layout: zeros, (padded rows, n_0) and (rows, n_L)
    by rows; (n_0, batch_size) and (n_L, batch_size) by columns."""
    if by_rows:
        return np.zeros((padded_rows(batch_size), n_inputs)), np.zeros((batch_size, n_outputs))
    return np.zeros((n_inputs, batch_size)), np.zeros((n_outputs, batch_size))


@_compiled
def _gather(X, Y, order, first, n, Xb, Yb, by_rows):
    """Copy samples order[first:first + n] of (X, Y) into the batch buffers of the layout;
    the padding rows past n (by rows) are set to zero."""
    for k in range(n):
        sample = order[first + k]
        if by_rows:
            Xb[k] = X[sample]
            Yb[k] = Y[sample]
        else:
            for i in range(X.shape[1]):
                Xb[i, k] = X[sample, i]
            for j in range(Y.shape[1]):
                Yb[j, k] = Y[sample, j]
    if by_rows:
        Xb[n:] = 0.0


def loss_and_gradient(params, layer_sizes, codes, alphas, X, Y, by_rows):
    """The MSE of the network on (X, Y) in the kit's layout, and its gradient as a flat vector,
    computed in the trainer's layout by rows (by_rows=True) or by columns (False).

    The training step's own computation, for a gradient check or a single evaluation.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    n = X.shape[0]
    Xb, Yb = _batch_arrays(X.shape[1], Y.shape[1], n, by_rows)
    _gather(X, Y, np.arange(n), 0, n, Xb, Yb, by_rows)
    if by_rows:
        grads = np.empty((2, params.shape[0]))
        workspace = workspace_by_rows(layer_sizes, n)
        loss = sum(_half_loss_and_gradient(half, params, layer_sizes, codes, alphas, Xb, Yb, n,
                                           grads, workspace) for half in range(2))
        _add_second_to_first(grads, 0, params.shape[0])
        return loss, grads[0]
    grads = np.empty_like(params)
    loss = _loss_and_gradient_columns(params, layer_sizes, codes, alphas, Xb, Yb, n, grads,
                                      workspace_by_columns(layer_sizes, n))
    return loss, grads


# The training loop, once per layout, so that each compiles only its own layout's loops --------

@_compiled
def train_epochs_by_rows(params, layer_sizes, codes, alphas, X, Y, orders, batch_size,
                         optimizer, hyper, two_cores):
    """train_epochs with the batch by rows, its halves side by side if two_cores."""
    n_samples = X.shape[0]
    n_epochs = orders.shape[0]
    workspace = workspace_by_rows(layer_sizes, batch_size)
    grads = np.empty((2, params.shape[0]))
    state = np.zeros((2, params.shape[0]))
    Xb, Yb = _batch_arrays(X.shape[1], Y.shape[1], batch_size, True)
    losses = np.empty(n_epochs)
    step = 0
    for epoch in range(n_epochs):
        weighted_sum = 0.0
        for first in range(0, n_samples, batch_size):
            n = min(batch_size, n_samples - first)
            _gather(X, Y, orders[epoch], first, n, Xb, Yb, True)
            step += 1
            if two_cores:
                loss = _step_side_by_side(params, layer_sizes, codes, alphas, Xb, Yb, n, grads,
                                          workspace, state, step, optimizer, hyper)
            else:
                loss = _step_one_after_the_other(params, layer_sizes, codes, alphas, Xb, Yb, n,
                                                 grads, workspace, state, step, optimizer, hyper)
            weighted_sum += n * loss
        losses[epoch] = weighted_sum / n_samples
    return losses


@_compiled
def train_epochs_by_columns(params, layer_sizes, codes, alphas, X, Y, orders, batch_size,
                            optimizer, hyper):
    """train_epochs with the batch by columns."""
    n_samples = X.shape[0]
    n_epochs = orders.shape[0]
    workspace = workspace_by_columns(layer_sizes, batch_size)
    grads = np.empty_like(params)
    state = np.zeros((2, params.shape[0]))
    Xb, Yb = _batch_arrays(X.shape[1], Y.shape[1], batch_size, False)
    losses = np.empty(n_epochs)
    step = 0
    for epoch in range(n_epochs):
        weighted_sum = 0.0
        for first in range(0, n_samples, batch_size):
            n = min(batch_size, n_samples - first)
            _gather(X, Y, orders[epoch], first, n, Xb, Yb, False)
            step += 1
            loss = _loss_and_gradient_columns(params, layer_sizes, codes, alphas, Xb, Yb, n,
                                              grads, workspace)
            optimizer_step(params, grads, state[0], state[1], step, optimizer, hyper)
            weighted_sum += n * loss
        losses[epoch] = weighted_sum / n_samples
    return losses


def train_epochs(params, layer_sizes, codes, alphas, X, Y, orders, batch_size, optimizer, hyper,
                 by_rows, two_cores=False):
    """Train the network for len(orders) epochs of shuffled minibatches; params move in place.

    X (n_samples, n_0) and Y (n_samples, n_L) in the kit's layout, C-contiguous float64.
    orders: shape (epochs, n_samples), row e the permutation of sample indices for epoch e.
    Each epoch cuts its order into batches of batch_size (the last may be shorter) and takes
    one optimizer step (optimizer_step) per batch, as unit 8's fit does. by_rows: the layout
    inside (rows_pay_off); two_cores (by rows only): each batch's two halves side by side.
    Returns the loss of each epoch: the batch losses before their steps, averaged with the
    batch sizes as weights.
    """
    if by_rows:
        return train_epochs_by_rows(params, layer_sizes, codes, alphas, X, Y, orders, batch_size,
                                    optimizer, hyper, two_cores)
    return train_epochs_by_columns(params, layer_sizes, codes, alphas, X, Y, orders, batch_size,
                                   optimizer, hyper)


# From Python: the kit's (W, b) pairs in, trained pairs and the history out -----------------------

def pack(params):
    """The flat parameter vector of a list of (W, b) pairs (the layout described at the top)."""
    return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)]) for W, b in params])


def layer_sizes_of(params):
    """The widths [n_0, n_1, ..., n_L] of a list of (W, b) pairs, as an int64 array."""
    return np.array([np.shape(params[0][0])[0]] + [np.shape(W)[1] for W, _ in params],
                    dtype=np.int64)


def unpack(flat, layer_sizes):
    """The list of (W, b) pairs of a flat parameter vector, as copies."""
    w_start, b_start, _ = parameter_offsets(np.asarray(layer_sizes, dtype=np.int64))
    pairs = []
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        W = flat[w_start[layer]:w_start[layer] + n_in * n_out].reshape(n_in, n_out)
        pairs.append((W.copy(), flat[b_start[layer]:b_start[layer] + n_out].copy()))
    return pairs


def _check_params(params):
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"params must be a non-empty list of (W, b) pairs, "
                        f"got {type(params).__name__}")
    checked = []
    for number, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"layer {number} of params must be a (W, b) pair")
        W, b = (np.asarray(value, dtype=np.float64) for value in pair)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"layer {number}: W must be (n_in, n_out) and b (n_out,), "
                             f"got W {W.shape} and b {b.shape}")
        if checked and W.shape[0] != checked[-1][0].shape[1]:
            raise ValueError(f"layer {number}'s W has shape {W.shape}, so it reads {W.shape[0]} "
                             f"inputs, but layer {number - 1} outputs {checked[-1][0].shape[1]}")
        checked.append((W, b))
    return checked


def _check_number(name, value, fraction=False):
    """A positive number, or with fraction=True a decay factor in [0, 1), as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}")
    if fraction and not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    if not fraction and value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return float(value)


def check_training_arguments(function, params, activations, X, Y, epochs, batch_size, rng,
                             optimizer, learning_rate, momentum, beta1, beta2, eps):
    """Check what fit_numba and fit_numpy (named by `function`) receive.

    Returns (params as a list of float64 (W, b), activation names, X, Y as C-contiguous float64
    arrays, hyper) with hyper = (learning_rate, momentum, beta1, beta2, eps) as floats.
    """
    try:
        params = _check_params(params)
        if (not isinstance(activations, (list, tuple)) or len(activations) != len(params)
                or any(name not in ACTIVATION_CODES for name in activations)):
            raise ValueError(f"activations must be a list of {len(params)} names, one per "
                             f"layer, from {sorted(ACTIVATION_CODES)}; got {activations!r}")
        X = np.ascontiguousarray(X, dtype=np.float64)
        Y = np.ascontiguousarray(Y, dtype=np.float64)
        n_in, n_out = params[0][0].shape[0], params[-1][0].shape[1]
        if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != n_in or Y.shape != (len(X), n_out):
            raise ValueError(f"X must have shape (n_samples, {n_in}) and Y (n_samples, {n_out})"
                             f" for this network; got X {X.shape} and Y {Y.shape}")
        for name, value in (("epochs", epochs), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
        if batch_size > len(X):
            raise ValueError(f"batch_size={batch_size} is larger than the data set "
                             f"({len(X)} samples)")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        if optimizer not in OPTIMIZER_CODES:
            raise ValueError(f"optimizer must be one of {sorted(OPTIMIZER_CODES)}, "
                             f"got {optimizer!r}")
        hyper = (_check_number("learning_rate", learning_rate),
                 _check_number("momentum", momentum, fraction=True),
                 _check_number("beta1", beta1, fraction=True),
                 _check_number("beta2", beta2, fraction=True),
                 _check_number("eps", eps))
    except (TypeError, ValueError) as error:
        raise type(error)(f"{function}: {error}") from None
    return params, list(activations), X, Y, hyper


def _raise_if_diverged(function, losses):
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:
        raise FloatingPointError(f"{function}: the training loss became {losses[bad[0]]} in epoch "
                                 f"{bad[0] + 1} of {len(losses)}: the gradients are exploding; "
                                 "lower the learning rate")


def fit_numba(params, activations, X, Y, *, epochs, batch_size, rng, optimizer="nesterov",
              learning_rate=0.01, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8,
              by_rows=None, two_cores=None):
    """Train an MLP with MSE loss by shuffled minibatches, compiled; return (params, losses).

    params: the kit's list of (W, b) pairs (not modified; the trained pairs are returned).
    activations: one name per layer, e.g. ["tanh", "identity"]. optimizer: "sgd",
    "momentum", "nesterov" or "adam", with the hyperparameters of unit 7 (momentum is μ).
    rng: a numpy.random.Generator; each epoch draws rng.permutation(len(X)) and nothing else,
    as unit 8's fit does. losses: one float per epoch, the size-weighted mean batch loss.
    by_rows: the layout of the batch inside the trainer, one sample per row (True) or per
    column (False); both give the same results to round-off, and by default the faster one for
    the network's shape is taken (rows_pay_off). two_cores: by rows, whether the two halves of
    each batch go through the network at once, on two cores; the result is the same to the
    last bit, and by default they do where numba can start them cheaply (two_cores_pay_off).
    Raises FloatingPointError if the loss became NaN or infinite.
    """
    params, activations, X, Y, hyper = check_training_arguments(
        "fit_numba", params, activations, X, Y, epochs, batch_size, rng, optimizer,
        learning_rate, momentum, beta1, beta2, eps)
    sizes = layer_sizes_of(params)
    codes = np.array([ACTIVATION_CODES[name] for name in activations], dtype=np.int64)
    alphas = np.array([DEFAULT_ALPHA.get(name, 0.0) for name in activations])
    orders = np.stack([rng.permutation(len(X)) for _ in range(epochs)]).astype(np.int64)
    flat = pack(params)
    if by_rows is None:
        by_rows = rows_pay_off(sizes, batch_size)
    if two_cores is None:
        two_cores = by_rows and two_cores_pay_off()
    losses = train_epochs(flat, sizes, codes, alphas, X, Y, orders, batch_size,
                          OPTIMIZER_CODES[optimizer], hyper, bool(by_rows), bool(two_cores))
    _raise_if_diverged("fit_numba", losses)
    return unpack(flat, sizes), losses


# The same training in NumPy ----------------------------------------------------------------------

def _numpy_update(optimizer, w, g, state, step, hyper):
    """Unit 7's update of one parameter array, written into w; state: its velocity or (m, v)."""
    rate, mu, beta1, beta2, eps = hyper
    if optimizer == "sgd":
        w[...] = w - rate * g
    elif optimizer == "momentum":
        state[0] = mu * state[0] - rate * g
        w[...] = w + state[0]
    elif optimizer == "nesterov":
        state[0] = mu * state[0] - rate * g
        w[...] = w + mu * state[0] - rate * g
    else:
        state[0] = beta1 * state[0] + (1.0 - beta1) * g
        state[1] = beta2 * state[1] + (1.0 - beta2) * g ** 2
        m_hat = state[0] / (1.0 - beta1 ** step)
        v_hat = state[1] / (1.0 - beta2 ** step)
        w[...] = w - rate * m_hat / (np.sqrt(v_hat) + eps)


def numpy_loss_and_gradients(params, functions, X, Y):
    """The MSE of the network on (X, Y) and the list of its gradients [dW1, db1, dW2, ...],
    vectorised NumPy with unit 2's activations: the formulation of units 3–5."""
    A, cache = X, []
    for (W, b), (f, _) in zip(params, functions):
        Z = A @ W + b
        cache.append((A, Z))
        A = f(Z)
    difference = A - Y
    loss = float(np.mean(difference ** 2))
    dA = 2.0 * difference / difference.size
    grads = []
    for (W, _), (_, f_grad), (A_prev, Z) in reversed(list(zip(params, functions, cache))):
        dZ = dA * f_grad(Z)
        grads[:0] = [A_prev.T @ dZ, dZ.sum(axis=0)]
        dA = dZ @ W.T
    return loss, grads


def fit_numpy(params, activations, X, Y, *, epochs, batch_size, rng, optimizer="nesterov",
              learning_rate=0.01, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8):
    """fit_numba's training in plain NumPy, one array operation at a time; same arguments,
    same draws from rng, same result to round-off."""
    params, activations, X, Y, hyper = check_training_arguments(
        "fit_numpy", params, activations, X, Y, epochs, batch_size, rng, optimizer,
        learning_rate, momentum, beta1, beta2, eps)
    params = [(W.copy(), b.copy()) for W, b in params]
    functions = [ACTIVATIONS[name] for name in activations]  # unit 2's α defaults
    arrays = [array for pair in params for array in pair]
    states = [np.zeros((2,) + array.shape) for array in arrays]
    losses = np.empty(epochs)
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        weighted_sum = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = numpy_loss_and_gradients(params, functions, X[batch], Y[batch])
            weighted_sum += len(batch) * loss
            step += 1
            for w, g, state in zip(arrays, grads, states):
                _numpy_update(optimizer, w, g, state, step, hyper)
        losses[epoch] = weighted_sum / len(X)
    _raise_if_diverged("fit_numpy", losses)
    return params, losses
