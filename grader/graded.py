"""The `graded` decorator: what makes a test a graded test.

A graded test is a plain function of one argument, the unit module under test::

    @graded("2.2", points=2)
    def test_sigmoid_matches_closed_form(impl):
        ...

The decorator records the exercise id and points on the function (so the grader and notebooks
can call it directly) and adds the pytest markers ``graded`` and ``ex2_2``. Each run of the
test is one scope of evidence for naming mistakes (see `expect.graded_test`), and a failure of
an exercise that builds on earlier ones says which of those to fix first (`dependencies`).
"""
from __future__ import annotations

import functools

import pytest

from .dependencies import fix_first
from .expect import graded_test
from .registry import marker_name


def graded(exercise: str, points: int = 1):
    if points < 1:
        raise ValueError(f"a graded test is worth at least 1 point, got {points}")

    def mark(function):
        @functools.wraps(function)
        def test(impl):
            # What one test saw of the student's code stays in that test; a failure of an
            # exercise that builds on earlier ones names those that fail their own tests.
            with graded_test(), fix_first(impl, exercise):
                return function(impl)

        test.exercise, test.points = exercise, points
        test = pytest.mark.graded(exercise=exercise, points=points)(test)
        return getattr(pytest.mark, marker_name(exercise))(test)

    return mark


def is_graded(obj) -> bool:
    return callable(obj) and hasattr(obj, "exercise") and hasattr(obj, "points")
