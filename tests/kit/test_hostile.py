"""The hostile catalogue: submissions that try to buy a grade, or break the grader, by accident
or on purpose (one case per file in `hostile/`).

Each case replaces one function of units 2-7 of a reference copy. The batch graded with
`nnlings grade --jobs 2` holds that hostile submission, a control in which every replaced
function just returns None, an untouched reference (the neighbour whose files the cases attack)
and a submission whose unit file is a symlink to the reference. The grader must exit cleanly
with a report, the hostile submission must pass no test the control fails (so it earns only
what it honestly solved), the units and submissions beside it keep full marks, the kit is
unchanged and no process of a student's survives grading.
"""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from nnlings.grader import registry

pytestmark = [pytest.mark.kit, pytest.mark.xdist_group(__name__)]

CASES = sorted((Path(__file__).parent / "hostile").glob("[0-9][0-9]_*.py"))
HOSTILE_UNITS = (2, 3, 4, 5, 6, 7)
GRADED_UNITS = "1-7"  # unit 1 stays untouched in the hostile submission


def targets():
    """(unit module, function) for each case, in curriculum order."""
    functions = [(unit.module, name) for unit in registry.units() if unit.number in HOSTILE_UNITS
                 for ex in unit.exercises for name in ex.functions]
    assert len(functions) >= len(CASES) >= 40
    return dict(zip(CASES, functions))


def kit_fingerprint() -> str:
    root = registry.kit_root()
    digest = hashlib.sha256()
    for folder in ("solutions", "tests", "grader", "exercises", "datasets"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def processes_with(token: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token.encode() in (entry / "cmdline").read_bytes():
                    found.append(entry.name)
            except OSError:
                pass
    return found


def copy_reference(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in (registry.kit_root() / "solutions").glob("unit*.py"):
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    token = f"{1000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10 ** 6:06d}"  # sleep's arg
    classroom = root / "class"
    victim = copy_reference(classroom / "victim")
    hostile, control = copy_reference(classroom / "hostile"), copy_reference(classroom / "control")
    linker = classroom / "linker"
    linker.mkdir()
    (linker / "unit02_activations.py").symlink_to(registry.kit_root() / "solutions" /
                                                  "unit02_activations.py")
    fills = {"__KIT__": str(registry.kit_root()), "__VICTIM__": str(victim),
             "__TOKEN__": token}
    for case, (module, function) in targets().items():
        code = case.read_text()
        for key, value in {**fills, "__UNIT__": module, "__FUNC__": function}.items():
            code = code.replace(key, value)
        with open(hostile / f"{module}.py", "a") as out:
            out.write(f"\n\n# {case.name}\n{code}\n")
        with open(control / f"{module}.py", "a") as out:
            out.write(f"\n\ndef {function}(*args, **kwargs):\n    return None\n")
    before = kit_fingerprint()
    report, grades = root / "report.json", root / "grades.csv"
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run([sys.executable, "-m", "nnlings.grader.cli", "grade", str(classroom),
                           "--jobs", "2", "--units", GRADED_UNITS, "--test-time-limit", "4",
                           "--memory-limit", "1024", "--json", str(report), "--csv",
                           str(grades)], capture_output=True, text=True, timeout=600, env=env,
                          cwd=root)
    return {"done": done, "report": report, "grades": grades, "token": token,
            "before": before, "after": kit_fingerprint(), "survivors": processes_with(token)}


def by_name(batch):
    assert batch["done"].returncode == 0, batch["done"].stderr[-3000:]
    return {Path(g["submission"]).name: g for g in json.loads(batch["report"].read_text())}


def test_the_grader_exits_cleanly_with_a_report(batch):
    grades = by_name(batch)
    assert set(grades) == {"victim", "hostile", "control", "linker"}
    rows = {row["submission"]: row for row in csv.DictReader(batch["grades"].open())}
    assert set(rows) == set(grades)
    assert all(g["isolation"] for g in grades.values())


def test_the_hostile_submission_earns_only_what_it_honestly_solved(batch):
    grades = by_name(batch)
    outcome = {name: {t["id"]: t for u in g["units"] for t in u["tests"]}
               for name, g in grades.items()}
    control = outcome["control"]
    # (A control test that ran out of time on a busy machine proves nothing either way.)
    stolen = [test for test, result in outcome["hostile"].items()
              if result["passed"] and not control[test]["passed"]
              and "time limit" not in control[test]["message"]]
    assert not stolen, stolen
    assert grades["hostile"]["earned"] <= grades["control"]["earned"]


def test_the_units_and_submissions_beside_it_keep_full_marks(batch):
    grades = by_name(batch)
    victim = grades["victim"]
    assert victim["earned"] == victim["possible"] > 0, [
        (t["id"], t["message"][:200]) for u in victim["units"] for t in u["tests"]
        if not t["passed"]]
    untouched = [u for u in grades["hostile"]["units"] if u["number"] not in HOSTILE_UNITS]
    assert untouched and all(u["earned"] == u["possible"] for u in untouched)


def test_a_symlink_to_the_reference_is_not_a_submission(batch):
    unit2 = by_name(batch)["linker"]["units"][1]
    assert unit2["earned"] == 0 and "missing" in unit2["problem"]


def test_what_cannot_cross_is_named(batch):
    tests = [t for u in by_name(batch)["hostile"]["units"] for t in u["tests"]]
    cases = {case.name: target for case, target in targets().items()}
    for case, shown in [("45_returns_generator.py", "generator"),
                        ("46_returns_lambda.py", "lambda"),
                        ("47_returns_open_file.py", "TextIOWrapper")]:
        function = cases[case][1]
        exercise = next(ex.id for ex in registry.all_exercises() if function in ex.functions)
        messages = [t["message"] for t in tests if t["exercise"] == exercise and not t["passed"]]
        assert any(shown in m for m in messages), (case, messages[:2])


def test_the_kit_is_unchanged_and_nothing_survives(batch):
    by_name(batch)
    assert batch["after"] == batch["before"]
    assert not batch["survivors"]
    for folder in sys.path:
        assert not (Path(folder) / "sitecustomize.py").exists() or folder.startswith("/usr")
