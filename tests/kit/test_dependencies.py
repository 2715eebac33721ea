"""Dependent exercises: a slip in an earlier exercise costs that exercise only, and a later one
that fails says which earlier exercise to fix first."""
import importlib
from types import SimpleNamespace

import numpy as np
import pytest

from nnlings.grader import registry
from nnlings.grader.dependencies import BUILDS_ON, with_students_pieces
from nnlings.grader.mistakes import for_function
from nnlings.grader.suite import graded_tests

pytestmark = pytest.mark.kit


def _dense_db_over_the_wrong_axis(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)


def _neuron_forward_without_bias(X, w, b):
    return X @ w


def _train_step_reporting_twice_the_loss(model, X_batch, y_batch, loss, loss_grad, optimizer):
    y_pred = model.forward(X_batch)
    batch_loss = float(loss(y_pred, y_batch))
    optimizer.step(model.params, model.backward(loss_grad(y_pred, y_batch)))
    return 2.0 * batch_loss


# (later exercise, its function, earlier function, a wrong version of it)
SLIPS = [
    ("5.3", "mlp_backward", "dense_backward", _dense_db_over_the_wrong_axis),
    ("1.2", "sigmoid_neuron", "neuron_forward", _neuron_forward_without_bias),
    ("8.3", "fit", "train_step", _train_step_reporting_twice_the_loss),
]


def reference_of(exercise):
    return importlib.import_module(f"nnlings.solutions.{registry.exercise(exercise).module}")


def student(exercise, function, earlier, wrong, later=None):
    """The reference module with `earlier` replaced by `wrong`, and whose `function` calls the
    replaced one, as a student's module would; or, given `later`, with that as `function`."""
    reference = reference_of(exercise)
    module = SimpleNamespace(**vars(reference))
    setattr(module, earlier, wrong)
    setattr(module, function, later if later is not None
            else with_students_pieces(reference, module, exercise, function))
    return module


def failures(module, exercise):
    messages = []
    for test in graded_tests(exercise):
        try:
            test(module)
        except Exception as error:  # a failed graded test
            messages.append(str(error))
    return messages


@pytest.mark.parametrize("later, function, earlier, wrong", SLIPS, ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_a_slip_in_an_earlier_exercise_costs_only_that_exercise(later, function, earlier,
                                                                wrong):
    module = student(later, function, earlier, wrong)
    assert failures(module, BUILDS_ON[later][earlier]), "the slip itself must be caught"
    assert failures(module, later) == [], f"{later} lost points for a slip in {earlier}"


@pytest.mark.parametrize("later, function, earlier, wrong", SLIPS[:2], ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_a_later_exercise_that_fails_names_the_earlier_one_to_fix_first(later, function,
                                                                         earlier, wrong):
    first = BUILDS_ON[later][earlier]
    mistake = for_function(later, function)[0]
    messages = failures(student(later, function, earlier, wrong, later=mistake.mutant), later)
    assert messages and all(f"Fix exercise {first} first" in m for m in messages), messages
    # With the earlier exercise right, the same mistake gets no such advice.
    right = getattr(reference_of(later), earlier)
    messages = failures(student(later, function, earlier, right, later=mistake.mutant), later)
    assert messages and not any("first:" in m for m in messages), messages


def test_the_reference_built_on_its_own_pieces_is_the_reference():
    reference = reference_of("5.3")
    rebuilt = with_students_pieces(reference, reference, "5.3", "mlp_backward")
    rng = np.random.default_rng(3)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    Z = X @ W + b
    cache, params, grads = [(X, Z)], [(W, b)], [np.tanh]
    G = rng.normal(size=Z.shape)
    for (dW, db), (dW_ref, db_ref) in zip(rebuilt(G, cache, params, grads),
                                          reference.mlp_backward(G, cache, params, grads)):
        assert np.array_equal(dW, dW_ref) and np.array_equal(db, db_ref)
