"""Inputs for graded tests: seeded arrays of many shapes, and numerical derivatives.

These are the kit's own oracles, independent of both the student's code and the reference.
"""
from __future__ import annotations

import contextlib
import os

import numpy as np

SEED_OFFSET_VARIABLE = "NNLINGS_SEED_OFFSET"
_seed_offset = 0


def course_seed_offset() -> int:
    """The course's secret seed offset for hidden tests, from the instructor's environment
    (``NNLINGS_SEED_OFFSET``, a whole number; 0 when unset). It lives only in the grading
    process: no release, notebook, feedback or child process is given it."""
    text = os.environ.get(SEED_OFFSET_VARIABLE, "").strip()
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{SEED_OFFSET_VARIABLE}={text!r}: expected a whole number") from None


@contextlib.contextmanager
def fresh_seeds(offset: int):
    """Shift every seed drawn through `case_rng` (and so `sample_arrays`) by `offset`: the same
    graded tests on inputs the student has never seen (nbgrader's hidden tests use this)."""
    global _seed_offset
    previous, _seed_offset = _seed_offset, offset
    try:
        yield
    finally:
        _seed_offset = previous


def case_rng(seed: int) -> np.random.Generator:
    """The Generator a graded test draws its inputs from: `seed`, shifted under fresh_seeds."""
    return np.random.default_rng(seed + _seed_offset)


def sample_arrays(seed: int, scale: float = 3.0):
    """Seeded float64 arrays covering the shapes that break code: a single entry, batch size 1,
    one feature, tall, wide, 3-D, a strided (non-contiguous) slice and a transposed array."""
    rng = case_rng(seed)
    for shape in [(1,), (7,), (1, 5), (8, 1), (16, 9), (2, 3, 4)]:
        yield rng.normal(0.0, scale, shape)
    yield rng.normal(0.0, scale, (9, 12))[::2, ::3]
    yield rng.normal(0.0, scale, (6, 10)).T


def away_from(x: np.ndarray, points=(0.0,), margin: float = 1e-3) -> np.ndarray:
    """`x` with every entry closer than `margin` to one of `points` pushed `margin` away (so a
    central difference never straddles a kink)."""
    x = np.array(x, dtype=np.float64)
    for p in points:
        near = np.abs(x - p) < margin
        x[near] = p + np.where(x[near] >= p, margin, -margin)
    return x


def central_difference(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Elementwise derivative of an elementwise function f: (f(x + h) − f(x − h)) / 2h."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


@contextlib.contextmanager
def strict_floats():
    """Turn NumPy overflow, division by zero and invalid operations into errors."""
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        yield
