"""`nnlings gradescope-bundle OUT.zip`: a Gradescope autograder that grades with `nnlings grade`.

Gradescope unpacks the zip into /autograder/source, runs ``setup.sh`` once to build the image,
then ``run_autograder`` for each submission. The zip holds:

    setup.sh          installs the bundled kit (editable, so its tests/ and solutions/ are found)
    run_autograder    copies the student's unitNN_*.py files (at any depth of the submission)
                      into one folder and runs `nnlings grade FOLDER --gradescope results.json`
    nnlings/          the kit: what a student release holds, plus solutions/, so the graded tests
                      compute their expected values from the reference, live

``run_autograder`` reads AUTOGRADER_ROOT (default /autograder) for where the submission is and
where results/results.json goes, and NNLINGS_UNITS (e.g. "1-3,5") for which units to grade,
by default those given to `--units` when the bundle was made (all if none).
"""
from __future__ import annotations

import argparse
import stat
import sys
import zipfile
from pathlib import Path

from . import generate, registry
from .release import shipped_files

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image.
set -euo pipefail
cd "$(dirname "$0")"
if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update && apt-get install -y python3 python3-pip
fi
# Editable: the grader finds the graded tests and the reference next to its own files.
python3 -m pip install -e ./nnlings
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. AUTOGRADER_ROOT (default /autograder) and
# NNLINGS_UNITS (units to grade, e.g. 1-3,5; empty: all) can be set to try it elsewhere.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
NNLINGS_UNITS="${NNLINGS_UNITS:-{units}}"
RESULTS="$ROOT/results/results.json"
WORK="$(mktemp -d)"
mkdir -p "$ROOT/results"
# The student's unit files, wherever they sit in the upload; the shallowest copy of a name wins.
find "$ROOT/submission" -type f -name 'unit[0-9][0-9]_*.py' -printf '%d %p\\n' | sort -rn |
    while read -r _ path; do cp "$path" "$WORK/"; done
if ! ls "$WORK"/unit[0-9][0-9]_*.py >/dev/null 2>&1; then
    cat > "$RESULTS" <<'EOF'
{"score": 0, "output": "No unitNN_*.py file was found in your submission: upload the files of your exercises/ folder (e.g. unit02_activations.py).", "visibility": "visible", "tests": []}
EOF
    exit 0
fi
nnlings grade "$WORK" ${NNLINGS_UNITS:+--units "$NNLINGS_UNITS"} --gradescope "$RESULTS"
"""

def bundled_files() -> dict[Path, Path]:
    """Path in the bundle's nnlings/ -> kit path: the release's files, the reference, the whole
    grader and what pip needs to install the kit."""
    root = registry.kit_root()
    files = dict(shipped_files())
    for pattern in ("solutions/*.py", "grader/*.py"):
        for path in sorted(root.glob(pattern)):
            files[path.relative_to(root)] = path
    for name in ("pyproject.toml", "README.md"):
        files[Path(name)] = root / name
    return files


def _add_text(bundle: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    bundle.writestr(info, text)


def write_bundle(out: Path, units: str = "") -> list[str]:
    """Write the autograder zip to `out`, grading only `units` (e.g. "1-3,5"; "" for all);
    return its member names."""
    out = Path(out)
    if units:
        from .grade import parse_units
        parse_units(units)  # a clear error now rather than on Gradescope
    if out.suffix != ".zip":
        raise ValueError(f"gradescope-bundle: {out} should end in .zip (Gradescope takes a zip)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as bundle:
        _add_text(bundle, "setup.sh", SETUP, executable=True)
        _add_text(bundle, "run_autograder", RUN_AUTOGRADER.replace("{units}", units),
                  executable=True)
        for target, source in sorted(bundled_files().items()):
            bundle.write(source, f"nnlings/{target.as_posix()}")
        for path, text in generate.expected_files().items():
            _add_text(bundle, f"nnlings/exercises/{path.name}", text)
        return bundle.namelist()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", help="the zip to write, e.g. autograder.zip")
    parser.add_argument("--units", help="grade only these units, e.g. 1-3,5 (default: all)")


def run(args) -> int:
    names = write_bundle(Path(args.out), args.units or "")
    print(f"Wrote {args.out} ({len(names)} files). Upload it as the autograder of a Gradescope "
          "programming assignment (Ubuntu base image); students upload their unitNN_*.py files.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nnlings gradescope-bundle",
                                     description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
