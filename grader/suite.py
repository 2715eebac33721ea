"""The graded suites as plain functions: find them, and run one against an implementation.

The same test functions that pytest runs are collected here from `tests/graded/`, so the kit's
own checks (and the graders) can call ``test(module)`` directly.
"""
from __future__ import annotations

import functools
import importlib.util
import sys
from types import ModuleType

from . import registry
from .graded import is_graded


@functools.lru_cache(maxsize=None)
def graded_modules() -> tuple[ModuleType, ...]:
    """Every `tests/graded/test_unit*.py`, imported under the name ``nnlings_graded.<stem>``."""
    modules = []
    for path in sorted((registry.kit_root() / "tests" / "graded").glob("test_unit*.py")):
        name = f"nnlings_graded.{path.stem}"
        if name not in sys.modules:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        modules.append(sys.modules[name])
    return tuple(modules)


def graded_tests(exercise: str | None = None) -> list:
    """The graded test functions, in file order; only those of `exercise` if it is given."""
    tests = [obj for module in graded_modules() for name, obj in vars(module).items()
             if name.startswith("test_") and is_graded(obj)]
    return [t for t in tests if exercise is None or t.exercise == exercise]
