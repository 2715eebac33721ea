# This file is yours: fill in every `raise NotImplementedError`.
# It was generated from solutions/unit04_losses.py by `python -m nnlings.grader.generate`.
"""Unit 4 — Losses: one number that says how wrong the network is, and its gradient.

A loss compares a batch of predictions with their targets and returns a single Python float;
training lowers it. Each loss ``L`` comes with ``L_grad``, the gradient dL/d(first argument):
an array of the same shape as the predictions, the signal that backpropagation (unit 5) carries
back through the network.

Every loss here is a mean over the batch, so a batch twice as large does not give a loss twice
as large, and every gradient carries the matching factor 1/N. The helpers at the top of this
file are given: they check the arguments and turn them into float64 arrays, so that a wrong
shape fails with a message saying what was expected. Never modify an argument in place.
"""
import numpy as np

# The clipping bound of binary_cross_entropy: p is kept in [EPSILON, 1 - EPSILON], so that
# log(p) and log(1 - p) are at most -ln(1e-12) ≈ 27.6 in size, never infinite.
EPSILON = 1e-12


# Given: argument checks -----------------------------------------------------------------------

def _matching_arrays(function, first, second, names):
    """`first` and `second` as float64 arrays of one and the same, non-empty shape."""
    a = np.asarray(first, dtype=np.float64)
    b = np.asarray(second, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"{function}: {names[0]} has shape {a.shape} but {names[1]} has shape {b.shape}; "
            "they must have the same shape, one target per prediction (an (n, 1) array "
            "against an (n,) one would silently broadcast to (n, n)).")
    if a.size == 0:
        raise ValueError(f"{function}: {names[0]} is empty; a loss needs at least one value.")
    return a, b


def _check_between(function, name, values, low, high, advice):
    """Raise a ValueError naming the offending range if `values` leave [low, high]."""
    if np.any(values < low) or np.any(values > high):
        raise ValueError(
            f"{function}: {name} must lie in [{low:g}, {high:g}], got values from "
            f"{np.min(values):.6g} to {np.max(values):.6g}. {advice}")


def _probabilities_and_labels(function, p, y):
    p, y = _matching_arrays(function, p, y, ("p", "y"))
    _check_between(function, "p", p, 0.0, 1.0,
                   "Probabilities come out of a sigmoid; for raw scores (logits) use "
                   "binary_cross_entropy_with_logits.")
    _check_between(function, "y", y, 0.0, 1.0, "Labels are 0 or 1 (not -1 and +1).")
    return p, y


def _logits_and_labels(function, z, y):
    z, y = _matching_arrays(function, z, y, ("z", "y"))
    _check_between(function, "y", y, 0.0, 1.0, "Labels are 0 or 1 (not -1 and +1).")
    return z, y


def _logit_matrix(function, Z):
    """`Z` as a float64 array of shape (n_samples, n_classes)."""
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.size == 0:
        raise ValueError(
            f"{function}: Z must be a non-empty 2-D array of logits, shape (n_samples, "
            f"n_classes), got shape {Z.shape}. For one sample use Z[np.newaxis, :].")
    return Z


def _class_indices(function, labels, Z):
    """`labels` as an integer array of shape (n_samples,), each a valid column of `Z`."""
    labels = np.asarray(labels)
    n, k = Z.shape
    if labels.shape != (n,):
        advice = (" If they are one-hot rows, use labels.argmax(axis=1)."
                  if labels.shape == Z.shape else "")
        raise ValueError(
            f"{function}: labels must have shape ({n},), one class index per row of Z "
            f"(Z has shape {Z.shape}), got shape {labels.shape}.{advice}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{function}: labels must be integer class indices, got dtype {labels.dtype}. "
            "If they hold whole numbers, convert them with labels.astype(int).")
    if np.any(labels < 0) or np.any(labels >= k):
        raise ValueError(
            f"{function}: labels must lie in 0..{k - 1} (Z has {k} classes), got values "
            f"from {labels.min()} to {labels.max()}.")
    return labels


def _scores_and_signs(function, scores, y):
    scores, y = _matching_arrays(function, scores, y, ("scores", "y"))
    if scores.ndim != 1:
        raise ValueError(f"{function}: scores must have shape (n,), one score per sample, "
                         f"got shape {scores.shape}.")
    if not np.all(np.abs(y) == 1.0):
        raise ValueError(
            f"{function}: y must hold the labels -1 and +1, got values "
            f"{np.unique(y)[:5].tolist()}. Turn 0/1 labels into -1/+1 with 2 * y - 1.")
    return scores, y


def _weight_list(function, weights, lam):
    """`weights` as a list of float64 arrays and `lam` as a non-negative float."""
    if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)):
        shown = (f"a single array of shape {weights.shape}" if isinstance(weights, np.ndarray)
                 else type(weights).__name__)
        raise TypeError(f"{function}: weights must be a list of arrays such as [W1, W2], got "
                        f"{shown}. For one matrix pass [W].")
    lam = float(lam)
    if lam < 0:
        raise ValueError(f"{function}: lam must be >= 0, got {lam}.")
    return [np.asarray(W, dtype=np.float64) for W in weights], lam


# 4.1 Mean squared error -----------------------------------------------------------------------

def mse(y_pred, y_true):
    """Mean squared error: L = (1/N) Σ (ŷ − y)², the mean over ALL N entries.

    With a batch of n samples and m outputs each, N = n·m: the mean runs over outputs as well
    as over samples, as Keras' ``mean_squared_error`` and PyTorch's ``MSELoss`` compute it.
    Returns a Python float.
    """
    y_pred, y_true = _matching_arrays("mse", y_pred, y_true, ("y_pred", "y_true"))
    raise NotImplementedError(
        'Exercise 4.1 (mse) is not implemented yet. Run `nnlings hint 4.1` for a hint.'
    )


def mse_grad(y_pred, y_true):
    """dL/dŷ = 2(ŷ − y) / N, with N the total number of entries; shape of y_pred."""
    y_pred, y_true = _matching_arrays("mse_grad", y_pred, y_true, ("y_pred", "y_true"))
    raise NotImplementedError(
        'Exercise 4.1 (mse_grad) is not implemented yet. Run `nnlings hint 4.1` for a hint.'
    )


# 4.2 Binary cross-entropy from probabilities --------------------------------------------------

def binary_cross_entropy(p, y):
    """L = −(1/N) Σ [y·log p + (1 − y)·log(1 − p)], the mean over all N entries.

    ``p`` holds predicted probabilities of class 1 (a sigmoid's output), ``y`` the labels 0 or 1.
    A confident wrong answer (p = 0 where y = 1) would cost log(0) = −∞, so p is first clipped
    to [EPSILON, 1 − EPSILON] with EPSILON = 1e-12: the loss of one entry is then at most
    −ln(1e-12) ≈ 27.63, and it is always finite. Returns a Python float.
    """
    p, y = _probabilities_and_labels("binary_cross_entropy", p, y)
    raise NotImplementedError(
        'Exercise 4.2 (binary_cross_entropy) is not implemented yet. Run `nnlings hint 4.2` for a hint.'
    )


def binary_cross_entropy_grad(p, y):
    """dL/dp = (p − y) / (p(1 − p)) / N, evaluated at the clipped p; shape of p.

    The same clipping as in the loss keeps the denominator away from 0, so at p = 0 or 1
    the gradient is very large (about 1e12 / N) but finite.
    """
    p, y = _probabilities_and_labels("binary_cross_entropy_grad", p, y)
    raise NotImplementedError(
        'Exercise 4.2 (binary_cross_entropy_grad) is not implemented yet. Run `nnlings hint 4.2` for a hint.'
    )


# 4.3 Binary cross-entropy from logits ---------------------------------------------------------

def binary_cross_entropy_with_logits(z, y):
    """Binary cross-entropy of p = σ(z), computed from the logits z without ever forming p.

    Per entry, −y·log σ(z) − (1 − y)·log(1 − σ(z)) simplifies to log(1 + e^z) − z·y. Written
    as max(z, 0) − z·y + log(1 + e^(−|z|)) nothing can overflow, and no clipping is needed:
    the result is exact and finite for logits of any size (e.g. z = ±1e4). The mean runs over
    all entries. Returns a Python float.
    """
    z, y = _logits_and_labels("binary_cross_entropy_with_logits", z, y)
    raise NotImplementedError(
        'Exercise 4.3 (binary_cross_entropy_with_logits) is not implemented yet. Run `nnlings hint 4.3` for a hint.'
    )


def binary_cross_entropy_with_logits_grad(z, y):
    """dL/dz = (σ(z) − y) / N; shape of z.

    The sigmoid's derivative cancels against the log's, which is why classifiers are trained
    from logits. Compute σ(z) without overflow (as in unit 2).
    """
    z, y = _logits_and_labels("binary_cross_entropy_with_logits_grad", z, y)
    raise NotImplementedError(
        'Exercise 4.3 (binary_cross_entropy_with_logits_grad) is not implemented yet. Run `nnlings hint 4.3` for a hint.'
    )


# 4.4 Softmax ----------------------------------------------------------------------------------

def softmax(Z):
    """Row-wise softmax of logits Z of shape (n_samples, n_classes): same shape, rows sum to 1.

    softmax(z)_j = e^(z_j) / Σ_i e^(z_i). Adding a constant to a row changes nothing, so
    subtract each row's maximum first: the largest exponent becomes e^0 = 1 and no e^z can
    overflow, even for logits of ±1e4.
    """
    Z = _logit_matrix("softmax", Z)
    raise NotImplementedError(
        'Exercise 4.4 (softmax) is not implemented yet. Run `nnlings hint 4.4` for a hint.'
    )


# 4.5 Softmax cross-entropy --------------------------------------------------------------------

def softmax_cross_entropy(Z, labels):
    """L = −(1/n) Σ_i log softmax(Z)[i, labels[i]], the mean over the n samples of the batch.

    Z has shape (n, k); labels has shape (n,) and holds integer class indices in 0..k−1.
    Take the log analytically, log softmax(z)_j = z_j − log Σ_i e^(z_i), and evaluate the
    log-sum-exp with the row maximum m factored out: log Σ e^(z_i) = m + log Σ e^(z_i − m).
    Then even a probability that underflows to 0 has a finite log. Returns a Python float.
    """
    Z = _logit_matrix("softmax_cross_entropy", Z)
    labels = _class_indices("softmax_cross_entropy", labels, Z)
    raise NotImplementedError(
        'Exercise 4.5 (softmax_cross_entropy) is not implemented yet. Run `nnlings hint 4.5` for a hint.'
    )


def softmax_cross_entropy_grad(Z, labels):
    """dL/dZ = (softmax(Z) − onehot(labels)) / n; shape (n, k), each row sums to 0."""
    Z = _logit_matrix("softmax_cross_entropy_grad", Z)
    labels = _class_indices("softmax_cross_entropy_grad", labels, Z)
    raise NotImplementedError(
        'Exercise 4.5 (softmax_cross_entropy_grad) is not implemented yet. Run `nnlings hint 4.5` for a hint.'
    )


# 4.6 Hinge loss (binary SVM) ------------------------------------------------------------------

def hinge_loss(scores, y):
    """Binary SVM loss: L = (1/n) Σ max(0, 1 − y·s), with y = ±1 and s the neuron's score.

    A sample costs nothing once it is on the right side with a margin of at least 1
    (y·s ≥ 1); otherwise it costs how far it falls short. scores and y have shape (n,).
    Returns a Python float.
    """
    scores, y = _scores_and_signs("hinge_loss", scores, y)
    raise NotImplementedError(
        'Exercise 4.6 (hinge_loss) is not implemented yet. Run `nnlings hint 4.6` for a hint.'
    )


def hinge_loss_grad(scores, y):
    """dL/ds = −y / n where the margin is violated (1 − y·s > 0), else 0; shape (n,).

    At the kink y·s = 1 exactly the gradient is 0 (the margin is met).
    """
    scores, y = _scores_and_signs("hinge_loss_grad", scores, y)
    raise NotImplementedError(
        'Exercise 4.6 (hinge_loss_grad) is not implemented yet. Run `nnlings hint 4.6` for a hint.'
    )


# 4.7 L2 penalty -------------------------------------------------------------------------------

def l2_penalty(weights, lam):
    """Ridge penalty (λ/2) Σ_W ‖W‖², summed over every array in the list ``weights``.

    ‖W‖² is the sum of the squares of all entries of W. Pass the weight matrices only: biases
    are usually left unpenalised. The ½ makes the gradient simply λW. Returns a Python float
    (0.0 for an empty list).
    """
    weights, lam = _weight_list("l2_penalty", weights, lam)
    raise NotImplementedError(
        'Exercise 4.7 (l2_penalty) is not implemented yet. Run `nnlings hint 4.7` for a hint.'
    )


def l2_penalty_grad(weights, lam):
    """The gradient of l2_penalty: a list with one new array λW per array W, in order."""
    weights, lam = _weight_list("l2_penalty_grad", weights, lam)
    raise NotImplementedError(
        'Exercise 4.7 (l2_penalty_grad) is not implemented yet. Run `nnlings hint 4.7` for a hint.'
    )
