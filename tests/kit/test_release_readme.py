"""The student release's README, command by command: a fresh virtual environment installs the
release as its README says, and every command of the README then runs in the release, on the
untouched stubs, without a traceback."""
import os
import re
import shlex
import subprocess
import sys
import threading
import time

import pytest

from nnlings.grader import registry

# Building, installing and running a release takes minutes, not the 60 s a test gets. The
# worker of test_release.py runs this file too: one recording of the release's fixtures at a
# time (the second build reuses the first one's cache).
pytestmark = [pytest.mark.kit, pytest.mark.xdist_group("test_release"),
              pytest.mark.timeout(1800)]

INSTALL = "python -m pip install -e ."
FAILS_ON_STUBS = ("nnlings check", "python -m pytest")  # exit 1 until the exercise is written
WATCH_SECONDS = 120  # for the watch loop's first screen


def readme_commands(text: str) -> list[str]:
    """The command lines of the README's bash blocks, without their comments."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            if line:
                commands.append(line)
    return commands


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A release, installed in a virtual environment of its own by the README's own line."""
    root = tmp_path_factory.mktemp("release-readme")
    release, venv = root / "nnlings", root / "venv"
    built = subprocess.run([sys.executable, "-m", "nnlings.grader.release", str(release)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               MPLBACKEND="Agg", NO_COLOR="1")
    commands = readme_commands((release / "README.md").read_text(encoding="utf-8"))
    assert commands[0] == INSTALL, "the README's first command installs the release"
    done = subprocess.run(shlex.split(INSTALL), cwd=release, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return release, env, commands[1:]


def test_the_release_readme_is_for_the_student():
    text = (registry.kit_root() / "grader" / "release_readme.md").read_text(encoding="utf-8")
    assert "Student release" in text
    for instructor_only in ("--impl solutions", "nnlings release", "nnlings notebooks",
                            "gradescope", "[dev]", "[instructor]"):
        assert instructor_only not in text, instructor_only


def test_every_command_of_the_release_readme_runs_in_the_release(installed):
    release, env, commands = installed
    assert len(commands) >= 8
    for command in commands:
        if command.startswith("nnlings watch"):
            screen = watch_screen(command, release, env)
            assert "Checking every exercise once..." in screen, (command, screen)
            assert "Traceback" not in screen, (command, screen)
            continue
        done = subprocess.run(shlex.split(command), cwd=release, env=env, capture_output=True,
                              text=True, timeout=600)
        output = done.stdout + done.stderr
        allowed = (0, 1) if command.startswith(FAILS_ON_STUBS) else (0,)
        assert done.returncode in allowed, (command, done.returncode, output[-3000:])
        assert "Traceback" not in output, (command, output[-3000:])
        if command.startswith(FAILS_ON_STUBS):
            assert "is not implemented yet" in output, (command, output[-3000:])
    assert (release / "figures" / "index.md").exists()


def watch_screen(command: str, release, env) -> str:
    """What the watch loop shows until its first result (it runs until stopped)."""
    with subprocess.Popen(shlex.split(command), cwd=release, env=env, text=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT) as watcher:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(watcher.stdout), daemon=True)
        reader.start()
        deadline = time.monotonic() + WATCH_SECONDS
        while time.monotonic() < deadline and not any("Save the file" in l for l in lines):
            time.sleep(0.1)
        watcher.terminate()
        watcher.wait(timeout=30)
        reader.join(timeout=30)
    return "".join(lines)
