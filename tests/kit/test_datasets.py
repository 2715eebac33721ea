"""The 1-D targets of the source article, checked at hand-computed points."""
import numpy as np
import pytest

from nnlings.datasets import functions

pytestmark = pytest.mark.kit


def test_grid_is_the_articles_1000_points_on_minus_3_to_3():
    x = functions.grid()
    assert x.shape == (1000, 1) and x[0, 0] == -3.0 and x[-1, 0] == 3.0
    assert np.allclose(np.diff(x[:, 0]), 6.0 / 999)


def test_targets_at_hand_computed_points():
    assert functions.linear(np.array([0.0, 1.0])).tolist() == [5.0, 7.0]
    assert np.allclose(functions.sine(np.array([0.0, np.pi / 2])), [5.0, 7.0])
    # Left branch x·sin(2πx): at x = -0.25, -0.25·sin(-π/2) = 0.25.
    # Right branch -x·sin(πx) + e^(x/2) - 1: at x = 0.5, -0.5 + e^0.25 - 1.
    got = functions.piecewise(np.array([-0.25, 0.0, 0.5]))
    assert np.allclose(got, [0.25, 0.0, -0.5 + np.exp(0.25) - 1.0])


def test_piecewise_uses_both_branches_unlike_the_published_notebook_bug():
    x = functions.grid()[:, 0]
    right_everywhere = -x * np.sin(np.pi * x) + np.exp(x / 2) - 1  # what `np.any(x) < 0` gives
    left = x < 0
    assert not np.allclose(functions.piecewise(x)[left], right_everywhere[left])
    assert np.allclose(functions.piecewise(x)[~left], right_everywhere[~left])


@pytest.mark.parametrize("args", [(1,), (10, 1.0, 1.0)])
def test_grid_rejects_degenerate_requests(args):
    with pytest.raises(ValueError, match="grid needs"):
        functions.grid(*args)
