"""Unit 1 — One neuron: a weighted sum, a squashing function, and a straight line fitted two ways.

A neuron reads the d features of one sample, weighs each, adds a bias and passes the total
through an activation f:

    z = w_1·x_1 + w_2·x_2 + ... + w_d·x_d + b,        output = f(z).

A batch holds one sample per row, X of shape (n_samples, n_features), so the n weighted sums are
a single matrix-vector product: z = X @ w + b, of shape (n_samples,).

With the identity as f and one input, the neuron is the line y = w·x + b. This unit fits that line
to data twice — once in closed form (least squares) and once by gradient descent on the mean
squared error — and sees both land on the same w and b, the first experiment of "Neural networks
in pictures".

The first lines of each function (before the part you write) check the arguments and turn them
into float64 arrays, so inside your part X, w, x and y are NumPy arrays and b is a float.
"""
import numpy as np
### BEGIN SOLUTION
import numba
### END SOLUTION


def _as_array(function, name, value, axes):
    """`value` as a float64 array with one axis per name in `axes`, or a clear error."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be an array of numbers, "
                        f"got {type(value).__name__}") from None
    if array.ndim != len(axes):
        raise ValueError(f"{function}: {name} must have shape ({', '.join(axes)}"
                         f"{',' if len(axes) == 1 else ''}), got shape {array.shape}")
    return array


def _as_number(function, name, value):
    """`value` as a Python float, or a clear error if it is not one real number."""
    shown = (f"an array of shape {np.shape(value)}" if np.ndim(value) else repr(value))
    if np.ndim(value) != 0 or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{function}: {name} must be one number, got {shown}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be one number, got {shown}") from None


def _neuron_arguments(function, X, w, b):
    """Check a batch X (n_samples, n_features), weights w (n_features,) and a bias b."""
    X = _as_array(function, "X", X, ("n_samples", "n_features"))
    w = _as_array(function, "w", w, ("n_features",))
    if X.shape[1] != w.shape[0]:
        raise ValueError(f"{function}: X has {X.shape[1]} features but w has {w.shape[0]} "
                         f"weights (X has shape {X.shape}, w has shape {w.shape})")
    return X, w, _as_number(function, "b", b)


def _paired_samples(function, x, y):
    """Check two 1-D arrays of the same length: the inputs x and the targets y of n samples."""
    x = _as_array(function, "x", x, ("n_samples",))
    y = _as_array(function, "y", y, ("n_samples",))
    if x.shape != y.shape:
        raise ValueError(f"{function}: x has {x.size} samples but y has {y.size}")
    if x.size == 0:
        raise ValueError(f"{function}: x and y are empty; at least one sample is needed")
    return x, y


def neuron_forward(X, w, b):
    """The pre-activation of one neuron over a batch: z = X @ w + b.

    X: (n_samples, n_features), one sample per row.
    w: (n_features,), one weight per feature.
    b: a float, the bias, added to every sample's weighted sum.
    Returns z: (n_samples,) float64, with z[i] = Σ_j X[i, j]·w[j] + b.

    With the identity activation this is the whole linear neuron (Keras' Dense(1)).
    """
    X, w, b = _neuron_arguments("neuron_forward", X, w, b)
    ### BEGIN SOLUTION
    return X @ w + b
    ### END SOLUTION


def sigmoid_neuron(X, w, b):
    """A sigmoid neuron: p = σ(X @ w + b), shape (n_samples,), every entry in [0, 1].

    σ(z) = 1 / (1 + e^(−z)). This is logistic regression, a binary classifier: p[i] is the
    probability the neuron gives to "sample i is of class 1".

    It must not overflow for any z, however large (|z| up to 1e308): e^(−z) overflows for
    z < −709, so only ever exponentiate a number ≤ 0. For z < 0, σ(z) = e^z / (1 + e^z).
    Write the sigmoid here yourself; unit 2 comes back to it.
    """
    X, w, b = _neuron_arguments("sigmoid_neuron", X, w, b)
    ### BEGIN SOLUTION
    z = neuron_forward(X, w, b)
    e = np.exp(-np.abs(z))  # in [0, 1]: cannot overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


def least_squares_line(x, y):
    """The line y ≈ w·x + b with the least mean squared error, in closed form.

    x, y: (n_samples,). Returns (w, b) as Python floats:

        w = cov(x, y) / var(x) = Σ (x_i − x̄)(y_i − ȳ) / Σ (x_i − x̄)²
        b = ȳ − w·x̄

    (x̄, ȳ are the means.) The line passes through the point of means (x̄, ȳ). Use the same
    normalisation for the covariance and the variance, or they do not cancel.
    Do not modify x or y.
    """
    x, y = _paired_samples("least_squares_line", x, y)
    if np.all(x == x[0]):
        raise ValueError("least_squares_line: every x is the same, so no line is determined "
                         "(var(x) = 0)")
    ### BEGIN SOLUTION
    dx, dy = x - x.mean(), y - y.mean()
    w = np.sum(dx * dy) / np.sum(dx * dx)
    return float(w), float(y.mean() - w * x.mean())
    ### END SOLUTION


def neuron_mse_gradient(x, y, w, b):
    """The gradient of L(w, b) = mean((w·x + b − y)²) for a one-input linear neuron.

    x, y: (n_samples,); w, b: floats. Returns (dL/dw, dL/db) as Python floats:

        dL/dw = 2·mean((w·x + b − y)·x),        dL/db = 2·mean(w·x + b − y).

    The 2 comes from differentiating the square; the mean is the convention of Keras'
    mean_squared_error and of this kit.
    """
    x, y = _paired_samples("neuron_mse_gradient", x, y)
    w, b = _as_number("neuron_mse_gradient", "w", w), _as_number("neuron_mse_gradient", "b", b)
    ### BEGIN SOLUTION
    residual = w * x + b - y
    return float(2.0 * np.mean(residual * x)), float(2.0 * np.mean(residual))
    ### END SOLUTION


### BEGIN SOLUTION
@numba.njit(cache=True)
def _gradient_descent(x, y, learning_rate, epochs):
    """Full-batch gradient descent on mean((w·x + b − y)²) from w = b = 0, compiled by numba."""
    n = x.shape[0]
    w = 0.0
    b = 0.0
    for _ in range(epochs):
        dw = 0.0
        db = 0.0
        for i in range(n):
            residual = w * x[i] + b - y[i]
            dw += residual * x[i]
            db += residual
        w -= learning_rate * 2.0 * dw / n
        b -= learning_rate * 2.0 * db / n
    return w, b
### END SOLUTION


def train_neuron(x, y, learning_rate=0.1, epochs=1000):
    """Fit y ≈ w·x + b by full-batch gradient descent on the MSE; return (w, b) as floats.

    Start from w = b = 0. Each epoch computes both gradients at the current (w, b) over the whole
    data set (exercise 1.4), then takes one step downhill:

        w ← w − learning_rate·dL/dw,        b ← b − learning_rate·dL/db.

    Update both from gradients taken before the step, not b from a gradient at the new w.
    After `epochs` steps (none when epochs = 0) return (w, b).

    On x = np.linspace(-3, 3, 1000) the defaults reach the least-squares line: w, b = 2, 5 for
    y = 2x + 5, and w ≈ 0.68956, b = 5 for y = 2·sin(x) + 5. (The article's Keras run, 100 epochs
    of minibatch SGD, printed w = 0.6907, b = 4.9989: near the line, but minibatch noise keeps it
    from settling exactly on it.)
    """
    x, y = _paired_samples("train_neuron", x, y)
    learning_rate = _as_number("train_neuron", "learning_rate", learning_rate)
    if not learning_rate > 0:
        raise ValueError(f"train_neuron: learning_rate must be positive, got {learning_rate}")
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, np.integer)):
        raise TypeError(f"train_neuron: epochs must be a whole number, got {epochs!r}")
    if epochs < 0:
        raise ValueError(f"train_neuron: epochs must be 0 or more, got {epochs}")
    ### BEGIN SOLUTION
    w, b = _gradient_descent(x, y, learning_rate, int(epochs))
    return float(w), float(b)
    ### END SOLUTION
