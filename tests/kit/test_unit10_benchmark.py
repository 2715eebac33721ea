"""Unit 10's given benchmark runs on the reference and reports a speed-up for each function."""
import pytest

import nnlings.solutions.unit10_speed as reference

pytestmark = pytest.mark.kit


def test_benchmark_times_every_compiled_exercise(capsys):
    results = reference.benchmark()
    assert len(results) == 3
    for yours, compared in results.values():
        assert 0 < yours < 1 and 0 < compared < 1
    printed = capsys.readouterr().out
    assert "train_step_fused" in printed and "speed-up" in printed
