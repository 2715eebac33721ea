"""Unit 4 — Losses: one number that says how wrong the network is, and its gradient.

A loss compares a batch of predictions with their targets and returns a single Python float;
training lowers it. Each loss ``L`` comes with ``L_grad``, the gradient dL/d(first argument):
an array of the same shape as the predictions, the signal that backpropagation (unit 5) carries
back through the network.

Every loss here is a mean over the batch, so a batch twice as large does not give a loss twice
as large, and every gradient carries the matching factor 1/N. The helpers at the top of this
file are given: they check the arguments and turn them into float64 arrays, so that a wrong
shape fails with a message saying what was expected (the checks are in
`exercises/checks.py`). Never modify an argument in place.
"""
import numpy as np

from nnlings.exercises.checks import (
    class_indices,
    logit_matrix,
    logits_and_labels,
    matching_arrays,
    probabilities_and_labels,
    scores_and_signs,
    weight_list,
)

# The clipping bound of binary_cross_entropy: p is kept in [EPSILON, 1 - EPSILON], so that
# log(p) and log(1 - p) are at most -ln(1e-12) ≈ 27.6 in size, never infinite.
EPSILON = 1e-12


# 4.1 Mean squared error -----------------------------------------------------------------------

def mse(y_pred, y_true):
    """Mean squared error: L = (1/N) Σ (ŷ − y)², the mean over ALL N entries.

    With a batch of n samples and m outputs each, N = n·m: the mean runs over outputs as well
    as over samples, as Keras' ``mean_squared_error`` and PyTorch's ``MSELoss`` compute it.
    Returns a Python float.
    """
    y_pred, y_true = matching_arrays("mse", y_pred, y_true, ("y_pred", "y_true"))
    ### BEGIN SOLUTION
    return float(np.mean((y_pred - y_true) ** 2))
    ### END SOLUTION


def mse_grad(y_pred, y_true):
    """dL/dŷ, the gradient of mse with respect to every entry of y_pred; shape of y_pred.

    Mind the mean: every entry's share of L is divided by N, the total number of entries.
    """
    y_pred, y_true = matching_arrays("mse_grad", y_pred, y_true, ("y_pred", "y_true"))
    ### BEGIN SOLUTION
    return 2.0 * (y_pred - y_true) / y_pred.size
    ### END SOLUTION


# 4.2 Binary cross-entropy from probabilities --------------------------------------------------

def binary_cross_entropy(p, y):
    """L = −(1/N) Σ [y·log p + (1 − y)·log(1 − p)], the mean over all N entries.

    ``p`` holds predicted probabilities of class 1 (a sigmoid's output), ``y`` the labels 0 or 1.
    A confident wrong answer (p = 0 where y = 1) would cost log(0) = −∞, so p is first clipped
    to [EPSILON, 1 − EPSILON] with EPSILON = 1e-12: the loss of one entry is then at most
    −ln(1e-12) ≈ 27.63, and it is always finite. Returns a Python float.
    """
    p, y = probabilities_and_labels("binary_cross_entropy", p, y)
    ### BEGIN SOLUTION
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))
    ### END SOLUTION


def binary_cross_entropy_grad(p, y):
    """dL/dp, the gradient of binary_cross_entropy with respect to every entry of p; shape of p.

    Differentiate the loss as defined (the mean over all N entries), and evaluate the result at
    the clipped p, as the loss does: at p = 0 or 1 the gradient is then very large (about
    1e12 / N) but finite.
    """
    p, y = probabilities_and_labels("binary_cross_entropy_grad", p, y)
    ### BEGIN SOLUTION
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return (p - y) / (p * (1.0 - p)) / p.size
    ### END SOLUTION


# 4.3 Binary cross-entropy from logits ---------------------------------------------------------

def binary_cross_entropy_with_logits(z, y):
    """Binary cross-entropy of p = σ(z), computed from the logits z without ever forming p.

    Per entry the loss is −y·log σ(z) − (1 − y)·log(1 − σ(z)). Put σ(z) = 1 / (1 + e^(−z))
    into it and simplify on paper until no σ is left; then rewrite what you get so that no
    exponential can overflow. No clipping is needed: the result must be exact and finite for
    logits of any size (e.g. z = ±1e4). The mean runs over all entries. Returns a Python float.
    """
    z, y = logits_and_labels("binary_cross_entropy_with_logits", z, y)
    ### BEGIN SOLUTION
    return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    ### END SOLUTION


def binary_cross_entropy_with_logits_grad(z, y):
    """dL/dz, the gradient of binary_cross_entropy_with_logits with respect to z; shape of z.

    Derive it from the loss's per-entry form: the result is strikingly simple, which is one
    reason classifiers are trained from logits. Nothing in it may overflow (unit 2's sigmoid).
    """
    z, y = logits_and_labels("binary_cross_entropy_with_logits_grad", z, y)
    ### BEGIN SOLUTION
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    sigma = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return (sigma - y) / z.size
    ### END SOLUTION


# 4.4 Softmax ----------------------------------------------------------------------------------

def softmax(Z):
    """Row-wise softmax of logits Z of shape (n_samples, n_classes): same shape, rows sum to 1.

    softmax(z)_j = e^(z_j) / Σ_i e^(z_i). It must not overflow, even for logits of ±1e4,
    where e^z as written does. What does adding one constant to every logit of a row change?
    """
    Z = logit_matrix("softmax", Z)
    ### BEGIN SOLUTION
    e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
    ### END SOLUTION


# 4.5 Softmax cross-entropy --------------------------------------------------------------------

def softmax_cross_entropy(Z, labels):
    """L = −(1/n) Σ_i log softmax(Z)[i, labels[i]], the mean over the n samples of the batch.

    Z has shape (n, k); labels has shape (n,) and holds integer class indices in 0..k−1.
    A probability can underflow to 0 (logits of ±1e4), and log(0) is −∞; the loss must stay
    finite and exact there. So do not take the log of softmax's output: write the log of a
    softmax entry analytically first, then evaluate it without overflow. Returns a Python float.
    """
    Z = logit_matrix("softmax_cross_entropy", Z)
    labels = class_indices("softmax_cross_entropy", labels, Z)
    ### BEGIN SOLUTION
    shifted = Z - np.max(Z, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(Z.shape[0]), labels]))
    ### END SOLUTION


def softmax_cross_entropy_grad(Z, labels):
    """dL/dZ, the gradient of softmax_cross_entropy with respect to the logits; shape (n, k).

    Derive it for one row first (with respect to the right class's logit and to the others'),
    and remember the mean over the n samples. Check yourself: each row of it sums to 0.
    """
    Z = logit_matrix("softmax_cross_entropy_grad", Z)
    labels = class_indices("softmax_cross_entropy_grad", labels, Z)
    ### BEGIN SOLUTION
    grad = softmax(Z)
    grad[np.arange(Z.shape[0]), labels] -= 1.0
    return grad / Z.shape[0]
    ### END SOLUTION


# 4.6 Hinge loss (binary SVM) ------------------------------------------------------------------

def hinge_loss(scores, y):
    """Binary SVM loss: L = (1/n) Σ max(0, 1 − y·s), with y = ±1 and s the neuron's score.

    A sample costs nothing once it is on the right side with a margin of at least 1
    (y·s ≥ 1); otherwise it costs how far it falls short. scores and y have shape (n,).
    Returns a Python float.
    """
    scores, y = scores_and_signs("hinge_loss", scores, y)
    ### BEGIN SOLUTION
    return float(np.mean(np.maximum(0.0, 1.0 - y * scores)))
    ### END SOLUTION


def hinge_loss_grad(scores, y):
    """dL/ds, the gradient of hinge_loss with respect to the scores; shape (n,).

    At the kink y·s = 1 exactly, take the gradient to be 0 (the margin is met).
    """
    scores, y = scores_and_signs("hinge_loss_grad", scores, y)
    ### BEGIN SOLUTION
    violated = 1.0 - y * scores > 0
    return np.where(violated, -y, 0.0) / scores.size
    ### END SOLUTION


# 4.7 L2 penalty -------------------------------------------------------------------------------

def l2_penalty(weights, lam):
    """Ridge penalty (λ/2) Σ_W ‖W‖², summed over every array in the list ``weights``.

    ‖W‖² is the sum of the squares of all entries of W. Pass the weight matrices only: biases
    are usually left unpenalised. The ½ is there to make the gradient simple. Returns a Python float
    (0.0 for an empty list).
    """
    weights, lam = weight_list("l2_penalty", weights, lam)
    ### BEGIN SOLUTION
    return 0.5 * lam * float(sum(np.sum(W * W) for W in weights))
    ### END SOLUTION


def l2_penalty_grad(weights, lam):
    """The gradient of l2_penalty: a list with one new array ∂penalty/∂W per array W, in order."""
    weights, lam = weight_list("l2_penalty_grad", weights, lam)
    ### BEGIN SOLUTION
    return [lam * W for W in weights]
    ### END SOLUTION
