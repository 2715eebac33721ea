"""The judge's handle on one child process: start it (sandboxed or not), talk to it, end it.

`Child.start` runs ``python -m nnlings.grader.worker`` on one end of a socket pair; the child's
own output goes to a pipe of which only the last part is kept (for a crash report), never into
the connection. `Child.module` is the stand-in for the student's unit module: the graded tests
call it like any implementation. Every wait for the child has a deadline; a child that misses
it, crashes, exits or breaks the protocol is ended with everything it started.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from collections import deque
from pathlib import Path

import numpy as np

from ..worker import wire
from . import sandbox

OUTPUT_TAIL_BYTES = 16000
GRACE_SECONDS = 2.0   # how long past its time a call may take to stop by itself
MODULE_HANDLE = 1     # the worker's handle for the student's module
# The judge's environment variables a child gets (the rest, an instructor's tokens or the
# course's seed offset among them, it never sees; a test that sets one passes it to its calls).
PASSED_ON = ("PATH", "LANG", "LC_", "TZ", "TERM", "OPENBLAS", "OMP_", "MKL_", "NUMBA_", "CUDA",
             "NVIDIA", "LD_LIBRARY_PATH", "PYTHONHASHSEED", "MPLBACKEND")
DEFAULT_ERR = {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}


class TimeLimitReached(BaseException):
    """A test ran past its time limit (a BaseException: the student's `except Exception` in a
    callback cannot swallow it)."""


class CallOverdue(TimeLimitReached):
    """A call went on past its time and the grace after it: the child ignored the limit."""


class CannotCrossError(TypeError):
    """The student's code returned something that cannot be sent to the judge."""


class ChildStopped(BaseException):
    """The child ended (crashed, exited, was killed or broke the protocol) during a call."""


class JudgePeer(wire.Peer):
    """The judge's side of the connection, with the deadline and the test's context."""

    def __init__(self, sock, child_env: dict):
        super().__init__(sock, side=0, special_errors={"TimeLimitReached": TimeLimitReached,
                                                        "CannotCross": CannotCrossError})
        self.child_env = child_env
        self.deadline: float | None = None
        self.child_rng = None  # the global random state the child was last known to have
        self._raw_environment, self._environment = None, {}

    def special_attribute(self, stand_in, name):
        """`__wrapped__` of a student's function: a body-less function of the judge's that
        points at the function's lines in the staged file, so `inspect.getsource` reads them
        (no code of the student's runs here)."""
        if name != "__wrapped__" or not callable(stand_in):
            raise AttributeError(name)
        where = self.request("where", stand_in._wire_id)
        if not (isinstance(where, list) and len(where) == 3):
            raise AttributeError(name)
        filename = self.local_path(str(where[0]))
        if filename is None:
            raise AttributeError(name)
        code = (lambda: None).__code__.replace(co_filename=filename, co_name=str(where[2]),
                                                co_firstlineno=int(where[1]))
        return types.FunctionType(code, {})

    def local_path(self, path: str) -> str | None:
        return None

    def receive(self):
        if self.deadline is not None:
            left = self.deadline + GRACE_SECONDS - time.monotonic()
            if left <= 0:
                raise CallOverdue("the call did not stop when its time was up")
            self.sock.settimeout(left)
        else:
            self.sock.settimeout(None)
        try:
            return wire.recv_frame(self.sock)
        except socket.timeout:
            raise CallOverdue("the call did not stop when its time was up") from None
        except (wire.WireError, OSError, ValueError) as error:
            raise ChildStopped(str(error)) from None

    def request(self, op, hid, args=(), kwargs=None):
        try:
            return super().request(op, hid, args, kwargs)
        except (BrokenPipeError, ConnectionError) as error:
            raise ChildStopped(str(error)) from None

    def request_context(self, op):
        if self.depth > 0:
            return None
        context = {"t": max(0.01, self.deadline - time.monotonic()) if self.deadline else 0}
        raw = os.environ._data
        if raw != self._raw_environment:  # what the test changed in the environment
            self._raw_environment = dict(raw)
            self._environment = {name: value for name, value in os.environ.items()
                                 if self.child_env.get(name) != value and not _secret(name)}
            self._environment.update({name: None for name in self.child_env
                                      if name not in os.environ})
        env = self._environment
        if env:
            context["env"] = env
        err = np.geterr()
        if err != DEFAULT_ERR:
            context["err"] = err
        state = np.random.get_state()
        known = self.child_rng
        if known is None or state[2:] != known[2:] or not np.array_equal(state[1], known[1]):
            context["rng"] = [state[0], state[1].tolist(), *state[2:]]
            self.child_rng = state
        if sys.stderr is not sys.__stderr__ and sys.stderr is not None:
            context["stderr"] = self.codec.encode_handle(sys.stderr)
        return context

    def reply_context(self, message):
        state = message.get("rng")
        if isinstance(state, list) and len(state) == 5:
            state = (str(state[0]), np.array(state[1], dtype=np.uint32), *state[2:])
            np.random.set_state(state)
            self.child_rng = np.random.get_state()


class Child:
    """One running child for one unit of one submission."""

    def __init__(self, staged: Path, module: str, limits, isolation: str, hide=()):
        self.staged, self.module_name, self.limits = staged, module, limits
        self.isolation, self.hide = isolation, list(hide)
        self.process: subprocess.Popen | None = None
        self.peer: JudgePeer | None = None
        self.tail: deque[bytes] = deque()
        self.reader: threading.Thread | None = None
        self.folder_inside = str(staged)
        self.cap = sandbox.ProcessCap(0)

    # Starting

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k.startswith(PASSED_ON)}
        # One BLAS thread per child: parallel jobs do not oversubscribe the machine, and the
        # address-space limit is not spent on per-thread buffers.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = "1"
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8:replace",
                   MPLBACKEND="Agg")
        return env

    def start(self, import_seconds: float) -> dict | None:
        """Start the child and wait until it imported the unit; the import error as data
        (None if it imported)."""
        judge_end, child_end = socket.socketpair()
        env = self.environment()
        limits = self.limits
        folder = str(self.staged)
        prefix: list[str] = []
        if self.isolation == sandbox.BUBBLEWRAP:
            folder = sandbox.INSIDE
            prefix = sandbox.bubblewrap_command(self.staged, self.hide)
            env = {**env, "HOME": "/tmp", "TMPDIR": "/tmp", "NUMBA_CACHE_DIR": "/tmp/numba-cache"}
        elif self.isolation == sandbox.UNPRIVILEGED:
            os.chmod(self.staged, 0o755)
            for path in self.staged.iterdir():
                os.chmod(path, 0o644)
        self.cap = sandbox.ProcessCap(limits.processes)
        drop = self.isolation == sandbox.UNPRIVILEGED

        def preexec():
            self.cap.join()
            if drop:
                os.setgid(sandbox.NOBODY)
                os.setuid(sandbox.NOBODY)
        self.folder_inside = folder
        env["NNLINGS_IMPORT_SECONDS"] = str(import_seconds)
        command = [*prefix, sys.executable, "-I", "-X", "faulthandler", "-m",
                   "nnlings.grader.worker", str(child_end.fileno()), folder, self.module_name,
                   str(limits.memory_bytes), str(limits.file_bytes), str(limits.processes)]
        self.process = subprocess.Popen(command, env=env, cwd="/tmp",
                                        pass_fds=(child_end.fileno(),),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=preexec)
        child_end.close()
        self.reader = threading.Thread(target=_drain, args=(self.process.stdout, self.tail),
                                       daemon=True)
        self.reader.start()
        # What the child's environment stands for: the judge's own as it is now (what a test
        # changes later goes to its calls), pytest's variables aside (a test that sets one
        # passes it on).
        baseline = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        self.peer = JudgePeer(judge_end, baseline)
        self.peer.local_path = self.local_path
        self.peer.child_rng = None
        self.peer.deadline = time.monotonic() + import_seconds
        try:
            message, _ = self.peer.receive()
        finally:
            self.peer.deadline = None
        if message.get("op") != "ready":
            raise ChildStopped("the child did not start")
        self.module = self.peer._stand_in(MODULE_HANDLE, "o", "module")
        return message.get("e")

    # Between tests

    def reset(self) -> None:
        """Forget the previous test's objects on both sides."""
        self.peer.forget()
        self.peer.deadline = time.monotonic() + 10
        try:
            wire.send_frame(self.peer.sock, {"op": "reset"}, [])
            self.peer.receive()
        finally:
            self.peer.deadline = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # Ending

    def stop(self) -> None:
        """End the child and everything it started; wait for them."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        self.cap.end()  # and whatever escaped the process group (a setsid daemon)
        self.process.wait()
        if self.reader is not None:
            self.reader.join(timeout=5)
        if self.peer is not None:
            self.peer.sock.close()

    def wait_for_exit(self, seconds: float = 2.0) -> int | None:
        """The child's exit status (negative: the signal that ended it), None if it runs on."""
        try:
            code = self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None
        if self.isolation == sandbox.BUBBLEWRAP and code > 128:
            code = 128 - code  # bwrap reports a signal as 128 + its number
        return code

    def local_path(self, path: str) -> str | None:
        """The judge's name for a file of the child's folder (None for any other file)."""
        inside = self.folder_inside.rstrip("/") + "/"
        if not path.startswith(inside) or "/" in path[len(inside):]:
            return None
        return str(self.staged / path[len(inside):])

    def output(self) -> str:
        text = b"".join(self.tail).decode("utf-8", "replace")
        return text.replace(self.folder_inside, str(self.staged))

    def crash_site(self) -> str:
        """Where in the submission a crash happened, from the faulthandler's traceback."""
        pattern = re.escape(str(self.staged)) + r'/(unit\d\d_\w+\.py)", line (\d+) in (\w+)'
        found = re.findall(pattern, self.output())
        return f" in {found[-1][2]} ({found[-1][0]}, line {found[-1][1]})" if found else ""


def _secret(name: str) -> bool:
    """Variables that never reach a child (the course's seed offset)."""
    return name.startswith("NNLINGS_SEED")


def _drain(stream, tail: deque) -> None:
    """Read a child's output to its end, keeping only the last OUTPUT_TAIL_BYTES."""
    kept = 0
    for chunk in iter(lambda: stream.read1(65536), b""):
        tail.append(chunk)
        kept += len(chunk)
        while kept - len(tail[0]) >= OUTPUT_TAIL_BYTES:
            kept -= len(tail.popleft())
    stream.close()
