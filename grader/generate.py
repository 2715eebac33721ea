"""Write `exercises/` from `solutions/`: one source, generated stubs.

In a reference module, the part a student writes is fenced by the nbgrader delimiters::

    def sigmoid(x):
        \"\"\"...docstring the student keeps...\"\"\"
        ### BEGIN SOLUTION
        return ...
        ### END SOLUTION

Inside a function the region becomes ``raise NotImplementedError(...)`` naming the exercise and
the hint command. At module level (imports or helpers only the reference needs) the region is
dropped. Everything outside the regions is copied as it is.

    python -m nnlings.grader.generate          # rewrite exercises/
    python -m nnlings.grader.generate --check  # exit 1 if exercises/ has drifted
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from . import registry

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HEADER = ('# This file is yours: fill in every `raise NotImplementedError`.\n'
          '# It was generated from solutions/{name} by `python -m nnlings.grader.generate`.\n')


def stub_message(exercise_id: str, function: str) -> str:
    return (f"Exercise {exercise_id} ({function}) is not implemented yet. "
            f"Run `nnlings hint {exercise_id}` for a hint.")


def _function_spans(source: str) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of every function in `source`, 0-based, innermost last."""
    spans = [(node.lineno - 1, node.end_lineno - 1, node.name)
             for node in ast.walk(ast.parse(source))
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return sorted(spans)


def _enclosing_function(spans: list[tuple[int, int, str]], index: int) -> str | None:
    inside = [name for first, last, name in spans if first < index <= last]
    return inside[-1] if inside else None


def make_stub(source: str, module: str) -> str:
    """Turn one reference module's source into the student's version of it."""
    lines = source.splitlines(keepends=True)
    spans = _function_spans(source)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() != BEGIN:
            if line.strip() == END:
                raise ValueError(f"{module}: line {i + 1}: {END} without {BEGIN}")
            out.append(line)
            i += 1
            continue
        indent = len(line) - len(line.lstrip())
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == END), None)
        if end is None:
            raise ValueError(f"{module}: line {i + 1}: {BEGIN} is never closed")
        function = _enclosing_function(spans, i)
        if function is not None:
            ex = registry.exercise_of_function(module, function)
            if ex is None:
                raise ValueError(f"{module}: function {function} has a solution region but is "
                                 "not listed under any exercise in its hint file")
            message = stub_message(ex.id, function)
            out.append(" " * indent + "raise NotImplementedError(\n")
            out.append(" " * indent + f"    {message!r}\n")
            out.append(" " * indent + ")\n")
        i = end + 1
        # A dropped module-level region leaves no double blank line behind.
        if function is None:
            while i < len(lines) and not lines[i].strip() and out and not out[-1].strip():
                i += 1
    return "".join(out)


def expected_files() -> dict[Path, str]:
    """Every generated file under exercises/ and the text it should have."""
    root = registry.kit_root()
    files = {}
    for unit in registry.units():
        source_path = root / "solutions" / f"{unit.module}.py"
        body = make_stub(source_path.read_text(encoding="utf-8"), unit.module)
        files[root / "exercises" / source_path.name] = (
            HEADER.format(name=source_path.name) + body)
    return files


def drifted() -> list[Path]:
    """Generated files whose text differs from what the generator would write now."""
    return [path for path, text in expected_files().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_stubs(target: Path | None = None) -> list[Path]:
    """Write the stubs (into `target` instead of exercises/ if given); return what was written."""
    written = []
    for path, text in expected_files().items():
        destination = path if target is None else Path(target) / path.name
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if exercises/ differs from solutions/")
    args = parser.parse_args(argv)
    if args.check:
        stale = drifted()
        for path in stale:
            print(f"out of date: {path.relative_to(registry.kit_root())}")
        if stale:
            print("Run `python -m nnlings.grader.generate` and commit the result.")
        return 1 if stale else 0
    for path in write_stubs():
        print(f"wrote {path.relative_to(registry.kit_root())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
