"""The 1-D regression targets of "Neural networks in pictures".

The article approximates functions R → R on 1000 evenly spaced points of [-3, 3]:

* ``linear``: y = 2x + 5, which one linear neuron fits exactly;
* ``sine``: y = 2 sin x + 5, which one linear neuron can only fit with its least-squares line;
* ``piecewise``: f(x) = x·sin(2πx) for x < 0 and −x·sin(πx) + e^(x/2) − 1 for x ≥ 0, the hard
  target that separates ReLU, tanh and initialization choices.

One published copy of the article's notebook selects the branch with ``np.any(x) < 0``, which is
always False, so it silently trains on the x ≥ 0 formula everywhere. This kit uses the intended
piecewise function, branch by branch.
"""
import numpy as np

LOW, HIGH, N_POINTS = -3.0, 3.0, 1000


def grid(n_points: int = N_POINTS, low: float = LOW, high: float = HIGH) -> np.ndarray:
    """`n_points` evenly spaced inputs on [low, high] as a column, shape (n_points, 1)."""
    if n_points < 2:
        raise ValueError(f"grid needs at least 2 points, got {n_points}")
    if not low < high:
        raise ValueError(f"grid needs low < high, got low={low}, high={high}")
    return np.linspace(low, high, n_points).reshape(-1, 1)


def linear(x):
    """y = 2x + 5."""
    return 2.0 * np.asarray(x, dtype=np.float64) + 5.0


def sine(x):
    """y = 2 sin(x) + 5."""
    return 2.0 * np.sin(np.asarray(x, dtype=np.float64)) + 5.0


def piecewise(x):
    """x·sin(2πx) for x < 0; −x·sin(πx) + e^(x/2) − 1 for x ≥ 0 (continuous at 0, value 0)."""
    x = np.asarray(x, dtype=np.float64)
    left = x * np.sin(2.0 * np.pi * x)
    right = -x * np.sin(np.pi * x) + np.exp(x / 2.0) - 1.0
    return np.where(x < 0, left, right)


TARGETS = {"linear": linear, "sine": sine, "piecewise": piecewise}
