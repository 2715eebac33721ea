"""The robustness check: a graded verdict about a trained or seeded run is a fact about the code,
not about the machine, so the reference must pass every such test, with room to spare, under

* each of the OpenBLAS kernels SkylakeX, Haswell, Sandybridge and Prescott (they round matrix
  products differently);
* 1e-12 relative noise in every float the runs draw (initial weights, data, inputs);
* three shifted seed offsets, as hidden tests use.

Each kernel is one child process (OPENBLAS_CORETYPE is read when NumPy loads, and set in the
child's environment only), two at a time, that runs all the conditions in turn: see
robustness_child.py. Every
claim written with `margin(...)` must hold by at least 10% of its threshold under every
condition; the table of smallest margins is printed (pytest -s shows it). The catalogued right
answers of those exercises (grader/alternatives) must pass on every kernel, with and without
the noise.
"""
import concurrent.futures
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.kit, pytest.mark.xdist_group(__name__), pytest.mark.timeout(600)]

KERNELS = ("SkylakeX", "Haswell", "Sandybridge", "Prescott")
CONDITIONS = ("plain", "noise", "offset:1009", "offset:7919", "offset:104729")
REQUIRED_MARGIN = 0.10
CHILD = Path(__file__).with_name("robustness_child.py")
CHILDREN_AT_ONCE = 2


def run_child(kernel):
    """(blas fingerprint, [condition results]) of one kernel's child."""
    env = dict(os.environ, OPENBLAS_CORETYPE=kernel, OPENBLAS_NUM_THREADS="1",
               NUMBA_NUM_THREADS="1")
    child = subprocess.run([sys.executable, str(CHILD), *CONDITIONS], env=env, text=True,
                           capture_output=True, timeout=300)
    assert child.returncode == 0, f"the {kernel} child failed:\n{child.stderr[-3000:]}"
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    return lines[0]["blas"], lines[1:]


@functools.lru_cache(maxsize=None)
def run_children():
    """{kernel: (blas fingerprint, [condition results])}: one child per kernel, two at a time
    (each child is single-threaded; the suite's other worker shares the cores), once per
    process."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=CHILDREN_AT_ONCE) as pool:
        return dict(zip(KERNELS, pool.map(run_child, KERNELS)))


@pytest.fixture(scope="module")
def results():
    return run_children()


def smallest_margins(results):
    """{(test, claim): (smallest margin, kernel, condition)} over every kernel and condition."""
    table = {}
    for kernel, (_, runs) in results.items():
        for run in runs:
            for test, name, value, _ in run["margins"]:
                key = (test, name)
                if key not in table or value < table[key][0]:
                    table[key] = (value, kernel, run["condition"])
    return table


def print_table(table):
    print(f"\nsmallest margin of each claim over {len(KERNELS)} kernels × {len(CONDITIONS)} "
          f"conditions (required {REQUIRED_MARGIN:.0%}):")
    for (test, name), (value, kernel, condition) in sorted(table.items(), key=lambda i: i[1]):
        print(f"  {value:8.1%}  {name:<58} {kernel:<11} {condition:<14} {test}")


def test_every_kernel_and_condition_ran(results):
    assert set(results) == set(KERNELS)
    for kernel, (_, runs) in results.items():
        assert [run["condition"] for run in runs] == list(CONDITIONS), kernel
        assert all(run["margins"] for run in runs), f"{kernel}: no margins were recorded"
    fingerprints = {blas for blas, _ in results.values()}
    assert len(fingerprints) > 1, "every OPENBLAS_CORETYPE gave the same rounding: not applied?"
    # Each condition reaches the runs: the noise and every offset move some margin.
    for kernel, (_, runs) in results.items():
        plain = {(t, n): v for t, n, v, _ in runs[0]["margins"]}
        for run in runs[1:]:
            moved = [key for t, n, v, _ in run["margins"] if (key := (t, n)) in plain
                     and v != plain[key]]
            assert moved, f"{kernel}, {run['condition']}: no margin differs from the plain run"


def test_the_reference_passes_under_every_condition(results):
    failures = [f"{kernel}, {run['condition']}: {test}: {message}"
                for kernel, (_, runs) in results.items() for run in runs
                for test, message in run["failed"].items()]
    assert not failures, "the reference fails graded tests:\n" + "\n".join(failures)


def test_the_right_answers_pass_on_every_kernel(results):
    failures = [f"{kernel}, {run['condition']}: {what}: {message}"
                for kernel, (_, runs) in results.items() for run in runs
                for what, message in run["answers_failed"].items()]
    assert not failures, "catalogued right answers fail graded tests:\n" + "\n".join(failures)


def test_every_claim_holds_with_a_wide_margin(results):
    table = smallest_margins(results)
    print_table(table)
    thin = [f"{name} ({test}): {value:.1%} under {kernel}, {condition}"
            for (test, name), (value, kernel, condition) in table.items()
            if value < REQUIRED_MARGIN]
    assert not thin, (f"claims cleared by less than {REQUIRED_MARGIN:.0%} of their threshold "
                      "(give them more seeds or a stabler setup):\n" + "\n".join(thin))


def test_a_claim_records_its_margin():
    from nnlings.grader.expect import margin, recorded_margins
    with recorded_margins() as found:
        assert margin("below", 0.5, 1.0, "<") and not margin("above", 0.5, 1.0, ">")
        assert margin("entrywise", [1.0, 3.0], [2.0, 4.0], "<")
    assert found == [("below", 0.5, True), ("above", -0.5, False), ("entrywise", 0.25, True)]
    assert margin("not recording", 1.0, 1.0, "<=")  # outside a recording: only the verdict
