"""Unit 4 mistakes: losses and gradients as students get them wrong."""
import numpy as np

from . import Mistake


def _stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _log_softmax(Z):
    shifted = Z - np.max(Z, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def _stable_softmax(Z):
    e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _one_hot(labels, k):
    return np.eye(k)[labels]


# 4.1 MSE

def _mse_sum(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2))


def _mse_mean_over_batch_only(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2) / len(y_pred))


def _mse_grad_without_two(y_pred, y_true):
    return (y_pred - y_true) / y_pred.size


def _mse_grad_sign_flipped(y_pred, y_true):
    return 2.0 * (y_true - y_pred) / y_pred.size


def _mse_grad_not_divided(y_pred, y_true):
    return 2.0 * (y_pred - y_true)


def _mse_grad_over_batch_only(y_pred, y_true):
    return 2.0 * (y_pred - y_true) / len(y_pred)


# 4.2 BCE from probabilities

def _bce_unclipped(p, y):
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _bce_sum(p, y):
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    return float(-np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _bce_without_minus(p, y):
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    return float(np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _bce_keras_epsilon(p, y):
    p = np.clip(p, 1e-7, 1.0 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _bce_grad_unclipped(p, y):
    return (p - y) / (p * (1.0 - p)) / p.size


def _bce_grad_logit_form(p, y):
    return (p - y) / p.size


def _bce_grad_sign_flipped(p, y):
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    return (y - p) / (p * (1.0 - p)) / p.size


def _bce_grad_keras_epsilon(p, y):
    p = np.clip(p, 1e-7, 1.0 - 1e-7)
    return (p - y) / (p * (1.0 - p)) / p.size


def _bce_grad_not_divided(p, y):
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    return (p - y) / (p * (1.0 - p))


# 4.3 BCE from logits

def _bce_logits_through_sigmoid(z, y):
    p = 1.0 / (1.0 + np.exp(-z))
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _bce_logits_naive_softplus(z, y):
    return float(np.mean(np.log(1.0 + np.exp(z)) - z * y))


def _bce_logits_sign_of_zy(z, y):
    return float(np.mean(np.maximum(z, 0.0) + z * y + np.log1p(np.exp(-np.abs(z)))))


def _bce_logits_grad_not_divided(z, y):
    return _stable_sigmoid(z) - y


def _bce_logits_grad_sign_flipped(z, y):
    return (y - _stable_sigmoid(z)) / z.size


def _bce_logits_grad_of_z(z, y):
    return (z - y) / z.size


# 4.4 softmax

def _softmax_no_shift(Z):
    e = np.exp(Z)
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_wrong_axis(Z):
    e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _softmax_sum_without_keepdims(Z):
    e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1)


def _softmax_global_max(Z):
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_global_sum(Z):
    e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / np.sum(e)


def _softmax_in_place(Z):
    Z -= np.max(Z, axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= np.sum(Z, axis=1, keepdims=True)
    return Z


# 4.5 softmax cross-entropy

def _sce_log_of_softmax(Z, labels):
    probs = _stable_softmax(Z)
    return float(-np.mean(np.log(probs[np.arange(len(Z)), labels])))


def _sce_sum(Z, labels):
    return float(-np.sum(_log_softmax(Z)[np.arange(len(Z)), labels]))


def _sce_mean_over_all_entries(Z, labels):
    return float(-np.mean(_one_hot(labels, Z.shape[1]) * _log_softmax(Z)))


def _sce_grad_not_divided(Z, labels):
    return _stable_softmax(Z) - _one_hot(labels, Z.shape[1])


def _sce_grad_sign_flipped(Z, labels):
    return (_one_hot(labels, Z.shape[1]) - _stable_softmax(Z)) / len(Z)


def _sce_grad_without_one_hot(Z, labels):
    return _stable_softmax(Z) / len(Z)


# 4.6 hinge

def _hinge_without_max(scores, y):
    return float(np.mean(1.0 - y * scores))


def _hinge_sum(scores, y):
    return float(np.sum(np.maximum(0.0, 1.0 - y * scores)))


def _hinge_grad_everywhere(scores, y):
    return -y / scores.size


def _hinge_grad_at_kink(scores, y):
    return np.where(1.0 - y * scores >= 0, -y, 0.0) / scores.size


def _hinge_grad_sign_flipped(scores, y):
    return np.where(1.0 - y * scores > 0, y, 0.0) / scores.size


def _hinge_grad_not_divided(scores, y):
    return np.where(1.0 - y * scores > 0, -y, 0.0)


# 4.7 L2 penalty

def _l2_without_half(weights, lam):
    return lam * float(sum(np.sum(W * W) for W in weights))


def _l2_forgets_last(weights, lam):
    return 0.5 * lam * float(sum(np.sum(W * W) for W in weights[:-1]))


def _l2_norm_not_squared(weights, lam):
    return 0.5 * lam * float(sum(np.linalg.norm(W) for W in weights))


def _l2_grad_two_lambda(weights, lam):
    return [2.0 * lam * W for W in weights]


def _l2_grad_first_only(weights, lam):
    return [lam * weights[0]]


def _l2_grad_in_place(weights, lam):
    for W in weights:
        W *= lam
    return weights


MISTAKES = (
    Mistake("4.1", "mse", "sum instead of mean",
            "The loss is the mean over all entries: divide the sum by y_pred.size.", 1, _mse_sum),
    Mistake("4.1", "mse", "mean over the batch but not over the outputs",
            "With several outputs per sample, N counts every entry (n·m), not only the n "
            "samples: use np.mean over the whole array.", 1, _mse_mean_over_batch_only),
    Mistake("4.1", "mse_grad", "missing factor 2",
            "d/dŷ (ŷ − y)² = 2(ŷ − y).", 2, _mse_grad_without_two),
    Mistake("4.1", "mse_grad", "gradient sign flipped",
            "The gradient is 2(ŷ − y)/N: it points from the target towards the prediction.",
            2, _mse_grad_sign_flipped),
    Mistake("4.1", "mse_grad", "gradient not divided by N",
            "The loss is a mean, so each entry's gradient carries the factor 1/N.",
            2, _mse_grad_not_divided),
    Mistake("4.1", "mse_grad", "gradient divided by the batch size instead of N",
            "N is the total number of entries, y_pred.size, as in the loss.",
            1, _mse_grad_over_batch_only),
    Mistake("4.2", "binary_cross_entropy", "log(p) without clipping",
            "p = 0 or 1 gives log(0) = -inf; clip p to [EPSILON, 1 - EPSILON] first.",
            1, _bce_unclipped),
    Mistake("4.2", "binary_cross_entropy", "clipped at 1e-7 instead of EPSILON = 1e-12",
            "1e-7 is Keras' default; this kit clips p to [EPSILON, 1 - EPSILON] with the "
            "module's EPSILON = 1e-12.", 1, _bce_keras_epsilon),
    Mistake("4.2", "binary_cross_entropy", "sum instead of mean",
            "The loss is the mean over all entries.", 2, _bce_sum),
    Mistake("4.2", "binary_cross_entropy", "missing minus sign",
            "log p is negative, so the loss is the NEGATIVE mean of y·log p + (1 − y)·log(1 − p).",
            2, _bce_without_minus),
    Mistake("4.2", "binary_cross_entropy_grad", "gradient without clipping",
            "At p = 0 or 1 the denominator p(1 − p) is 0; clip p as in the loss.",
            1, _bce_grad_unclipped),
    Mistake("4.2", "binary_cross_entropy_grad", "(p − y)/N, the gradient with respect to the logit",
            "(p − y)/N is dL/dz for p = σ(z); with respect to p itself the gradient is "
            "(p − y)/(p(1 − p))/N.", 2, _bce_grad_logit_form),
    Mistake("4.2", "binary_cross_entropy_grad", "gradient sign flipped",
            "d/dp of −y·log p is −y/p: the gradient is (p − y)/(p(1 − p))/N.",
            2, _bce_grad_sign_flipped),
    Mistake("4.2", "binary_cross_entropy_grad", "clipped at 1e-7 instead of EPSILON = 1e-12",
            "Clip p to [EPSILON, 1 - EPSILON] with the module's EPSILON = 1e-12, as in the loss.",
            1, _bce_grad_keras_epsilon),
    Mistake("4.2", "binary_cross_entropy_grad", "gradient not divided by N",
            "The loss is a mean, so each entry's gradient carries the factor 1/N.",
            2, _bce_grad_not_divided),
    Mistake("4.3", "binary_cross_entropy_with_logits", "log of σ(z): overflow and log(0)",
            "For large |z| the sigmoid overflows or rounds to exactly 0 or 1; write the loss "
            "in z: max(z, 0) − z·y + log1p(exp(−|z|)).", 1, _bce_logits_through_sigmoid),
    Mistake("4.3", "binary_cross_entropy_with_logits", "log(1 + exp(z)) overflows",
            "np.exp(z) overflows for z > 709; use max(z, 0) + log1p(exp(−|z|)).",
            2, _bce_logits_naive_softplus),
    Mistake("4.3", "binary_cross_entropy_with_logits", "+ z·y instead of − z·y",
            "The loss of one entry is log(1 + e^z) − z·y.", 1, _bce_logits_sign_of_zy),
    Mistake("4.3", "binary_cross_entropy_with_logits_grad", "gradient not divided by N",
            "The loss is a mean, so each entry's gradient carries the factor 1/N.",
            2, _bce_logits_grad_not_divided),
    Mistake("4.3", "binary_cross_entropy_with_logits_grad", "gradient sign flipped",
            "The gradient is (σ(z) − y)/N.", 2, _bce_logits_grad_sign_flipped),
    Mistake("4.3", "binary_cross_entropy_with_logits_grad", "(z − y)/N instead of (σ(z) − y)/N",
            "The prediction is σ(z), not z.", 2, _bce_logits_grad_of_z),
    Mistake("4.4", "softmax", "exp without subtracting the max",
            "np.exp overflows above 709 and inf/inf is nan; subtract each row's maximum first.",
            1, _softmax_no_shift),
    Mistake("4.4", "softmax", "softmax over the wrong axis",
            "Each row is one sample: take the max and the sum along axis=1.",
            1, _softmax_wrong_axis),
    Mistake("4.4", "softmax", "row sums without keepdims=True",
            "np.sum(e, axis=1) has shape (n,), which broadcasts against the columns of the "
            "(n, k) array, not its rows; keepdims=True keeps the shape (n, 1).",
            2, _softmax_sum_without_keepdims),
    Mistake("4.4", "softmax", "subtracts the maximum of the whole batch",
            "A row far below the batch maximum then underflows to 0/0; subtract each row's "
            "own maximum (axis=1, keepdims=True).", 2, _softmax_global_max),
    Mistake("4.4", "softmax", "divides by the sum of the whole batch",
            "Each row must sum to 1: sum along axis=1 with keepdims=True.",
            2, _softmax_global_sum),
    Mistake("4.4", "softmax", "subtracts the max in place",
            "`Z -= ...` changes the caller's logits; compute Z - max into a new array.",
            2, _softmax_in_place,
            says='softmax changed an array it was given'),
    Mistake("4.5", "softmax_cross_entropy", "log of the softmax instead of log-sum-exp",
            "A probability that underflows to 0 gives log(0) = -inf; compute the "
            "log-probabilities as shifted − log(sum(exp(shifted))).", 1, _sce_log_of_softmax),
    Mistake("4.5", "softmax_cross_entropy", "sum instead of mean",
            "The loss is the mean over the n samples of the batch.", 2, _sce_sum),
    Mistake("4.5", "softmax_cross_entropy", "mean over all n·k entries",
            "Averaging the one-hot product over the whole (n, k) array divides by n·k; the "
            "loss is the mean over the n samples.", 1, _sce_mean_over_all_entries),
    Mistake("4.5", "softmax_cross_entropy_grad", "gradient not divided by n",
            "The loss is a mean over the batch, so the gradient carries the factor 1/n.",
            2, _sce_grad_not_divided),
    Mistake("4.5", "softmax_cross_entropy_grad", "gradient sign flipped",
            "The gradient is (softmax(Z) − onehot)/n.", 2, _sce_grad_sign_flipped),
    Mistake("4.5", "softmax_cross_entropy_grad", "softmax(Z)/n without subtracting the one-hot",
            "Subtract 1 at each row's true class: (softmax(Z) − onehot)/n.",
            2, _sce_grad_without_one_hot),
    Mistake("4.6", "hinge_loss", "mean of 1 − y·s without the max(0, ·)",
            "A sample beyond the margin costs 0, not a negative amount: np.maximum(0, 1 - y*s).",
            1, _hinge_without_max),
    Mistake("4.6", "hinge_loss", "sum instead of mean",
            "The loss is the mean over the n samples.", 2, _hinge_sum),
    Mistake("4.6", "hinge_loss_grad", "gradient −y/n even where the margin is met",
            "A sample with y·s ≥ 1 costs nothing, so its gradient is 0.",
            1, _hinge_grad_everywhere),
    Mistake("4.6", "hinge_loss_grad", "nonzero gradient at the kink y·s = 1",
            "At y·s = 1 the margin is met exactly and the gradient is 0: test 1 − y·s > 0 "
            "strictly.", 1, _hinge_grad_at_kink),
    Mistake("4.6", "hinge_loss_grad", "gradient sign flipped",
            "d/ds (1 − y·s) = −y.", 2, _hinge_grad_sign_flipped),
    Mistake("4.6", "hinge_loss_grad", "gradient not divided by n",
            "The loss is a mean, so the gradient carries the factor 1/n.",
            2, _hinge_grad_not_divided),
    Mistake("4.7", "l2_penalty", "λ·Σ‖W‖² without the ½",
            "The penalty is (λ/2)·Σ‖W‖², whose gradient is exactly λW.", 1, _l2_without_half),
    Mistake("4.7", "l2_penalty", "forgets the last weight array",
            "Sum over every array in the list.", 1, _l2_forgets_last),
    Mistake("4.7", "l2_penalty", "‖W‖ instead of ‖W‖²",
            "np.linalg.norm is the square root of the sum of squares; the penalty uses the "
            "sum of squares itself, np.sum(W * W).", 2, _l2_norm_not_squared),
    Mistake("4.7", "l2_penalty_grad", "2λW instead of λW",
            "The ½ in (λ/2)·‖W‖² cancels the 2 of the derivative.", 1, _l2_grad_two_lambda),
    Mistake("4.7", "l2_penalty_grad", "gradient of the first array only",
            "Return one gradient per array in the list, in the same order.",
            1, _l2_grad_first_only,
            says='one gradient array per weight array'),
    Mistake("4.7", "l2_penalty_grad", "scales the weights in place",
            "`W *= lam` overwrites the network's weights; build new arrays with lam * W.",
            2, _l2_grad_in_place,
            says='l2_penalty_grad changed an array it was given'),
)
