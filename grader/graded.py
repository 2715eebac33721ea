"""The `graded` decorator: what makes a test a graded test.

A graded test is a plain function of one argument, the unit module under test::

    @graded("2.2", points=2)
    def test_sigmoid_matches_closed_form(impl):
        ...

The decorator records the exercise id and points on the function (so the grader and notebooks
can call it directly) and adds the pytest markers ``graded`` and ``ex2_2``.
"""
from __future__ import annotations

import pytest

from .registry import marker_name


def graded(exercise: str, points: int = 1):
    if points < 1:
        raise ValueError(f"a graded test is worth at least 1 point, got {points}")

    def mark(test):
        test.exercise, test.points = exercise, points
        test = pytest.mark.graded(exercise=exercise, points=points)(test)
        return getattr(pytest.mark, marker_name(exercise))(test)

    return mark


def is_graded(obj) -> bool:
    return callable(obj) and hasattr(obj, "exercise") and hasattr(obj, "points")
