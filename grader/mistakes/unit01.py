"""Unit 1 mistakes: one neuron's forward pass, the least-squares line and gradient descent."""
import numpy as np

from . import Mistake


def _forward_without_bias(X, w, b):
    return X @ w


def _forward_as_column(X, w, b):
    return X @ w.reshape(-1, 1) + b


def _forward_summed_over_samples(X, w, b):
    return np.sum(X * w, axis=0) + b


def _naive_sigmoid_neuron(X, w, b):
    return 1.0 / (1.0 + np.exp(-(X @ w + b)))


def _sigmoid_neuron_sign_flipped(X, w, b):
    z = X @ w + b
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


def _sigmoid_neuron_without_bias(X, w, b):
    z = X @ w
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_neuron_returns_z(X, w, b):
    return X @ w + b


def _line_through_origin(x, y):
    w = np.sum(x * y) / np.sum(x * x)
    return float(w), float(np.mean(y) - w * np.mean(x))


def _line_cov_over_var(x, y):
    w = np.cov(x, y)[0, 1] / np.var(x)
    return float(w), float(np.mean(y) - w * np.mean(x))


def _line_intercept_sign(x, y):
    dx, dy = x - x.mean(), y - y.mean()
    w = np.sum(dx * dy) / np.sum(dx * dx)
    return float(w), float(np.mean(y) + w * np.mean(x))


def _line_divides_by_var_y(x, y):
    dx, dy = x - x.mean(), y - y.mean()
    w = np.sum(dx * dy) / np.sum(dy * dy)
    return float(w), float(np.mean(y) - w * np.mean(x))


def _line_centres_in_place(x, y):
    x -= x.mean()
    dy = y - y.mean()
    w = np.sum(x * dy) / np.sum(x * x)
    return float(w), float(np.mean(y) - w * np.mean(x))


def _gradient_without_two(x, y, w, b):
    r = w * x + b - y
    return float(np.mean(r * x)), float(np.mean(r))


def _gradient_sign_flipped(x, y, w, b):
    r = y - (w * x + b)
    return float(2.0 * np.mean(r * x)), float(2.0 * np.mean(r))


def _gradient_summed(x, y, w, b):
    r = w * x + b - y
    return float(2.0 * np.sum(r * x)), float(2.0 * np.sum(r))


def _gradient_w_without_x(x, y, w, b):
    r = w * x + b - y
    return float(2.0 * np.mean(r)), float(2.0 * np.mean(r))


def _gradient_product_of_means(x, y, w, b):
    r = w * x + b - y
    return float(2.0 * np.mean(r) * np.mean(x)), float(2.0 * np.mean(r))


def _gradient_swapped(x, y, w, b):
    r = w * x + b - y
    return float(2.0 * np.mean(r)), float(2.0 * np.mean(r * x))


def _mse_gradient(x, y, w, b):
    r = w * x + b - y
    return 2.0 * np.mean(r * x), 2.0 * np.mean(r)


def _train_b_from_moved_w(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    for _ in range(epochs):
        w -= learning_rate * _mse_gradient(x, y, w, b)[0]
        b -= learning_rate * _mse_gradient(x, y, w, b)[1]
    return float(w), float(b)


def _train_without_two(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    for _ in range(epochs):
        dw, db = _mse_gradient(x, y, w, b)
        w, b = w - learning_rate * dw / 2.0, b - learning_rate * db / 2.0
    return float(w), float(b)


def _train_uphill(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    for _ in range(epochs):
        dw, db = _mse_gradient(x, y, w, b)
        w, b = w + learning_rate * dw, b + learning_rate * db
    return float(w), float(b)


def _train_one_epoch_too_many(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    for _ in range(epochs + 1):
        dw, db = _mse_gradient(x, y, w, b)
        w, b = w - learning_rate * dw, b - learning_rate * db
    return float(w), float(b)


def _train_fixed_learning_rate(x, y, learning_rate=0.1, epochs=1000):
    w = b = 0.0
    for _ in range(epochs):
        dw, db = _mse_gradient(x, y, w, b)
        w, b = w - 0.1 * dw, b - 0.1 * db
    return float(w), float(b)


def _train_from_one(x, y, learning_rate=0.1, epochs=1000):
    w = b = 1.0
    for _ in range(epochs):
        dw, db = _mse_gradient(x, y, w, b)
        w, b = w - learning_rate * dw, b - learning_rate * db
    return float(w), float(b)


MISTAKES = (
    Mistake("1.1", "neuron_forward", "the bias is left out",
            "z = X @ w + b: every weighted sum gets the bias added.", 1, _forward_without_bias),
    Mistake("1.1", "neuron_forward", "a column of shape (n, 1) instead of (n,)",
            "X @ w with w of shape (d,) already gives one number per sample, shape (n,); "
            "there is no need to make w a column.", 2, _forward_as_column),
    Mistake("1.1", "neuron_forward", "X * w summed over the samples (axis 0)",
            "Each sample is a row: sum the products along a row (axis=1), or simply use X @ w.",
            2, _forward_summed_over_samples),
    Mistake("1.2", "sigmoid_neuron", "1 / (1 + exp(-z)) overflows",
            "np.exp(-z) overflows for z < -709; exponentiate only -|z| and pick the form "
            "of σ that suits the sign of z.", 2, _naive_sigmoid_neuron),
    Mistake("1.2", "sigmoid_neuron", "the two branches of the stable sigmoid swapped",
            "For z ≥ 0, σ(z) = 1 / (1 + e^(−|z|)), which is at least 1/2; for z < 0 it is "
            "e^(−|z|) / (1 + e^(−|z|)).", 2, _sigmoid_neuron_sign_flipped),
    Mistake("1.2", "sigmoid_neuron", "the bias is left out",
            "The sigmoid squashes z = X @ w + b, bias included.", 1,
            _sigmoid_neuron_without_bias),
    Mistake("1.2", "sigmoid_neuron", "returns z without the sigmoid",
            "A sigmoid neuron's output is σ(z), a probability in [0, 1].", 1,
            _sigmoid_neuron_returns_z),
    Mistake("1.3", "least_squares_line", "slope Σxy / Σx² without centring",
            "That is the best line through the origin. Subtract the means first: "
            "w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)².", 2, _line_through_origin),
    Mistake("1.3", "least_squares_line", "np.cov (divides by n − 1) over np.var (divides by n)",
            "The two normalisations do not cancel, so w is off by n / (n − 1). Use the same "
            "one for both, e.g. np.var(x, ddof=1), or sums of centred products.", 2,
            _line_cov_over_var),
    Mistake("1.3", "least_squares_line", "b = ȳ + w·x̄",
            "The line passes through (x̄, ȳ): ȳ = w·x̄ + b, so b = ȳ − w·x̄.", 2,
            _line_intercept_sign),
    Mistake("1.3", "least_squares_line", "divides by the spread of y instead of x",
            "The slope is cov(x, y) / var(x): the denominator is the variance of the inputs.",
            2, _line_divides_by_var_y),
    Mistake("1.3", "least_squares_line", "x -= x.mean() changes the caller's x",
            "Centre into a new variable (dx = x - x.mean()); the caller still needs x.", 2,
            _line_centres_in_place,
            says='least_squares_line changed an array it was given'),
    Mistake("1.4", "neuron_mse_gradient", "the factor 2 is missing",
            "d(r²)/dr = 2r: that is the gradient of half the MSE, not of the MSE.", 2,
            _gradient_without_two),
    Mistake("1.4", "neuron_mse_gradient", "residual taken as target − prediction",
            "With r = y − (w·x + b) the gradient points uphill: use r = w·x + b − y.", 2,
            _gradient_sign_flipped),
    Mistake("1.4", "neuron_mse_gradient", "sum over the samples instead of the mean",
            "L is the mean of the squared residuals, so its gradient is a mean too.", 2,
            _gradient_summed),
    Mistake("1.4", "neuron_mse_gradient", "dL/dw without the factor x",
            "By the chain rule d(w·x + b − y)/dw = x, so dL/dw = 2·mean(r·x).", 2,
            _gradient_w_without_x),
    Mistake("1.4", "neuron_mse_gradient", "mean(r)·mean(x) instead of mean(r·x)",
            "The mean of a product is not the product of the means: multiply each residual "
            "by its own x_i, then average.", 2, _gradient_product_of_means),
    Mistake("1.4", "neuron_mse_gradient", "returns (dL/db, dL/dw)",
            "Return the two partial derivatives in the order of the parameters: (dL/dw, dL/db).",
            1, _gradient_swapped,
            says='returned the right numbers in the wrong order'),
    Mistake("1.5", "train_neuron", "b's gradient taken after w has moved",
            "Compute both gradients at the same (w, b), then update both.", 2,
            _train_b_from_moved_w),
    Mistake("1.5", "train_neuron", "steps along the gradient of half the MSE",
            "The step is learning_rate times the gradient of the MSE itself, with its factor 2 "
            "(as neuron_mse_gradient returns it).", 2, _train_without_two),
    Mistake("1.5", "train_neuron", "steps uphill: w + learning_rate·dL/dw",
            "The gradient points to where the loss grows; subtract it.", 1, _train_uphill),
    Mistake("1.5", "train_neuron", "one epoch too many",
            "`for _ in range(epochs)` takes exactly `epochs` steps.", 1,
            _train_one_epoch_too_many),
    Mistake("1.5", "train_neuron", "learning rate hard-coded to 0.1",
            "Use the learning_rate argument the caller passes.", 2, _train_fixed_learning_rate),
    Mistake("1.5", "train_neuron", "starts from w = b = 1",
            "Gradient descent here starts from w = b = 0.", 1, _train_from_one),
)
