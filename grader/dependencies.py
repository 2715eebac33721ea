"""Exercises that build on earlier ones, judged on their own.

Some functions a student writes call functions of an earlier exercise: `mlp_backward` (5.3)
calls `activation_backward` (5.2) and `dense_backward` (5.1), `sigmoid_neuron` (1.2) calls
`neuron_forward` (1.1), `fit` (8.3) takes its steps with `train_step` (8.2). A slip in the
earlier function then makes the later one fail too, and the student loses its points twice.

Everything here runs in the judge, which holds the reference; it calls the student's functions
only through `impl`, as the graded tests do, so it works the same on a proxy of a sandboxed
module:

* `with_students_pieces` is the reference's own later function whose calls of the earlier
  functions go to the student's versions instead. When the student's later function returns
  what that returns, it is right given its pieces, and a test may award it its points (the
  earlier exercise's own tests still charge the slip once).
* `fix_first` adds to a failed check of the later exercise the earlier exercises whose own
  graded tests fail, so that the student knows where to start.
"""
from __future__ import annotations

import contextlib
import copy
import types

import numpy as np

from . import cases

# exercise -> the earlier exercises (and their functions) its functions may call
BUILDS_ON = {
    "1.2": {"neuron_forward": "1.1"},
    "5.3": {"activation_backward": "5.2", "dense_backward": "5.1"},
    "8.3": {"train_step": "8.2", "minibatch_indices": "8.1", "should_stop": "8.5"},
}


def with_students_pieces(reference, impl, exercise: str, function: str):
    """The reference module's `function`, with every call of an earlier exercise's function
    (directly or through a helper of the module) going to the student's `impl` instead."""
    namespace = dict(vars(reference))
    for name, value in vars(reference).items():
        if isinstance(value, types.FunctionType) and value.__module__ == reference.__name__:
            namespace[name] = types.FunctionType(value.__code__, namespace, value.__name__,
                                                 value.__defaults__, value.__closure__)
            namespace[name].__kwdefaults__ = value.__kwdefaults__
    for name in BUILDS_ON.get(exercise, {}):
        namespace[name] = getattr(impl, name)
    return namespace[function]


def check_on_its_own(check, expected, *, reference, impl, exercise: str, function: str,
                     args: tuple) -> None:
    """`check(expected)`, the check of the student's result against the right one. If it fails
    and the student's earlier functions make the reference's own `function` return something
    else on `args`, the student's result passes when `check` accepts that instead: the later
    exercise is right given its pieces, and the earlier one charges its own slip."""
    __tracebackhide__ = True
    from .expect import GradedFailure, same_result

    try:
        check(expected)
        return
    except GradedFailure as failure:
        first = failure
    try:
        with np.errstate(all="ignore"):
            ours = getattr(reference, function)(*copy.deepcopy(args))
            yours = with_students_pieces(reference, impl, exercise, function)(
                *copy.deepcopy(args))
        explained = not same_result(yours, ours)
        if explained:
            check(yours)
    except Exception:  # the student's pieces fail here, or they do not explain the result
        explained = False
    if not explained:
        raise first


_verdicts: dict = {}  # (earlier exercise, its functions) -> whether its graded tests pass


def failing_prerequisites(impl, exercise: str) -> list[str]:
    """The earlier exercises `exercise` builds on whose graded tests fail on `impl` (each
    judged once for the same functions)."""
    from .suite import graded_tests  # the suites import this module's users, not the reverse

    failing = []
    for earlier in dict.fromkeys(BUILDS_ON.get(exercise, {}).values()):
        functions = tuple(getattr(impl, name, None)
                          for name, owner in BUILDS_ON[exercise].items() if owner == earlier)
        try:
            key = (earlier, functions, cases._seed_offset)  # hidden tests draw other inputs
            passes = _verdicts.get(key)
        except TypeError:  # functions that cannot be a key are judged every time
            key, passes = None, None
        if passes is None:
            passes = True
            for test in graded_tests(earlier):
                try:
                    test(impl)
                except Exception:  # any failure of the earlier exercise is worth fixing first
                    passes = False
                    break
            if key is not None:
                _verdicts[key] = passes
        if not passes:
            failing.append(earlier)
    return failing


def prerequisite_note(impl, exercise: str) -> str:
    """A line naming the earlier exercises to fix first, or "" when they all pass."""
    failing = failing_prerequisites(impl, exercise)
    if not failing:
        return ""
    pieces = ", ".join(f"{name} ({earlier})" for name, earlier in BUILDS_ON[exercise].items()
                       if earlier in failing)
    if len(failing) == 1:
        return (f"\n  Fix exercise {failing[0]} first: {exercise} builds on {pieces}, and "
                f"{failing[0]} fails its own graded tests.")
    return (f"\n  Fix exercises {' and '.join(failing)} first: {exercise} builds on {pieces}, "
            "and they fail their own graded tests.")


@contextlib.contextmanager
def fix_first(impl, exercise: str):
    """Add `prerequisite_note` to a GradedFailure raised inside (only failures are slowed)."""
    from .expect import GradedFailure

    try:
        yield
    except GradedFailure as failure:
        note = prerequisite_note(impl, exercise)
        if not note:
            raise
        raise GradedFailure(f"{failure}{note}") from None
