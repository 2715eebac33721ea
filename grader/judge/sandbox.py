"""How the child is isolated: the bubblewrap command line, or the fallback, and its name.

In the bubblewrap sandbox the child sees the system's libraries and Python, the kit read-only
with the reference (`solutions/`), the kit's tests, the mistake catalogue, recorded fixtures and
the kit's git history hidden, its own staged copy of the student's unit files at
``/submission``, and a private ``/tmp`` (also its numba cache). It has no network, its own PID
namespace (it cannot see or signal the judge, or other children), a new session, no
capabilities, the uid ``nobody``, and it dies with the judge.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

BUBBLEWRAP = "bubblewrap"
UNPRIVILEGED = "unprivileged uid"
NONE = "none"
NOBODY = 65534
INSIDE = "/submission"
TMP_BYTES = 512 * 1024 ** 2  # the private /tmp is memory: cap it  # where the staged unit files appear in the sandbox


def _package_folder(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def kit_root() -> Path:
    return Path(__file__).resolve().parents[2]


def hidden_paths() -> list[Path]:
    """What the child must not see: the reference, the tests, the mistake catalogue, recorded
    fixtures and the kit's history, wherever they are installed."""
    root = kit_root()
    paths = [root / "solutions", root / "tests", root / "grader" / "mistakes",
             root / ".nnlings-cache", root / ".git", root / "build"]
    for package in ("nnlings.solutions", "nnlings.grader.mistakes"):
        folder = _package_folder(package)
        if folder is not None:
            paths.append(folder)
    paths += [p for p in root.glob("*.egg-info")]
    return sorted({p for p in paths if p.exists() or p.is_symlink()})


def visible_roots() -> list[Path]:
    """Folders the child needs: Python's own (its executable's too), the site-packages and the
    kit."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), kit_root(),
             Path(sys.executable).absolute().parent}
    roots |= {Path(p) for p in sys.path if p and Path(p).is_dir()}
    roots = sorted(r.resolve() for r in roots if r.exists())
    kept = []
    for root in roots:  # the outermost of nested folders is enough
        if not any(root.is_relative_to(k) for k in kept) and root not in (Path("/usr"),):
            kept.append(root)
    return kept


def bubblewrap_command(staged: Path, hide: list[Path]) -> list[str]:
    """The bwrap prefix that runs a command in the sandbox around `staged`."""
    command = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
               "--cap-drop", "ALL", "--uid", str(NOBODY), "--gid", str(NOBODY),
               "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/etc", "/etc",
               "--proc", "/proc", "--dev", "/dev", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    for name in ("/bin", "/lib", "/lib32", "/lib64", "/sbin"):
        path = Path(name)
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            command += ["--ro-bind", name, name]
    for root in visible_roots():
        if not root.is_relative_to("/usr"):
            command += ["--ro-bind", str(root), str(root)]
    for path in [*hidden_paths(), *hide]:
        if path.is_dir():
            command += ["--tmpfs", str(path)]
        elif path.exists():
            command += ["--ro-bind", "/dev/null", str(path)]
    for device in sorted(Path("/dev").glob("nvidia*")):  # a GPU stays usable
        command += ["--dev-bind", str(device), str(device)]
    command += ["--ro-bind", str(staged), INSIDE, "--chdir", "/tmp",
                "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
                "--setenv", "NUMBA_CACHE_DIR", "/tmp/numba-cache"]
    return command


@functools.lru_cache(maxsize=None)
def available() -> str:
    """The strongest isolation this machine allows: bubblewrap, an unprivileged uid that
    cannot read the reference, or none."""
    if shutil.which("bwrap"):
        probe = subprocess.run(["bwrap", "--unshare-all", "--die-with-parent",
                                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                                "true"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return BUBBLEWRAP
    if os.geteuid() == 0 and not _readable_by_others(kit_root() / "solutions"):
        return UNPRIVILEGED
    return NONE


def _readable_by_others(folder: Path) -> bool:
    return any(path.stat().st_mode & 0o004 for path in folder.glob("*.py")) if folder.is_dir() \
        else False


def describe(isolation: str) -> str:
    """The line the report prints about the isolation that ran."""
    return {BUBBLEWRAP: "bubblewrap sandbox (kit read-only, reference and tests hidden, no "
                        "network, own PID namespace, uid nobody)",
            UNPRIVILEGED: "unprivileged uid (no namespaces on this machine: the student's code "
                          "ran as nobody, which cannot read the reference)",
            NONE: "NONE: no sandbox could be started on this machine and the student's code "
                  "ran with the grader's own rights (its results can be forged; install "
                  "bubblewrap)",
            "split": "separate process, no sandbox (a student's own machine)"}[isolation]


class ProcessCap:
    """A pids cgroup around one child, where the machine lets the judge make one: it caps the
    number of processes and threads (RLIMIT_NPROC does not bind a uid mapped to root), and it
    lists every process the child started, so that all of them can be ended."""

    ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))

    def __init__(self, limit: int):
        self.path: Path | None = None
        if limit <= 0:
            return
        name = f"nnlings-{os.getpid()}-{id(self):x}"
        for root in self.ROOTS:
            if not (root / "cgroup.procs").exists():
                continue
            if root.name == "cgroup" and "pids" not in _read(root / "cgroup.subtree_control"):
                continue
            try:
                (root / name).mkdir()
                (root / name / "pids.max").write_text(str(limit))
                self.path = root / name
                return
            except OSError:
                try:
                    (root / name).rmdir()
                except OSError:
                    pass

    def join(self) -> None:
        """Put the calling process (a child between fork and exec) into the cgroup."""
        if self.path is not None:
            with open(self.path / "cgroup.procs", "w") as procs:
                procs.write(str(os.getpid()))

    def end(self) -> None:
        """Kill every process in the cgroup, then remove it."""
        if self.path is None:
            return
        import signal
        import time
        for _ in range(100):
            pids = [int(p) for p in _read(self.path / "cgroup.procs").split()]
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)
        try:
            self.path.rmdir()
        except OSError:
            pass
        self.path = None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def confine(command: list[str], folder: Path) -> list[str]:
    """`command` run in the sandbox where this machine has bubblewrap, with `folder` (its
    inputs and outputs) the only place it may write; unchanged elsewhere. For a graded test
    that runs the student's code in a process of its own (a CUDA kernel under the simulator)."""
    if available() != BUBBLEWRAP:
        return list(command)
    folder = Path(folder).resolve()
    prefix = bubblewrap_command(folder, [])
    prefix += ["--bind", str(folder), str(folder)]
    return prefix + list(command)
