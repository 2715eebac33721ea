"""Unit 8 mistakes: batching, the training step, the epoch loop, evaluation and early stopping."""
import numpy as np

from . import Mistake


# 8.1 minibatch_indices ----------------------------------------------------------------------------

def _batches_in_order(n_samples, batch_size, rng):
    order = np.arange(n_samples)
    return [order[s:s + batch_size] for s in range(0, n_samples, batch_size)]


def _batches_from_global_random(n_samples, batch_size, rng):
    order = np.random.permutation(n_samples)
    return [order[s:s + batch_size] for s in range(0, n_samples, batch_size)]


def _batches_drop_last(n_samples, batch_size, rng):
    order = rng.permutation(n_samples)
    return [order[s:s + batch_size] for s in range(0, n_samples - batch_size + 1, batch_size)]


def _batches_with_replacement(n_samples, batch_size, rng):
    order = rng.choice(n_samples, n_samples)
    return [order[s:s + batch_size] for s in range(0, n_samples, batch_size)]


# 8.2 train_step -----------------------------------------------------------------------------------

def _step_loss_after_update(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    optimizer.step(model.params, model.backward(loss_grad(y_pred, y_batch)))
    return float(loss(model.forward(X_batch), y_batch))


def _step_without_update(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    model.backward(loss_grad(y_pred, y_batch))
    return float(loss(y_pred, y_batch))


def _step_residual_as_gradient(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    optimizer.step(model.params, model.backward(y_pred - y_batch))
    return float(loss(y_pred, y_batch))


def _step_swapped_loss_grad(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    optimizer.step(model.params, model.backward(loss_grad(y_batch, y_pred)))
    return float(loss(y_pred, y_batch))


# 8.3 fit ------------------------------------------------------------------------------------------

def _fit_with(flaw):
    """A complete fit with one flaw (a Keras-style 'epochs since the best' counter for patience)."""

    def fit(model, X, y, *, loss, loss_grad, optimizer, epochs, batch_size, rng,
            validation_data=None, patience=None, verbose=None):
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        n = len(X)
        history = {"loss": []} if validation_data is None else {"loss": [], "val_loss": []}
        best_val_loss, best_params, since_best = np.inf, None, 0
        stopped_early = False
        for epoch in range(1, epochs + 1):
            if flaw == "in order":
                order = np.arange(n)
            elif flaw == "global random":
                order = np.random.permutation(n)
            else:
                order = rng.permutation(n)
            last_start = n - batch_size + 1 if flaw == "drop last" else n
            losses, sizes = [], []
            for start in range(0, last_start, batch_size):
                batch = order[start:start + batch_size]
                y_pred = model.forward(X[batch])
                losses.append(float(loss(y_pred, y[batch])))
                sizes.append(len(batch))
                optimizer.step(model.params, model.backward(loss_grad(y_pred, y[batch])))
            if flaw == "unweighted mean":
                epoch_loss = float(np.mean(losses))
            elif flaw == "loss after the epoch":
                epoch_loss = float(loss(model.forward(X), y))
            else:
                epoch_loss = float(np.dot(losses, sizes) / np.sum(sizes))
            if flaw != "no NaN check" and not np.isfinite(epoch_loss):
                raise FloatingPointError(f"loss is {epoch_loss} in epoch {epoch}: lower the "
                                         "learning rate")
            history["loss"].append(epoch_loss)
            if validation_data is None:
                continue
            val_loss = float(loss(model.forward(validation_data[0]), validation_data[1]))
            history["val_loss"].append(val_loss)
            if val_loss < best_val_loss:
                best_val_loss, since_best = val_loss, 0
                best_params = [p.copy() for p in model.params]
            else:
                since_best += 1
            if patience is not None and since_best >= patience + (flaw == "late stop"):
                stopped_early = True
                break
        restore = patience is not None and best_params is not None
        if flaw == "no restore" or (flaw == "restore only when stopped" and not stopped_early):
            restore = False
        if restore and flaw == "rebind params":
            model.params = best_params
        elif restore:
            for param, best in zip(model.params, best_params):
                param[...] = best
        return history

    return fit


# 8.4 predict, evaluate, accuracy ------------------------------------------------------------------

def _predict_rounds(model, X):
    return np.round(model.forward(X))


def _evaluate_metric_arguments_swapped(model, X, y, loss, metrics=None):
    y_pred = model.forward(X)
    results = {"loss": float(loss(y_pred, y))}
    for name, metric in (metrics or {}).items():
        results[name] = float(metric(y, y_pred))
    return results


def _evaluate_without_metrics(model, X, y, loss, metrics=None):
    return {"loss": float(loss(model.forward(X), y))}


def _columns(values):
    values = np.asarray(values, dtype=np.float64)
    return values[:, np.newaxis] if values.ndim == 1 else values


def _accuracy_elementwise(y_pred, y_true):
    return float(np.mean(np.round(_columns(y_pred)) == _columns(y_true)))


def _accuracy_argmax_over_samples(y_pred, y_true):
    y_pred, y_true = _columns(y_pred), _columns(y_true)
    if y_pred.shape[1] == 1:
        return float(np.mean((y_pred[:, 0] > 0.5) == (y_true[:, 0] == 1)))
    return float(np.mean(np.argmax(y_pred, axis=0) == np.argmax(y_true, axis=0)))


def _accuracy_argmax_on_one_column(y_pred, y_true):
    y_pred, y_true = _columns(y_pred), _columns(y_true)
    return float(np.mean(np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)))


def _accuracy_half_is_class_one(y_pred, y_true):
    y_pred, y_true = _columns(y_pred), _columns(y_true)
    if y_pred.shape[1] == 1:
        return float(np.mean((y_pred[:, 0] >= 0.5) == (y_true[:, 0] == 1)))
    return float(np.mean(np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)))


# 8.5 validation_split, should_stop ----------------------------------------------------------------

def _split_last_rows(X, y, fraction, rng):
    n_val = round(fraction * len(X))
    return (X[:-n_val], y[:-n_val]), (X[-n_val:], y[-n_val:])


def _split_truncated_size(X, y, fraction, rng):
    order = rng.permutation(len(X))
    n_val = int(fraction * len(X))
    return (X[order[n_val:]], y[order[n_val:]]), (X[order[:n_val]], y[order[:n_val]])


def _split_shuffles_x_and_y_apart(X, y, fraction, rng):
    n_val = round(fraction * len(X))
    X, y = rng.permutation(X), rng.permutation(y)
    return (X[n_val:], y[n_val:]), (X[:n_val], y[:n_val])


def _split_validation_at_the_end(X, y, fraction, rng):
    order = rng.permutation(len(X))
    n_train = len(X) - round(fraction * len(X))
    return (X[order[:n_train]], y[order[:n_train]]), (X[order[n_train:]], y[order[n_train:]])


def _stop_one_epoch_late(val_losses, patience, min_delta=0.0):
    if len(val_losses) <= patience + 1:
        return False
    return bool(min(val_losses[:-patience - 1]) - min(val_losses[-patience - 1:]) <= min_delta)


def _stop_when_rising(val_losses, patience, min_delta=0.0):
    if len(val_losses) <= patience:
        return False
    recent = np.asarray(val_losses[-patience - 1:], dtype=np.float64)
    return bool(np.all(np.diff(recent) >= -min_delta))


def _stop_ignores_min_delta(val_losses, patience, min_delta=0.0):
    if len(val_losses) <= patience:
        return False
    return bool(min(val_losses[-patience:]) >= min(val_losses[:-patience]))


MISTAKES = (
    Mistake("8.1", "minibatch_indices", "batches in the same order every epoch",
            "np.arange(n) never shuffles: every epoch sees the same batches. Cut "
            "rng.permutation(n) instead.", 1, _batches_in_order),
    Mistake("8.1", "minibatch_indices", "shuffling with np.random instead of rng",
            "np.random.permutation uses NumPy's global state, so the same seed does not give the "
            "same batches; call rng.permutation(n).", 2, _batches_from_global_random,
            says="drew numbers from NumPy's global random state"),
    Mistake("8.1", "minibatch_indices", "the last, shorter batch is dropped",
            "The samples of a partial last batch must be trained on too: let the last slice "
            "run to the end.", 2, _batches_drop_last),
    Mistake("8.1", "minibatch_indices", "indices drawn with replacement",
            "rng.choice(n, n) repeats some samples and skips others (so does PuzzleLib's "
            "randint loop); a permutation uses each sample once.", 2, _batches_with_replacement),
    Mistake("8.2", "train_step", "the loss is measured after the update",
            "Return the loss of the predictions the gradients came from, before optimizer.step.",
            1, _step_loss_after_update),
    Mistake("8.2", "train_step", "optimizer.step is never called",
            "Computing gradients changes nothing: pass them to optimizer.step(model.params, "
            "grads).", 1, _step_without_update),
    Mistake("8.2", "train_step", "y_pred − y passed to backward instead of loss_grad",
            "backward needs dL/dy_pred, which loss_grad computes (for the MSE it carries a factor "
            "2/size).", 2, _step_residual_as_gradient),
    Mistake("8.2", "train_step", "loss_grad(y_true, y_pred): arguments swapped",
            "Predictions come first; swapped, the gradient changes sign and the step goes "
            "uphill.", 2, _step_swapped_loss_grad),
    Mistake("8.3", "fit", "epoch loss as the plain mean of the batch losses",
            "With a shorter last batch, its few samples would count as much as a full batch: "
            "weigh every batch loss by its batch size.", 2, _fit_with("unweighted mean")),
    Mistake("8.3", "fit", "training loss measured on all data after the epoch",
            "The history records the mean of the losses the epoch's batches reported, not a "
            "fresh evaluation after the epoch.", 1, _fit_with("loss after the epoch")),
    Mistake("8.3", "fit", "batches in the same order every epoch",
            "Draw a new rng.permutation(len(X)) at the start of every epoch.", 1,
            _fit_with("in order")),
    Mistake("8.3", "fit", "shuffling with np.random instead of rng",
            "Take all randomness from rng, so the same seed trains the same model.", 2,
            _fit_with("global random"),
            says="drew numbers from NumPy's global random state"),
    Mistake("8.3", "fit", "the last, shorter batch is dropped",
            "Every sample is trained on once per epoch, the partial last batch included.", 2,
            _fit_with("drop last")),
    Mistake("8.3", "fit", "no check for a NaN or inf loss",
            "Raise FloatingPointError as soon as an epoch's loss is not finite.", 2,
            _fit_with("no NaN check")),
    Mistake("8.3", "fit", "early stopping keeps the last params, not the best",
            "Copy the params at each new best validation loss and write them back at the end.",
            2, _fit_with("no restore")),
    Mistake("8.3", "fit", "the best params are restored only after an early stop",
            "With patience, fit always ends on the best epoch's params, early stop or not.", 2,
            _fit_with("restore only when stopped")),
    Mistake("8.3", "fit", "patience off by one: stops an epoch late",
            "Stop as soon as `patience` epochs in a row brought no improvement.", 2,
            _fit_with("late stop")),
    Mistake("8.3", "fit", "model.params rebound instead of restored in place",
            "model.params = best gives the list new arrays, but the layers keep computing with "
            "the old ones; copy into them: p[...] = b.", 2, _fit_with("rebind params")),
    Mistake("8.4", "predict", "predictions rounded to class labels",
            "predict returns the model's raw outputs; classes are accuracy's business.", 1,
            _predict_rounds),
    Mistake("8.4", "evaluate", "metric(y_true, y_pred): arguments swapped",
            "Metrics, like losses, take the predictions first.", 2,
            _evaluate_metric_arguments_swapped),
    Mistake("8.4", "evaluate", "the metrics are left out",
            "Add name → metric(y_pred, y) for every entry of metrics.", 1,
            _evaluate_without_metrics),
    Mistake("8.4", "accuracy", "entries compared one by one, without argmax",
            "A one-hot row is right when its largest prediction sits where the 1 is; comparing "
            "every entry counts the zeros too.", 2, _accuracy_elementwise),
    Mistake("8.4", "accuracy", "argmax over the samples (axis 0)",
            "The classes are the columns: take np.argmax(..., axis=1), one class per row.", 2,
            _accuracy_argmax_over_samples),
    Mistake("8.4", "accuracy", "argmax on a single column",
            "With one column argmax is always 0; threshold the probability at 0.5 instead.", 2,
            _accuracy_argmax_on_one_column),
    Mistake("8.4", "accuracy", "a prediction of exactly 0.5 counted as class 1",
            "Class 1 needs y_pred > 0.5, strictly.", 2, _accuracy_half_is_class_one),
    Mistake("8.5", "validation_split", "the last rows held out, without shuffling",
            "Sorted or grouped data would give a validation set unlike the training set: shuffle "
            "with rng.permutation first.", 1, _split_last_rows),
    Mistake("8.5", "validation_split", "int(fraction · n) instead of round",
            "The validation size is round(fraction * n).", 2, _split_truncated_size),
    Mistake("8.5", "validation_split", "X and y shuffled with different permutations",
            "Each target must stay with its input: draw one permutation and index both X and y "
            "with it.", 2, _split_shuffles_x_and_y_apart),
    Mistake("8.5", "validation_split", "validation taken from the end of the permutation",
            "The first round(fraction * n) indices of the permutation are the validation "
            "samples.", 2, _split_validation_at_the_end),
    Mistake("8.5", "should_stop", "patience off by one: waits an epoch too long",
            "Compare the last `patience` values, not patience + 1, with the ones before.", 2,
            _stop_one_epoch_late),
    Mistake("8.5", "should_stop", "stops after `patience` rises in a row",
            "A loss that dips and rises without beating the best is still no improvement: "
            "compare with the best earlier value, not the previous one.", 1, _stop_when_rising),
    Mistake("8.5", "should_stop", "min_delta ignored",
            "An improvement counts only when it is larger than min_delta.", 2,
            _stop_ignores_min_delta),
)
