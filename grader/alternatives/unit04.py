"""Unit 4 right answers: each loss and gradient in another stable form."""
import numpy as np

from . import Alternative

EPSILON = 1e-12  # the clipping bound the docstrings of 4.2 fix


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# 4.1 MSE ----------------------------------------------------------------------------------------

def _mse_square(y_pred, y_true):
    return float(np.mean(np.square(y_pred - y_true)))


def _mse_sum_over_size(y_pred, y_true):
    d = (y_pred - y_true).ravel()
    return float(d @ d / d.size)


def _mse_loop(y_pred, y_true):
    total = 0.0
    for p, t in zip(np.ravel(y_pred), np.ravel(y_true)):
        total += (p - t) ** 2
    return float(total / np.size(y_pred))


def _mse_grad_factor_first(y_pred, y_true):
    return (2.0 / y_pred.size) * (y_pred - y_true)


def _mse_grad_subtract(y_pred, y_true):
    return np.subtract(y_pred, y_true) * 2.0 / np.size(y_pred)


# 4.2 binary cross-entropy -----------------------------------------------------------------------

def _bce_log1p(p, y):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def _bce_where_on_labels(p, y):
    p = np.minimum(np.maximum(p, EPSILON), 1.0 - EPSILON)
    return float(np.mean(np.where(y == 1, -np.log(p), -np.log(1.0 - p))))


def _bce_sum_over_size(p, y):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))) / p.size


def _bce_grad_two_terms(p, y):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return (-(y / p) + (1.0 - y) / (1.0 - p)) / p.size


def _bce_grad_masks(p, y):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return np.where(y == 1, -1.0 / p, 1.0 / (1.0 - p)) / np.size(p)


# 4.3 binary cross-entropy from logits -----------------------------------------------------------

def _logits_logaddexp(z, y):
    return float(np.mean(np.logaddexp(0.0, z) - z * y))


def _logits_two_softpluses(z, y):
    # −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z)
    return float(np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))


def _logits_split_by_sign(z, y):
    positive = np.where(z >= 0, z - z * y + np.log1p(np.exp(-np.abs(z))),
                        -z * y + np.log1p(np.exp(-np.abs(z))))
    return float(np.mean(positive))


def _logits_grad_tanh(z, y):
    return (_sigmoid(z) - y) / z.size


def _logits_grad_logaddexp(z, y):
    return (np.exp(-np.logaddexp(0.0, -z)) - y) / np.size(z)


# 4.4 softmax ------------------------------------------------------------------------------------

def _softmax_logsumexp(Z):
    m = Z.max(axis=1, keepdims=True)
    log_norm = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return np.exp(Z - log_norm)


def _softmax_row_loop(Z):
    out = np.empty_like(Z, dtype=np.float64)
    for i, row in enumerate(Z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def _softmax_transposed(Z):
    e = np.exp(Z.T - Z.max(axis=1))
    return (e / e.sum(axis=0)).T


# 4.5 softmax cross-entropy ----------------------------------------------------------------------

def _xent_logsumexp(Z, labels):
    m = np.max(Z, axis=1)
    log_sum = m + np.log(np.sum(np.exp(Z - m[:, None]), axis=1))
    return float(np.mean(log_sum - Z[np.arange(len(Z)), labels]))


def _xent_one_hot(Z, labels):
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    one_hot = np.eye(Z.shape[1])[labels]
    return float(-np.sum(one_hot * log_p) / Z.shape[0])


def _xent_loop(Z, labels):
    total = 0.0
    for row, label in zip(Z, labels):
        m = row.max()
        total += m + np.log(np.sum(np.exp(row - m))) - row[label]
    return float(total / len(Z))


def _xent_grad_one_hot(Z, labels):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(Z.shape[1])[labels]) / Z.shape[0]


def _xent_grad_loop(Z, labels):
    grad = np.empty_like(Z, dtype=np.float64)
    for i in range(Z.shape[0]):
        e = np.exp(Z[i] - np.max(Z[i]))
        grad[i] = e / np.sum(e)
        grad[i, labels[i]] -= 1.0
    return grad / Z.shape[0]


# 4.6 hinge --------------------------------------------------------------------------------------

def _hinge_clip(scores, y):
    return float(np.mean(np.clip(1.0 - y * scores, 0.0, None)))


def _hinge_masked_sum(scores, y):
    margins = 1.0 - y * scores
    return float(np.sum(margins[margins > 0]) / scores.size)


def _hinge_loop(scores, y):
    return float(sum(max(0.0, 1.0 - t * s) for s, t in zip(scores, y)) / len(scores))


def _hinge_grad_product(scores, y):
    return -y * (y * scores < 1.0) / scores.size


def _hinge_grad_loop(scores, y):
    grad = np.zeros(len(scores))
    for i, (s, t) in enumerate(zip(scores, y)):
        if 1.0 - t * s > 0:
            grad[i] = -t / len(scores)
    return grad


# 4.7 L2 penalty ---------------------------------------------------------------------------------

def _l2_vdot(weights, lam):
    return float(lam / 2.0 * sum(np.vdot(W, W) for W in weights))


def _l2_loop(weights, lam):
    total = 0.0
    for W in weights:
        total += np.sum(np.square(W))
    return float(0.5 * lam * total)


def _l2_concatenated(weights, lam):
    flat = np.concatenate([np.zeros(0)] + [np.ravel(W) for W in weights])  # [] has no weights
    return float(0.5 * lam * flat @ flat)


def _l2_grad_map(weights, lam):
    return list(map(lambda W: W * lam, weights))


def _l2_grad_multiply(weights, lam):
    return [np.multiply(lam, W) for W in weights]


ALTERNATIVES = [
    Alternative("4.1", "mse", "np.square", _mse_square),
    Alternative("4.1", "mse", "a dot product over the size", _mse_sum_over_size),
    Alternative("4.1", "mse", "a loop over the entries", _mse_loop),
    Alternative("4.1", "mse_grad", "2/N first", _mse_grad_factor_first),
    Alternative("4.1", "mse_grad", "np.subtract", _mse_grad_subtract),
    Alternative("4.2", "binary_cross_entropy", "log1p(−p)", _bce_log1p),
    Alternative("4.2", "binary_cross_entropy", "np.where on the labels", _bce_where_on_labels),
    Alternative("4.2", "binary_cross_entropy", "a sum over the size", _bce_sum_over_size),
    Alternative("4.2", "binary_cross_entropy_grad", "−y/p + (1 − y)/(1 − p)",
                _bce_grad_two_terms),
    Alternative("4.2", "binary_cross_entropy_grad", "np.where on the labels", _bce_grad_masks),
    Alternative("4.3", "binary_cross_entropy_with_logits", "logaddexp(0, z) − z·y",
                _logits_logaddexp),
    Alternative("4.3", "binary_cross_entropy_with_logits", "two softpluses",
                _logits_two_softpluses),
    Alternative("4.3", "binary_cross_entropy_with_logits", "split by the sign of z",
                _logits_split_by_sign),
    Alternative("4.3", "binary_cross_entropy_with_logits_grad", "a tanh sigmoid",
                _logits_grad_tanh),
    Alternative("4.3", "binary_cross_entropy_with_logits_grad", "exp(−logaddexp(0, −z))",
                _logits_grad_logaddexp),
    Alternative("4.4", "softmax", "exp(Z − logsumexp)", _softmax_logsumexp),
    Alternative("4.4", "softmax", "a loop over the rows", _softmax_row_loop),
    Alternative("4.4", "softmax", "columns of the transpose", _softmax_transposed),
    Alternative("4.5", "softmax_cross_entropy", "logsumexp − the label's score",
                _xent_logsumexp),
    Alternative("4.5", "softmax_cross_entropy", "one-hot times log-softmax", _xent_one_hot),
    Alternative("4.5", "softmax_cross_entropy", "a loop over the rows", _xent_loop),
    Alternative("4.5", "softmax_cross_entropy_grad", "softmax − one-hot", _xent_grad_one_hot),
    Alternative("4.5", "softmax_cross_entropy_grad", "a loop over the rows", _xent_grad_loop),
    Alternative("4.6", "hinge_loss", "np.clip", _hinge_clip),
    Alternative("4.6", "hinge_loss", "the violated margins summed", _hinge_masked_sum),
    Alternative("4.6", "hinge_loss", "a loop", _hinge_loop),
    Alternative("4.6", "hinge_loss_grad", "−y·(y·s < 1)/n", _hinge_grad_product),
    Alternative("4.6", "hinge_loss_grad", "a loop", _hinge_grad_loop),
    Alternative("4.7", "l2_penalty", "np.vdot", _l2_vdot),
    Alternative("4.7", "l2_penalty", "a loop of np.square", _l2_loop),
    Alternative("4.7", "l2_penalty", "one concatenated vector", _l2_concatenated),
    Alternative("4.7", "l2_penalty_grad", "map", _l2_grad_map),
    Alternative("4.7", "l2_penalty_grad", "np.multiply", _l2_grad_multiply),
]
