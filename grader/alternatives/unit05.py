"""Unit 5 right answers: backward passes, central differences, the gradient check, XOR by hand."""
import itertools

import numpy as np

from . import Alternative


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# 5.1 dense_backward -----------------------------------------------------------------------------

def _dense_backward_einsum(dZ, X, W):
    return (np.einsum("ik,jk->ij", dZ, W), np.einsum("ij,ik->jk", X, dZ),
            np.einsum("ik->k", dZ))


def _dense_backward_dot(dZ, X, W):
    return np.dot(dZ, W.T), np.dot(X.T, dZ), np.sum(dZ, axis=0)


def _dense_backward_per_sample(dZ, X, W):
    dW = np.zeros(W.shape)
    db = np.zeros(W.shape[1])
    for x, dz in zip(X, dZ):
        dW += np.outer(x, dz)
        db += dz
    return dZ @ W.T, dW, db


# 5.2 activation_backward ------------------------------------------------------------------------

def _activation_backward_multiply(dA, Z, activation_grad):
    return np.multiply(dA, activation_grad(Z))


def _activation_backward_in_place_on_a_copy(dA, Z, activation_grad):
    dZ = np.array(dA, dtype=np.float64)
    dZ *= activation_grad(Z)
    return dZ


def _activation_backward_grad_first(dA, Z, activation_grad):
    return activation_grad(Z) * dA


# 5.3 mlp_backward -------------------------------------------------------------------------------

def _mlp_backward_reversed_list(d_output, cache, params, activation_grads):
    grads, dA = [], d_output
    for (A_prev, Z), (W, _), grad in reversed(list(zip(cache, params, activation_grads))):
        dZ = dA * grad(Z)
        grads.append((A_prev.T @ dZ, dZ.sum(axis=0)))
        dA = dZ @ W.T
    return grads[::-1]


def _mlp_backward_indices(d_output, cache, params, activation_grads):
    n_layers = len(params)
    grads = [None] * n_layers
    dA = d_output
    for layer in range(n_layers - 1, -1, -1):
        A_prev, Z = cache[layer]
        dZ = np.multiply(dA, activation_grads[layer](Z))
        grads[layer] = (np.dot(A_prev.T, dZ), np.sum(dZ, axis=0))
        dA = np.dot(dZ, params[layer][0].T)
    return grads


def _mlp_backward_recursive(d_output, cache, params, activation_grads):
    if not params:
        return []
    A_prev, Z = cache[-1]
    dZ = d_output * activation_grads[-1](Z)
    below = _mlp_backward_recursive(dZ @ params[-1][0].T, cache[:-1], params[:-1],
                                    activation_grads[:-1])
    return below + [(np.einsum("ij,ik->jk", A_prev, dZ), dZ.sum(axis=0))]


# 5.4 numerical_gradient -------------------------------------------------------------------------

def _numerical_gradient_nditer(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    iterator = np.nditer(x, flags=["multi_index"])
    for _ in iterator:
        index = iterator.multi_index
        original = float(x[index])
        x[index] = original + h
        plus = f(x)
        x[index] = original - h
        minus = f(x)
        x[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad


def _numerical_gradient_product(f, x, h=1e-5):
    grad = np.empty(x.shape)
    for index in itertools.product(*(range(n) for n in x.shape)):
        saved = x[index].copy()
        x[index] = saved + h
        plus = f(x)
        x[index] = saved - h
        minus = f(x)
        x[index] = saved
        grad[index] = (plus - minus) / h / 2.0
    return grad


def _numerical_gradient_unravel(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for flat in range(x.size):
        index = np.unravel_index(flat, x.shape)
        saved = x[index]
        x[index] = saved + h
        plus = f(x)
        x[index] = saved - h
        minus = f(x)
        x[index] = saved
        grad[index] = (plus - minus) / (2.0 * h)
    return grad


# 5.5 relative_error -----------------------------------------------------------------------------

def _relative_error_divide(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def _relative_error_loop(a, b):
    worst = 0.0
    for x, y in zip(np.ravel(a), np.ravel(b)):
        worst = max(worst, abs(x - y) / max(abs(x) + abs(y), 1e-12))
    return float(worst)


def _relative_error_floor_by_where(a, b):
    scale = np.abs(a) + np.abs(b)
    scale = np.where(scale < 1e-12, 1e-12, scale)
    return float((np.abs(a - b) / scale).max())


# 5.6 xor_loss_and_grads -------------------------------------------------------------------------

def _xor_tanh_sigmoid(params, X, Y, lam):
    W1, b1, W2, b2 = params
    n = len(X)
    h1 = _sigmoid(X @ W1 + b1)
    h2 = _sigmoid(h1 @ W2 + b2)
    loss = np.sum((h2 - Y) ** 2) / (2 * n) + lam / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    d_z2 = (h2 - Y) * h2 * (1 - h2) / n
    d_z1 = (d_z2 @ W2.T) * h1 * (1 - h1)
    return float(loss), (X.T @ d_z1 + lam * W1, d_z1.sum(axis=0),
                         h1.T @ d_z2 + lam * W2, d_z2.sum(axis=0))


def _xor_einsum_mean_of_sums(params, X, Y, lam):
    W1, b1, W2, b2 = params
    z1 = np.einsum("ij,jk->ik", X, W1) + b1
    h1 = np.exp(-np.logaddexp(0.0, -z1))
    z2 = np.einsum("ij,jk->ik", h1, W2) + b2
    h2 = np.exp(-np.logaddexp(0.0, -z2))
    loss = 0.5 * np.mean(np.sum((h2 - Y) ** 2, axis=1)) + 0.5 * lam * (np.vdot(W1, W1)
                                                                         + np.vdot(W2, W2))
    delta2 = (h2 - Y) / X.shape[0] * (h2 - h2 ** 2)
    delta1 = np.einsum("ik,jk->ij", delta2, W2) * (h1 - h1 ** 2)
    dW2 = np.einsum("ij,ik->jk", h1, delta2) + lam * W2
    dW1 = np.einsum("ij,ik->jk", X, delta1) + lam * W1
    return float(loss), (dW1, delta1.sum(axis=0), dW2, delta2.sum(axis=0))


def _xor_per_sample_loop(params, X, Y, lam):
    W1, b1, W2, b2 = params
    n = X.shape[0]
    loss = 0.5 * lam * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
    dW1, db1, dW2, db2 = lam * W1, np.zeros_like(b1), lam * W2, np.zeros_like(b2)
    for x, y in zip(X, Y):
        h1 = _sigmoid(x @ W1 + b1)
        h2 = _sigmoid(h1 @ W2 + b2)
        loss += 0.5 * np.sum((h2 - y) ** 2) / n
        d_z2 = (h2 - y) * h2 * (1 - h2) / n
        d_z1 = (W2 @ d_z2) * h1 * (1 - h1)
        dW2 += np.outer(h1, d_z2)
        db2 += d_z2
        dW1 += np.outer(x, d_z1)
        db1 += d_z1
    return float(loss), (dW1, db1, dW2, db2)


ALTERNATIVES = [
    Alternative("5.1", "dense_backward", "np.einsum", _dense_backward_einsum),
    Alternative("5.1", "dense_backward", "np.dot", _dense_backward_dot),
    Alternative("5.1", "dense_backward", "outer products per sample", _dense_backward_per_sample),
    Alternative("5.2", "activation_backward", "np.multiply", _activation_backward_multiply),
    Alternative("5.2", "activation_backward", "*= on a copy",
                _activation_backward_in_place_on_a_copy),
    Alternative("5.2", "activation_backward", "f'(Z) first", _activation_backward_grad_first),
    Alternative("5.3", "mlp_backward", "a reversed list, written out",
                _mlp_backward_reversed_list),
    Alternative("5.3", "mlp_backward", "indices counting down", _mlp_backward_indices),
    Alternative("5.3", "mlp_backward", "recursion from the last layer", _mlp_backward_recursive),
    Alternative("5.4", "numerical_gradient", "np.nditer", _numerical_gradient_nditer),
    Alternative("5.4", "numerical_gradient", "itertools.product", _numerical_gradient_product),
    Alternative("5.4", "numerical_gradient", "np.unravel_index", _numerical_gradient_unravel),
    Alternative("5.5", "relative_error", "vectorised", _relative_error_divide),
    Alternative("5.5", "relative_error", "a loop", _relative_error_loop),
    Alternative("5.5", "relative_error", "the floor by np.where", _relative_error_floor_by_where),
    Alternative("5.6", "xor_loss_and_grads", "a tanh sigmoid", _xor_tanh_sigmoid),
    Alternative("5.6", "xor_loss_and_grads", "einsum and logaddexp", _xor_einsum_mean_of_sums),
    Alternative("5.6", "xor_loss_and_grads", "a loop over samples", _xor_per_sample_loop),
]
