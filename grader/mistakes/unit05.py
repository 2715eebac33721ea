"""Unit 5 mistakes: gradients with a missing transpose, sum, sign, factor or derivative."""
import numpy as np

from . import Mistake


# 5.1 dense_backward ---------------------------------------------------------------------------

def _dense_dW_dZ_times_X(dZ, X, W):
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)


def _dense_dW_X_times_dZ_T(dZ, X, W):
    return dZ @ W.T, X @ dZ.T, dZ.sum(axis=0)


def _dense_db_not_summed(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ


def _dense_db_summed_over_everything(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, np.sum(dZ)


def _dense_db_is_zero(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, np.zeros(W.shape[1])


def _dense_db_mean(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)


def _dense_dW_mean(dZ, X, W):
    return dZ @ W.T, X.T @ dZ / X.shape[0], dZ.sum(axis=0)


def _dense_dX_without_transpose(dZ, X, W):
    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)


def _dense_wrong_order(dZ, X, W):
    return X.T @ dZ, dZ @ W.T, dZ.sum(axis=0)


def _dense_sign_flipped(dZ, X, W):
    return -(dZ @ W.T), -(X.T @ dZ), -dZ.sum(axis=0)


# 5.2 activation_backward ----------------------------------------------------------------------

def _activation_without_upstream(dA, Z, activation_grad):
    return activation_grad(Z)


def _activation_matrix_product(dA, Z, activation_grad):
    return dA @ activation_grad(Z)


def _activation_times_z(dA, Z, activation_grad):
    return dA * Z


def _activation_grad_at_dA(dA, Z, activation_grad):
    return dA * activation_grad(dA)


def _activation_in_place(dA, Z, activation_grad):
    dA *= activation_grad(Z)
    return dA


# 5.3 mlp_backward -----------------------------------------------------------------------------

def _mlp_layers(d_output, cache, params, activation_grads, skip_last_derivative=False,
                transpose=True, in_place=False):
    """A backward pass with one of the switches flipped; returns grads last layer first."""
    grads = []
    dA = d_output
    for layer in reversed(range(len(params))):
        A_prev, Z = cache[layer]
        W, _ = params[layer]
        if skip_last_derivative and layer == len(params) - 1:
            dZ = dA
        elif in_place:
            dA *= activation_grads[layer](Z)
            dZ = dA
        else:
            dZ = dA * activation_grads[layer](Z)
        grads.append((A_prev.T @ dZ, dZ.sum(axis=0)))
        dA = dZ @ (W.T if transpose else W)
    return grads


def _mlp_last_layer_first(d_output, cache, params, activation_grads):
    return _mlp_layers(d_output, cache, params, activation_grads)


def _mlp_output_derivative_skipped(d_output, cache, params, activation_grads):
    return _mlp_layers(d_output, cache, params, activation_grads,
                       skip_last_derivative=True)[::-1]


def _mlp_no_transpose(d_output, cache, params, activation_grads):
    return _mlp_layers(d_output, cache, params, activation_grads, transpose=False)[::-1]


def _mlp_in_place(d_output, cache, params, activation_grads):
    return _mlp_layers(d_output, cache, params, activation_grads, in_place=True)[::-1]


def _mlp_no_activation_derivatives(d_output, cache, params, activation_grads):
    identity = [lambda z: np.ones_like(z)] * len(params)
    return _mlp_layers(d_output, cache, params, identity)[::-1]


def _mlp_derivative_of_next_layer(d_output, cache, params, activation_grads):
    """Each layer's dZ uses the activation derivative listed for the layer above it."""
    shifted = list(activation_grads[1:]) + [activation_grads[-1]]
    return _mlp_layers(d_output, cache, params, shifted)[::-1]


def _mlp_output_derivative_everywhere(d_output, cache, params, activation_grads):
    """Every layer's dZ uses the last layer's activation derivative."""
    last = [activation_grads[-1]] * len(params)
    return _mlp_layers(d_output, cache, params, last)[::-1]


# 5.4 numerical_gradient -----------------------------------------------------------------------

def _numerical_forward_difference(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    f_x = f(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        grad[index] = (f(x) - f_x) / h
        x[index] = saved
    return grad


def _numerical_not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _numerical_restored_by_arithmetic(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        x[index] += h
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _numerical_nudges_a_copy(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (f(plus) - f(minus)) / (2 * h)
    return grad


def _numerical_divided_by_h(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        f_plus = f(x)
        x[index] = saved - h
        f_minus = f(x)
        x[index] = saved
        grad[index] = (f_plus - f_minus) / h
    return grad


def _numerical_all_entries_at_once(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


def _numerical_fixed_step(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + 1e-5
        f_plus = f(x)
        x[index] = saved - 1e-5
        f_minus = f(x)
        x[index] = saved
        grad[index] = (f_plus - f_minus) / 2e-5
    return grad


# 5.5 relative_error ---------------------------------------------------------------------------

def _relative_signed_denominator(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(a + b, 1e-12)))


def _relative_signed_numerator(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max((a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def _relative_mean(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def _relative_larger_of_the_two(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-12)))


def _relative_no_floor(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


def _relative_of_norms(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


# 5.6 xor_loss_and_grads -----------------------------------------------------------------------

def _xor(params, X, Y, lam, *, data_factor=1.0, weight_decay=1.0, loss_decay=1.0,
         sign=1.0, per_sample=True, slope="h", decay_biases=False):
    """The XOR loss and gradients with one of the knobs turned the wrong way."""
    W1, b1, W2, b2 = (np.asarray(p, dtype=float) for p in params)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    n = X.shape[0] if per_sample else 1

    def sigmoid(z):
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def through(h):  # what multiplies the gradient on the way through a sigmoid
        return {"h": h * (1.0 - h), "sigma": h,
                "sigma_of_h": sigmoid(h) * (1.0 - sigmoid(h))}[slope]

    h1 = sigmoid(X @ W1 + b1)
    h2 = sigmoid(h1 @ W2 + b2)
    loss = (data_factor * 0.5 * np.sum((h2 - Y) ** 2) / n
            + loss_decay * 0.5 * lam * (np.sum(W1 ** 2) + np.sum(W2 ** 2)))
    d_z2 = sign * (h2 - Y) / n * through(h2)
    dW2 = h1.T @ d_z2 + weight_decay * lam * W2
    db2 = d_z2.sum(axis=0) + (lam * b2 if decay_biases else 0.0)
    d_z1 = (d_z2 @ W2.T) * through(h1)
    dW1 = X.T @ d_z1 + weight_decay * lam * W1
    db1 = d_z1.sum(axis=0) + (lam * b1 if decay_biases else 0.0)
    return float(loss), (dW1, db1, dW2, db2)


def _xor_no_l2_gradient(params, X, Y, lam):
    return _xor(params, X, Y, lam, weight_decay=0.0)


def _xor_l2_gradient_doubled(params, X, Y, lam):
    return _xor(params, X, Y, lam, weight_decay=2.0)


def _xor_no_l2_in_loss(params, X, Y, lam):
    return _xor(params, X, Y, lam, loss_decay=0.0)


def _xor_sigma_instead_of_derivative(params, X, Y, lam):
    return _xor(params, X, Y, lam, slope="sigma")


def _xor_derivative_at_the_output(params, X, Y, lam):
    return _xor(params, X, Y, lam, slope="sigma_of_h")


def _xor_sign_flipped(params, X, Y, lam):
    return _xor(params, X, Y, lam, sign=-1.0)


def _xor_summed_over_samples(params, X, Y, lam):
    return _xor(params, X, Y, lam, per_sample=False)


def _xor_loss_without_half(params, X, Y, lam):
    return _xor(params, X, Y, lam, data_factor=2.0)


def _xor_biases_decayed(params, X, Y, lam):
    return _xor(params, X, Y, lam, decay_biases=True)


MISTAKES = (
    Mistake("5.1", "dense_backward", "dW = dZᵀ @ X, the transpose of the weight gradient",
            "dW must have W's shape (n_in, n_out): Xᵀ @ dZ.", 2, _dense_dW_dZ_times_X),
    Mistake("5.1", "dense_backward", "dW = X @ dZᵀ",
            "That is (n, n) and sums over the wrong axis; the sum over the batch is Xᵀ @ dZ.",
            2, _dense_dW_X_times_dZ_T),
    Mistake("5.1", "dense_backward", "db = dZ, not summed over the batch",
            "b is added to every row, so db sums dZ over the rows: dZ.sum(axis=0).",
            2, _dense_db_not_summed),
    Mistake("5.1", "dense_backward", "db summed over every entry",
            "There is one bias per output: sum over the rows only, axis=0.", 2,
            _dense_db_summed_over_everything),
    Mistake("5.1", "dense_backward", "the bias gradient left at zero",
            "Z depends on b with slope 1, so db is the column sums of dZ, not zero.", 2,
            _dense_db_is_zero),
    Mistake("5.1", "dense_backward", "db averaged over the batch",
            "The layer's gradient sums over the rows; any averaging belongs to the loss, "
            "which already put it into dZ.", 2, _dense_db_mean),
    Mistake("5.1", "dense_backward", "dW averaged over the batch",
            "dW = Xᵀ @ dZ, with no division by n: the 1/n of a mean loss is already in dZ.", 2,
            _dense_dW_mean),
    Mistake("5.1", "dense_backward", "dX = dZ @ W, without the transpose",
            "dX must have X's shape (n, n_in): dZ @ Wᵀ.", 2, _dense_dX_without_transpose),
    Mistake("5.1", "dense_backward", "returns (dW, dX, db), in the wrong order",
            "Return the three gradients in the order (dX, dW, db).", 2, _dense_wrong_order),
    Mistake("5.1", "dense_backward", "every gradient with the sign flipped",
            "The gradient points uphill; the minus sign belongs to the update step, not here.",
            2, _dense_sign_flipped),
    Mistake("5.2", "activation_backward", "returns f'(Z) without the upstream gradient",
            "The chain rule multiplies the local slope f'(Z) by the upstream gradient dA.", 2,
            _activation_without_upstream),
    Mistake("5.2", "activation_backward", "dA @ f'(Z), a matrix product",
            "The activation acts entry by entry, so the chain rule does too: dA * f'(Z).", 2,
            _activation_matrix_product),
    Mistake("5.2", "activation_backward", "dA * Z, multiplying by the pre-activation",
            "Multiply by the activation's slope at Z, activation_grad(Z), not by Z itself.", 2,
            _activation_times_z),
    Mistake("5.2", "activation_backward", "the derivative taken at dA instead of Z",
            "f' is evaluated where the forward pass was, at the pre-activation Z.", 2,
            _activation_grad_at_dA),
    Mistake("5.2", "activation_backward", "dA *= f'(Z) overwrites the upstream gradient",
            "Multiplying in place changes the caller's dA; build a new array with dA * f'(Z).",
            2, _activation_in_place,
            says='activation_backward changed its argument dA'),
    Mistake("5.3", "mlp_backward", "gradients listed last layer first",
            "Store each layer's (dW, db) at its own index so the list runs first layer first.",
            3, _mlp_last_layer_first),
    Mistake("5.3", "mlp_backward", "d_output treated as dZ of the last layer",
            "d_output is the gradient of the last activation's output: pass it through that "
            "activation's derivative first.", 2, _mlp_output_derivative_skipped),
    Mistake("5.3", "mlp_backward", "gradient passed down with W instead of Wᵀ",
            "The gradient for the layer below is dZ @ Wᵀ, of shape (n, n_in).", 2,
            _mlp_no_transpose),
    Mistake("5.3", "mlp_backward", "d_output modified in place",
            "dA *= ... overwrites the caller's d_output on the first step; build new arrays.",
            2, _mlp_in_place,
            says='mlp_backward changed its argument d_output'),
    Mistake("5.3", "mlp_backward", "no activation derivatives at all",
            "Between two dense layers sits an activation: multiply by its derivative at Z.", 2,
            _mlp_no_activation_derivatives),
    Mistake("5.3", "mlp_backward", "each layer uses the derivative of the layer above",
            "Layer l's dZ uses activation_grads[l] at that layer's own Z.", 2,
            _mlp_derivative_of_next_layer),
    Mistake("5.3", "mlp_backward", "the output layer's derivative used in every layer",
            "Each layer's dZ = dA ⊙ f'(Z) uses its own activation's derivative, "
            "activation_grads[layer], at its own Z; activation_grads[-1] belongs to the last "
            "layer only.", 2, _mlp_output_derivative_everywhere),
    Mistake("5.4", "numerical_gradient", "one-sided difference (f(x + h) − f(x)) / h",
            "Its error shrinks only like h; the central difference (f(x+h) − f(x−h)) / 2h is "
            "far more accurate.", 1, _numerical_forward_difference),
    Mistake("5.4", "numerical_gradient", "x left nudged, not restored",
            "Each entry must get its saved value back before the next one is nudged.", 2,
            _numerical_not_restored,
            says='x is left nudged'),
    Mistake("5.4", "numerical_gradient", "x restored by adding h back",
            "x + h − 2h + h need not equal x in floating point: assign the saved value back.",
            2, _numerical_restored_by_arithmetic,
            says='x was restored by arithmetic'),
    Mistake("5.4", "numerical_gradient", "nudges a copy of x",
            "f may read the caller's x (say, a network's weights) rather than its argument; "
            "nudge x itself in place, then restore it.", 2, _numerical_nudges_a_copy,
            says='nudging a copy of x'),
    Mistake("5.4", "numerical_gradient", "divided by h instead of 2h",
            "The two evaluations are 2h apart.", 2, _numerical_divided_by_h),
    Mistake("5.4", "numerical_gradient", "every entry nudged at once",
            "Nudge one entry at a time; moving all of x measures a single directional slope.",
            1, _numerical_all_entries_at_once),
    Mistake("5.4", "numerical_gradient", "the step h ignored",
            "Use the h argument the caller passes, not a fixed 1e-5.", 2,
            _numerical_fixed_step),
    Mistake("5.5", "relative_error", "a + b in the denominator, without absolute values",
            "Entries of opposite sign nearly cancel in a + b; the size is |a| + |b|.", 2,
            _relative_signed_denominator),
    Mistake("5.5", "relative_error", "a − b in the numerator, without absolute value",
            "A difference of either sign is an error: take |a − b|.", 2,
            _relative_signed_numerator),
    Mistake("5.5", "relative_error", "the mean over entries instead of the worst",
            "One wrong entry must show: take the max, not the mean.", 1, _relative_mean),
    Mistake("5.5", "relative_error", "divided by max(|a|, |b|)",
            "The kit's measure (CS231n's) divides by |a| + |b|.", 2,
            _relative_larger_of_the_two),
    Mistake("5.5", "relative_error", "no floor on the denominator",
            "Where both entries are 0 the ratio is 0/0; use np.maximum(|a| + |b|, 1e-12).", 2,
            _relative_no_floor),
    Mistake("5.5", "relative_error", "norms of the whole arrays instead of entries",
            "Compare entry by entry and take the worst entry.", 1, _relative_of_norms),
    Mistake("5.6", "xor_loss_and_grads", "the L2 term left out of the weight gradients",
            "The penalty (λ/2)‖W‖² adds λW to dW1 and dW2.", 2, _xor_no_l2_gradient),
    Mistake("5.6", "xor_loss_and_grads", "the L2 gradient as 2λW",
            "The ½ in (λ/2)‖W‖² cancels the 2 of the square: its gradient is λW.", 2,
            _xor_l2_gradient_doubled),
    Mistake("5.6", "xor_loss_and_grads", "the L2 term left out of the loss",
            "The loss includes (λ/2)(‖W1‖² + ‖W2‖²).", 1, _xor_no_l2_in_loss),
    Mistake("5.6", "xor_loss_and_grads", "σ instead of σ' on the way back",
            "Through a sigmoid, multiply by its slope h(1 − h), not by its value h.", 2,
            _xor_sigma_instead_of_derivative),
    Mistake("5.6", "xor_loss_and_grads", "σ'(h) = σ(h)(1 − σ(h)) instead of h(1 − h)",
            "h is already σ(z): its slope is h(1 − h). Applying σ again computes σ'(σ(z)).", 2,
            _xor_derivative_at_the_output),
    Mistake("5.6", "xor_loss_and_grads", "the error taken as y − h2",
            "∂/∂h2 of ½‖h2 − y‖² is h2 − y; with y − h2 every gradient points the wrong way.",
            2, _xor_sign_flipped),
    Mistake("5.6", "xor_loss_and_grads", "summed over the samples instead of averaged",
            "The data term is a mean over the n samples: divide by n, in the loss and the "
            "gradients.", 2, _xor_summed_over_samples),
    Mistake("5.6", "xor_loss_and_grads", "the data term without the ½",
            "The loss is (1/n) Σ ½‖h2 − y‖²; the ½ cancels the 2 of the square in the "
            "gradient.", 1, _xor_loss_without_half),
    Mistake("5.6", "xor_loss_and_grads", "the L2 penalty applied to the biases too",
            "The ridge term penalises the weights W1 and W2 only; db1 and db2 get no λ "
            "term.", 2, _xor_biases_decayed),
)
