"""Seeded 2-D classification data: XOR, the CS231n spiral, blobs, moons and circles.

Every generator takes a `numpy.random.Generator` and returns (X, y): X float64 of shape
(n_samples, 2), y int64 class labels 0..k-1. Same generator state, same data.
"""
import numpy as np


def _check_count(name, n, minimum=1):
    if not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")


def xor_points():
    """The four corners of the XOR truth table: X (4, 2), y = x1 XOR x2."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


def noisy_xor(n_samples, rng, noise=0.1):
    """XOR as clouds: points uniform in [-1, 1]², label 1 where x1·x2 < 0, jittered by `noise`."""
    _check_count("n_samples", n_samples)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return X + rng.normal(0.0, noise, size=X.shape), y


def spiral(n_per_class, rng, n_classes=3, noise=0.2):
    """CS231n's spiral: `n_classes` arms, each with radius rising from 0 to 1 while the angle
    turns by 4 radians, the angle jittered by `noise`."""
    _check_count("n_per_class", n_per_class)
    _check_count("n_classes", n_classes, 2)
    X, y = [], []
    for k in range(n_classes):
        radius = np.linspace(0.0, 1.0, n_per_class)
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), n_per_class) + rng.normal(0, noise, n_per_class)
        X.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        y.append(np.full(n_per_class, k))
    return np.concatenate(X), np.concatenate(y).astype(np.int64)


def blobs(n_per_class, rng, centers=((-2.0, 0.0), (2.0, 0.0)), std=1.0):
    """Gaussian clouds of standard deviation `std` around each of `centers`."""
    _check_count("n_per_class", n_per_class)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (k, 2), got {centers.shape}")
    X = np.concatenate([c + rng.normal(0.0, std, (n_per_class, 2)) for c in centers])
    return X, np.repeat(np.arange(len(centers)), n_per_class).astype(np.int64)


def moons(n_per_class, rng, noise=0.1):
    """Two interleaved half circles of radius 1: the upper one centred at (0, 0), the lower at
    (1, 0.5) flipped, each point jittered by Gaussian `noise`."""
    _check_count("n_per_class", n_per_class)
    t = np.linspace(0.0, np.pi, n_per_class)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.concatenate([upper, lower]) + rng.normal(0.0, noise, (2 * n_per_class, 2))
    return X, np.repeat([0, 1], n_per_class).astype(np.int64)


def circles(n_per_class, rng, factor=0.5, noise=0.05):
    """Two concentric circles: radius 1 (class 0) and radius `factor` (class 1), jittered."""
    _check_count("n_per_class", n_per_class)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must lie in (0, 1), got {factor}")
    t = rng.uniform(0.0, 2.0 * np.pi, 2 * n_per_class)
    radius = np.repeat([1.0, factor], n_per_class)
    X = np.column_stack([radius * np.cos(t), radius * np.sin(t)])
    return X + rng.normal(0.0, noise, X.shape), np.repeat([0, 1], n_per_class).astype(np.int64)


def one_hot(y, n_classes=None):
    """Integer labels (n,) as rows of a one-hot matrix (n, n_classes)."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or (y.size and y.min() < 0):
        raise ValueError(f"one_hot expects a 1-D array of non-negative integer labels, got {y!r}")
    n_classes = int(y.max()) + 1 if n_classes is None else n_classes
    if y.size and y.max() >= n_classes:
        raise ValueError(f"label {y.max()} does not fit in {n_classes} classes")
    return np.eye(n_classes)[y]
