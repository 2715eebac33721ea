"""`nnlings release OUT`: the kit a student receives, with no solution code in it.

The release holds the generated exercises and their hints, the graded tests, the grader, the
data sets, the README and a pyproject. The graded tests still ``import nnlings.solutions...``
for their expected values; in the release that package is ``reference/``. Each of its unit
modules is the student's file (provided code and stubs, which the student has anyway) whose stubs
are replaced by functions replaying the reference's results (see `replay.py`), so classes and
helpers the tests use from the reference still run as they are.

This module records those results: it runs every graded suite under pytest, against a copy of
the reference, with each replaced reference function wrapped by a recorder; then every graded
test once more for each mutant of the mistake catalogue, because the failure messages of a wrong
answer call the reference on inputs of their own.

    nnlings release OUT          # OUT must not exist yet, or be empty
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import fcntl
import functools
import gzip
import hashlib
import importlib
import inspect
import io
import json
import os
import re
import shutil
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from . import generate, registry
from .replay import FIXTURES, Unrecordable, encode, load_fixtures, signature_to_json

# Grader modules that need the solutions themselves, and stay out of a release.
KIT_ONLY = {"generate.py", "release.py", "bench.py"}

SHIM_HEADER = """\
# Unit {number}'s reference, as this release ships it: the student's file (provided code and
# stubs, no solution code) whose stubs are then replaced by functions replaying the reference's
# results on the graded tests' own inputs (see nnlings/grader/replay.py).
"""
SHIM_FOOTER = """

from nnlings.grader.replay import install  # noqa: E402  (after the stubs it replaces)

install(globals())
"""

# A mutant's failure message may call the reference on inputs of its own; such calls are kept
# when they are small, so that the release's messages name the same mistakes.
MUTANT_CALL_BYTES = 100_000

PACKAGE = '''"""The reference as recorded values (fixtures.json.gz): no solution code ships here."""
'''

MISTAKES_PACKAGE = '''"""The mistake catalogue, as this release ships it: what each catalogued wrong answer returns on
the graded tests' own inputs (`mistakes.zip`, recorded when the release was made), with its
name, explanation and hint level. No mutant code ships here: a mutant replays its recorded
results, and on inputs it was never recorded for it names no mistake. The archive holds an index
and one member per exercise, read when a check first asks about that exercise.
"""
from __future__ import annotations

import functools
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..replay import replayer


@dataclass(frozen=True)
class Mistake:
    exercise: str
    function: str
    name: str
    explanation: str
    hint_level: int
    mutant: Callable


@functools.lru_cache(maxsize=None)
def _archive() -> zipfile.ZipFile:
    return zipfile.ZipFile(Path(__file__).with_name("mistakes.zip"))


@functools.lru_cache(maxsize=None)
def _index() -> tuple[dict, ...]:
    return tuple(json.loads(_archive().read("index.json")))


@functools.lru_cache(maxsize=None)
def _of_exercise(exercise: str) -> tuple[Mistake, ...]:
    entries = [m for m in _index() if m["exercise"] == exercise]
    if not entries:
        return ()
    specs = json.loads(_archive().read(f"{exercise}.json"))
    return tuple(Mistake(m["exercise"], m["function"], m["name"], m["explanation"],
                         m["hint_level"], replayer(__name__, m["function"], spec))
                 for m, spec in zip(entries, specs))


def catalogue() -> tuple[Mistake, ...]:
    of_exercise = {m["exercise"]: iter(_of_exercise(m["exercise"])) for m in _index()}
    return tuple(next(of_exercise[m["exercise"]]) for m in _index())


def for_function(exercise: str, function: str) -> tuple[Mistake, ...]:
    return tuple(m for m in _of_exercise(exercise) if m.function == function)
'''


# Recording ---------------------------------------------------------------------------------------

def top_level_names(source: str) -> set[str]:
    """The names a module's source defines at its top level."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def stubbed_functions(source: str) -> set[str]:
    """The top-level functions of a reference module that hold a solution region."""
    begins = [i + 1 for i, line in enumerate(source.splitlines())
              if line.strip() == generate.BEGIN]
    return {node.name for node in ast.parse(source).body
            if isinstance(node, ast.FunctionDef)
            and any(node.lineno < line <= node.end_lineno for line in begins)}


def shim_source(unit: registry.Unit) -> str:
    """A unit's stand-in: the student's file (provided code and stubs), its stubs then replaced
    by replaying functions."""
    source = (registry.kit_root() / "solutions" / f"{unit.module}.py").read_text(encoding="utf-8")
    return (SHIM_HEADER.format(number=unit.number) + generate.make_stub(source, unit.module)
            + SHIM_FOOTER)


class Recorder:
    """Wraps the reference functions a release replaces (those holding a solution region, and
    public ones defined only inside one) and records their outermost calls."""

    def __init__(self):
        self.units: dict[str, dict] = {}
        self.depth = 0
        self.max_bytes: int | None = None  # larger calls are not kept (the mutants' pass)
        self.problems: list[str] = []
        self._patched: list[tuple[object, str, object]] = []
        self.mistakes: dict[str, dict] = {}  # mistake key -> its mutant's signature and calls
        self.mutant_depth = 0

    def install(self) -> None:
        for unit in registry.units():
            path = registry.kit_root() / "solutions" / f"{unit.module}.py"
            try:
                module = importlib.import_module(f"nnlings.solutions.{unit.module}")
            except ImportError:
                continue
            source = path.read_text(encoding="utf-8")
            kept = top_level_names(generate.make_stub(source, unit.module))
            replaced = stubbed_functions(source)
            record = self.units[unit.module] = {"functions": {}, "constants": {}}
            for name, value in sorted(vars(module).items()):
                if name.startswith("_") or (name in kept and name not in replaced):
                    continue
                is_function = inspect.isfunction(value) or hasattr(value, "py_func")  # numba
                if is_function and getattr(value, "__module__", None) == module.__name__:
                    signature = inspect.signature(getattr(value, "py_func", value))
                    record["functions"][name] = {
                        "signature": signature_to_json(signature), "calls": []}
                    self._patch_everywhere(value, self._wrap(unit.module, name, value))
                elif not callable(value) and not inspect.ismodule(value):
                    with contextlib.suppress(Unrecordable):
                        record["constants"][name] = encode(value)

    def install_mistakes(self) -> None:
        """Record every catalogued mutant's calls too: the release ships what each mutant
        returns on the graded tests' inputs, never its code."""
        from . import mistakes
        wrapped = []
        for index, mistake in enumerate(mistakes.catalogue()):
            key = mistake_key(index, mistake)
            signature = inspect.signature(mistake.mutant)
            self.mistakes[key] = {"signature": signature_to_json(signature), "calls": []}
            wrapped.append(dataclasses.replace(
                mistake, mutant=self._wrap_mutant(key, mistake.mutant, signature)))
        wrapped = tuple(wrapped)
        self._patched.append((mistakes, "catalogue", mistakes.catalogue))
        mistakes.catalogue = lambda: wrapped

    def _wrap_mutant(self, key: str, function, signature):
        calls, seen = self.mistakes[key]["calls"], {}

        def recorded(*args, **kwargs):
            if self.mutant_depth:
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            try:
                before = {k: encode(v) for k, v in bound.arguments.items()}
            except Unrecordable:
                return function(*args, **kwargs)  # a call the release cannot name a mistake for
            self.mutant_depth += 1
            try:
                result, raised = function(*bound.args, **bound.kwargs), None
            except Exception as error:
                result, raised = None, error
            finally:
                self.mutant_depth -= 1
            problems = len(self.problems)
            self._store(calls, seen, f"mistake {key}", bound.arguments, before, result, raised)
            del self.problems[problems:]  # a mutant may be nondeterministic: keep its first call
            if raised is not None:
                raise raised
            return result

        return functools.wraps(function)(recorded)

    def _patch_everywhere(self, original, wrapper) -> None:
        """Put `wrapper` wherever a reference module holds `original`."""
        for name, module in list(sys.modules.items()):
            if name.startswith("nnlings.solutions.") and module is not None:
                for attribute, value in list(vars(module).items()):
                    if value is original:
                        self._patched.append((module, attribute, value))
                        setattr(module, attribute, wrapper)

    def uninstall(self) -> None:
        for module, name, value in reversed(self._patched):
            setattr(module, name, value)
        self._patched.clear()

    def _wrap(self, module: str, name: str, function):
        signature = inspect.signature(getattr(function, "py_func", function))
        calls = self.units[module]["functions"][name]["calls"]
        seen: dict[str, dict] = {}

        def recorded(*args, **kwargs):
            if self.depth:
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            try:
                before = {k: encode(v) for k, v in bound.arguments.items()}
            except Unrecordable as error:
                self.problems.append(f"{module}.{name}: an argument cannot be recorded ({error})")
                return function(*args, **kwargs)
            self.depth += 1
            try:
                result, raised = function(*bound.args, **bound.kwargs), None
            except Exception as error:
                result, raised = None, error
            finally:
                self.depth -= 1
            self._store(calls, seen, f"{module}.{name}", bound.arguments, before, result, raised)
            if raised is not None:
                raise raised
            return result

        # The wrapper passes for the function itself, in records too (see replay._closure_values).
        recorded = functools.wraps(function)(recorded)
        recorded.__replayed__ = True
        return recorded

    def _store(self, calls, seen, where, arguments, before, result, raised) -> None:
        try:
            after = {k: encode(v) for k, v in arguments.items()}
            same = next((k for k, v in arguments.items() if v is result and result is not None),
                        None)
            call = {"args": before,
                    "effects": {k: after[k] for k in before if after[k] != before[k]},
                    "result": {"arg": same} if same else encode(result),
                    "raised": None if raised is None else encode(raised)}
        except Unrecordable as error:
            self.problems.append(f"{where}: a result cannot be recorded ({error})")
            return
        key = json.dumps(before, sort_keys=True)
        if key in seen:
            if seen[key] != call:
                self.problems.append(f"{where}: two calls with the same inputs gave different "
                                     "results (does it use global random state?)")
            return
        size = len(key) + len(json.dumps(call["result"]))
        if self.max_bytes is not None and size > self.max_bytes:
            return
        seen[key] = call
        calls.append(call)

    def fixtures(self) -> dict:
        return {"format": 1, "units": self.units, "mistakes": self.mistakes}


def mistake_key(index: int, mistake) -> str:
    """A catalogued mistake's name in the fixtures: its place in the catalogue and its function."""
    return f"{index}:{mistake.exercise}:{mistake.function}"


def copy_of_reference(folder: Path) -> Path:
    """The reference's unit files copied into `folder`: a student who has solved everything."""
    for path in (registry.kit_root() / "solutions").glob("unit[0-9][0-9]_*.py"):
        shutil.copyfile(path, folder / path.name)
    return folder


class _FailedTests:
    """A pytest plugin that keeps the id and first message line of every failed test."""

    def __init__(self):
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            first_line = str(report.longrepr).strip().splitlines()[:1]
            self.failed.append(" ".join([report.nodeid, "--", *first_line]))


def run_suites(impl: Path) -> list[str]:
    """Every test in tests/graded, under pytest, against `impl`; returns the failed tests, each
    as its id and the first line of its message."""
    from .progress import pytest_args
    failures, quiet = _FailedTests(), io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        code = int(pytest.main(pytest_args(str(impl), "-q", "-p", "no:warnings"),
                               plugins=[failures]))
    if code != 0 and not failures.failed:
        failures.failed.append(f"pytest exited with code {code}:\n{quiet.getvalue()[-2000:]}")
    return failures.failed


def run_mutants(impl: Path) -> None:
    """Every graded test of each catalogued mistake's exercise, on the reference copy with that
    mistake in place (the failure messages call the reference on inputs of their own)."""
    from .implementation import load_unit
    from .mistakes import catalogue
    from .suite import graded_tests
    for mistake in catalogue():
        module = load_unit(str(impl), registry.exercise(mistake.exercise).module)
        namespace = SimpleNamespace(**vars(module))
        setattr(namespace, mistake.function, mistake.mutant)
        for test in graded_tests(mistake.exercise):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                try:
                    test(namespace)
                except Exception:
                    pass


def record() -> tuple[dict, list[str]]:
    """Record the reference's calls; return the fixtures and the problems met."""
    recorder = Recorder()
    recorder.install()
    recorder.install_mistakes()
    try:
        with tempfile.TemporaryDirectory(prefix="nnlings-record-") as folder:
            impl = copy_of_reference(Path(folder))
            recorder.problems.extend(f"the reference fails a graded test: {failure}"
                                     for failure in run_suites(impl))
            recorder.max_bytes = MUTANT_CALL_BYTES
            run_mutants(impl)
    finally:
        recorder.uninstall()
    return recorder.fixtures(), recorder.problems


def _recording_key() -> str:
    """A digest of everything the recording depends on: the reference, the graded suites, the
    kit's machinery and data, and the versions of Python and NumPy."""
    root = registry.kit_root()
    digest = hashlib.sha256(f"{sys.version}|{np.__version__}".encode())
    for folder in ("solutions", "tests/graded", "grader", "datasets"):
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def write_recorded_files(fixtures: dict, reference: Path, catalogue: Path) -> None:
    """The recording as a release ships it: the reference's calls in `reference/FIXTURES`, and
    the catalogue's mistakes with their mutants' calls in `catalogue/mistakes.zip` (an index and
    one member per exercise, so that a check reads only its exercise's)."""
    mistakes_data = mistakes_as_data(fixtures)
    fixtures = {k: v for k, v in fixtures.items() if k != "mistakes"}
    with gzip.open(reference / FIXTURES, "wb", compresslevel=9) as file:
        file.write(json.dumps(fixtures, separators=(",", ":")).encode())
    exercises: dict[str, list] = {}
    for mistake in mistakes_data:
        exercises.setdefault(mistake["exercise"], []).append(mistake.pop("spec"))
    with zipfile.ZipFile(catalogue / "mistakes.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.json", json.dumps(mistakes_data, separators=(",", ":")))
        for exercise, specs in exercises.items():
            archive.writestr(f"{exercise}.json", json.dumps(specs, separators=(",", ":")))


RECORDED_FILES = (Path("reference") / FIXTURES, Path("grader") / "mistakes" / "mistakes.zip")


def copy_recording(out: Path) -> list[str]:
    """Put the recorded files into the release `out`; return the recording's problems. A clean
    recording is kept in `.nnlings-cache/` (like numba's cache of compiled code) and reused while
    nothing it depends on has changed; processes that build releases at the same time record
    once: the others wait on a lock and copy the result."""
    folder = registry.kit_root() / ".nnlings-cache"
    folder.mkdir(exist_ok=True)
    cache = folder / f"release-{_recording_key()}"
    with open(folder / "fixtures.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        problems = []
        if not cache.is_dir():
            partial = folder / "release.partial"
            shutil.rmtree(partial, ignore_errors=True)
            for path in RECORDED_FILES:
                (partial / path).parent.mkdir(parents=True, exist_ok=True)
            fixtures, problems = record()
            write_recorded_files(fixtures, partial / "reference", partial / "grader" / "mistakes")
            if problems:
                cache = partial  # shipped as it is, with the problems reported, never reused
            else:
                for stale in folder.glob("release-*"):
                    shutil.rmtree(stale)
                os.replace(partial, cache)
        for path in RECORDED_FILES:
            shutil.copyfile(cache / path, out / path)
    return problems


# Writing the release -----------------------------------------------------------------------------

def shipped_files() -> dict[Path, Path]:
    """Release path -> kit path of every file copied as it is."""
    root = registry.kit_root()
    files: dict[Path, Path] = {}

    def add(pattern: str, skip=()):
        for path in sorted(root.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts and path.name not in skip:
                files[path.relative_to(root)] = path

    add("exercises/__init__.py")
    add("exercises/checks.py")
    add("exercises/hints/*.toml")
    add("grader/*.py", skip=KIT_ONLY)
    add("grader/worker/*.py")
    add("grader/judge/*.py")
    add("datasets/**/*")
    add("tests/graded/*.py")
    return files


def release_pyproject(text: str) -> str:
    """The kit's pyproject with `nnlings.solutions` served from reference/ and its fixtures."""
    replacements = [
        ('"nnlings.solutions" = "solutions"', '"nnlings.solutions" = "reference"'),
        ("[tool.setuptools.package-data]\n",
         f'[tool.setuptools.package-data]\n"nnlings.solutions" = ["{FIXTURES}"]\n'
         '"nnlings.grader.mistakes" = ["mistakes.zip"]\n'),
    ]
    for old, new in replacements:
        if text.count(old) != 1:
            raise ValueError(f"release: pyproject.toml no longer has {old.strip()!r} once")
        text = text.replace(old, new)
    registry.tomllib.loads(text)  # still valid TOML
    return text


# Lines too plain to tell anything: short ones, and the bare frame of a block or a return.
PLAIN_LINE = re.compile(r"^(.{0,19}|(for|if|elif|while|with|except|def|class) .*:|"
                        r"return [\w.]+|[\w.]+ = [\w.]+|#.*|[\])}]+,?)$")


def _normalised(line: str) -> str:
    return " ".join(line.split())


# The code a student is given as it is, beside the provided parts of the unit files: a line of it
# that also stands in a solution region tells the student nothing new.
PROVIDED_CODE = ("exercises/checks.py", "datasets/*.py")


def distinctive_solution_lines() -> set[str]:
    """Every line of a solution region, whitespace normalised, that tells something: not plain
    (see PLAIN_LINE) and not also a line of the provided code (outside the regions, or in
    PROVIDED_CODE)."""
    root = registry.kit_root()
    inside, outside = set(), set()
    for path in root.glob("solutions/*.py"):
        in_region = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() in (generate.BEGIN, generate.END):
                in_region = line.strip() == generate.BEGIN
                continue
            (inside if in_region else outside).add(_normalised(line))
    for pattern in PROVIDED_CODE:
        for path in root.glob(pattern):
            outside.update(map(_normalised, path.read_text(encoding="utf-8").splitlines()))
    return {line for line in inside - outside if not PLAIN_LINE.match(line)}


def leaks(out: Path) -> list[str]:
    """Files of a release that hold solution code: a region marker in a module, or any
    distinctive line of any solution region in any file; each as "path: the line"."""
    lines = distinctive_solution_lines()
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # compressed data: recorded values, no code
        where = str(path.relative_to(out))
        if path.suffix == ".py" and generate.BEGIN in text:  # (the README names the marker)
            found.append(f"{where}: {generate.BEGIN}")
        found += [f"{where}: {_normalised(line)}" for line in text.splitlines()
                  if _normalised(line) in lines]
    return found


def mistakes_as_data(fixtures: dict) -> list[dict]:
    """Each catalogued mistake with its mutant's recorded calls instead of its code."""
    from .mistakes import catalogue
    recorded = fixtures.get("mistakes", {})
    return [{"exercise": m.exercise, "function": m.function, "name": m.name,
             "explanation": m.explanation, "hint_level": m.hint_level,
             "spec": recorded.get(mistake_key(index, m), {"signature": signature_to_json(
                 inspect.signature(m.mutant)), "calls": []})}
            for index, m in enumerate(catalogue())]


def write_release(out: Path) -> list[str]:
    """Write the student release into `out`; return the recording's problems (none expected)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"release: {out} is not empty; give a new or empty folder")
    root = registry.kit_root()
    for target, source in shipped_files().items():
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / target)
    for path, text in generate.expected_files().items():
        (out / "exercises" / path.name).write_text(text, encoding="utf-8")
    reference, catalogue = out / "reference", out / "grader" / "mistakes"
    reference.mkdir()
    catalogue.mkdir(parents=True, exist_ok=True)
    problems = copy_recording(out)
    (reference / "__init__.py").write_text(PACKAGE, encoding="utf-8")
    recorded_units = load_fixtures(reference)["units"]
    for unit in registry.units():
        if unit.module in recorded_units:
            (reference / f"{unit.module}.py").write_text(shim_source(unit), encoding="utf-8")
    (catalogue / "__init__.py").write_text(MISTAKES_PACKAGE, encoding="utf-8")
    (out / "pyproject.toml").write_text(
        release_pyproject((root / "pyproject.toml").read_text(encoding="utf-8")),
        encoding="utf-8")
    # The student's README is written for the student (grader/release_readme.md): no
    # instructor commands, nothing that needs the solutions.
    shutil.copyfile(root / "grader" / "release_readme.md", out / "README.md")
    leaked = leaks(out)
    if leaked:
        raise RuntimeError(f"release: solution code found in {leaked}; the release is unsafe")
    return problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", help="the folder to write the student release into (new or empty)")


def run(args) -> int:
    problems = write_release(Path(args.out))
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"The release in {args.out} is not fit to hand out: its recorded results are "
              "incomplete (see the errors above). Fix them and build it again.", file=sys.stderr)
        return 1
    print(f"Wrote the student release to {args.out}: no solution code, the reference's results "
          f"recorded in reference/{FIXTURES}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nnlings release", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
