"""The child: ``python -m nnlings.grader.worker FD FOLDER MODULE [MEMORY_BYTES FILE_BYTES]``.

Loads the unit module MODULE (e.g. ``unit02_activations``) from the folder of student files
FOLDER, tells the judge on the socket FD whether it imported, then serves the judge's requests
until the judge closes the connection. It runs every call with the time the judge grants, the
context the judge's test set up (environment variables, NumPy's error settings, the global
random state, a redirected stderr) and RuntimeWarnings as errors, and it answers with data only.
The student's prints go to this process's own output, never into the connection.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import signal
import socket
import sys
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np

from . import wire

MODULE_HANDLE = 1  # the handle id of the student's unit module


class TimeLimitReached(BaseException):
    """Raised in student code that runs past the time the judge granted (a BaseException, so
    that an `except Exception` in the student's code cannot swallow it)."""


def memory_limit():
    """The resource limit that caps a child's memory. CUDA reserves address space for the whole
    of the GPU's and the host's memory when it starts, so where NVIDIA's driver is present a cap
    on the address space (RLIMIT_AS) would stop it: there the data segment (RLIMIT_DATA, which
    leaves reserved but unused address space alone) is capped instead."""
    import resource
    driver = os.path.exists("/dev/nvidiactl") or os.path.exists("/proc/driver/nvidia/version")
    return resource.RLIMIT_DATA if driver else resource.RLIMIT_AS


def limit_resources(memory_bytes: int, file_bytes: int, processes: int) -> None:
    """Cap memory (see memory_limit), file size and process count; write no core files. 0 means
    no cap."""
    import resource
    caps = {resource.RLIMIT_CORE: 0, resource.RLIMIT_FSIZE: file_bytes,
            resource.RLIMIT_NPROC: processes, memory_limit(): memory_bytes}
    for limit, value in caps.items():
        if value <= 0 and limit != resource.RLIMIT_CORE:
            continue
        hard = resource.getrlimit(limit)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass
    # Past the file limit a write fails with an error (which fails the call), not a signal.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def load(folder: Path, module: str) -> ModuleType:
    """Import `folder` as a package of its own and return its module `module`."""
    name = "student_" + hashlib.sha1(str(folder).encode()).hexdigest()[:12]
    package = ModuleType(name)
    package.__path__ = [str(folder)]
    sys.modules[name] = package
    return importlib.import_module(f"{name}.{module}")


class Child(wire.Peer):
    """The child's side: runs the judge's calls on the student's module."""

    def __init__(self, sock: socket.socket, folder: Path):
        self.folder = folder
        super().__init__(sock, side=1, own_lines=self.own_frames)
        self.base_environment = dict(os.environ)
        self.in_wire = False
        self.stderr = sys.stderr

    def own_frames(self, frames):
        return [f for f in frames if f.filename.startswith(str(self.folder) + os.sep)]

    def receive(self):
        self.in_wire = True
        try:
            return super().receive()
        finally:
            self.in_wire = False

    def perform(self, op, target, args, kwargs, message):
        context = message.get("x") or {}
        if self.depth > 0 or not context:  # a callback's own call: the outer context holds
            return wire.perform(op, target, args, kwargs)
        seconds = float(context.get("t", 0))
        with self.context(context):
            if seconds > 0:
                signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                return wire.perform(op, target, args, kwargs)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)

    @contextlib.contextmanager
    def context(self, context: dict):
        changes = context.get("env") or {}
        saved = {name: os.environ.get(name) for name in changes}
        for name, value in changes.items():
            _set_env(name, value)
        state = context.get("rng")
        if state is not None:
            np.random.set_state((state[0], np.array(state[1], dtype=np.uint32), *state[2:]))
        self.rng_before = np.random.get_state()
        stderr = context.get("stderr")
        if stderr is not None:
            stderr = self.codec.decode(stderr, [])
            sys.stderr = stderr
        try:
            with np.errstate(**(context.get("err") or {})), warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                yield
        finally:
            sys.stderr = self.stderr
            for name, value in saved.items():
                _set_env(name, value)

    def reply_extra(self, message):
        if self.depth > 0 or not message.get("x"):
            return {}
        now = np.random.get_state()
        before = getattr(self, "rng_before", None)
        if before is not None and (now[2:] != before[2:] or not np.array_equal(now[1],
                                                                                before[1])):
            return {"rng": [now[0], now[1].tolist(), *now[2:]]}
        return {}


def _set_env(name: str, value) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = str(value)


def main(argv: list[str]) -> None:
    fd, folder, module = int(argv[0]), Path(argv[1]).resolve(), argv[2]
    memory, file_bytes, processes = (int(a) for a in (argv[3:6] + ["0", "0", "0"])[:3])
    sock = socket.socket(fileno=fd)
    child = Child(sock, folder)

    def on_alarm(signum, frame):
        if child.in_wire:  # not inside the student's code: try again in a moment
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            return
        raise TimeLimitReached("the time limit was reached")

    signal.signal(signal.SIGALRM, on_alarm)
    limit_resources(memory, file_bytes, processes)
    seconds = float(os.environ.get("NNLINGS_IMPORT_SECONDS", "60"))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            unit = load(folder, module)
    except BaseException as error:
        signal.setitimer(signal.ITIMER_REAL, 0)
        wire.send_frame(sock, {"op": "ready", "e": wire.exception_data(error, child.own_frames)},
                        [])
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    child.codec.exported[MODULE_HANDLE] = unit
    wire.send_frame(sock, {"op": "ready", "e": None}, [])
    while True:
        try:
            message, parts = child.receive()
        except wire.PeerGone:
            return
        if message.get("op") == "reset":
            child.forget(keep=(MODULE_HANDLE,))
            wire.send_frame(sock, {"op": "ret", "v": None}, [])
        else:
            child.serve(message, parts)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        # Skip interpreter shutdown: a thread or atexit handler the submission left behind
        # could keep the process alive after the judge is done with it.
        os._exit(0)
