"""`nnlings release`: the student kit holds no solution code, and its graded tests, run on
recorded reference values, pass on a solved copy of the exercises and fail on the stubs."""
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

from nnlings.grader import generate, registry, release

# One xdist worker runs this whole file, so its module fixtures are built once.
pytestmark = [pytest.mark.kit, pytest.mark.xdist_group(__name__)]

ROOT = registry.kit_root()


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "nnlings"
    done = subprocess.run([sys.executable, "-m", "nnlings.grader.release", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def release_env(release_dir, tmp_path):
    """An environment importing `nnlings` from the release alone: run `python -S` in it (the
    site hooks, so the kit's own editable install, stay out), and a folder of links lays out
    the release as the package its pyproject describes."""
    package = tmp_path / "site" / "nnlings"
    package.mkdir(parents=True)
    for name, folder in [("exercises", "exercises"), ("grader", "grader"),
                         ("datasets", "datasets"), ("solutions", "reference")]:
        (package / name).symlink_to(release_dir / folder, target_is_directory=True)
    paths = [str(tmp_path / "site"), sysconfig.get_paths()["purelib"],
             sysconfig.get_paths()["platlib"]]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def run_pytest_in(release_dir, tmp_path):
    """pytest inside a release, importing `nnlings` from the release alone."""
    done = subprocess.run([sys.executable, "-S", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=release_dir, env=release_env(release_dir, tmp_path),
                          capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


RELEASED_CATALOGUE = """
import json, zipfile
from pathlib import Path
from nnlings.grader import mistakes
from nnlings.grader.replay import decode, encode
archive = zipfile.ZipFile(Path(mistakes.__file__).with_name("mistakes.zip"))
index = json.loads(archive.read("index.json"))
sigmoid = mistakes.for_function("2.2", "sigmoid")  # reads the member of exercise 2.2 only
call = json.loads(archive.read("2.2.json"))[0]["calls"][0]
replayed = encode(sigmoid[0].mutant(**{k: decode(v) for k, v in call["args"].items()}))
print(json.dumps({"members": sorted(archive.namelist()), "index": index,
                  "sigmoid": [m.name for m in sigmoid], "call": call["args"],
                  "replayed": replayed}))
"""


def test_the_released_catalogue_names_the_kits_mistakes_and_replays_them(released, tmp_path):
    import json
    from nnlings.grader.mistakes import catalogue, for_function
    from nnlings.grader.replay import decode, encode
    done = subprocess.run([sys.executable, "-S", "-c", RELEASED_CATALOGUE], cwd=tmp_path,
                          env=release_env(released, tmp_path), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout)
    assert got["members"] == sorted({"index.json", *(f"{m.exercise}.json" for m in catalogue())})
    assert [[m[k] for k in ("exercise", "function", "name", "explanation", "hint_level")]
            for m in got["index"]] == [[m.exercise, m.function, m.name, m.explanation,
                                        m.hint_level] for m in catalogue()]
    kit_sigmoid = for_function("2.2", "sigmoid")
    assert got["sigmoid"] == [m.name for m in kit_sigmoid] != []
    assert got["replayed"] == encode(kit_sigmoid[0].mutant(**{k: decode(v)
                                                             for k, v in got["call"].items()}))


def graded_test_count(modules):
    return sum(len(re.findall(r"^def test_", path.read_text(), re.MULTILINE))
               for path in (ROOT / "tests" / "graded").glob("test_unit*.py")
               if path.stem.removeprefix("test_") in modules)


@pytest.mark.timeout(900)  # the first run records the reference's and the mutants' results
def test_the_release_holds_what_a_student_needs_and_no_solutions(released):
    assert not (released / "solutions").exists() and not (released / "tests" / "kit").exists()
    for name in release.KIT_ONLY:
        assert not (released / "grader" / name).exists(), name
    for path, text in generate.expected_files().items():
        assert (released / "exercises" / path.name).read_text() == text
    for unit in registry.units():
        assert (released / "exercises" / "hints" / f"{unit.module}.toml").exists()
        assert (released / "reference" / f"{unit.module}.py").exists()
    assert (released / "reference" / "fixtures.json.gz").exists()
    assert "Student release" in (released / "README.md").read_text()
    assert release.leaks(released) == []  # no region marker, no solution line, in any file
    # The mistake catalogue ships as data: names, hints and each mutant's recorded outputs.
    catalogue = released / "grader" / "mistakes"
    assert sorted(p.name for p in catalogue.iterdir()) == ["__init__.py", "mistakes.zip"]
    assert (released / "grader" / "worker" / "__main__.py").exists()


def test_the_leak_check_finds_one_solution_line_anywhere(tmp_path):
    source = (ROOT / "solutions" / "unit01_neuron.py").read_text().splitlines()
    start = source.index(next(l for l in source if l.strip() == generate.BEGIN))
    line = next(l for l in source[start + 1:]
                if " ".join(l.split()) in release.distinctive_solution_lines())
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "anything.txt").write_text(f"see:\n      {line.strip()}  \n")
    assert release.leaks(tmp_path) == [f"notes/anything.txt: {' '.join(line.split())}"]
    # The kit's own catalogue of mutants is full of such lines: it cannot ship as code.
    shutil.copytree(ROOT / "grader" / "mistakes", tmp_path / "mistakes",
                    ignore=shutil.ignore_patterns("__pycache__"))
    assert any(leak.startswith("mistakes/") for leak in release.leaks(tmp_path))


@pytest.mark.timeout(900)
def test_solved_units_pass_and_untouched_units_fail_with_the_stub_message(released, tmp_path):
    """One pytest run inside the release, with every other unit solved (a reference copy) and
    the rest left as generated stubs."""
    student = tmp_path / "student"
    shutil.copytree(released, student)
    modules = [unit.module for unit in registry.units()]
    solved, untouched = modules[::2], modules[1::2]
    for module in solved:
        shutil.copyfile(ROOT / "solutions" / f"{module}.py",
                        student / "exercises" / f"{module}.py")
    code, output = run_pytest_in(student, tmp_path)
    assert code == 1, output[-3000:]
    assert re.search(rf"\b{graded_test_count(untouched)} failed", output), output[-3000:]
    assert re.search(rf"\b{graded_test_count(solved)} passed", output), output[-3000:]
    report = output.split("short test summary")[0]
    other = [block.strip()[:600] for block in re.split(r"\n_{5,} ", report)
             if "FAILED" not in block and "is not implemented yet" not in block][1:]
    assert graded_test_count(untouched) == len(re.findall("is not implemented yet", report)), \
        other
    assert "holds the reference's results only" not in output


def test_a_release_never_overwrites_a_folder(tmp_path):
    (tmp_path / "something").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        release.write_release(tmp_path)


def test_the_release_pyproject_serves_the_stand_ins():
    text = release.release_pyproject((ROOT / "pyproject.toml").read_text())
    assert '"nnlings.solutions" = "reference"' in text and "fixtures.json.gz" in text
    with pytest.raises(ValueError, match="pyproject"):
        release.release_pyproject("[project]\nname = 'x'\n")
