"""What a wrong result is, in words, when no catalogued mistake reproduces it.

Each rule relates the student's value `got` to the expected one on the one failing call and
states a fact that holds there exactly (up to round-off): "twice the expected value in every
entry", "the expected values transposed", "right except where x = 0". A rule never fires on a
right answer, nor on a wrong one it does not describe; the kit's own tests check both. The rules
know nothing of any exercise: only the arrays of the call and, for a derivative `f_grad`, the
reference's `f` and `f_grad` when the reference is at hand.
"""
from __future__ import annotations

import importlib
import warnings

import numpy as np

RTOL, ATOL = 1e-7, 1e-10


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _arrays(args) -> list[np.ndarray]:
    return [np.asarray(a, dtype=float) for a in args
            if isinstance(a, np.ndarray) and a.dtype.kind in "biuf" and a.size > 0]


def _sizes(expected: np.ndarray, args) -> list[int]:
    """The lengths of the axes in play (a batch size, a number of entries) above 1."""
    sizes = set(expected.shape) | {expected.size}
    for a in _arrays(args):
        sizes |= set(a.shape) | {a.size}
    return sorted(s for s in sizes if s > 1)


def _factor_name(factor: float, sizes: list[int]) -> str | None:
    named = {2.0: "twice", 0.5: "half"}
    for value, words in named.items():
        if np.isclose(factor, value, rtol=1e-9):
            return words
    for n in sizes:
        if np.isclose(factor, n, rtol=1e-9):
            return f"{n} times ({n} is the length of an axis here)"
        if np.isclose(factor, 1.0 / n, rtol=1e-9):
            return f"1/{n} times ({n} is the length of an axis here)"
    return None


def constant_factor(got, expected, args=(), **_):
    if got.shape != expected.shape or not np.any(np.abs(expected) > ATOL):
        return None
    factor = float(np.vdot(got, expected) / np.vdot(expected, expected))
    if not _close(got, factor * expected):
        return None
    if np.isclose(factor, -1.0, rtol=1e-9):
        return "is the expected value with the sign flipped (−1 times it, entry by entry)"
    words = _factor_name(factor, _sizes(expected, args))
    if words is None:
        if expected.size < 2 or np.isclose(factor, 1.0, rtol=1e-6):
            return None  # any two numbers differ by some factor: only a named one says much
        words = f"{factor:.6g} times"
    where = " in every entry" if expected.size > 1 else ""
    return (f"is {words} the expected value{where}: a constant factor is off (a sum for a "
            "mean, a missing or doubled ½ or 2, a division by the wrong count?)")


def everywhere_the_same(got, expected, **_):
    if got.shape != expected.shape or got.size < 2 or _close(
            expected, np.full(expected.shape, expected.flat[0])):
        return None
    if not _close(got, np.full(got.shape, got.flat[0])):
        return None
    value = float(got.flat[0])
    if abs(value) <= ATOL:
        return "is zero in every entry, while the expected values are not"
    return f"holds the same value, {value:.6g}, in every entry, while the expected ones differ"


def transposed(got, expected, **_):
    if expected.ndim != 2 or expected.shape[0] == 1 or expected.shape[1] == 1:
        return None
    if got.shape == expected.shape[::-1] and _close(got.T, expected):
        return "holds the expected values transposed (rows and columns swapped)"
    return None


def extra_or_missing_axis(got, expected, **_):
    if got.shape != expected.shape and got.size == expected.size and _close(
            got.reshape(expected.shape), expected):
        return (f"holds the right values with shape {got.shape} instead of {expected.shape}: "
                "drop the extra axis (or add the missing one), e.g. with .reshape or "
                "keepdims=False")
    return None


def not_reduced(got, expected, **_):
    if got.ndim != expected.ndim + 1:
        return None
    for axis in range(got.ndim):
        for how, reduce in (("sum", np.sum), ("mean", np.mean)):
            reduced = reduce(got, axis=axis)
            if reduced.shape == expected.shape and _close(reduced, expected):
                return (f"is not reduced: its {how} over axis {axis} is the expected value, "
                        f"so take that {how}")
    return None


def wrong_axis(got, expected, args=(), **_):
    """A reduction of one of the call's arrays over the axis the expected value is not."""
    reductions = (("sum", np.sum), ("mean", np.mean))
    for a in _arrays(args):
        if a.ndim < 2:
            continue
        for how, reduce in reductions:
            for axis in range(a.ndim):
                right = reduce(a, axis=axis)
                if right.shape != expected.shape or not _close(right, expected):
                    continue
                for how_got, reduce_got in reductions:
                    for other in range(a.ndim):
                        if (how_got, other) != (how, axis) and _close(
                                got, reduce_got(a, axis=other)):
                            return (f"is the {how_got} over axis {other} of an input of shape "
                                    f"{a.shape}; the {how} over axis {axis} is expected")
                    if got.size == 1 and _close(np.ravel(got)[0], reduce_got(a)):
                        return (f"is the {how_got} over every entry of an input of shape "
                                f"{a.shape}; the {how} over axis {axis} alone is expected")
    return None


def an_input_returned(got, expected, args=(), **_):
    for number, a in enumerate(_arrays(args)):
        if a.shape == got.shape and not _close(a, expected) and _close(got, a):
            return f"is the call's input number {number + 1}, returned unchanged"
    return None


def shifted_by_one(got, expected, **_):
    if (got.shape != expected.shape or expected.ndim != 1 or expected.size < 3
            or not np.all(np.abs(np.diff(expected)) > ATOL)):
        return None
    if _close(got[1:], expected[:-1]):
        return ("is the expected sequence shifted one step later: entry k holds the value "
                "expected at step k − 1 (a step or epoch counted from 0 instead of 1?)")
    if _close(got[:-1], expected[1:]):
        return ("is the expected sequence shifted one step earlier: entry k holds the value "
                "expected at step k + 1")
    return None


def _reference(exercise: str, name: str):
    try:
        from . import registry
        module = importlib.import_module(
            f"nnlings.solutions.{registry.exercise(exercise).module}")
    except Exception:  # no reference at hand (a student release): the rule says nothing
        return None
    return getattr(module, name, None)


def derivative_at_the_output(got, expected, args=(), function="", exercise="", **_):
    """For f_grad(x): the reference's f_grad evaluated at f(x), the activation's output."""
    if not function.endswith("_grad") or not args or not isinstance(args[0], np.ndarray):
        return None
    f, f_grad = _reference(exercise, function[:-5]), _reference(exercise, function)
    if f is None or f_grad is None:
        return None
    try:
        with np.errstate(all="ignore"):
            at_output = np.asarray(f_grad(f(args[0], *args[1:]), *args[1:]), dtype=float)
    except Exception:  # the reference rejects these inputs: nothing to say
        return None
    if _close(at_output, expected) or not _close(got, at_output):
        return None
    return (f"is the derivative taken at the activation's output, {function}({function[:-5]}"
            "(x)), rather than at its input x")


def _wrong_entries(got, expected):
    if got.shape != expected.shape or got.size < 2:
        return None
    wrong = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
    return wrong if wrong.any() and not wrong.all() else None


def wrong_at_the_kink(got, expected, args=(), **_):
    wrong = _wrong_entries(got, expected)
    if wrong is None:
        return None
    for a in _arrays(args):
        if a.shape == got.shape and np.array_equal(wrong, a == 0.0):
            return ("is right everywhere except where the input is exactly 0, at the kink: "
                    "which side does x = 0 belong to?")
    return None


def right_on_some_rows(got, expected, **_):
    wrong = _wrong_entries(got, expected)
    if wrong is None:
        return None
    if got.ndim >= 1 and got.shape[0] > 1:
        rows = wrong.reshape(got.shape[0], -1).any(axis=1)
        if rows.sum() == 1:
            row = int(np.argmax(rows))
            label = "the last row" if row == got.shape[0] - 1 else (
                "the first row" if row == 0 else f"row {row}")
            return f"is right everywhere except in {label}"
        if (~rows).sum() == 1:
            row = int(np.argmin(rows))
            label = "the first row" if row == 0 else (
                "the last row" if row == got.shape[0] - 1 else f"row {row}")
            return f"is right only in {label}"
    return None


RULES = (everywhere_the_same, constant_factor, transposed, extra_or_missing_axis, not_reduced,
         wrong_axis, an_input_returned, wrong_at_the_kink, shifted_by_one,
         derivative_at_the_output, right_on_some_rows)


def explain(got, expected, *, args=(), function: str = "", exercise: str = "") -> str:
    """The first rule's words about `got` against `expected`, as a line of a failure message,
    or "" when none applies (or `got` is right)."""
    try:
        got = np.asarray(got, dtype=float)
        expected = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return ""
    if (got.size == 0 or expected.size == 0 or _close(got, expected)
            or not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected)))):
        return ""
    for rule in RULES:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                words = rule(got, expected, args=args, function=function, exercise=exercise)
        except Exception:  # a rule that cannot judge these values says nothing
            words = None
        if words:
            return f"\n  Your result {words}{'' if words.endswith('?') else '.'}"
    return ""
