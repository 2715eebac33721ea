"""How the kit's own suite spreads over pytest-xdist workers (`-n auto --dist loadgroup`).

* `-n auto` starts one worker more than there are cores: the end-to-end checks spend much of
  their time waiting on child processes (time limits running out on purpose, sleeping endless
  loops, Jupyter kernels, pip), and a spare worker keeps the cores busy meanwhile.
  PYTEST_XDIST_AUTO_NUM_WORKERS still sets the number, as pytest-xdist documents.
* The longest work units are handed out first: a worker that starts one near the end would
  finish alone while the others wait.
"""
import os

import pytest

# Work units (xdist groups, or single tests by node id) that take the longest, longest first.
LONGEST_FIRST = (
    "test_robustness",
    "test_release",
    "test_hostile",
    "tests/kit/test_notebooks.py::test_round_trip_through_nbgrader",
    "watch",
    "test_grade_broken",
    "test_grade_reference",
    "test_cuda_kernels",
    "tests/kit/test_grade.py::test_a_call_that_ignores_the_time_limit_costs_only_its_test",
    "tests/kit/test_notebooks.py::test_a_student_runs_the_notebook_solved_and_unsolved",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def _load_groups(config) -> bool:
    """Under --dist loadgroup: the option itself, or on a worker pytest-xdist's flag for it."""
    return (config.getoption("dist", default=None) == "loadgroup"
            or getattr(config.option, "loadgroup", False))


def pytest_configure(config):
    if _load_groups(config):
        config.option.loadscopereorder = False  # keep the order set below


def _rank(item) -> int:
    groups = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
              for mark in item.iter_markers("xdist_group")}
    for rank, unit in enumerate(LONGEST_FIRST):
        if unit in groups or item.nodeid.split("@")[0] == unit:
            return rank
    return len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    if _load_groups(config):
        items.sort(key=_rank)  # stable: the order within a unit and among the rest is kept
