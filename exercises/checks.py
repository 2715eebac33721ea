"""The argument checks the unit files run before the part you write.

Every function of the exercises opens with a line or two that checks its arguments: that an array
holds numbers, has the axes the docstring promises, that shapes fit together, that a rate is
positive. A wrong argument then fails at once, with an error that names the function, the
argument and what was expected, instead of a broadcast error deep inside your code. Inside your
part the arguments are known to be right: float64 arrays of the documented shapes.

These checks are provided; nothing here is an exercise. Read them if an error message surprises
you.
"""
import numbers

import numpy as np


# Shared by several units -------------------------------------------------------------------------

def as_array(function, name, value, axes=None):
    """`value` as a float64 array, or a clear error naming `function` and the argument `name`.

    axes: the names of its axes, e.g. ("n_samples", "n_features"); or their number; or None,
    for an array of any shape.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be an array of numbers, "
                        f"got {type(value).__name__}") from None
    if isinstance(axes, int) and array.ndim != axes:
        raise ValueError(f"{function}: {name} must have {axes} axes, got shape {array.shape}")
    if isinstance(axes, tuple) and array.ndim != len(axes):
        raise ValueError(f"{function}: {name} must have shape ({', '.join(axes)}"
                         f"{',' if len(axes) == 1 else ''}), got shape {array.shape}")
    return array


def as_number(function, name, value, finite=False):
    """`value` as a Python float, or a clear error if it is not one real (`finite`) number."""
    shown = f"an array of shape {np.shape(value)}" if np.ndim(value) else repr(value)
    if np.ndim(value) != 0 or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{function}: {name} must be one number, got {shown}")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be one number, got {shown}") from None
    if finite and not np.isfinite(value):
        raise ValueError(f"{function}: {name} must be a finite number, got {value}")
    return value


def whole_number(function, name, value, minimum):
    """A count such as a step number or a batch size: an int >= `minimum`, as a Python int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{function}: {name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{function}: {name} must be at least {minimum}, got {value}")
    return int(value)


# Unit 1, one neuron ----------------------------------------------------------------------------

def neuron_arguments(function, X, w, b):
    """Check a batch X (n_samples, n_features), weights w (n_features,) and a bias b."""
    X = as_array(function, "X", X, ("n_samples", "n_features"))
    w = as_array(function, "w", w, ("n_features",))
    if X.shape[1] != w.shape[0]:
        raise ValueError(f"{function}: X has {X.shape[1]} features but w has {w.shape[0]} "
                         f"weights (X has shape {X.shape}, w has shape {w.shape})")
    return X, w, as_number(function, "b", b)


def line_data(function, x, y):
    """Check two 1-D arrays of the same length: the inputs x and the targets y of n samples."""
    x = as_array(function, "x", x, ("n_samples",))
    y = as_array(function, "y", y, ("n_samples",))
    if x.shape != y.shape:
        raise ValueError(f"{function}: x has {x.size} samples but y has {y.size}")
    if x.size == 0:
        raise ValueError(f"{function}: x and y are empty; at least one sample is needed")
    return x, y


# Unit 3, layers --------------------------------------------------------------------------------

def layer_pair(function, W, b, label=""):
    """Check one layer's weights W (n_in, n_out) and biases b (n_out,)."""
    W = as_array(function, f"{label}W", W, ("n_in", "n_out"))
    b = as_array(function, f"{label}b", b, ("n_out",))
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"{function}: {label}b has {b.shape[0]} entries but {label}W has "
                         f"{W.shape[1]} output columns (W has shape {W.shape}); "
                         "b needs one bias per output")
    return W, b


def layer_pairs(function, params):
    """Check a list of (W, b) pairs whose shapes chain: each layer reads what the last wrote."""
    if isinstance(params, np.ndarray) or not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"{function}: params must be a non-empty list of (W, b) pairs, "
                        f"got {type(params).__name__}"
                        f"{' (empty)' if isinstance(params, (list, tuple)) else ''}")
    layers = []
    for number, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"{function}: layer {number} of params must be a (W, b) pair, "
                            f"got {type(pair).__name__}")
        W, b = layer_pair(function, *pair, label=f"layer {number}'s ")
        if layers and W.shape[0] != layers[-1][0].shape[1]:
            raise ValueError(f"{function}: layer {number}'s W has shape {W.shape}, so it reads "
                             f"{W.shape[0]} inputs, but layer {number - 1} outputs "
                             f"{layers[-1][0].shape[1]}")
        layers.append((W, b))
    return layers


# Unit 4, losses --------------------------------------------------------------------------------

def matching_arrays(function, first, second, names):
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


def check_between(function, name, values, low, high, advice):
    """Raise a ValueError naming the offending range if `values` leave [low, high]."""
    if np.any(values < low) or np.any(values > high):
        raise ValueError(
            f"{function}: {name} must lie in [{low:g}, {high:g}], got values from "
            f"{np.min(values):.6g} to {np.max(values):.6g}. {advice}")


def probabilities_and_labels(function, p, y):
    p, y = matching_arrays(function, p, y, ("p", "y"))
    check_between(function, "p", p, 0.0, 1.0,
                   "Probabilities come out of a sigmoid; for raw scores (logits) use "
                   "binary_cross_entropy_with_logits.")
    check_between(function, "y", y, 0.0, 1.0, "Labels are 0 or 1 (not -1 and +1).")
    return p, y


def logits_and_labels(function, z, y):
    z, y = matching_arrays(function, z, y, ("z", "y"))
    check_between(function, "y", y, 0.0, 1.0, "Labels are 0 or 1 (not -1 and +1).")
    return z, y


def logit_matrix(function, Z):
    """`Z` as a float64 array of shape (n_samples, n_classes)."""
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.size == 0:
        raise ValueError(
            f"{function}: Z must be a non-empty 2-D array of logits, shape (n_samples, "
            f"n_classes), got shape {Z.shape}. For one sample use Z[np.newaxis, :].")
    return Z


def class_indices(function, labels, Z):
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


def scores_and_signs(function, scores, y):
    scores, y = matching_arrays(function, scores, y, ("scores", "y"))
    if scores.ndim != 1:
        raise ValueError(f"{function}: scores must have shape (n,), one score per sample, "
                         f"got shape {scores.shape}.")
    if not np.all(np.abs(y) == 1.0):
        raise ValueError(
            f"{function}: y must hold the labels -1 and +1, got values "
            f"{np.unique(y)[:5].tolist()}. Turn 0/1 labels into -1/+1 with 2 * y - 1.")
    return scores, y


def weight_list(function, weights, lam):
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


# Unit 5, backpropagation -----------------------------------------------------------------------

def dense_backward_arguments(dZ, X, W):
    dZ, X, W = (as_array("dense_backward", name, value, 2)
                for name, value in (("dZ", dZ), ("X", X), ("W", W)))
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"dense_backward: X has {X.shape[1]} features but W expects "
                         f"{W.shape[0]} (W has shape {W.shape})")
    if dZ.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"dense_backward: dZ must have the shape of Z = X @ W + b, "
                         f"{(X.shape[0], W.shape[1])}, got {dZ.shape}")
    return dZ, X, W


def activation_backward_arguments(dA, Z, activation_grad):
    if not callable(activation_grad):
        raise TypeError("activation_backward: activation_grad must be a function f'(z), got "
                        f"{type(activation_grad).__name__}")
    dA, Z = (np.asarray(value, dtype=np.float64) for value in (dA, Z))
    if dA.shape != Z.shape:
        raise ValueError(f"activation_backward: dA has shape {dA.shape} but Z has shape "
                         f"{Z.shape}; they must match (A = f(Z) entry by entry)")
    return dA, Z


def mlp_backward_arguments(d_output, cache, params, activation_grads):
    if not len(cache) == len(params) == len(activation_grads) > 0:
        raise ValueError(f"mlp_backward: need one cache entry, one (W, b) and one activation "
                         f"derivative per layer, got {len(cache)}, {len(params)} and "
                         f"{len(activation_grads)}")
    checked_cache, checked_params = [], []
    for number, ((A_prev, Z), (W, b)) in enumerate(zip(cache, params), start=1):
        label = f"layer {number}'s "
        A_prev, Z, W = (as_array("mlp_backward", label + name, value, 2)
                        for name, value in (("A_prev", A_prev), ("Z", Z), ("W", W)))
        b = as_array("mlp_backward", label + "b", b, 1)
        if (A_prev.shape[1], Z.shape, b.shape) != (W.shape[0], (A_prev.shape[0], W.shape[1]),
                                                   (W.shape[1],)):
            raise ValueError(f"mlp_backward: {label}arrays do not fit Z = A_prev @ W + b: "
                             f"A_prev {A_prev.shape}, W {W.shape}, b {b.shape}, Z {Z.shape}")
        checked_cache.append((A_prev, Z))
        checked_params.append((W, b))
    d_output = np.asarray(d_output, dtype=np.float64)
    if d_output.shape != checked_cache[-1][1].shape:
        raise ValueError(f"mlp_backward: d_output must have the shape of the network's output, "
                         f"{checked_cache[-1][1].shape}, got {d_output.shape}")
    return d_output, checked_cache, checked_params


def numerical_gradient_arguments(f, x, h):
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("numerical_gradient: x must be a float64 NumPy array (its entries are "
                        f"nudged in place), got {getattr(x, 'dtype', type(x).__name__)}")
    if not h > 0:
        raise ValueError(f"numerical_gradient: the step h must be positive, got {h}")
    value = f(x)
    if np.size(value) != 1:
        raise ValueError(f"numerical_gradient: f must return one number, got an array of shape "
                         f"{np.shape(value)}")


def relative_error_arguments(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: a and b must have the same shape, got "
                         f"{a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("relative_error: a and b are empty")
    return a, b


def xor_arguments(params, X, Y):
    if len(params) != 4:
        raise ValueError(f"xor_loss_and_grads: params must be (W1, b1, W2, b2), got "
                         f"{len(params)} arrays")
    X = as_array("xor_loss_and_grads", "X", X, 2)
    Y = as_array("xor_loss_and_grads", "Y", Y, 2)
    W1, b1, W2, b2 = (np.asarray(p, dtype=np.float64) for p in params)
    hidden = W1.shape[1] if W1.ndim == 2 else -1
    expected = {"W1": (X.shape[1], hidden), "b1": (hidden,), "W2": (hidden, Y.shape[1]),
                "b2": (Y.shape[1],)}
    for (name, shape), value in zip(expected.items(), (W1, b1, W2, b2)):
        if value.shape != shape:
            raise ValueError(f"xor_loss_and_grads: with X {X.shape} and Y {Y.shape}, {name} "
                             f"must have shape {shape}, got {value.shape}")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"xor_loss_and_grads: X has {X.shape[0]} samples but Y has "
                         f"{Y.shape[0]}")
    return (W1, b1, W2, b2), X, Y


# Unit 7, optimizers ----------------------------------------------------------------------------

def shaped_like(function, w, name, value):
    """`value` as a float64 array of the same shape as the parameter array `w`."""
    array = as_array(function, name, value)
    if array.shape != w.shape:
        raise ValueError(f"{function}: {name} must have the shape of w, {w.shape}, "
                         f"got shape {array.shape}")
    return array


def positive(function, name, value):
    value = as_number(function, name, value, finite=True)
    if value <= 0:
        raise ValueError(f"{function}: {name} must be positive, got {value}")
    return value


def decay_factor(function, name, value):
    """A decay factor such as momentum or beta1: a number in [0, 1)."""
    value = as_number(function, name, value, finite=True)
    if not 0 <= value < 1:
        raise ValueError(f"{function}: {name} must be in [0, 1), got {value}")
    return value


# Unit 8, training ------------------------------------------------------------------------------

def check_rng(function, rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{function}: rng must be a numpy.random.Generator, such as "
                        f"np.random.default_rng(0); got {type(rng).__name__}")


def check_model(function, model):
    missing = [name for name in ("params", "forward", "backward") if not hasattr(model, name)]
    if missing:
        raise TypeError(f"{function}: model has no {', '.join(missing)}; a model needs params, "
                        "forward(X) and backward(d_output) (see the top of this module)")


def check_optimizer(function, optimizer):
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"{function}: optimizer needs a step(params, grads) method; "
                        f"{type(optimizer).__name__} has none")


def check_callable(function, name, value):
    if not callable(value):
        raise TypeError(f"{function}: {name} must be a function, got {type(value).__name__}")


def as_samples(function, name, value):
    """`value` as a float64 array whose first axis runs over the samples."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be an array of numbers, "
                        f"got {type(value).__name__}") from None
    if array.ndim == 0:
        raise ValueError(f"{function}: {name} must hold one row per sample, got one number")
    return array


def paired_samples(function, X, y, names=("X", "y")):
    """Inputs and targets with one target row per input row, at least one sample."""
    X, y = as_samples(function, names[0], X), as_samples(function, names[1], y)
    if len(X) != len(y):
        raise ValueError(f"{function}: {names[0]} has {len(X)} samples but {names[1]} has "
                         f"{len(y)} ({names[0]} has shape {X.shape}, {names[1]} has shape "
                         f"{y.shape}); they need one target row per input row")
    if len(X) == 0:
        raise ValueError(f"{function}: the data set is empty ({names[0]} has shape {X.shape}); "
                         "at least one sample is needed")
    return X, y


def check_fit_arguments(model, X, y, loss, loss_grad, optimizer, epochs, batch_size, rng,
                        validation_data, patience):
    """Check fit's arguments; return X, y and validation_data as float64 arrays."""
    check_model("fit", model)
    check_optimizer("fit", optimizer)
    check_callable("fit", "loss", loss)
    check_callable("fit", "loss_grad", loss_grad)
    check_rng("fit", rng)
    X, y = paired_samples("fit", X, y)
    whole_number("fit", "epochs", epochs, 1)
    whole_number("fit", "batch_size", batch_size, 1)
    if batch_size > len(X):
        raise ValueError(f"fit: batch_size={batch_size} is larger than the data set "
                         f"({len(X)} samples); use a batch_size between 1 and {len(X)}")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("fit: validation_data must be a pair (X_val, y_val), got "
                            f"{type(validation_data).__name__}")
        validation_data = paired_samples("fit", *validation_data, names=("X_val", "y_val"))
    if patience is not None:
        whole_number("fit", "patience", patience, 1)
        if validation_data is None:
            raise ValueError(f"fit: patience={patience} stops on the validation loss, but no "
                             "validation_data=(X_val, y_val) was given")
    return X, y, validation_data


def check_split_arguments(X, y, fraction):
    """Check validation_split's arguments; return X and y as float64 arrays."""
    X, y = paired_samples("validation_split", X, y)
    if isinstance(fraction, (bool, np.bool_)) or not isinstance(fraction, (int, float,
                                                                           np.number)):
        raise TypeError(f"validation_split: fraction must be a number, got {fraction!r}")
    if not 0 < fraction < 1:
        raise ValueError(f"validation_split: fraction must lie strictly between 0 and 1, "
                         f"got {fraction}")
    n_val = round(fraction * len(X))
    if not 0 < n_val < len(X):
        part = "validation" if n_val == 0 else "training"
        raise ValueError(f"validation_split: fraction={fraction} of {len(X)} samples leaves "
                         f"the {part} part empty (round({fraction} * {len(X)}) = {n_val}); "
                         "both parts need at least one sample")
    return X, y


# Unit 9, experiments ---------------------------------------------------------------------------

def as_curve(function, name, values, min_points=1):
    """`values` as a flat float64 array: a 1-D array, or a column (n, 1) taken as its n values."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be an array of numbers, "
                        f"got {type(values).__name__}") from None
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{function}: {name} must have shape (n,) or (n, 1), "
                         f"got shape {array.shape}")
    if len(array) < min_points:
        raise ValueError(f"{function}: {name} needs at least {min_points} values, "
                         f"got {len(array)}")
    return array


def as_curves(function, names, arrays, min_points=1):
    """Several curves of the same length, as flat float64 arrays."""
    curves = [as_curve(function, name, array, min_points) for name, array in zip(names, arrays)]
    if len({len(curve) for curve in curves}) > 1:
        lengths = ", ".join(f"{name} has {len(curve)}" for name, curve in zip(names, curves))
        raise ValueError(f"{function}: the curves need one value per point, but {lengths}")
    return curves


def count_at_least(function, name, value, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < minimum:
        raise ValueError(f"{function}: {name} must be a whole number ≥ {minimum}, got {value!r}")


def fraction_of_one(function, name, value, low_open=True):
    value = float(value)
    if not (0 < value <= 1 if low_open else 0 <= value <= 1):
        interval = "(0, 1]" if low_open else "[0, 1]"
        raise ValueError(f"{function}: {name} must lie in {interval}, got {value}")
    return value


def as_model(function, model):
    missing = [name for name in ("params", "forward", "backward") if not hasattr(model, name)]
    if missing:
        raise TypeError(f"{function}: model has no {', '.join(missing)}; pass an MLP (or a "
                        "model with params, forward and backward)")
    return model


def as_column(function, name, x):
    """Network inputs for a one-input network: a column (n, 1)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, np.newaxis]
    if x.ndim != 2 or x.shape[1] != 1:
        raise ValueError(f"{function}: {name} must be a column of inputs, shape (n, 1), "
                         f"got shape {x.shape}")
    return x


def one_hidden_layer(function, model):
    """(W1, b1, W2, b2) of a network with one input, one hidden layer and one output."""
    as_model(function, model)
    shapes = [np.shape(p) for p in model.params]
    if (len(shapes) != 4 or len(shapes[0]) != 2 or shapes[0][0] != 1
            or shapes[2] != (shapes[0][1], 1)):
        raise ValueError(f"{function}: expected a 1-H-1 network (params W1 (1, H), b1 (H,), "
                         f"W2 (H, 1), b2 (1,)), got params of shapes {shapes}")
    return tuple(np.asarray(p, dtype=np.float64) for p in model.params)


def as_range(function, name, value):
    low, high = (float(v) for v in value)
    if not low < high:
        raise ValueError(f"{function}: {name} must be (low, high) with low < high, got {value}")
    return low, high
