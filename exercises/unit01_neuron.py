# This file is yours: fill in every `raise NotImplementedError`.
# It was generated from solutions/unit01_neuron.py by `python -m nnlings.grader.generate`.
"""Unit 1 — One neuron: a weighted sum, a squashing function, and a straight line fitted two ways.

A neuron reads the d features of one sample, weighs each, adds a bias and passes the total
through an activation f:

    z = w_1·x_1 + w_2·x_2 + ... + w_d·x_d + b,        output = f(z).

A batch holds one sample per row, X of shape (n_samples, n_features); the neuron gives one z per
sample, so over a batch z has shape (n_samples,).

With the identity as f and one input, the neuron is the line y = w·x + b. This unit fits that line
to data twice — once in closed form (least squares) and once by gradient descent on the mean
squared error — and sees both land on the same w and b, the first experiment of "Neural networks
in pictures".

The first lines of each function (before the part you write) check the arguments and turn them
into float64 arrays (the checks are in `exercises/checks.py`), so inside your part X, w, x
and y are NumPy arrays and b is a float.
"""
import numpy as np

from nnlings.exercises.checks import as_number, line_data, neuron_arguments


def neuron_forward(X, w, b):
    """The pre-activation of one neuron for every sample of a batch.

    X: (n_samples, n_features), one sample per row.
    w: (n_features,), one weight per feature.
    b: a float, the bias, added to every sample's weighted sum.
    Returns z: (n_samples,) float64, with z[i] = Σ_j X[i, j]·w[j] + b, sample i's weighted sum.

    With the identity activation this is the whole linear neuron (Keras' Dense(1)). Compute all
    n sums at once, without a Python loop over the samples.
    """
    X, w, b = neuron_arguments("neuron_forward", X, w, b)
    raise NotImplementedError(
        'Exercise 1.1 (neuron_forward) is not implemented yet. Run `nnlings hint 1.1` for a hint.'
    )


def sigmoid_neuron(X, w, b):
    """A sigmoid neuron: p = σ(z) of the pre-activation z of 1.1, shape (n_samples,), in [0, 1].

    σ(z) = 1 / (1 + e^(−z)). This is logistic regression, a binary classifier: p[i] is the
    probability the neuron gives to "sample i is of class 1".

    It must not overflow for any z, however large (|z| up to 1e308): e^(−z), written as it
    stands, overflows for z < −709, and an overflow is an error here, not a warning. Find a way
    of computing σ that only ever exponentiates a number ≤ 0. Write the sigmoid here yourself;
    unit 2 comes back to it.
    """
    X, w, b = neuron_arguments("sigmoid_neuron", X, w, b)
    raise NotImplementedError(
        'Exercise 1.2 (sigmoid_neuron) is not implemented yet. Run `nnlings hint 1.2` for a hint.'
    )


def least_squares_line(x, y):
    """The line y ≈ w·x + b with the least mean squared error, in closed form.

    x, y: (n_samples,). Returns (w, b) as Python floats: the pair that makes the mean squared
    error mean((w·x_i + b − y_i)²) as small as it can be. Setting both partial derivatives of
    that error to zero gives two linear equations in w and b; solve them on paper first (the
    answer is a well-known statistic of x and y). Do not modify x or y.
    """
    x, y = line_data("least_squares_line", x, y)
    if np.all(x == x[0]):
        raise ValueError("least_squares_line: every x is the same, so no line is determined "
                         "(var(x) = 0)")
    raise NotImplementedError(
        'Exercise 1.3 (least_squares_line) is not implemented yet. Run `nnlings hint 1.3` for a hint.'
    )


def neuron_mse_gradient(x, y, w, b):
    """The gradient of L(w, b) = mean((w·x + b − y)²) for a one-input linear neuron.

    x, y: (n_samples,); w, b: floats. Returns (∂L/∂w, ∂L/∂b) at this (w, b), as Python floats.

    Derive them yourself with the chain rule, term by term. L is a mean over the samples (the
    convention of Keras' mean_squared_error and of this kit), not a sum, and the residual of
    sample i is the prediction minus the target, w·x_i + b − y_i.
    """
    x, y = line_data("neuron_mse_gradient", x, y)
    w, b = as_number("neuron_mse_gradient", "w", w), as_number("neuron_mse_gradient", "b", b)
    raise NotImplementedError(
        'Exercise 1.4 (neuron_mse_gradient) is not implemented yet. Run `nnlings hint 1.4` for a hint.'
    )


def train_neuron(x, y, learning_rate=0.1, epochs=1000):
    """Fit y ≈ w·x + b by full-batch gradient descent on the MSE; return (w, b) as floats.

    Start from w = b = 0. Each epoch computes both gradients at the current (w, b) over the whole
    data set (exercise 1.4), then takes one gradient-descent step of size learning_rate with
    both. Both parameters move from gradients taken before the step, not b from a gradient at
    the new w. After `epochs` steps (none when epochs = 0) return (w, b).

    On x = np.linspace(-3, 3, 1000) the defaults reach the least-squares line: w, b = 2, 5 for
    y = 2x + 5, and w ≈ 0.68956, b = 5 for y = 2·sin(x) + 5. (The article's Keras run, 100 epochs
    of minibatch SGD, printed w = 0.6907, b = 4.9989: near the line, but minibatch noise keeps it
    from settling exactly on it.)
    """
    x, y = line_data("train_neuron", x, y)
    learning_rate = as_number("train_neuron", "learning_rate", learning_rate)
    if not learning_rate > 0:
        raise ValueError(f"train_neuron: learning_rate must be positive, got {learning_rate}")
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, np.integer)):
        raise TypeError(f"train_neuron: epochs must be a whole number, got {epochs!r}")
    if epochs < 0:
        raise ValueError(f"train_neuron: epochs must be 0 or more, got {epochs}")
    raise NotImplementedError(
        'Exercise 1.5 (train_neuron) is not implemented yet. Run `nnlings hint 1.5` for a hint.'
    )
