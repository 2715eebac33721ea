"""`nnlings gradescope-bundle OUT.zip`: a Gradescope autograder that grades with `nnlings grade`.

Gradescope unpacks the zip into /autograder/source, runs ``setup.sh`` once to build the image,
then ``run_autograder`` for each submission. The zip holds:

    setup.sh          installs bubblewrap and the bundled kit into a virtualenv
                      (/autograder/source/venv; editable, so its tests/ and solutions/ are
                      found), and makes the reference, tests and mistake catalogue unreadable
                      to other users (the fallback where the image refuses namespaces)
    run_autograder    copies the student's unitNN_*.py files (at any depth of the submission)
                      into one folder and runs `nnlings grade FOLDER --gradescope results.json`:
                      the student's code runs in the sandbox as uid nobody, and the judge writes
                      results.json after every process of the student's has ended
    course.env        the course's secret seed offset (NNLINGS_SEED_OFFSET), if the bundle was
                      made with one: each test then also runs on fresh inputs, as a hidden test
                      (visibility "after_published") that carries the points
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
if ! command -v bwrap >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
    apt-get update && apt-get install -y python3 python3-venv python3-pip bubblewrap
fi
# A virtualenv of its own, not the system Python; editable, so the grader finds the graded
# tests and the reference next to its own files.
python3 -m venv venv
venv/bin/python -m pip install --quiet --upgrade pip
venv/bin/python -m pip install -e ./nnlings
# Where the image refuses namespaces, the student's code runs as nobody: it must not be able
# to read the reference, the tests or the mistake catalogue.
chmod -R go-rwx nnlings/solutions nnlings/tests nnlings/grader/mistakes
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. AUTOGRADER_ROOT (default /autograder) and
# NNLINGS_UNITS (units to grade, e.g. 1-3,5; empty: all) can be set to try it elsewhere.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
NNLINGS_UNITS="${NNLINGS_UNITS:-{units}}"
RESULTS="$ROOT/results/results.json"
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$HERE/course.env" ]; then
    set -a; . "$HERE/course.env"; set +a
fi
NNLINGS="$HERE/venv/bin/nnlings"
[ -x "$NNLINGS" ] || NNLINGS=nnlings
WORK="$(mktemp -d)"
mkdir -p "$ROOT/results"
# The student's unit files, wherever they sit in the upload; the shallowest copy of a name wins.
find "$ROOT/submission" -type f -name 'unit[0-9][0-9]_*.py' -printf '%d %p\\n' | sort -rn |
    while read -r _ path; do cp "$path" "$WORK/"; done
if ! ls "$WORK"/unit[0-9][0-9]_*.py >/dev/null 2>&1; then
    cat > "$RESULTS" <<'EOF'
{"score": 0, "output_format": "text", "output": "No unitNN_*.py file was found in your submission: upload the files of your exercises/ folder (e.g. unit02_activations.py).", "visibility": "visible", "tests": []}
EOF
    exit 0
fi
"$NNLINGS" grade "$WORK" ${NNLINGS_UNITS:+--units "$NNLINGS_UNITS"} --gradescope "$RESULTS"
"""

def bundled_files() -> dict[Path, Path]:
    """Path in the bundle's nnlings/ -> kit path: the release's files, the reference, the whole
    grader and what pip needs to install the kit."""
    root = registry.kit_root()
    files = dict(shipped_files())
    for pattern in ("solutions/*.py", "grader/*.py", "grader/worker/*.py", "grader/judge/*.py"):
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


def write_bundle(out: Path, units: str = "", seed_offset: int | None = None) -> list[str]:
    """Write the autograder zip to `out`, grading only `units` (e.g. "1-3,5"; "" for all) with
    hidden tests on fresh inputs if `seed_offset` (default: the course's, from
    NNLINGS_SEED_OFFSET) is not 0; return its member names."""
    from .cases import SEED_OFFSET_VARIABLE, course_seed_offset
    seed_offset = course_seed_offset() if seed_offset is None else seed_offset
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
        if seed_offset:
            _add_text(bundle, "course.env", f"{SEED_OFFSET_VARIABLE}={int(seed_offset)}\n")
        for target, source in sorted(bundled_files().items()):
            bundle.write(source, f"nnlings/{target.as_posix()}")
        for path, text in generate.expected_files().items():
            _add_text(bundle, f"nnlings/exercises/{path.name}", text)
        return bundle.namelist()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", help="the zip to write, e.g. autograder.zip")
    parser.add_argument("--units", help="grade only these units, e.g. 1-3,5 (default: all)")
    parser.add_argument("--seed-offset", type=int, default=None,
                        help="the course's secret seed offset for hidden tests (default: "
                             "NNLINGS_SEED_OFFSET, or none)")


def run(args) -> int:
    names = write_bundle(Path(args.out), args.units or "", getattr(args, "seed_offset", None))
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
