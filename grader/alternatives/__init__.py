"""The catalogue of correct answers written differently: right answers as students write them.

Beside the mistake catalogue (`grader.mistakes`), each `Alternative` is a complete right
implementation of one function of one exercise, written another way than the reference: with
einsum, np.dot or loops for a matrix product, logaddexp for a log-sum, tanh for a sigmoid, an
RNG call the docstring allows, masks instead of np.where, in place instead of out of place...
The kit's tests replace the reference function by each one and prove that every graded test of
its exercise passes (a test that fails one of them checks the reference's rounding or method,
not the docstring's contract), also under the robustness check's noise and seed offsets.

The catalogue is kit-only: it is never copied into a student release (it holds right answers).
An alternative is the part a student writes: where the exercise's function starts with given
argument checks, it calls the same given helpers, taken from the student's module (`given`).
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

from .. import registry


@dataclass(frozen=True)
class Alternative:
    exercise: str          # "2.2"
    function: str          # the function of the exercise this answer replaces
    name: str              # how it is written, in a few words
    answer: Callable       # the right implementation, same signature as the function


@functools.lru_cache(maxsize=None)
def catalogue() -> tuple[Alternative, ...]:
    """Every alternative of every unit (each `unitNN` module here defines `ALTERNATIVES`)."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("unit"):
            found.extend(importlib.import_module(f"{__name__}.{info.name}").ALTERNATIVES)
    return tuple(found)


def for_exercise(exercise: str) -> tuple[Alternative, ...]:
    return tuple(a for a in catalogue() if a.exercise == exercise)


def answer_module(alternative: Alternative) -> SimpleNamespace:
    """The reference unit module with one function replaced by the alternative."""
    module = registry.exercise(alternative.exercise).module
    reference = importlib.import_module(f"nnlings.solutions.{module}")
    namespace = SimpleNamespace(**vars(reference))
    setattr(namespace, alternative.function, alternative.answer)
    return namespace
