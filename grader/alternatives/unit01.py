"""Unit 1 right answers: the neuron's product, a sigmoid that never overflows, the line two ways."""
import math

import numpy as np

from . import Alternative


# 1.1 neuron_forward -----------------------------------------------------------------------------

def _forward_einsum(X, w, b):
    return np.einsum("ij,j->i", X, w) + b


def _forward_dot(X, w, b):
    return np.dot(X, w) + b


def _forward_row_loop(X, w, b):
    z = np.zeros(X.shape[0])
    for i in range(X.shape[0]):
        z[i] = np.sum(X[i] * w) + b
    return z


def _forward_broadcast_sum(X, w, b):
    return (X * w).sum(axis=1) + b


# 1.2 sigmoid_neuron ------------------------------------------------------------------------------

def _sigmoid_neuron_tanh(X, w, b):
    return 0.5 * (1.0 + np.tanh(0.5 * (X @ w + b)))


def _sigmoid_neuron_logaddexp(X, w, b):
    return np.exp(-np.logaddexp(0.0, -(X @ w + b)))


def _sigmoid_neuron_masks(X, w, b):
    z = np.matmul(X, w) + b
    p = np.empty_like(z)
    positive = z >= 0
    p[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    p[~positive] = e / (1.0 + e)
    return p


def _sigmoid_neuron_math_loop(X, w, b):
    p = []
    for row in X:
        z = float(row @ w) + b
        p.append(1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z)))
    return np.array(p)


# 1.3 least_squares_line --------------------------------------------------------------------------

def _line_population_cov_over_var(x, y):
    w = np.mean((x - x.mean()) * (y - y.mean())) / np.var(x)
    return float(w), float(y.mean() - w * x.mean())


def _line_normal_equations(x, y):
    A = np.column_stack([x, np.ones_like(x)])
    w, b = np.linalg.solve(A.T @ A, A.T @ y)
    return float(w), float(b)


def _line_lstsq(x, y):
    (w, b), *_ = np.linalg.lstsq(np.stack([x, np.ones(len(x))], axis=1), y, rcond=None)
    return float(w), float(b)


def _line_sample_cov(x, y):
    covariance = np.cov(x, y)  # both with n − 1: the normalisations cancel
    w = covariance[0, 1] / covariance[0, 0]
    return float(w), float(np.mean(y) - w * np.mean(x))


# 1.4 neuron_mse_gradient -------------------------------------------------------------------------

def _gradient_dot(x, y, w, b):
    r = w * x + b - y
    n = len(x)
    return float(2.0 * np.dot(r, x) / n), float(2.0 * np.sum(r) / n)


def _gradient_loop(x, y, w, b):
    dw = db = 0.0
    for xi, yi in zip(x, y):
        r = w * xi + b - yi
        dw += 2.0 * r * xi
        db += 2.0 * r
    return float(dw / len(x)), float(db / len(x))


def _gradient_expanded(x, y, w, b):
    # mean((w x + b − y)·x) written out term by term
    return (float(2.0 * (w * np.mean(x * x) + b * np.mean(x) - np.mean(x * y))),
            float(2.0 * (w * np.mean(x) + b - np.mean(y))))


# 1.5 train_neuron --------------------------------------------------------------------------------

def _train_vectorised(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    for _ in range(epochs):
        r = w * x + b - y
        dw, db = 2.0 * np.mean(r * x), 2.0 * np.mean(r)
        w, b = w - learning_rate * dw, b - learning_rate * db
    return float(w), float(b)


def _train_parameter_vector(x, y, learning_rate=0.1, epochs=1000):
    A = np.column_stack([x, np.ones_like(x)])
    theta = np.zeros(2)
    for _ in range(epochs):
        theta -= learning_rate * 2.0 * A.T @ (A @ theta - y) / len(x)
    return float(theta[0]), float(theta[1])


def _train_python_loops(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    n = len(x)
    for _ in range(epochs):
        dw = db = 0.0
        for xi, yi in zip(x.tolist(), y.tolist()):
            r = w * xi + b - yi
            dw += r * xi
            db += r
        w -= learning_rate * 2.0 * dw / n
        b -= learning_rate * 2.0 * db / n
    return w, b


ALTERNATIVES = [
    Alternative("1.1", "neuron_forward", "np.einsum", _forward_einsum),
    Alternative("1.1", "neuron_forward", "np.dot", _forward_dot),
    Alternative("1.1", "neuron_forward", "a loop over the rows", _forward_row_loop),
    Alternative("1.1", "neuron_forward", "broadcast product summed", _forward_broadcast_sum),
    Alternative("1.2", "sigmoid_neuron", "0.5·(1 + tanh(z/2))", _sigmoid_neuron_tanh),
    Alternative("1.2", "sigmoid_neuron", "exp(−logaddexp(0, −z))", _sigmoid_neuron_logaddexp),
    Alternative("1.2", "sigmoid_neuron", "boolean masks", _sigmoid_neuron_masks),
    Alternative("1.2", "sigmoid_neuron", "math.exp per sample", _sigmoid_neuron_math_loop),
    Alternative("1.3", "least_squares_line", "population cov / np.var",
                _line_population_cov_over_var),
    Alternative("1.3", "least_squares_line", "normal equations", _line_normal_equations),
    Alternative("1.3", "least_squares_line", "np.linalg.lstsq", _line_lstsq),
    Alternative("1.3", "least_squares_line", "np.cov both ways", _line_sample_cov),
    Alternative("1.4", "neuron_mse_gradient", "np.dot over n", _gradient_dot),
    Alternative("1.4", "neuron_mse_gradient", "a loop over samples", _gradient_loop),
    Alternative("1.4", "neuron_mse_gradient", "expanded moments", _gradient_expanded),
    Alternative("1.5", "train_neuron", "vectorised steps", _train_vectorised),
    Alternative("1.5", "train_neuron", "a parameter vector θ", _train_parameter_vector),
    Alternative("1.5", "train_neuron", "Python loops", _train_python_loops),
]
