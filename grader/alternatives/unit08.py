"""Unit 8 right answers: batches, the training step, fit, evaluation and the validation split.

Where an exercise's function starts with given checks (fit, accuracy), the answer calls the same
given helpers of the student's module, as a student's completed file does.
"""
import numpy as np

from nnlings.exercises import unit08_training as given

from . import Alternative


# 8.1 minibatch_indices --------------------------------------------------------------------------

def _batches_array_split(n_samples, batch_size, rng):
    order = rng.permutation(n_samples)
    return np.array_split(order, np.arange(batch_size, n_samples, batch_size))


def _batches_while_loop(n_samples, batch_size, rng):
    order, batches, start = rng.permutation(n_samples), [], 0
    while start < n_samples:
        batches.append(order[start:min(start + batch_size, n_samples)])
        start += batch_size
    return batches


def _batches_by_count(n_samples, batch_size, rng):
    order = rng.permutation(np.arange(n_samples))
    count = -(-n_samples // batch_size)   # ceil(n_samples / batch_size)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(count)]


# 8.2 train_step ---------------------------------------------------------------------------------

def _step_loss_after_backward(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    grads = model.backward(loss_grad(y_pred, y_batch))
    batch_loss = loss(y_pred, y_batch)        # the same predictions: the loss before the step
    optimizer.step(model.params, grads)
    return float(batch_loss)


def _step_one_expression(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    value = float(np.asarray(loss(y_pred, y_batch)))
    optimizer.step(model.params, model.backward(loss_grad(y_pred, y_batch)))
    return value


def _step_named_gradient(model, X_batch, y_batch, loss, loss_grad, optimizer):
    predictions = model.forward(X_batch)
    d_output = loss_grad(predictions, y_batch)
    value = loss(predictions, y_batch)
    gradients = model.backward(d_output)
    optimizer.step(model.params, gradients)
    return float(value)


# 8.3 fit ----------------------------------------------------------------------------------------

def _fit_with_batches_and_weights(model, X, y, *, loss, loss_grad, optimizer, epochs, batch_size,
                                  rng, validation_data=None, patience=None, verbose=None):
    """Batches from np.array_split, np.average weighted by the batch sizes, stopping by the
    comparison of should_stop written inline."""
    X, y, validation_data = given.check_fit_arguments(model, X, y, loss, loss_grad, optimizer,
                                                      epochs, batch_size, rng, validation_data,
                                                      patience)
    history = {"loss": []} if validation_data is None else {"loss": [], "val_loss": []}
    best, best_params = np.inf, None
    with given.ProgressDisplay(epochs, verbose) as progress:
        for epoch in range(1, epochs + 1):
            order = rng.permutation(len(X))
            batches = np.array_split(order, np.arange(batch_size, len(X), batch_size))
            losses = []
            for batch in batches:
                y_pred = model.forward(X[batch])
                losses.append(float(loss(y_pred, y[batch])))
                optimizer.step(model.params, model.backward(loss_grad(y_pred, y[batch])))
            epoch_loss = float(np.average(losses, weights=[len(b) for b in batches]))
            if np.isnan(epoch_loss) or np.isinf(epoch_loss):
                raise FloatingPointError(f"the loss is {epoch_loss} in epoch {epoch}: the "
                                         "gradients exploded, lower the learning rate")
            history["loss"].append(epoch_loss)
            val_loss = None
            if validation_data is not None:
                val_loss = float(loss(model.forward(validation_data[0]), validation_data[1]))
                history["val_loss"].append(val_loss)
            progress.update(epoch, epoch_loss, val_loss)
            if patience is None:
                continue
            if val_loss < best:
                best, best_params = val_loss, [p.copy() for p in model.params]
            seen = history["val_loss"]
            if len(seen) > patience and min(seen[:-patience]) - min(seen[-patience:]) <= 0.0:
                break
    if best_params is not None:
        for param, kept in zip(model.params, best_params):
            np.copyto(param, kept)
    return history


def _fit_with_a_best_epoch(model, X, y, *, loss, loss_grad, optimizer, epochs, batch_size, rng,
                           validation_data=None, patience=None, verbose=None):
    """A running sum of len(batch)·loss, and the best epoch remembered by its number."""
    X, y, validation_data = given.check_fit_arguments(model, X, y, loss, loss_grad, optimizer,
                                                      epochs, batch_size, rng, validation_data,
                                                      patience)
    losses, val_losses = [], []
    best_epoch, snapshot = None, None
    with given.ProgressDisplay(epochs, verbose) as progress:
        for epoch in range(1, epochs + 1):
            order = rng.permutation(len(X))
            total = 0.0
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                prediction = model.forward(X[rows])
                total += len(rows) * float(loss(prediction, y[rows]))
                optimizer.step(model.params, model.backward(loss_grad(prediction, y[rows])))
            losses.append(total / len(X))
            if not np.isfinite(losses[-1]):
                raise FloatingPointError(f"fit: epoch {epoch} ended with the loss {losses[-1]}; "
                                         "lower the learning rate")
            if validation_data is None:
                progress.update(epoch, losses[-1], None)
                continue
            val_losses.append(float(loss(model.forward(validation_data[0]),
                                         validation_data[1])))
            progress.update(epoch, losses[-1], val_losses[-1])
            if patience is None:
                continue
            if best_epoch is None or val_losses[-1] < val_losses[best_epoch - 1]:
                best_epoch, snapshot = epoch, [np.array(p, copy=True) for p in model.params]
            recent, earlier = val_losses[-patience:], val_losses[:-patience]
            if earlier and np.min(earlier) - np.min(recent) <= 0.0:
                break
    if snapshot is not None:
        for param, kept in zip(model.params, snapshot):
            param[...] = kept
    history = {"loss": losses}
    if validation_data is not None:
        history["val_loss"] = val_losses
    return history


def _fit_with_minibatch_indices(model, X, y, *, loss, loss_grad, optimizer, epochs, batch_size,
                                rng, validation_data=None, patience=None, verbose=None):
    """Batches cut from one permutation by a helper, and the loss as a dot product."""
    X, y, validation_data = given.check_fit_arguments(model, X, y, loss, loss_grad, optimizer,
                                                      epochs, batch_size, rng, validation_data,
                                                      patience)
    history = {"loss": []}
    if validation_data is not None:
        history["val_loss"] = []
    best_val, best = float("inf"), None
    with given.ProgressDisplay(epochs, verbose) as progress:
        for epoch in range(1, epochs + 1):
            batches = _batches_while_loop(len(X), batch_size, rng)
            batch_losses = np.array([_step_named_gradient(model, X[b], y[b], loss, loss_grad,
                                                          optimizer) for b in batches])
            epoch_loss = float(batch_losses @ np.array([len(b) for b in batches]) / len(X))
            if not np.isfinite(epoch_loss):
                raise FloatingPointError(f"NaN or inf loss in epoch {epoch}; try a smaller "
                                         "learning rate")
            history["loss"].append(epoch_loss)
            val_loss = None
            if validation_data is not None:
                X_val, y_val = validation_data
                val_loss = float(loss(model.forward(X_val), y_val))
                history["val_loss"].append(val_loss)
                if patience is not None and val_loss < best_val:
                    best_val, best = val_loss, [p.copy() for p in model.params]
            progress.update(epoch, epoch_loss, val_loss)
            if patience is not None and len(history["val_loss"]) > patience:
                values = history["val_loss"]
                if not min(values[:-patience]) - min(values[-patience:]) > 0.0:
                    break
    if best is not None:
        for param, kept in zip(model.params, best):
            param[:] = kept
    return history


# 8.4 predict, evaluate, accuracy ----------------------------------------------------------------

def _predict_as_array(model, X):
    return np.asarray(model.forward(X), dtype=np.float64)


def _evaluate_comprehension(model, X, y, loss, metrics=None):
    y_pred = model.forward(X)
    return {"loss": float(loss(y_pred, y)),
            **{name: float(metric(y_pred, y)) for name, metric in (metrics or {}).items()}}


def _accuracy_by_cases(y_pred, y_true):
    y_pred, y_true = given._as_columns("y_pred", y_pred), given._as_columns("y_true", y_true)
    if y_pred.shape != y_true.shape or len(y_pred) == 0:
        raise ValueError("accuracy: y_pred and y_true need the same non-empty shape")
    if y_true.shape[1] == 1:
        return float(np.mean((y_pred[:, 0] > 0.5).astype(int) == y_true[:, 0]))
    return float(np.mean(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))


def _accuracy_loop(y_pred, y_true):
    y_pred, y_true = given._as_columns("y_pred", y_pred), given._as_columns("y_true", y_true)
    if y_pred.shape != y_true.shape or len(y_pred) == 0:
        raise ValueError("accuracy: y_pred and y_true need the same non-empty shape")
    right = 0
    for p, t in zip(y_pred, y_true):
        if len(p) == 1:
            right += int((p[0] > 0.5) == (t[0] == 1))
        else:
            right += int(np.argmax(p) == np.argmax(t))
    return right / len(y_pred)


# 8.5 validation_split and should_stop -----------------------------------------------------------

def _split_take(X, y, fraction, rng):
    X, y = given.check_split_arguments(X, y, fraction)
    order = rng.permutation(len(X))
    n_val = int(round(fraction * len(X)))
    return ((np.take(X, order[n_val:], axis=0), np.take(y, order[n_val:], axis=0)),
            (np.take(X, order[:n_val], axis=0), np.take(y, order[:n_val], axis=0)))


def _split_by_slices(X, y, fraction, rng):
    X, y = given.check_split_arguments(X, y, fraction)
    order = rng.permutation(X.shape[0])
    cut = round(X.shape[0] * fraction)
    shuffled_X, shuffled_y = X[order], y[order]
    return (shuffled_X[cut:], shuffled_y[cut:]), (shuffled_X[:cut], shuffled_y[:cut])


def _stop_python_min(val_losses, patience, min_delta=0.0):
    values = list(np.asarray(val_losses, dtype=np.float64))
    if len(values) <= patience:
        return False
    return bool(min(values[:-patience]) - min(values[-patience:]) <= min_delta)


def _stop_any_improvement(val_losses, patience, min_delta=0.0):
    val_losses = np.asarray(val_losses, dtype=np.float64)
    if val_losses.size <= patience:
        return False
    best_before = val_losses[:val_losses.size - patience].min()
    improved = any(best_before - value > min_delta for value in val_losses[-patience:])
    return not improved


ALTERNATIVES = [
    Alternative("8.1", "minibatch_indices", "np.array_split", _batches_array_split),
    Alternative("8.1", "minibatch_indices", "a while loop", _batches_while_loop),
    Alternative("8.1", "minibatch_indices", "a counted comprehension", _batches_by_count),
    Alternative("8.2", "train_step", "the loss read after backward", _step_loss_after_backward),
    Alternative("8.2", "train_step", "step and backward in one line", _step_one_expression),
    Alternative("8.2", "train_step", "a named gradient", _step_named_gradient),
    Alternative("8.3", "fit", "array_split batches, np.average", _fit_with_batches_and_weights),
    Alternative("8.3", "fit", "the best epoch by its number", _fit_with_a_best_epoch),
    Alternative("8.3", "fit", "a batch helper and a dot product", _fit_with_minibatch_indices),
    Alternative("8.4", "predict", "np.asarray of forward", _predict_as_array),
    Alternative("8.4", "evaluate", "one dict expression", _evaluate_comprehension),
    Alternative("8.4", "accuracy", "two cases, astype(int)", _accuracy_by_cases),
    Alternative("8.4", "accuracy", "a loop over samples", _accuracy_loop),
    Alternative("8.5", "validation_split", "np.take", _split_take),
    Alternative("8.5", "validation_split", "shuffle, then slice", _split_by_slices),
    Alternative("8.5", "should_stop", "Python min on lists", _stop_python_min),
    Alternative("8.5", "should_stop", "any recent improvement", _stop_any_improvement),
]
