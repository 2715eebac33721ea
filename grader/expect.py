"""Checks used by graded tests, with failure messages written for a student.

Every check raises `GradedFailure` (an AssertionError) whose message names the exercise, the
call that was checked, what was expected, what came back and the first mismatching entries.
When the wrong answer is one the mistake catalogue knows, the message names the mistake and the
hint level that addresses it.
"""
from __future__ import annotations

import numpy as np

from . import mistakes as mistake_catalogue

MAX_SHOWN = 5


class GradedFailure(AssertionError):
    """A graded check failed; the message is meant to be read by the student as it is."""


def fail(exercise: str, message: str) -> None:
    raise GradedFailure(f"Exercise {exercise}: {message}")


def expect(condition: bool, exercise: str, message: str) -> None:
    """A claim about the student's code that is not a comparison of values."""
    __tracebackhide__ = True
    if not condition:
        fail(exercise, message)


def describe(value) -> str:
    """A short description of an argument: its shape and dtype for arrays."""
    if isinstance(value, np.ndarray):
        layout = "" if value.flags.c_contiguous or value.ndim < 2 else ", non-contiguous"
        return f"array of shape {value.shape} {value.dtype}{layout}"
    if isinstance(value, (list, tuple)):
        if len(value) <= 6 and all(isinstance(v, (int, float, str)) for v in value):
            return repr(value)
        return f"{type(value).__name__} of {len(value)}"
    if callable(value):
        return getattr(value, "__name__", "function")
    return repr(value)


def _call_text(function: str, args: tuple, part: int | None, names: tuple[str, ...] | None) -> str:
    text = f"{function}({', '.join(describe(a) for a in args)})" if args else function
    if part is not None:
        label = names[part] if names else f"item {part}"
        text = f"{label}, the {_ordinal(part + 1)} value returned by {text}"
    return text


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def unpack(got, count: int, *, exercise: str, function: str, names: tuple[str, ...]):
    """Check that the student returned a tuple of `count` values and return it as a tuple."""
    __tracebackhide__ = True
    if isinstance(got, list):
        got = tuple(got)
    if not isinstance(got, tuple) or len(got) != count:
        shown = (f"{type(got).__name__} of {len(got)}" if isinstance(got, tuple)
                 else describe(got))
        fail(exercise, f"{function} must return {count} values ({', '.join(names)}) as a "
                       f"tuple, but it returned {shown}.")
    return got


def _as_array(got, expected: np.ndarray, where: str, exercise: str) -> np.ndarray:
    if got is None:
        fail(exercise, f"{where} returned None. Did you forget the `return` statement?")
    if isinstance(got, (list, tuple)):
        fail(exercise, f"{where} returned a Python {type(got).__name__}; expected a NumPy array "
                       f"of shape {expected.shape} float64 (np.asarray turns a list into one).")
    if not isinstance(got, (np.ndarray, np.number, int, float)) or isinstance(got, bool):
        fail(exercise, f"{where} returned {type(got).__name__}; expected a NumPy array.")
    if np.ndim(got) == 0 and expected.ndim > 0:
        fail(exercise, f"{where} returned a single number ({_number(got)}); expected an array "
                       f"of shape {expected.shape}. Work on the whole array at once.")
    return np.asarray(got)


def _number(value) -> str:
    """A number as a student would write it (no `np.float64(...)` wrapper)."""
    try:
        return f"{float(value):.10g}"
    except (TypeError, ValueError):
        return repr(value)


def _mistake_note(exercise: str, function: str, args: tuple, part: int | None,
                  got: np.ndarray) -> str:
    """Name the catalogued mistake that reproduces `got`, if there is one."""
    for mistake in mistake_catalogue.for_function(exercise, function):
        try:
            with np.errstate(all="ignore"):
                wrong = mistake.mutant(*[np.copy(a) if isinstance(a, np.ndarray) else a
                                         for a in args])
            if part is not None:
                wrong = wrong[part]
            wrong = np.asarray(wrong, dtype=float)
        except Exception:  # a mutant that cannot run on these inputs says nothing
            continue
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=1e-6, atol=1e-9,
                                                    equal_nan=True):
            return (f"\n  This looks like a known mistake: {mistake.name}. {mistake.explanation}"
                    f"\n  Read `nnlings hint {exercise} --level {mistake.hint_level}`.")
    return ""


def expect_array(got, expected, *, exercise: str, function: str, args: tuple = (),
                 part: int | None = None, names: tuple[str, ...] | None = None,
                 rtol: float = 1e-7, atol: float = 1e-10) -> None:
    """Check a returned array: type, dtype, shape, finiteness, then values.

    `args` are the inputs the function was called with: they are described in the message and
    fed to the catalogued mistakes. `part` is the index of this array in a returned tuple
    (`names` gives the tuple's names, e.g. ("dX", "dW", "db")).
    """
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=np.float64)
    where = _call_text(function, args, part, names)
    got = _as_array(got, expected, where, exercise)
    if got.dtype != np.float64:
        fail(exercise, f"{where} returned dtype {got.dtype}; expected float64. "
                       "Keep computations in float64 (no int arrays, no float32).")
    if got.shape != expected.shape:
        fail(exercise, f"{where} returned shape {got.shape}; expected {expected.shape}."
                       + _shape_advice(got.shape, expected.shape)
                       + _mistake_note(exercise, function, args, part, got))
    bad = ~np.isfinite(got) & np.isfinite(expected)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        fail(exercise, f"{where} returned {float(got[index])} at index {list(index)} "
                       f"({int(bad.sum())} non-finite entries) where {float(expected[index]):.10g} was "
                       "expected. NaN and inf come from exp overflow, log(0), 0/0 or inf - inf: "
                       "rewrite the formula so no intermediate value overflows."
                       + _mistake_note(exercise, function, args, part, got))
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return
    mismatched = np.argwhere(~close)
    with np.errstate(all="ignore"):
        error = np.abs(got - expected)[~close]
    scale = np.abs(expected)[~close]
    measurable = np.isfinite(error)
    summary = "some expected values are NaN or inf"
    if measurable.any():
        summary = f"max abs error {error[measurable].max():.3g}"
        relative = measurable & (scale > 0)
        if relative.any():
            summary += f", max rel error {(error[relative] / scale[relative]).max():.3g}"
    lines = [f"{where}: values differ in {len(mismatched)} of {got.size} entries "
             f"({summary}).",
             "  first mismatches (index: got vs expected):"]
    for index in mismatched[:MAX_SHOWN]:
        index = tuple(int(i) for i in index)
        lines.append(f"    {list(index)}: {float(got[index]):.10g} vs {float(expected[index]):.10g}")
    fail(exercise, "\n".join(lines) + _mistake_note(exercise, function, args, part, got))


def _shape_advice(got: tuple, expected: tuple) -> str:
    if got == expected[::-1] and len(got) == 2:
        return " The axes are swapped: check the order of a matrix product or a transpose."
    if len(got) == len(expected) + 1 and got[-1] == 1:
        return " There is an extra axis of size 1: drop keepdims or reshape the result."
    if len(got) + 1 == len(expected):
        return " An axis is missing: was a sum or mean taken over the wrong axis?"
    if len(got) == 0:
        return " You reduced to one number: should the sum or mean run over one axis only?"
    return ""


def expect_scalar(got, expected: float, *, exercise: str, function: str, args: tuple = (),
                  part: int | None = None, names: tuple[str, ...] | None = None,
                  rtol: float = 1e-7, atol: float = 1e-10) -> None:
    """Check a returned number (a loss, a weight): one finite float close to `expected`."""
    __tracebackhide__ = True
    where = _call_text(function, args, part, names)
    if isinstance(got, np.ndarray) and got.size != 1:
        fail(exercise, f"{where} returned an array of shape {got.shape}; expected one number. "
                       "Did you forget to take the sum or the mean?")
    if got is None:
        fail(exercise, f"{where} returned None. Did you forget the `return` statement?")
    try:
        value = float(got)
    except (TypeError, ValueError):
        fail(exercise, f"{where} returned {type(got).__name__}; expected one number.")
    if not np.isfinite(value) and np.isfinite(expected):
        fail(exercise, f"{where} returned {value}; expected {float(expected):.10g}. "
                       "Some intermediate value overflowed or a log met 0."
                       + _mistake_note(exercise, function, args, part, np.asarray(value)))
    if not np.isclose(value, expected, rtol=rtol, atol=atol):
        fail(exercise, f"{where} returned {value:.10g}; expected {float(expected):.10g} "
                       f"(abs error {abs(value - expected):.3g})."
                       + _mistake_note(exercise, function, args, part, np.asarray(value)))


# Margins of claims about trained or seeded runs ------------------------------------------------

_recorded_margins: list | None = None  # a list only while the kit's robustness check records

_CLEARS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def margin(name: str, value, threshold, direction: str) -> bool:
    """Whether `value` clears `threshold` (`direction` is "<", "<=", ">" or ">="), entrywise.

    A graded claim about a trained or seeded run is written ``expect(margin(...), ...)`` so that
    the kit's robustness check can see by how much it holds: the relative margin, the smallest
    over the entries of (threshold − value) / |threshold| for "<" (the other way round for
    ">"), is recorded under `name` while the check records. Claims exact in exact arithmetic
    (counts, bounds) have no margin to speak of and are plain `expect` calls.
    """
    if direction not in _CLEARS:
        raise ValueError(f"margin: direction must be one of {list(_CLEARS)}, got {direction!r}")
    value, threshold = np.asarray(value, dtype=np.float64), np.asarray(threshold, dtype=np.float64)
    cleared = bool(np.all(_CLEARS[direction](value, threshold)))
    if _recorded_margins is not None:
        gap = threshold - value if direction.startswith("<") else value - threshold
        scale = np.where(threshold != 0, np.abs(threshold), np.abs(value))
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(scale > 0, gap / scale, 0.0)
        relative = np.where(np.isnan(relative), -np.inf, relative)
        _recorded_margins.append((name, float(np.min(relative)), cleared))
    return cleared


class recorded_margins:
    """Collect every `margin` call made inside ``with recorded_margins() as found:`` into
    `found`, a list of (name, relative margin, cleared)."""

    def __enter__(self) -> list:
        global _recorded_margins
        self._previous, _recorded_margins = _recorded_margins, []
        return _recorded_margins

    def __exit__(self, *exc) -> None:
        global _recorded_margins
        _recorded_margins = self._previous
