"""Which implementation a graded test runs against: the student's, the reference, or a folder.

An implementation is named by ``exercises`` (the student's files, the default), ``solutions``
(the reference) or the path of a folder holding ``unitNN_*.py`` files (a submission, or stubs
generated for a check). `load_unit` returns one unit module of it.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BUILT_IN = ("exercises", "solutions")


def _package_for_folder(folder: Path) -> str:
    """Import `folder` as a package under a name unique to its path; return that name."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise ValueError(f"--impl {folder}: expected 'exercises', 'solutions' or a folder of "
                         "unitNN_*.py files, and this folder does not exist")
    name = "nnlings_impl_" + hashlib.sha1(str(folder).encode()).hexdigest()[:12]
    if name not in sys.modules:
        init = folder / "__init__.py"
        if init.exists():
            spec = importlib.util.spec_from_file_location(
                name, init, submodule_search_locations=[str(folder)])
            package = importlib.util.module_from_spec(spec)
            sys.modules[name] = package
            spec.loader.exec_module(package)
        else:
            package = ModuleType(name)
            package.__path__ = [str(folder)]
            sys.modules[name] = package
    return name


def package_name(impl: str) -> str:
    if impl in BUILT_IN:
        return f"nnlings.{impl}"
    return _package_for_folder(Path(impl))


def load_unit(impl: str, module: str) -> ModuleType:
    """The module `module` (e.g. ``unit02_activations``) of implementation `impl`."""
    return importlib.import_module(f"{package_name(impl)}.{module}")
