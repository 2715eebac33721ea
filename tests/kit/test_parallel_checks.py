"""Unit 10's reading of a prange loop: shared writes are found in every form a race takes, and
right loops written in other ways are left alone."""
import ast

import pytest

from nnlings.grader.suite import graded_modules

pytestmark = pytest.mark.kit


def unit10():
    return next(m for m in graded_modules() if m.__name__.endswith("test_unit10_speed"))


RIGHT = [
    """for i in prange(rows):
    for j in range(columns):
        A[i, j] = math.tanh(Z[i, j])""",
    """for i in prange(rows):
    A[i, :] = np.tanh(Z[i, :])""",
    """for k in prange(rows * columns):
    i, j = k // columns, k % columns
    A[i, j] = math.tanh(Z[i, j])""",
    """for i in prange(rows):
    row = np.empty(columns)
    for j in range(columns):
        row[j] = math.tanh(Z[i, j])
    A[i] = row""",
    """for i in prange(rows):
    out = A[i]
    for j in range(columns):
        out[j] = math.tanh(Z[i, j])""",
]
RACES = [
    ("""for i in prange(rows):
    for j in range(columns):
        row[j] = math.tanh(Z[i, j])
    A[i] = row""", "row"),
    ("""for i in numba.prange(rows):
    total[0] += Z[i, 0]""", "total"),
    ("""for i in prange(rows):
    for j in range(columns):
        A[0, j] = math.tanh(Z[i, j])""", "A"),
]


def writes(source):
    loops = unit10().prange_loops(ast.parse(source))
    assert len(loops) == 1
    return [array for _, array, _, _ in unit10().shared_writes(loops[0])]


@pytest.mark.parametrize("source", RIGHT)
def test_a_loop_whose_iterations_write_their_own_entries_passes(source):
    assert writes(source) == []


@pytest.mark.parametrize("source, array", RACES)
def test_a_write_every_iteration_makes_is_a_race(source, array):
    assert array in writes(source)
