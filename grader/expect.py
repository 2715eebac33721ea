"""Checks used by graded tests, with failure messages written for a student.

Every check raises `GradedFailure` (an AssertionError) whose message names the exercise, the
call that was checked, what was expected, what came back and the first mismatching entries.
When the wrong answer is one the mistake catalogue knows, the message names the mistake and the
hint level that addresses it.
"""
from __future__ import annotations

import contextlib
import copy

import numpy as np

from . import diagnose
from . import mistakes as mistake_catalogue

MAX_SHOWN = 5
SMALL_INPUT = 8          # an array argument of at most this many entries is shown in full
MAX_EVIDENCE = 400       # calls remembered per graded test
MAX_EVIDENCE_SIZE = 200_000  # entries of arguments and result above which a call is not kept


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
    """A short description of an argument: its values for a small array (so the student can
    redo the case by hand), else its shape and dtype."""
    if isinstance(value, np.ndarray):
        layout = "" if value.flags.c_contiguous or value.ndim < 2 else ", non-contiguous"
        if 0 < value.size <= SMALL_INPUT and value.dtype.kind in "biuf":
            dtype = "" if value.dtype == np.float64 else f", dtype={value.dtype}"
            view = f" ({layout[2:]} view)" if layout else ""
            return f"np.array({_nested(value.tolist())}{dtype}){view}"
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


def _nested(values) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    if isinstance(values, bool):
        return repr(values)
    if isinstance(values, float):
        text = f"{values:.10g}"
        return text if any(c in text for c in ".eni") else text + ".0"
    return repr(values)


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


# Evidence: what the student's functions returned earlier in the current graded test. A mistake
# is named only when its mutant reproduces the failing call and every one of these.
_evidence: list[tuple[str, str, tuple, int | None, object]] = []


@contextlib.contextmanager
def graded_test():
    """The scope of one graded test: the evidence gathered inside it is forgotten at its end
    (a test run inside another, as a dependency check does, leaves the outer one's intact)."""
    outer = _evidence[:]
    _evidence.clear()
    try:
        yield
    finally:
        _evidence[:] = outer


def _entries(value) -> int:
    if isinstance(value, np.ndarray):
        return value.size
    if isinstance(value, (list, tuple)):
        return sum(_entries(v) for v in value)
    if isinstance(value, dict):
        return sum(_entries(v) for v in value.values())
    return 1


def _copied(value):
    """A copy of the data in `value` (arrays, lists, tuples, dicts, Generators); functions and
    other objects are kept as they are."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        items = [_copied(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, np.random.Generator):
        return copy.deepcopy(value)
    return value


def _draws(value) -> bool:
    """Whether `value` holds a Generator (whose state after the call no longer says what the
    call drew, so the call cannot be replayed)."""
    if isinstance(value, (list, tuple)):
        return any(_draws(v) for v in value)
    if isinstance(value, dict):
        return any(_draws(v) for v in value.values())
    return isinstance(value, np.random.Generator)


def observe(exercise: str, function: str, args: tuple, got, part=None) -> None:
    """Remember that the student's `function` returned `got` on `args` (`got` is item `part`
    of the returned tuple when `part` is given; a tuple `part` is a path, (1, 0, 1) meaning
    returned[1][0][1]). Checks call this for every value they pass; a test that tries several
    inputs calls it on each result before checking any, so that a mistake is named only if it
    explains all of them. Pass `args` as they were before the call."""
    if (not args or len(_evidence) >= MAX_EVIDENCE
            or not mistake_catalogue.for_function(exercise, function)):
        return
    try:
        if _entries(args) + _entries(got) > MAX_EVIDENCE_SIZE or _draws(args):
            return
        _evidence.append((exercise, function, _copied(tuple(args)), part, _copied(got)))
    except Exception:  # a value that cannot be copied is not evidence
        return


def run_each(call, cases) -> list:
    """[call(case) for case in cases], an exception kept in place of its case's result, so that a
    test can try every input before it checks any; `settle` then re-raises it in turn."""
    results = []
    for case in cases:
        try:
            results.append(call(case))
        except Exception as error:  # raised again by `settle`, in its case's turn
            results.append(_Raised(error))
    return results


class _Raised:
    def __init__(self, error: Exception):
        self.error = error


def settle(result, *, exercise: str | None = None, function: str = "", args: tuple = ()):
    """A result of `run_each`: the value, or the exception the call raised, raised again. With
    `exercise`, an arithmetic error (division by zero, a floating-point error) becomes a
    failure in words that shows the call and names the catalogued mistake raising it too."""
    if isinstance(result, _Raised):
        if exercise is not None and isinstance(result.error, ArithmeticError):
            _arithmetic_failure(exercise, function, args, result.error)
        raise result.error
    return result


def call_strictly(exercise: str, function: str, call, args: tuple):
    """call(*args) with NumPy's overflow, division by zero and invalid operations raised (a
    stable formula meets none of them, even in a value it discards); such an error fails in
    words that show the call and name the catalogued mistake that raises it too."""
    __tracebackhide__ = True
    try:
        with np.errstate(**STRICT):
            return call(*args)
    except ArithmeticError as error:
        _arithmetic_failure(exercise, function, args, error)


def _arithmetic_failure(exercise: str, function: str, args: tuple, error: Exception):
    where = _call_text(function, args, None, None)
    mistake = known_mistake(exercise, function, args, _Raised(error))
    fail(exercise, f"{where} raised {type(error).__name__}: {error}. Overflow, division by "
                   "zero and invalid values mean lost results: rewrite the computation so that "
                   "no intermediate value overflows or divides by zero."
                   + (mistake_text(exercise, mistake) if mistake is not None else ""))


def same_result(wrong, got) -> bool:
    """Whether the mutant's value `wrong` equals the student's `got` (nested tuples/lists of
    arrays and numbers), up to round-off."""
    if isinstance(got, (list, tuple)):
        return (isinstance(wrong, (list, tuple)) and len(wrong) == len(got)
                and all(same_result(w, g) for w, g in zip(wrong, got)))
    try:
        got, wrong = np.asarray(got, dtype=float), np.asarray(wrong, dtype=float)
    except (TypeError, ValueError):
        return False
    return wrong.shape == got.shape and bool(np.allclose(got, wrong, rtol=1e-6, atol=1e-9,
                                                         equal_nan=True))


def _path(part) -> tuple:
    """`part` as a path of indices into a returned value: None, an index, or a tuple of them."""
    if part is None:
        return ()
    return tuple(part) if isinstance(part, tuple) else (part,)


STRICT = {"over": "raise", "divide": "raise", "invalid": "raise"}


def _reproduces(mistake, args: tuple, part, got) -> bool:
    """Whether the mutant returns `got` on `args`, or, when `got` is an exception the student's
    code raised (kept by `run_each`), raises one of the same type."""
    raised = got.error if isinstance(got, _Raised) else None
    strict = isinstance(raised, FloatingPointError)
    try:
        with np.errstate(**STRICT) if strict else np.errstate(all="ignore"):
            wrong = mistake.mutant(*_copied(tuple(args)))
        for index in _path(part):
            wrong = wrong[index]
    except Exception as error:  # a mutant that cannot run here reproduces only a like failure
        return raised is not None and type(error) is type(raised)
    return raised is None and same_result(wrong, got)


def known_mistake(exercise: str, function: str, args: tuple, got, part=None):
    """The catalogued mistake whose mutant returns `got` on `args` and reproduces every call
    of `function` observed so far in this test; None if there is none."""
    if not args:
        return None
    for mistake in mistake_catalogue.for_function(exercise, function):
        if _reproduces(mistake, args, part, got) and explains_evidence(mistake):
            return mistake
    return None


def explains_evidence(mistake) -> bool:
    """Whether the mistake's mutant reproduces every call of its function observed so far in
    this test (checks with their own way of matching a mutant call this too)."""
    return all(_reproduces(mistake, a, p, g) for e, f, a, p, g in _evidence
               if e == mistake.exercise and f == mistake.function)


def mistake_text(exercise: str, mistake) -> str:
    """The lines of a failure message that name a catalogued mistake."""
    return (f"\n  This looks like a known mistake: {mistake.name}. {mistake.explanation}"
            f"\n  Read `nnlings hint {exercise} --level {mistake.hint_level}`.")


def _mistake_note(exercise: str, function: str, args: tuple, part: int | None,
                  got: np.ndarray, expected) -> str:
    """Name the catalogued mistake that reproduces `got` (and the test's evidence); failing
    that, say what `got` is in relation to `expected`, if a general rule can tell."""
    mistake = known_mistake(exercise, function, args, got, part)
    if mistake is not None:
        return mistake_text(exercise, mistake)
    return diagnose.explain(got, expected, args=args, function=function, exercise=exercise)


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
                       + _mistake_note(exercise, function, args, part, got, expected))
    bad = ~np.isfinite(got) & np.isfinite(expected)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        fail(exercise, f"{where} returned {float(got[index])} at index {list(index)} "
                       f"({int(bad.sum())} non-finite entries) where {float(expected[index]):.10g} was "
                       "expected. NaN and inf come from exp overflow, log(0), 0/0 or inf - inf: "
                       "rewrite the formula so no intermediate value overflows."
                       + _mistake_note(exercise, function, args, part, got, expected))
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        observe(exercise, function, args, got, part)
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
            with np.errstate(all="ignore"):  # a huge error over a tiny scale is inf
                worst = (error[relative] / scale[relative]).max()
            summary += f", max rel error {worst:.3g}"
    lines = [f"{where}: values differ in {len(mismatched)} of {got.size} entries "
             f"({summary}).",
             "  first mismatches (index: got vs expected):"]
    for index in mismatched[:MAX_SHOWN]:
        index = tuple(int(i) for i in index)
        lines.append(f"    {list(index)}: {float(got[index]):.10g} vs {float(expected[index]):.10g}")
    fail(exercise, "\n".join(lines)
         + _mistake_note(exercise, function, args, part, got, expected))


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
                       + _mistake_note(exercise, function, args, part, np.asarray(value),
                                       expected))
    if not np.isclose(value, expected, rtol=rtol, atol=atol):
        fail(exercise, f"{where} returned {value:.10g}; expected {float(expected):.10g} "
                       f"(abs error {abs(value - expected):.3g})."
                       + _mistake_note(exercise, function, args, part, np.asarray(value),
                                       expected))
    observe(exercise, function, args, value, part)


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
