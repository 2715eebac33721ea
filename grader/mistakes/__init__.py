"""The mistake catalogue: wrong answers students really write, as mutants of the reference.

Each `Mistake` is a complete wrong implementation of one function of one exercise, written the
way a student would get it wrong. The catalogue serves twice:

* the kit's own tests replace the reference function by each mutant and prove that at least one
  graded test of the exercise fails (so the suite cannot be fooled by that mistake);
* when a student's answer is wrong, the graded checks run the mutants on the same inputs and, if
  one of them reproduces the student's output there and on every other input the test tried,
  name the mistake and the hint level to read. A mistake that a dedicated check tells in its
  own words (an argument changed in place, say) records those words in `says`.

A mutant uses NumPy only, never the reference, so the catalogue ships with a student release.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Mistake:
    exercise: str          # "2.2"
    function: str          # the function of the exercise this mutant replaces
    name: str              # what the student did, in a few words
    explanation: str       # why it is wrong / what to do instead
    hint_level: int        # which `nnlings hint` level addresses it
    mutant: Callable       # the wrong implementation, same signature as the function
    says: str = ""         # words of the graded check that tells this mistake in its own terms
    #                        (a changed argument, a global random draw, ...), where no value
    #                        comparison names it


@functools.lru_cache(maxsize=None)
def catalogue() -> tuple[Mistake, ...]:
    """Every mistake of every unit (each `unitNN` module here defines `MISTAKES`)."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("unit"):
            found.extend(importlib.import_module(f"{__name__}.{info.name}").MISTAKES)
    return tuple(found)


def for_function(exercise: str, function: str) -> tuple[Mistake, ...]:
    return tuple(m for m in catalogue() if m.exercise == exercise and m.function == function)

