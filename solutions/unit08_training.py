"""Unit 8 — Training loop: shuffled minibatches, epochs, history, evaluation, early stopping.

Training repeats one small move many times: show the network a batch, measure how wrong it is,
backpropagate, and let the optimizer nudge every parameter. One pass over the whole data set is
an *epoch*. Like the PuzzleLib tutorial, the loop shuffles the samples before every epoch, so a
batch mixes points from all over the input range instead of one neighbourhood at a time, and
cuts the shuffled order into minibatches.

The loop knows nothing about layers. It trains any model and optimizer that follow three small
protocols (the network and optimizers of units 3, 5 and 7 follow them, and so do the small
models the graded tests define):

model
    ``model.params``: a list of float64 arrays, the trainable parameters.
    ``model.forward(X)``: the predictions for a batch X, shape (n_samples, n_outputs).
    ``model.backward(d_output)``: given d_output = dL/d(predictions) of the last forward call,
    the list of gradients dL/d(param), in the same order and with the same shapes as params.
optimizer
    ``optimizer.step(params, grads)``: updates every array of params in place
    (plain SGD: ``p -= learning_rate * g``).
loss
    two functions: ``loss(y_pred, y_true)`` returns one float, and ``loss_grad(y_pred, y_true)``
    returns dL/dy_pred, an array shaped like y_pred (the MSE of unit 4 and its gradient).

Randomness comes only from the ``numpy.random.Generator`` passed as ``rng``: the same seed gives
the same batches, the same history and the same trained parameters.

The first lines of each function (before the part you write) check the arguments (the checks
are in `exercises/checks.py`).
"""
import os
import sys

import numpy as np

from nnlings.exercises.checks import (
    as_samples,
    check_callable,
    check_fit_arguments,
    check_model,
    check_optimizer,
    check_rng,
    check_split_arguments,
    paired_samples,
    whole_number,
)


# Progress display (provided) ----------------------------------------------------------------------

def _interactive_terminal(stream):
    """Whether `stream` is a terminal a person watches: not under pytest, not in Jupyter."""
    is_tty = getattr(stream, "isatty", None)
    return (callable(is_tty) and bool(is_tty())
            and "PYTEST_CURRENT_TEST" not in os.environ and "ipykernel" not in sys.modules)


class ProgressDisplay:
    """One line on stderr, ``epoch k/N  loss ...``, rewritten in place ('\\r') after each epoch.

    verbose=True shows it, verbose=False hides it, and verbose=None shows it only in an
    interactive terminal. Use it in a ``with`` block, which ends the line when the block ends.
    """

    def __init__(self, epochs, verbose=None):
        self.epochs = epochs
        self.stream = sys.stderr
        self.shown = _interactive_terminal(self.stream) if verbose is None else bool(verbose)
        self.width = 0

    def update(self, epoch, loss, val_loss=None):
        """Report the end of `epoch` with its training (and validation) loss."""
        if not self.shown:
            return
        line = f"epoch {epoch}/{self.epochs}  loss {loss:.6g}"
        if val_loss is not None:
            line += f"  val_loss {val_loss:.6g}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        if self.width:
            self.stream.write("\n")
            self.stream.flush()
        return False


# Exercises ----------------------------------------------------------------------------------------

def minibatch_indices(n_samples, batch_size, rng):
    """The sample indices of one epoch's minibatches, in a fresh random order.

    Draw ONE permutation of 0..n_samples−1 with ``rng.permutation(n_samples)`` and cut it, in
    order, into consecutive pieces of ``batch_size`` indices. The last piece keeps whatever is
    left, so it may be shorter: 10 samples in batches of 4 give sizes [4, 4, 2]. Every sample
    appears in exactly one batch; a batch_size above n_samples gives one batch of all samples.

    Returns a list of 1-D integer arrays. Take the randomness from ``rng`` only (never from
    np.random's global functions): the same seed gives the same batches, and calling again with
    the same rng gives the next epoch's, different, order.
    """
    whole_number("minibatch_indices", "n_samples", n_samples, 1)
    whole_number("minibatch_indices", "batch_size", batch_size, 1)
    check_rng("minibatch_indices", rng)
    ### BEGIN SOLUTION
    order = rng.permutation(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]
    ### END SOLUTION


def train_step(model, X_batch, y_batch, loss, loss_grad, optimizer):
    """One step of training on one batch; return the batch's loss before the step, as a float.

    1. y_pred = model.forward(X_batch)
    2. the loss to report: loss(y_pred, y_batch)
    3. d_output = loss_grad(y_pred, y_batch), the gradient of the loss w.r.t. the predictions
    4. grads = model.backward(d_output)
    5. optimizer.step(model.params, grads), which changes the parameters in place

    The loss is measured on the predictions the gradients come from, so it describes the
    parameters as they were when the step began.
    """
    check_model("train_step", model)
    check_optimizer("train_step", optimizer)
    check_callable("train_step", "loss", loss)
    check_callable("train_step", "loss_grad", loss_grad)
    ### BEGIN SOLUTION
    y_pred = model.forward(X_batch)
    batch_loss = float(loss(y_pred, y_batch))
    grads = model.backward(loss_grad(y_pred, y_batch))
    optimizer.step(model.params, grads)
    return batch_loss
    ### END SOLUTION


### BEGIN SOLUTION
def _train_epoch(model, X, y, loss, loss_grad, optimizer, batch_size, rng):
    """One epoch of shuffled minibatch steps; the sample-weighted mean of the batch losses."""
    n_samples = len(X)
    order = rng.permutation(n_samples)
    weighted_sum = 0.0
    for start in range(0, n_samples, batch_size):
        batch = order[start:start + batch_size]
        weighted_sum += len(batch) * train_step(model, X[batch], y[batch], loss, loss_grad,
                                                optimizer)
    return weighted_sum / n_samples
### END SOLUTION


def fit(model, X, y, *, loss, loss_grad, optimizer, epochs, batch_size, rng,
        validation_data=None, patience=None, verbose=None):
    """Train `model` on (X, y) for `epochs` epochs of shuffled minibatches; return the history.

    Each epoch:

    * draws ONE permutation ``rng.permutation(len(X))`` and nothing else from rng, cuts it into
      batches of batch_size as in 8.1 (the last one may be shorter; you may call your
      minibatch_indices) and takes one train_step (8.2) per batch, in order;
    * records the epoch's training loss: the mean of the batch losses weighted by the batch
      sizes, Σ len(batch)·loss(batch) / len(X) (a plain mean of the batch losses would count the
      samples of a short last batch more than the others);
    * raises FloatingPointError when that loss is NaN or inf, with a message that names the
      epoch ("... in epoch 3 ...") and advises a lower "learning rate": NaN predictions usually
      mean exploding gradients;
    * with validation_data=(X_val, y_val), records the validation loss
      float(loss(model.forward(X_val), y_val)) of the model after the epoch's steps;
    * calls ``progress.update(epoch, loss, val_loss)`` (epochs counted from 1; val_loss None
      without validation data), which shows a progress line in a terminal.

    Early stopping: with ``patience`` (which needs validation_data), stop after the first epoch
    where should_stop(val_losses, patience) of 8.5 holds: the last `patience` epochs did not
    improve on the best earlier validation loss. Keep a copy of the params (``p.copy()``) each
    time the validation loss reaches a new minimum, and when training ends, early or not, write
    the best copy back into the model's own arrays, in place (``p[...] = best``): the model may
    keep references to them.

    Returns the history, a dict of lists of floats, one entry per epoch run:
    {"loss": [...]} and, with validation_data, also "val_loss": [...].
    """
    X, y, validation_data = check_fit_arguments(model, X, y, loss, loss_grad, optimizer,
                                                epochs, batch_size, rng, validation_data,
                                                patience)
    with ProgressDisplay(epochs, verbose) as progress:
        ### BEGIN SOLUTION
        history = {"loss": []}
        if validation_data is not None:
            history["val_loss"] = []
        best_val_loss, best_params = np.inf, None
        for epoch in range(1, epochs + 1):
            epoch_loss = _train_epoch(model, X, y, loss, loss_grad, optimizer, batch_size, rng)
            if not np.isfinite(epoch_loss):
                raise FloatingPointError(
                    f"fit: the training loss became {epoch_loss} in epoch {epoch} of {epochs}. "
                    "The gradients are exploding: lower the learning rate.")
            history["loss"].append(epoch_loss)
            val_loss = None
            if validation_data is not None:
                X_val, y_val = validation_data
                val_loss = float(loss(model.forward(X_val), y_val))
                history["val_loss"].append(val_loss)
                if patience is not None and val_loss < best_val_loss:
                    best_val_loss, best_params = val_loss, [p.copy() for p in model.params]
            progress.update(epoch, epoch_loss, val_loss)
            if patience is not None and should_stop(history["val_loss"], patience):
                break
        if best_params is not None:
            for param, best in zip(model.params, best_params):
                param[...] = best
        return history
        ### END SOLUTION


def predict(model, X):
    """The model's predictions for X: model.forward(X), shape (n_samples, n_outputs)."""
    check_model("predict", model)
    X = as_samples("predict", "X", X)
    ### BEGIN SOLUTION
    return model.forward(X)
    ### END SOLUTION


def evaluate(model, X, y, loss, metrics=None):
    """The loss and metrics of the model's predictions on (X, y), as a dict of floats.

    Predict once, then return {"loss": loss(y_pred, y)} plus, for every name → metric of the
    dict `metrics`, name → metric(y_pred, y). Metrics, like losses, take the predictions first.
    Example: evaluate(model, X, y, mse, {"accuracy": accuracy}) → {"loss": 0.12, "accuracy": 0.9}.
    """
    check_model("evaluate", model)
    X, y = paired_samples("evaluate", X, y)
    check_callable("evaluate", "loss", loss)
    metrics = {} if metrics is None else metrics
    if not isinstance(metrics, dict) or "loss" in metrics:
        raise ValueError("evaluate: metrics must be a dict of name -> metric(y_pred, y_true) "
                         "without the name 'loss', which is always reported")
    for name, metric in metrics.items():
        check_callable("evaluate", f"metrics[{name!r}]", metric)
    ### BEGIN SOLUTION
    y_pred = predict(model, X)
    results = {"loss": float(loss(y_pred, y))}
    for name, metric in metrics.items():
        results[name] = float(metric(y_pred, y))
    return results
    ### END SOLUTION


def _as_columns(name, values):
    """A 1-D array of n values as a column (n, 1); 2-D arrays unchanged."""
    values = as_samples("accuracy", name, values)
    if values.ndim == 1:
        values = values[:, np.newaxis]
    if values.ndim != 2:
        raise ValueError(f"accuracy: {name} must have shape (n_samples, n_outputs), "
                         f"got shape {values.shape}")
    return values


def accuracy(y_pred, y_true):
    """The fraction of samples classified correctly, a float in [0, 1].

    y_pred, y_true: shape (n_samples, n_outputs); a 1-D array is taken as one column.

    * Several columns (one per class, y_true one-hot): a sample is right when the column of its
      largest prediction is the column of its 1 in y_true (np.argmax along axis 1). Probabilities
      and raw scores (logits) give the same answer.
    * One column (binary, y_true of 0s and 1s, y_pred the probability of class 1): a sample is
      right when (y_pred > 0.5) agrees with y_true; a prediction of exactly 0.5 counts as class 0.
    """
    y_pred, y_true = _as_columns("y_pred", y_pred), _as_columns("y_true", y_true)
    if y_pred.shape != y_true.shape or len(y_pred) == 0:
        raise ValueError(f"accuracy: y_pred and y_true need the same non-empty shape, got "
                         f"{y_pred.shape} and {y_true.shape}")
    if y_true.shape[1] == 1 and not np.all((y_true == 0) | (y_true == 1)):
        raise ValueError("accuracy: with one column, y_true must hold class labels 0 and 1")
    ### BEGIN SOLUTION
    if y_pred.shape[1] == 1:
        correct = (y_pred[:, 0] > 0.5) == (y_true[:, 0] == 1)
    else:
        correct = np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)
    return float(np.mean(correct))
    ### END SOLUTION


def validation_split(X, y, fraction, rng):
    """Hold out a random `fraction` of the samples for validation.

    Returns ((X_train, y_train), (X_val, y_val)). The validation part has n_val =
    round(fraction · n) samples (Python's round). Draw one permutation ``order =
    rng.permutation(n)``: the first n_val indices of it are the validation samples and the rest,
    in the same order, the training samples. Index X and y with the same indices, so that every
    target stays with its input. A fraction outside (0, 1), or one that leaves either part
    empty, is rejected by the checks before your part.
    """
    X, y = check_split_arguments(X, y, fraction)
    check_rng("validation_split", rng)
    ### BEGIN SOLUTION
    order = rng.permutation(len(X))
    n_val = round(fraction * len(X))
    val, train = order[:n_val], order[n_val:]
    return (X[train], y[train]), (X[val], y[val])
    ### END SOLUTION


def should_stop(val_losses, patience, min_delta=0.0):
    """Whether to stop early: True when the last `patience` epochs brought no real improvement.

    val_losses: the validation losses so far, one per epoch, oldest first. Compare the best
    (smallest) of the last `patience` values with the best of all the values before them: the
    recent ones improved only if they went lower by more than min_delta. Return True (stop) when
    they did not, and False otherwise, and always False while there are `patience` values or
    fewer (nothing earlier to compare with).

    With patience 2: [3, 2, 2.5, 2.1] → True (nothing since the 2 beat it); [3, 2, 2.5, 1.9] →
    False; with min_delta 0.2, [3, 2, 2.5, 1.9] → True (1.9 is better by 0.1 only).
    """
    val_losses = np.asarray(val_losses, dtype=np.float64)
    if val_losses.ndim != 1:
        raise ValueError(f"should_stop: val_losses must be a list of numbers, one per epoch; "
                         f"got shape {val_losses.shape}")
    whole_number("should_stop", "patience", patience, 1)
    if not min_delta >= 0:
        raise ValueError(f"should_stop: min_delta must be 0 or more, got {min_delta}")
    ### BEGIN SOLUTION
    if len(val_losses) <= patience:
        return False
    best_before = np.min(val_losses[:-patience])
    best_recent = np.min(val_losses[-patience:])
    return bool(best_before - best_recent <= min_delta)
    ### END SOLUTION
