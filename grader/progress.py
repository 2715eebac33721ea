"""Run the graded suites in-process and tally points per exercise."""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import pytest

from . import registry

NOT_IMPLEMENTED = "is not implemented yet"


@dataclass
class ExerciseResult:
    earned: int = 0
    possible: int = 0
    passed: int = 0
    failed: int = 0
    untouched: int = 0  # failures that are the stub's NotImplementedError
    messages: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.possible == 0:
            return "no tests yet"
        if self.earned == self.possible:
            return "done"
        if self.untouched == self.failed and self.passed == 0:
            return "not started"
        return "in progress"


class _Collector:
    """A pytest plugin that records the outcome of each graded test."""

    def __init__(self):
        self.results: dict[str, ExerciseResult] = {}
        self._meta: dict[str, tuple[str, int]] = {}

    def pytest_collection_modifyitems(self, items):
        for item in items:
            marker = item.get_closest_marker("graded")
            if marker is not None:
                self._meta[item.nodeid] = (marker.kwargs["exercise"], marker.kwargs["points"])

    def pytest_runtest_logreport(self, report):
        if report.nodeid not in self._meta:
            return
        if report.when != "call" and not report.failed:
            return
        exercise, points = self._meta[report.nodeid]
        result = self.results.setdefault(exercise, ExerciseResult())
        result.possible += points
        if report.passed:
            result.earned += points
            result.passed += 1
            return
        result.failed += 1
        text = str(report.longrepr)
        result.untouched += NOT_IMPLEMENTED in text
        result.messages.append(text)


def pytest_args(impl: str, *selection: str) -> list[str]:
    """Arguments that run the kit's graded tests from any working directory."""
    root = registry.kit_root()
    return [str(root / "tests" / "graded"), "--rootdir", str(root),
            "-c", str(root / "pyproject.toml"), f"--impl={impl}", *selection]


def run_graded(impl: str = "exercises", marker: str = "graded") -> dict[str, ExerciseResult]:
    """Run the graded tests selected by `marker` quietly; results keyed by exercise id."""
    collector = _Collector()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(pytest_args(impl, "-m", marker, "-q", "--tb=line", "-p", "no:warnings"),
                    plugins=[collector])
    return collector.results
