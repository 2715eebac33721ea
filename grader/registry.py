"""The catalogue of units and exercises, read from the hint files in `exercises/hints/`.

Each unit has one TOML file there: the unit's number, title and module, then one `[[exercise]]`
table per exercise with its id (``"2.3"``), title, the functions the student writes and three
hint levels (a nudge, an approach, a near-solution).
"""
from __future__ import annotations

import difflib
import functools
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

HINT_LEVELS = 3


def marker_name(exercise_id: str) -> str:
    """The pytest marker that selects one exercise alone: ``ex2_3`` for 2.3."""
    return "ex" + exercise_id.replace(".", "_")


@dataclass(frozen=True)
class Exercise:
    id: str
    unit: int
    title: str
    functions: tuple[str, ...]
    hints: tuple[str, ...]
    module: str

    @property
    def marker(self) -> str:
        return marker_name(self.id)


@dataclass(frozen=True)
class Unit:
    number: int
    title: str
    module: str
    exercises: tuple[Exercise, ...]


def kit_root() -> Path:
    """The folder holding `exercises/`, `solutions/`, `grader/` and `tests/`."""
    return Path(__file__).resolve().parent.parent


def hints_dir() -> Path:
    return kit_root() / "exercises" / "hints"


def _read_unit(path: Path) -> Unit:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    number, module = data["unit"], data["module"]
    exercises = []
    for entry in data["exercise"]:
        hints = tuple(entry["hints"])
        if len(hints) != HINT_LEVELS:
            raise ValueError(f"{path.name}: exercise {entry['id']} has {len(hints)} hints, "
                             f"expected {HINT_LEVELS}")
        if not entry["id"].startswith(f"{number}."):
            raise ValueError(f"{path.name}: exercise {entry['id']} is not in unit {number}")
        exercises.append(Exercise(entry["id"], number, entry["title"],
                                  tuple(entry["functions"]), hints, module))
    return Unit(number, data["title"], module, tuple(exercises))


@functools.lru_cache(maxsize=None)
def units() -> tuple[Unit, ...]:
    """Every unit, in curriculum order."""
    found = [_read_unit(p) for p in sorted(hints_dir().glob("unit*.toml"))]
    return tuple(sorted(found, key=lambda u: u.number))


def all_exercises() -> tuple[Exercise, ...]:
    return tuple(ex for unit in units() for ex in unit.exercises)


def nearest_ids(text: str, count: int = 3) -> list[str]:
    """The exercise ids that look most like `text` (a mistyped id), best first."""
    return difflib.get_close_matches(text, [ex.id for ex in all_exercises()], n=count,
                                     cutoff=0.5)


def exercise(exercise_id: str) -> Exercise:
    """Look up an exercise by id; a clear error names the nearest valid ids."""
    for ex in all_exercises():
        if ex.id == exercise_id:
            return ex
    near = nearest_ids(exercise_id)
    listed = ", ".join(near[:-1]) + f" or {near[-1]}" if len(near) > 1 else "".join(near)
    suggestion = f"did you mean {listed}? " if near else ""
    raise KeyError(f"there is no exercise {exercise_id!r}; {suggestion}"
                   "(`nnlings progress` lists every exercise)")


def unit_for_module(module: str) -> Unit:
    for unit in units():
        if unit.module == module:
            return unit
    raise KeyError(f"no unit uses the module {module!r}")


def exercise_of_function(module: str, function: str) -> Exercise | None:
    """The exercise in which the student writes `function` of `module`, if any."""
    for ex in unit_for_module(module).exercises:
        if function in ex.functions:
            return ex
    return None
