"""Graded tests for unit 8 — Training loop.

The loop is tested on models, an optimizer and a loss defined here, independent of the reference
and of the other units: a linear model y = X @ W + b, a one-hidden-layer tanh network, plain SGD
and the MSE. Besides agreeing with the reference (same seed, same batches, same history), every
function is checked against something that does not use it: np.random.default_rng's own
permutation, an SGD step worked out by hand, np.linalg.lstsq, a model whose parameters never move
(so every epoch's loss is the loss on all the data), a model whose validation losses follow a
script, hand-counted accuracies and an epochs-since-the-best counter for early stopping.
"""
import contextlib
import io
import os
import re
import sys
import warnings

import numpy as np

import nnlings.solutions.unit08_training as reference
from nnlings.grader.expect import (GradedFailure, describe, expect, expect_array, expect_scalar,
                                   fail, margin)
from nnlings.grader.cases import case_rng
from nnlings.grader.dependencies import with_students_pieces
from nnlings.grader.graded import graded
from nnlings.grader.mistakes import for_function


# Models, optimizers and the loss of these tests -------------------------------------------------

class LinearModel:
    """y = X @ W + b: one dense layer without activation."""

    def __init__(self, W, b):
        self.W, self.b = W, b
        self.params = [self.W, self.b]

    def forward(self, X):
        self.X = X
        return X @ self.W + self.b

    def backward(self, d_output):
        return [self.X.T @ d_output, d_output.sum(axis=0)]

    def copy(self):
        return LinearModel(self.W.copy(), self.b.copy())

    def __repr__(self):
        return f"LinearModel({self.W.shape[0]} → {self.W.shape[1]})"


class TanhNet:
    """y = tanh(X @ W1 + b1) @ W2 + b2: one hidden tanh layer, a linear output."""

    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2
        self.params = [self.W1, self.b1, self.W2, self.b2]

    def forward(self, X):
        self.X = X
        self.H = np.tanh(X @ self.W1 + self.b1)
        return self.H @ self.W2 + self.b2

    def backward(self, d_output):
        dZ = (d_output @ self.W2.T) * (1.0 - self.H ** 2)
        return [self.X.T @ dZ, dZ.sum(axis=0), self.H.T @ d_output, d_output.sum(axis=0)]

    def copy(self):
        return TanhNet(*(p.copy() for p in self.params))

    def __repr__(self):
        return f"TanhNet({self.W1.shape[0]} → {self.W1.shape[1]} → {self.W2.shape[1]})"


class SGD:
    """p ← p − learning_rate·g, in place."""

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.learning_rate * grad

    def __repr__(self):
        return f"SGD({self.learning_rate})"


class RecordingSGD(SGD):
    """SGD that remembers the arguments of every step."""

    def __init__(self, learning_rate):
        super().__init__(learning_rate)
        self.calls = []

    def step(self, params, grads):
        grads = list(grads)
        self.calls.append((list(params), [np.array(g, dtype=np.float64) for g in grads]))
        super().step(params, grads)


class FrozenOptimizer:
    """An optimizer that changes nothing: the model predicts the same after every step."""

    def step(self, params, grads):
        pass


class PoisonedSGD(SGD):
    """SGD that writes NaN into the first parameter at step `poison_at` (counted from 1)."""

    def __init__(self, learning_rate, poison_at):
        super().__init__(learning_rate)
        self.poison_at, self.steps = poison_at, 0

    def step(self, params, grads):
        super().step(params, grads)
        self.steps += 1
        if self.steps == self.poison_at:
            params[0][...] = np.nan


class ScriptedModel:
    """A one-parameter model whose losses follow a script (see ScriptedOptimizer).

    It predicts the constant θ for every sample; against targets 0 its MSE is θ².
    """

    def __init__(self):
        self.theta = np.zeros(1)
        self.params = [self.theta]

    def forward(self, X):
        return np.full((len(X), 1), self.theta[0])

    def backward(self, d_output):
        return [np.zeros(1)]

    def __repr__(self):
        return "ScriptedModel()"


class ScriptedOptimizer:
    """Step k sets θ to sqrt(script[k − 1]), so the MSE after step k is script[k − 1]."""

    def __init__(self, script):
        self.thetas = list(np.sqrt(script))

    def step(self, params, grads):
        params[0][0] = self.thetas.pop(0) if self.thetas else params[0][0]


def mse(y_pred, y_true):
    error = y_pred - y_true
    return float(np.sum(error * error) / error.size)


def mse_grad(y_pred, y_true):
    return (y_pred - y_true) * (2.0 / y_pred.size)


def linear_model(rng, n_in, n_out):
    return LinearModel(rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))


def tanh_net(rng, n_in, n_hidden, n_out):
    return TanhNet(rng.normal(size=(n_in, n_hidden)), rng.normal(0.0, 0.1, n_hidden),
                   rng.normal(size=(n_hidden, n_out)) / np.sqrt(n_hidden), np.zeros(n_out))


# Checks shared by the tests ----------------------------------------------------------------------

def known_mistake(exercise, function, reproduces):
    """The note naming the catalogued mistake for which `reproduces(mutant)` holds, or ''."""
    for mistake in for_function(exercise, function):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                matched = reproduces(mistake.mutant)
        except Exception:  # a mutant that cannot run on these inputs says nothing
            continue
        if matched:
            return (f"\n  This looks like a known mistake: {mistake.name}. {mistake.explanation}"
                    f"\n  Read `nnlings hint {exercise} --level {mistake.hint_level}`.")
    return ""


def diagnosed(check, exercise, function, reproduces):
    """Run `check`; if it fails, add the name of the mistake the answer reproduces."""
    __tracebackhide__ = True
    try:
        check()
    except GradedFailure as failure:
        raise GradedFailure(str(failure) + known_mistake(exercise, function, reproduces)) from None


def same_arrays(first, second):
    return len(first) == len(second) and all(
        np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)
        for a, b in zip(first, second))


def expect_params(model, expected, *, exercise, after, rtol=1e-9, atol=1e-12):
    """Every array of model.params is close to the expected array."""
    __tracebackhide__ = True
    names = [name for name in vars(model) if any(vars(model)[name] is p for p in model.params)]
    for index, (param, value) in enumerate(zip(model.params, expected)):
        label = names[index] if index < len(names) else f"params[{index}]"
        expect_array(param, value, exercise=exercise, function=f"{label} after {after}",
                     rtol=rtol, atol=atol)


def params_of(model):
    return [p.copy() for p in model.params]


@contextlib.contextmanager
def global_random_state_watched(exercise, function):
    """Fail if the block draws from NumPy's global random state."""
    before = np.random.get_state()
    yield
    after = np.random.get_state()
    expect(np.array_equal(before[1], after[1]) and before[2] == after[2], exercise,
           f"{function} drew numbers from NumPy's global random state (np.random.permutation, "
           "np.random.shuffle, ...). Draw from the rng argument only, so that the same seed "
           "always gives the same result.")


def expect_unchanged(exercise, call, X, y, originals):
    """X and y still hold their original rows."""
    __tracebackhide__ = True
    expect(np.array_equal(X, originals[0]) and np.array_equal(y, originals[1]), exercise,
           f"{call} changed the X or y it was given (rng.shuffle(X) shuffles the caller's "
           "array in place). Index with a permutation instead: X[order] is a new array.")


def expect_raises(error_type, fragments, call, *, exercise, what):
    """`call()` raises `error_type` with every fragment in its message."""
    __tracebackhide__ = True
    try:
        call()
    except error_type as error:
        missing = [f for f in fragments if f.lower() not in str(error).lower()]
        expect(not missing, exercise,
               f"{what} raised {error_type.__name__}({str(error)!r}), whose message should "
               f"mention {', '.join(repr(f) for f in missing)}.")
        return
    except Exception as error:
        fail(exercise, f"{what} raised {type(error).__name__}: {error}; expected "
                       f"{error_type.__name__}.")
    fail(exercise, f"{what} raised nothing; expected {error_type.__name__}.")


# 8.1 minibatch indices ---------------------------------------------------------------------------

BATCH_CASES = [(10, 4), (10, 5), (12, 1), (1, 1), (7, 7), (25, 6), (3, 2)]


def batches_of(got, n_samples, batch_size):
    """The student's batches as a list of integer arrays, or a failure saying what is wrong."""
    __tracebackhide__ = True
    call = f"minibatch_indices({n_samples}, {batch_size}, rng)"
    expect(isinstance(got, (list, tuple)), "8.1",
           f"{call} must return a list of index arrays, but it returned {describe(got)}.")
    expect(len(got) > 0, "8.1", f"{call} returned no batches; every sample needs one.")
    batches = []
    for k, batch in enumerate(got):
        array = np.asarray(batch)
        expect(array.ndim == 1 and array.dtype.kind in "iu", "8.1",
               f"batch {k} of {call} is {describe(batch)}; expected a 1-D array of integer "
               "indices (rng.permutation returns one).")
        batches.append(array)
    return batches


def batch_sizes(n_samples, batch_size):
    """[batch_size, ..., batch_size, rest]: the sizes of one epoch's batches."""
    return [batch_size] * (n_samples // batch_size) + [n_samples % batch_size] * (
        n_samples % batch_size > 0)


def batches_reproduce(got, n_samples, batch_size, seed):
    """A `reproduces` test: the mutant's batches from a fresh rng equal `got`."""
    def reproduces(mutant):
        wrong = mutant(n_samples, batch_size, case_rng(seed))
        return same_arrays([np.asarray(b) for b in wrong], got)
    return reproduces


@graded("8.1", points=2)
def test_minibatch_indices_cover_every_sample_once(impl):
    for seed, (n_samples, batch_size) in enumerate(BATCH_CASES, start=810):
        batches = batches_of(impl.minibatch_indices(n_samples, batch_size,
                                                    case_rng(seed)),
                             n_samples, batch_size)
        reproduces = batches_reproduce(batches, n_samples, batch_size, seed)
        call = f"minibatch_indices({n_samples}, {batch_size}, rng)"
        sizes, expected = [len(b) for b in batches], batch_sizes(n_samples, batch_size)
        diagnosed(lambda: expect(sizes == expected, "8.1",
                                 f"{call} gave batches of sizes {sizes}; expected {expected}: "
                                 "full batches, then one shorter batch with the rest."),
                  "8.1", "minibatch_indices", reproduces)
        seen = np.sort(np.concatenate(batches))
        diagnosed(lambda: expect(np.array_equal(seen, np.arange(n_samples)), "8.1",
                                 f"{call} must use every sample exactly once, but the batches "
                                 f"hold the indices {seen.tolist()}."),
                  "8.1", "minibatch_indices", reproduces)


@graded("8.1", points=2)
def test_minibatch_indices_cut_one_permutation_from_rng(impl):
    for seed, (n_samples, batch_size) in enumerate(BATCH_CASES, start=815):
        rng = case_rng(seed)
        with global_random_state_watched("8.1", "minibatch_indices"):
            got = impl.minibatch_indices(n_samples, batch_size, rng)
        batches = batches_of(got, n_samples, batch_size)
        call = f"minibatch_indices({n_samples}, {batch_size}, rng)"
        oracle = case_rng(seed)
        permutation = oracle.permutation(n_samples)
        order = np.concatenate(batches)
        diagnosed(lambda: expect(np.array_equal(order, permutation), "8.1",
                                 f"{call}: the batches, one after the other, should be "
                                 f"rng.permutation({n_samples}) = {permutation.tolist()} cut in "
                                 f"order, but they hold {order.tolist()}."),
                  "8.1", "minibatch_indices", batches_reproduce(batches, n_samples,
                                                                batch_size, seed))
        expect(rng.random() == oracle.random(), "8.1",
               f"{call} drew more from rng than the one permutation; draw exactly one "
               "rng.permutation(n_samples) per call.")
        expected = reference.minibatch_indices(n_samples, batch_size, case_rng(seed))
        expect(same_arrays(batches, expected), "8.1",
               f"{call} gave {[b.tolist() for b in batches]}; expected "
               f"{[b.tolist() for b in expected]}.")


@graded("8.1", points=1)
def test_minibatch_indices_depend_only_on_the_rng(impl):
    n_samples, batch_size = 30, 8
    call = f"minibatch_indices({n_samples}, {batch_size}, rng)"
    first = batches_of(impl.minibatch_indices(n_samples, batch_size, case_rng(818)),
                       n_samples, batch_size)
    again = batches_of(impl.minibatch_indices(n_samples, batch_size, case_rng(818)),
                       n_samples, batch_size)
    expect(same_arrays(first, again), "8.1",
           f"{call} gave different batches for two generators with the same seed; take all "
           "randomness from rng.")
    rng = case_rng(819)
    epochs = [batches_of(impl.minibatch_indices(n_samples, batch_size, rng), n_samples,
                         batch_size) for _ in range(3)]
    orders = [np.concatenate(batches) for batches in epochs]
    diagnosed(lambda: expect(not np.array_equal(orders[0], orders[1])
                             and not np.array_equal(orders[1], orders[2]), "8.1",
                             f"three calls of {call} with the same rng gave the same order "
                             f"{orders[0].tolist()}; each epoch needs a new shuffle."),
              "8.1", "minibatch_indices", batches_reproduce(epochs[0], n_samples, batch_size, 819))


# 8.2 one training step ---------------------------------------------------------------------------

def step_cases(seed):
    """(model, X, y): a linear model and a batch, for several shapes (batch 1, strided X)."""
    rng = case_rng(seed)
    for n, n_in, n_out in [(6, 3, 1), (1, 2, 2), (5, 4, 3)]:
        X = rng.normal(size=(n, 2 * n_in))[:, ::2]
        yield linear_model(rng, n_in, n_out), X, rng.normal(size=(n, n_out))


def hand_sgd_step(W, b, X, y, learning_rate):
    """(loss before, W after, b after) of one SGD step on the MSE of y ≈ X @ W + b."""
    residual = X @ W + b - y
    d_output = 2.0 * residual / residual.size
    return (float(np.mean(residual ** 2)), W - learning_rate * X.T @ d_output,
            b - learning_rate * d_output.sum(axis=0))


def step_outcome(train_step, model, X, y, optimizer):
    """What a train_step returns and leaves in the model."""
    returned = train_step(model, X, y, mse, mse_grad, optimizer)
    return returned, params_of(model)


def step_reproduces(initial, X, y, learning_rate, got_loss, got_params):
    def reproduces(mutant):
        wrong_loss, wrong_params = step_outcome(mutant, initial.copy(), X, y, SGD(learning_rate))
        return np.isclose(float(wrong_loss), float(got_loss)) and same_arrays(wrong_params,
                                                                               got_params)
    return reproduces


def check_step(impl, initial, X, y, learning_rate, expected_loss, expected_params):
    """train_step on a copy of `initial` returns expected_loss and leaves expected_params."""
    __tracebackhide__ = True
    model = initial.copy()
    got_loss, got_params = step_outcome(impl.train_step, model, X, y, SGD(learning_rate))
    call = f"train_step({model!r}, {describe(X)}, {describe(y)}, mse, mse_grad, SGD)"
    try:
        got_number = float(got_loss)
    except (TypeError, ValueError):
        got_number = np.nan
    reproduces = step_reproduces(initial, X, y, learning_rate, got_number, got_params)
    diagnosed(lambda: expect_scalar(got_loss, expected_loss, exercise="8.2", function=call),
              "8.2", "train_step", reproduces)
    diagnosed(lambda: expect_params(model, expected_params, exercise="8.2", after=call),
              "8.2", "train_step", reproduces)


@graded("8.2", points=2)
def test_train_step_is_a_hand_computed_sgd_step(impl):
    for model, X, y in step_cases(820):
        loss, W, b = hand_sgd_step(model.W, model.b, X, y, learning_rate=0.1)
        check_step(impl, model, X, y, 0.1, loss, [W, b])
        expected = model.copy()
        expected_loss = reference.train_step(expected, X, y, mse, mse_grad, SGD(0.1))
        check_step(impl, model, X, y, 0.1, expected_loss, expected.params)


@graded("8.2", points=1)
def test_train_step_hands_the_models_arrays_to_the_optimizer_once(impl):
    for model, X, y in step_cases(821):
        optimizer = RecordingSGD(0.05)
        initial, arrays = model.copy(), list(model.params)
        oracle = model.copy()
        expected_grads = oracle.backward(mse_grad(oracle.forward(X), y))
        impl.train_step(model, X, y, mse, mse_grad, optimizer)
        expect(len(optimizer.calls) == 1, "8.2",
               f"train_step called optimizer.step {len(optimizer.calls)} times; call it exactly "
               "once, with model.params and the gradients from model.backward.")
        params, grads = optimizer.calls[0]
        expect(len(params) == len(arrays) and all(p is a for p, a in zip(params, arrays)),
               "8.2", "train_step must pass model.params itself (the model's own arrays) to "
                      "optimizer.step, so that the update changes the model.")
        expect(len(grads) == len(expected_grads), "8.2",
               f"train_step passed {len(grads)} gradients to optimizer.step; the model has "
               f"{len(expected_grads)} params. Pass the list model.backward returns.")
        reproduces = grads_reproduce(initial, X, y, grads)
        for index, (grad, expected) in enumerate(zip(grads, expected_grads)):
            diagnosed(lambda: expect_array(grad, expected, exercise="8.2",
                                           function=f"gradient {index} passed to "
                                                    "optimizer.step by train_step"),
                      "8.2", "train_step", reproduces)


def grads_reproduce(initial, X, y, got_grads):
    """A `reproduces` test: the mutant hands optimizer.step the same gradients."""
    def reproduces(mutant):
        optimizer = RecordingSGD(0.05)
        mutant(initial.copy(), X, y, mse, mse_grad, optimizer)
        return len(optimizer.calls) == 1 and same_arrays(optimizer.calls[0][1], got_grads)
    return reproduces


@graded("8.2", points=1)
def test_train_step_on_a_tanh_network(impl):
    rng = case_rng(822)
    net = tanh_net(rng, 2, 5, 2)
    X, y = rng.normal(size=(7, 2)), rng.normal(size=(7, 2))
    for _ in range(3):
        oracle = net.copy()
        y_pred = oracle.forward(X)
        grads = oracle.backward(mse_grad(y_pred, y))
        expected = [p - 0.2 * g for p, g in zip(oracle.params, grads)]
        check_step(impl, net, X, y, 0.2, mse(y_pred, y), expected)
        for param, value in zip(net.params, expected):
            param[...] = value


# 8.3 fit -----------------------------------------------------------------------------------------

def history_of(got, *, keys, length=None):
    """The student's history as {key: float array}, or a failure saying what is wrong."""
    __tracebackhide__ = True
    expect(isinstance(got, dict), "8.3",
           f"fit must return the history as a dict such as {{'loss': [...]}}, but it returned "
           f"{describe(got)}.")
    expect(set(got) == set(keys), "8.3",
           f"fit's history has the keys {sorted(got)}; expected {sorted(keys)} ('val_loss' "
           "only when validation_data is given).")
    arrays = {}
    for key in keys:
        values = got[key]
        expect(isinstance(values, (list, tuple, np.ndarray)), "8.3",
               f"history[{key!r}] must be a list of numbers, one float per epoch; got "
               f"{describe(values)}.")
        odd = next((v for v in values if np.ndim(v) != 0 or isinstance(v, (str, bytes))), None)
        expect(odd is None, "8.3",
               f"history[{key!r}] must hold one number per epoch, but it holds "
               f"{describe(odd)}; append float(epoch_loss).")
        try:
            array = np.asarray(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            fail("8.3", f"history[{key!r}] must be a list of numbers, one float per epoch; "
                        f"got {values!r}.")
        if length is not None:
            expect(len(array) == length, "8.3",
                   f"history[{key!r}] has {len(array)} entries; expected {length}, one per "
                   "epoch run.")
        arrays[key] = array
    return arrays


def fit_reproduces(scenario, got_history, got_params):
    """A `reproduces` test: the mutant, run on the same scenario, gives the same outcome."""
    def reproduces(mutant):
        history, params = scenario(mutant)
        return (set(history) == set(got_history)
                and all(same_arrays([np.asarray(history[k])], [got_history[k]])
                        for k in history)
                and same_arrays(params, got_params))
    return reproduces


def right_given_pieces(impl, scenario, got_history, got_params):
    """8.3 is judged on its own: whether the student's fit did exactly what the reference's fit
    does on `scenario` when it calls the student's train_step (8.2) and should_stop (8.5), and
    those make a difference here (8.2 and 8.5 charge their own slips)."""
    try:
        with np.errstate(all="ignore"):
            yours = scenario(with_students_pieces(reference, impl, "8.3", "fit"))
            ours = scenario(reference.fit)
    except Exception:  # the student's pieces fail on this scenario: nothing is explained
        return False
    return not same_outcome(yours, ours) and same_outcome(yours, (got_history, got_params))


def same_outcome(one, other):
    """Whether two (history, params) outcomes of fit agree up to round-off."""
    (history, params), (other_history, other_params) = one, other
    return (set(history) == set(other_history)
            and all(same_arrays([np.asarray(history[k], dtype=float)],
                                [np.asarray(other_history[k], dtype=float)]) for k in history)
            and same_arrays(params, other_params))


def check_fit(impl, scenario, *, keys, length, expected_history=None, expected_params=None,
              rtol=1e-9, atol=1e-12):
    """Run `scenario` with the student's fit and compare history and params."""
    __tracebackhide__ = True
    raw, params = scenario(impl.fit)
    history = history_of(raw, keys=keys, length=length)
    try:
        compare_fit(scenario, history, params, expected_history, expected_params, rtol, atol)
    except GradedFailure:
        if not right_given_pieces(impl, scenario, history, params):
            raise
    return history, params


def compare_fit(scenario, history, params, expected_history, expected_params, rtol, atol):
    __tracebackhide__ = True
    reproduces = fit_reproduces(scenario, history, params)
    for key, expected in (expected_history or {}).items():
        diagnosed(lambda: expect_array(history[key], expected, exercise="8.3",
                                       function=f"history[{key!r}] returned by fit",
                                       rtol=rtol, atol=atol),
                  "8.3", "fit", reproduces)
    for index, expected in enumerate(expected_params or []):
        diagnosed(lambda: expect_array(params[index], expected, exercise="8.3",
                                       function=f"params[{index}] after fit",
                                       rtol=rtol, atol=atol),
                  "8.3", "fit", reproduces)


def regression_data(seed, n_samples, n_in, n_out, noise):
    rng = case_rng(seed)
    X = rng.normal(size=(n_samples, n_in))
    y = X @ rng.normal(size=(n_in, n_out)) + rng.normal(size=n_out)
    return X, y + noise * rng.normal(size=y.shape)


def least_squares(X, y):
    """(W, b) of the least-squares fit y ≈ X @ W + b, by np.linalg.lstsq."""
    coefficients = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), y, rcond=None)[0]
    return coefficients[:-1], coefficients[-1]


@graded("8.3", points=2)
def test_fit_converges_to_least_squares(impl):
    cases = [  # (data seed, n_out, noise, batch_size, epochs, learning rate)
        (830, 1, 0.3, 60, 300, 0.2),   # full batch on noisy data: gradient descent
        (831, 2, 0.0, 16, 200, 0.1),   # batches 16, 16, 16, 12 on exact data
    ]
    for seed, n_out, noise, batch_size, epochs, learning_rate in cases:
        X, y = regression_data(seed, 60, 3, n_out, noise)
        initial = linear_model(case_rng(seed + 10), 3, n_out)

        def scenario(fit):
            model = initial.copy()
            history = fit(model, X, y, loss=mse, loss_grad=mse_grad,
                          optimizer=SGD(learning_rate), epochs=epochs, batch_size=batch_size,
                          rng=case_rng(seed))
            return history, params_of(model)

        W, b = least_squares(X, y)
        history, params = check_fit(impl, scenario, keys={"loss"}, length=epochs,
                                    expected_params=[W, b], rtol=1e-7, atol=1e-8)
        residual = X @ W + b - y
        expect(margin(f"8.3 case {seed} last loss is the fitted loss",
                      abs(history["loss"][-1] - np.mean(residual ** 2)), 1e-6, "<")
               or right_given_pieces(impl, scenario, history, params), "8.3",
               f"after fit converged, the last epoch's loss is {history['loss'][-1]:.10g}, but "
               f"the loss of the fitted model is {np.mean(residual ** 2):.10g}.")


@graded("8.3", points=2)
def test_fit_epoch_loss_is_the_sample_weighted_mean(impl):
    # A model that never changes has the same loss on every batch arrangement, so each epoch's
    # sample-weighted loss is the loss on all the data. Batches of 4, 4, 2 tell a plain mean of
    # the batch losses apart.
    rng = case_rng(832)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    X_val, y_val = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    y[:2] += 5.0  # two far-off targets make the batches' losses differ
    initial = linear_model(rng, 2, 1)

    def scenario(fit):
        model = initial.copy()
        history = fit(model, X, y, loss=mse, loss_grad=mse_grad, optimizer=FrozenOptimizer(),
                      epochs=5, batch_size=4, rng=case_rng(833),
                      validation_data=(X_val, y_val))
        return history, params_of(model)

    expected = {"loss": [mse(initial.forward(X), y)] * 5,
                "val_loss": [mse(initial.forward(X_val), y_val)] * 5}
    check_fit(impl, scenario, keys={"loss", "val_loss"}, length=5, expected_history=expected)


@graded("8.3", points=2)
def test_fit_matches_the_reference_with_the_same_seed(impl):
    rng = case_rng(834)
    X = rng.uniform(-2.0, 2.0, size=(23, 1))
    X_val = rng.uniform(-2.0, 2.0, size=(7, 1))
    y, y_val = np.sin(2.0 * X), np.sin(2.0 * X_val)
    X_copy, y_copy = X.copy(), y.copy()
    initial = tanh_net(rng, 1, 6, 1)

    def scenario(fit):
        model = initial.copy()
        history = fit(model, X, y, loss=mse, loss_grad=mse_grad, optimizer=SGD(0.1), epochs=8,
                      batch_size=5, rng=case_rng(835),
                      validation_data=(X_val, y_val))
        return history, params_of(model)

    with global_random_state_watched("8.3", "fit"):
        raw, _ = scenario(impl.fit)
    expect_unchanged("8.3", "fit", X, y, (X_copy, y_copy))
    history_of(raw, keys={"loss", "val_loss"}, length=8)
    expected_history, expected_params = scenario(reference.fit)
    history, _ = check_fit(impl, scenario, keys={"loss", "val_loss"}, length=8,
                           expected_history=expected_history, expected_params=expected_params)
    expect(margin("8.3 fit lowers the loss", history["loss"][-1], history["loss"][0], "<"),
           "8.3",
           f"fit did not lower the training loss: {history['loss'].tolist()}.")


SCRIPT = [5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.0, 1.0, 0.5, 0.2]  # validation loss after each epoch
SCRIPTED_RUNS = [  # (validation losses, patience, epochs fit should run, index of the best epoch)
    (SCRIPT, 3, 6, 2),                  # best epoch 3 (3.0); epochs 4, 5, 6 do not beat it
    (SCRIPT, 1, 4, 2),                  # patience 1 stops at the first epoch without improvement
    ([4.0, 2.0, 3.0, 2.5], 3, 4, 1),    # patience never runs out; epoch 2 is still restored
]


def scripted_run(fit, script, patience):
    """fit on a ScriptedModel, one batch per epoch: the validation losses follow `script`."""
    X, y = np.zeros((4, 1)), np.zeros((4, 1))
    model = ScriptedModel()
    history = fit(model, X, y, loss=mse, loss_grad=mse_grad,
                  optimizer=ScriptedOptimizer(script), epochs=len(script), batch_size=4,
                  rng=case_rng(836), validation_data=(X, y), patience=patience)
    return history, model


def scripted_outcomes(fit):
    """What `fit` does on every scripted run: its history, the final θ and whether θ is still
    the model's own array (or the name of the error it raises)."""
    outcomes = []
    for script, patience, _, _ in SCRIPTED_RUNS:
        try:
            history, model = scripted_run(fit, script, patience)
            outcomes.append(({key: np.round(np.asarray(values, dtype=float), 9).tolist()
                              for key, values in history.items()},
                             round(float(model.params[0][0]), 9), model.params[0] is model.theta,
                             round(float(model.theta[0]), 9)))
        except Exception as error:
            outcomes.append(type(error).__name__)
    return outcomes


def same_scripted_outcomes(fit):
    """A `reproduces` test: the mutant behaves like `fit` on every scripted run."""
    student = []

    def reproduces(mutant):
        if not student:
            student.append(scripted_outcomes(fit))
        return scripted_outcomes(mutant) == student[0]

    return reproduces


def check_scripted_run(impl, run):
    """fit stops after the expected epoch and leaves θ = sqrt(script[best]), in place."""
    __tracebackhide__ = True
    script, patience, epochs_run, best = SCRIPTED_RUNS[run]
    raw, model = scripted_run(impl.fit, script, patience)
    history = history_of(raw, keys={"loss", "val_loss"})
    shown = f"fit on validation losses {script} (one per epoch) with patience={patience}"
    reproduces = same_scripted_outcomes(impl.fit)
    checks = [
        lambda: expect(len(history["val_loss"]) == epochs_run, "8.3",
                       f"{shown} ran {len(history['val_loss'])} epochs; expected it to stop after "
                       f"epoch {epochs_run}. should_stop(val_losses, patience) tells when."),
        lambda: expect(len(history["loss"]) == epochs_run, "8.3",
                       f"{shown}: history['loss'] has {len(history['loss'])} entries; expected "
                       f"{epochs_run}, one per epoch run."),
        lambda: expect_array(history["loss"], [0.0] + script[:epochs_run - 1], exercise="8.3",
                             function=f"history['loss'] of {shown} (each epoch's loss is "
                                      "measured before its step)"),
        lambda: expect_array(history["val_loss"], script[:epochs_run], exercise="8.3",
                             function=f"history['val_loss'] of {shown}"),
        lambda: expect(model.params[0] is model.theta, "8.3",
                       f"after {shown}, model.params holds a new array: restore the best params "
                       "into the model's own arrays (p[...] = best), because the model's layers "
                       "keep computing with them."),
        lambda: expect_array(model.theta, [np.sqrt(script[best])], exercise="8.3",
                             function=f"the parameter after {shown} (the best epoch was epoch "
                                      f"{best + 1}, validation loss {script[best]})"),
    ]
    try:
        for check in checks:
            diagnosed(check, "8.3", "fit", reproduces)
    except GradedFailure:
        if not scripted_right_given_pieces(impl):
            raise


def scripted_right_given_pieces(impl):
    """8.3 judged on its own on the scripted runs: the student's fit behaves exactly as the
    reference's fit calling the student's train_step and should_stop, and these matter here."""
    try:
        yours = scripted_outcomes(with_students_pieces(reference, impl, "8.3", "fit"))
    except Exception:  # the student's pieces fail here: nothing is explained
        return False
    return yours != scripted_outcomes(reference.fit) and yours == scripted_outcomes(impl.fit)


@graded("8.3", points=2)
def test_fit_stops_early_and_restores_the_best_params(impl):
    check_scripted_run(impl, 0)
    check_scripted_run(impl, 1)


@graded("8.3", points=1)
def test_fit_restores_the_best_params_without_an_early_stop(impl):
    check_scripted_run(impl, 2)
    # Without patience the model keeps its last params: θ after epoch 4.
    model = ScriptedModel()
    impl.fit(model, np.zeros((4, 1)), np.zeros((4, 1)), loss=mse, loss_grad=mse_grad,
             optimizer=ScriptedOptimizer([4.0, 2.0, 3.0, 2.5]), epochs=4, batch_size=4,
             rng=case_rng(837), validation_data=(np.zeros((2, 1)), np.zeros((2, 1))))
    expect_array(model.theta, [np.sqrt(2.5)], exercise="8.3",
                 function="the parameter after fit with validation_data and no patience (only "
                          "patience restores the best params)")


@graded("8.3", points=1)
def test_fit_raises_on_a_nan_loss(impl):
    rng = case_rng(838)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    model = linear_model(rng, 2, 1)
    # Two steps per epoch; step 5 (in epoch 3) writes NaN into W, so step 6's loss is NaN.
    optimizer = PoisonedSGD(0.01, poison_at=5)
    call = ("fit(..., epochs=6, batch_size=5) on 10 samples, with a model whose weights turn to "
            "NaN in epoch 3")
    try:
        with np.errstate(all="ignore"):
            history = impl.fit(model, X, y, loss=mse, loss_grad=mse_grad, optimizer=optimizer,
                               epochs=6, batch_size=5, rng=case_rng(839))
    except FloatingPointError as error:
        message = str(error)
        expect(re.search(r"\bepoch\D{0,3}3\b", message, re.IGNORECASE) is not None, "8.3",
               f"{call} raised FloatingPointError({message!r}); the message should name the "
               "epoch, e.g. 'epoch 3'.")
        expect("learning rate" in message.lower(), "8.3",
               f"{call} raised FloatingPointError({message!r}); the message should advise a "
               "lower learning rate (NaN usually means exploding gradients).")
        return
    shown = history.get("loss") if isinstance(history, dict) else history
    fail("8.3", f"{call} returned the history {shown!r} instead of raising FloatingPointError "
                "when the loss became NaN." + known_mistake("8.3", "fit", returns_on_nan))


def returns_on_nan(fit):
    """Whether `fit` runs through the NaN scenario of the test above without raising."""
    rng = case_rng(838)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    model = linear_model(rng, 2, 1)
    fit(model, X, y, loss=mse, loss_grad=mse_grad, optimizer=PoisonedSGD(0.01, poison_at=5),
        epochs=6, batch_size=5, rng=case_rng(839))
    return True


@graded("8.3", points=1)
def test_fit_rejects_bad_arguments(impl):
    rng = case_rng(840)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    model = linear_model(rng, 2, 1)
    good = dict(loss=mse, loss_grad=mse_grad, optimizer=SGD(0.01), epochs=2, batch_size=5,
                rng=case_rng(841))
    history_of(impl.fit(model, X, y, **good), keys={"loss"}, length=2)
    bad = [  # (what, X, y, changed arguments, words the message must contain)
        ("X with 10 rows and y with 9", X, y[:9], {}, ["10", "9"]),
        ("an empty data set", X[:0], y[:0], {}, ["empty"]),
        ("batch_size=0", X, y, {"batch_size": 0}, ["batch_size", "0"]),
        ("batch_size=11 for 10 samples", X, y, {"batch_size": 11}, ["batch_size", "11", "10"]),
        ("epochs=0", X, y, {"epochs": 0}, ["epochs", "0"]),
        ("patience=2 without validation_data", X, y, {"patience": 2},
         ["patience", "validation_data"]),
    ]
    for what, X_bad, y_bad, changed, words in bad:
        expect_raises(ValueError, words,
                      lambda: impl.fit(model, X_bad, y_bad, **{**good, **changed}),
                      exercise="8.3", what=f"fit with {what}")


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal and keeps what is written to it."""

    def isatty(self):
        return True


@contextlib.contextmanager
def environment(**changes):
    """Set (a string) or remove (None) environment variables for the block."""
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@graded("8.3", points=1)
def test_fit_is_silent_under_pytest(impl):
    rng = case_rng(842)
    X, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    under_pytest = os.environ.get("PYTEST_CURRENT_TEST", "graded test")
    for verbose in (None, False):
        terminal = FakeTerminal()
        with environment(PYTEST_CURRENT_TEST=under_pytest), \
                contextlib.redirect_stderr(terminal):
            impl.fit(linear_model(rng, 2, 1), X, y, loss=mse, loss_grad=mse_grad,
                     optimizer=SGD(0.01), epochs=3, batch_size=4, rng=rng, verbose=verbose)
        expect(terminal.getvalue() == "", "8.3",
               f"fit(..., verbose={verbose}) under pytest wrote {terminal.getvalue()!r} to "
               "stderr; it should stay quiet unless verbose=True.")
    # The provided display: a line rewritten in place, ended when the block ends.
    display = getattr(impl, "ProgressDisplay", None)
    expect(display is not None, "8.3",
           "the module has no ProgressDisplay: it is provided with the exercise, keep it.")
    for verbose, variables, shown in [(True, {"PYTEST_CURRENT_TEST": under_pytest}, True),
                                      (None, {"PYTEST_CURRENT_TEST": under_pytest}, False),
                                      (None, {"PYTEST_CURRENT_TEST": None}, True)]:
        terminal = FakeTerminal()
        with environment(**variables), contextlib.redirect_stderr(terminal):
            with display(2, verbose) as progress:
                progress.update(1, 0.5)
                progress.update(2, 0.25, 0.375)
        expected = ("\repoch 1/2  loss 0.5\repoch 2/2  loss 0.25  val_loss 0.375\n"
                    if shown else "")
        if verbose is None and shown and "ipykernel" in sys.modules:
            continue  # inside Jupyter the display stays quiet on purpose
        expect(terminal.getvalue() == expected, "8.3",
               f"ProgressDisplay(2, verbose={verbose}) wrote {terminal.getvalue()!r}; expected "
               f"{expected!r}. It is provided code: restore it from the generated file.")


# 8.4 predict, evaluate, accuracy -----------------------------------------------------------------

@graded("8.4", points=1)
def test_predict_returns_the_models_output(impl):
    rng = case_rng(843)
    for model in (linear_model(rng, 3, 2), tanh_net(rng, 3, 4, 1)):
        X = rng.normal(size=(6, 3))
        before = params_of(model)
        expected = (X @ model.W + model.b if isinstance(model, LinearModel)
                    else np.tanh(X @ model.W1 + model.b1) @ model.W2 + model.b2)
        expect_array(impl.predict(model, X), expected, exercise="8.4", function="predict",
                     args=(model, X))
        expect(same_arrays(model.params, before), "8.4", "predict changed the model's params.")
        expect_array(impl.predict(model, X), reference.predict(model, X), exercise="8.4",
                     function="predict", args=(model, X))


# One-hot: predicted classes 0, 2, 1, 0 against true classes 0, 2, 0, 0: three of four right.
PROBABILITIES = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.5, 0.1, 0.4]])
ONE_HOT = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
# One column: predicted classes 0, 1, 0 (0.5 is class 0), 1, 0 against 0, 1, 0, 0, 0: 4 of 5.
BINARY_PRED = np.array([[0.2], [0.7], [0.5], [0.9], [0.5]])
BINARY_TRUE = np.array([[0.0], [1.0], [0.0], [0.0], [0.0]])


def accuracy_by_loop(y_pred, y_true):
    """The fraction of rows right, counted one row at a time."""
    right = 0
    for p, t in zip(y_pred, y_true):
        if len(p) == 1:
            right += int(p[0] > 0.5) == int(t[0])
        else:
            right += max(range(len(p)), key=lambda j: (p[j], -j)) == list(t).index(1.0)
    return right / len(y_pred)


@graded("8.4", points=2)
def test_accuracy_on_hand_counted_examples(impl):
    logits = 3.0 * np.log(PROBABILITIES) + 1.0
    cases = [(PROBABILITIES, ONE_HOT, 0.75), (logits, ONE_HOT, 0.75),
             (ONE_HOT, ONE_HOT, 1.0), (BINARY_PRED, BINARY_TRUE, 0.8),
             (BINARY_PRED.ravel(), BINARY_TRUE.ravel(), 0.8),
             (np.array([[0.51], [0.49]]), np.array([[1.0], [0.0]]), 1.0)]
    for y_pred, y_true, expected in cases:
        expect_scalar(impl.accuracy(y_pred, y_true), expected, exercise="8.4",
                      function="accuracy", args=(y_pred, y_true), rtol=0.0, atol=1e-15)


@graded("8.4", points=1)
def test_accuracy_agrees_with_a_loop(impl):
    rng = case_rng(844)
    for n, k in [(9, 4), (30, 2), (40, 1), (12, 1), (1, 3)]:
        y_pred = rng.uniform(size=(n, k))
        y_true = (np.eye(k)[rng.integers(0, k, n)] if k > 1
                  else rng.integers(0, 2, (n, 1)).astype(np.float64))
        for expected in (accuracy_by_loop(y_pred, y_true), reference.accuracy(y_pred, y_true)):
            expect_scalar(impl.accuracy(y_pred, y_true), expected, exercise="8.4",
                          function="accuracy", args=(y_pred, y_true), rtol=0.0, atol=1e-12)


def mean_bias(y_pred, y_true):
    """How much the predictions overshoot on average (not symmetric in its arguments)."""
    return float(np.mean(y_pred - y_true))


def worst_error(y_pred, y_true):
    return float(np.max(np.abs(y_pred - y_true)))


@graded("8.4", points=2)
def test_evaluate_reports_the_loss_and_every_metric(impl):
    rng = case_rng(845)
    model = linear_model(rng, 3, 2)
    X, y = rng.normal(size=(9, 3)), rng.normal(size=(9, 2))
    y_pred = X @ model.W + model.b
    metrics = {"bias": mean_bias, "worst": worst_error}
    for given, expected in [
        (None, {"loss": mse(y_pred, y)}),
        (metrics, {"loss": mse(y_pred, y), "bias": mean_bias(y_pred, y),
                   "worst": worst_error(y_pred, y)}),
    ]:
        got = impl.evaluate(model, X, y, mse, given)
        call = f"evaluate({model!r}, {describe(X)}, {describe(y)}, mse, metrics={given and list(given)})"

        def reproduces(mutant, given=given, got=got):
            wrong = mutant(model, X, y, mse, given)
            return set(wrong) == set(got) and all(np.isclose(wrong[k], got[k]) for k in wrong)

        diagnosed(lambda: expect(isinstance(got, dict) and set(got) == set(expected), "8.4",
                                 f"{call} returned {got!r}; expected a dict with the keys "
                                 f"{sorted(expected)}."),
                  "8.4", "evaluate", reproduces)
        for name, value in expected.items():
            diagnosed(lambda: expect_scalar(got[name], value, exercise="8.4",
                                            function=f"[{name!r}] of {call}"),
                      "8.4", "evaluate", reproduces)
        reference_values = reference.evaluate(model, X, y, mse, given)
        for name, value in reference_values.items():
            expect_scalar(got[name], value, exercise="8.4", function=f"[{name!r}] of {call}")


# 8.5 validation split and early stopping ---------------------------------------------------------

def numbered_rows(n):
    """X[i] = (i, 10·i) and y[i] = (−i,): every row says which sample it is."""
    index = np.arange(n, dtype=np.float64)
    return np.column_stack([index, 10.0 * index]), -index[:, np.newaxis]


def split_of(got, call):
    """((X_train, y_train), (X_val, y_val)) as arrays, or a failure saying what is wrong."""
    __tracebackhide__ = True
    shape_ok = (isinstance(got, (tuple, list)) and len(got) == 2
                and all(isinstance(part, (tuple, list)) and len(part) == 2 for part in got))
    expect(shape_ok, "8.5",
           f"{call} must return ((X_train, y_train), (X_val, y_val)), but it returned "
           f"{describe(got)}.")
    parts = []
    for part in got:
        for array in part:
            expect(isinstance(array, np.ndarray) and array.ndim == 2, "8.5",
                   f"{call} returned {describe(array)} where a 2-D array of rows was expected.")
            parts.append(array)
    return parts


@graded("8.5", points=2)
def test_validation_split_is_one_shuffled_permutation(impl):
    cases = [(10, 0.2, 2), (10, 0.27, 3), (7, 0.5, 4), (20, 0.25, 5), (3, 0.34, 1)]
    for seed, (n, fraction, n_val) in enumerate(cases, start=850):
        X, y = numbered_rows(n)
        call = f"validation_split(X with {n} rows, y, {fraction}, rng)"
        got = split_of(impl.validation_split(X, y, fraction, case_rng(seed)), call)
        expect_unchanged("8.5", call, X, y, numbered_rows(n))
        X_train, y_train, X_val, y_val = got

        def reproduces(mutant, X=X, y=y, fraction=fraction, seed=seed, got=got):
            wrong = split_of(mutant(X, y, fraction, case_rng(seed)), call)
            return same_arrays(wrong, got)

        diagnosed(lambda: expect(len(X_val) == n_val and len(y_val) == n_val
                             and len(X_train) == n - n_val and len(y_train) == n - n_val, "8.5",
                             f"{call} gave {len(X_train)} training and {len(X_val)} validation "
                             f"rows; expected round({fraction} * {n}) = {n_val} for validation "
                             f"and {n - n_val} for training."),
              "8.5", "validation_split", reproduces)
        diagnosed(lambda: expect(np.array_equal(-np.vstack([y_train, y_val])[:, 0],
                                            np.vstack([X_train, X_val])[:, 0]), "8.5",
                             f"{call}: some targets no longer sit next to their inputs. Index X "
                             "and y with the same indices."),
              "8.5", "validation_split", reproduces)
        order = case_rng(seed).permutation(n)
        expected = [X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]]
        names = ("X_train", "y_train", "X_val", "y_val")
        for name, array, value in zip(names, got, expected):
            diagnosed(lambda: expect_array(array, value, exercise="8.5",
                                       function=f"{name} of {call} (the rows of "
                                                "rng.permutation(n), validation first)"),
                  "8.5", "validation_split", reproduces)
        expected = [a for part in reference.validation_split(X, y, fraction,
                                                             case_rng(seed))
                    for a in part]
        for name, array, value in zip(names, got, expected):
            expect_array(array, value, exercise="8.5", function=f"{name} of {call}")


@graded("8.5", points=1)
def test_validation_split_rejects_fractions_that_leave_a_part_empty(impl):
    X, y = numbered_rows(10)
    split_of(impl.validation_split(X, y, 0.3, case_rng(855)),
             "validation_split(X with 10 rows, y, 0.3, rng)")
    for fraction in (0.0, 1.0, -0.2, 1.5, 0.01, 0.97):
        expect_raises(ValueError, ["fraction"],
                      lambda: impl.validation_split(X, y, fraction, case_rng(856)),
                      exercise="8.5", what=f"validation_split of 10 rows with fraction={fraction}")


def check_stops(impl, cases):
    """should_stop answers every case (validation losses, patience, min_delta, stop?) right."""
    __tracebackhide__ = True
    answers = []
    for val_losses, patience, min_delta, _ in cases:
        got = impl.should_stop(list(val_losses), patience, min_delta)
        expect(isinstance(got, (bool, np.bool_)), "8.5",
               f"should_stop({list(val_losses)}, patience={patience}, min_delta={min_delta}) "
               f"returned {describe(got)}; expected True or False.")
        answers.append(bool(got))

    def reproduces(mutant):
        return [bool(mutant(list(v), p, d)) for v, p, d, _ in cases] == answers

    for (val_losses, patience, min_delta, stop), got in zip(cases, answers):
        diagnosed(lambda: expect(got == stop, "8.5",
                                 f"should_stop({list(val_losses)}, patience={patience}, "
                                 f"min_delta={min_delta}) returned {got}; expected {stop}."),
                  "8.5", "should_stop", reproduces)


@graded("8.5", points=2)
def test_should_stop_on_hand_made_sequences(impl):
    cases = [  # (validation losses, patience, min_delta, stop?)
        ([3.0, 2.0, 2.5, 2.1], 2, 0.0, True),    # nothing beat 2.0 in the last two epochs
        ([3.0, 2.0, 2.5, 1.9], 2, 0.0, False),   # 1.9 did
        ([3.0, 2.0, 2.5, 1.9], 2, 0.2, True),    # ... but only by 0.1
        ([3.0, 2.0, 2.5, 1.7], 2, 0.2, False),   # 0.3 is enough
        ([3.0, 2.0], 2, 0.0, False),             # too few epochs to judge
        ([3.0, 2.0, 2.0], 1, 0.0, True),         # equal is no improvement
        ([5.0, 4.0, 3.0, 3.5, 3.2], 3, 0.0, False),
        ([5.0, 4.0, 3.0, 3.5, 3.2, 3.1], 3, 0.0, True),
        ([1.0, 2.0, 1.5, 1.2], 3, 0.0, True),    # dips, but never below the first epoch's 1.0
        ([1.0], 1, 0.0, False),
    ]
    check_stops(impl, cases)


@graded("8.5", points=1)
def test_should_stop_agrees_with_an_epochs_since_best_counter(impl):
    rng = case_rng(857)
    cases = []
    for _ in range(40):
        val_losses = np.round(rng.uniform(0.0, 1.0, rng.integers(1, 12)), 1).tolist()
        patience = int(rng.integers(1, 5))
        since_best = len(val_losses) - 1 - int(np.argmin(val_losses))  # first minimum
        cases.append((val_losses, patience, 0.0, since_best >= patience))
    check_stops(impl, cases)
    check_stops(impl, [(v, p, d, reference.should_stop(v, p, d)) for v, p, d, _ in cases])
