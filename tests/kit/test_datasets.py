"""The data sets: the article's 1-D targets, seeded 2-D classification sets, shipped digits."""
import numpy as np
import pytest

from nnlings.datasets import classification, digits, functions

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


# 2-D classification sets ----------------------------------------------------------------------


def test_xor_points_are_the_truth_table():
    X, y = classification.xor_points()
    assert y.tolist() == [int(a) ^ int(b) for a, b in X]


@pytest.mark.parametrize("make, kwargs", [
    (classification.noisy_xor, {"n_samples": 200}),
    (classification.spiral, {"n_per_class": 100}),
    (classification.blobs, {"n_per_class": 100}),
    (classification.moons, {"n_per_class": 100}),
    (classification.circles, {"n_per_class": 100}),
])
def test_generators_are_seeded_and_well_formed(make, kwargs):
    X, y = make(rng=np.random.default_rng(1), **kwargs)
    X_again, y_again = make(rng=np.random.default_rng(1), **kwargs)
    X_other, _ = make(rng=np.random.default_rng(2), **kwargs)
    assert X.dtype == np.float64 and X.ndim == 2 and X.shape[1] == 2 and len(X) == len(y)
    assert np.issubdtype(y.dtype, np.integer) and y.min() == 0
    assert np.array_equal(X, X_again) and np.array_equal(y, y_again)
    assert not np.array_equal(X, X_other)


def test_geometry_of_noise_free_sets():
    rng = np.random.default_rng(0)
    X, y = classification.circles(50, rng, factor=0.3, noise=0.0)
    assert np.allclose(np.hypot(*X.T), np.where(y == 0, 1.0, 0.3))
    X, y = classification.moons(50, rng, noise=0.0)
    assert np.allclose(np.hypot(*X[y == 0].T), 1.0)
    assert np.allclose(np.hypot(X[y == 1, 0] - 1.0, X[y == 1, 1] - 0.5), 1.0)
    X, y = classification.spiral(50, rng, n_classes=3, noise=0.0)
    assert np.allclose(np.hypot(*X[y == 2].T), np.linspace(0, 1, 50))
    X, y = classification.noisy_xor(500, rng, noise=0.0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_one_hot_and_its_errors():
    assert classification.one_hot(np.array([2, 0])).tolist() == [[0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="does not fit"):
        classification.one_hot(np.array([3]), n_classes=3)
    with pytest.raises(ValueError, match="non-negative integer"):
        classification.one_hot(np.array([0.5]))


@pytest.mark.parametrize("call", [lambda: classification.spiral(0, np.random.default_rng()),
                                  lambda: classification.circles(5, np.random.default_rng(), 1.5),
                                  lambda: classification.blobs(5, np.random.default_rng(), [1, 2])])
def test_generators_reject_bad_arguments(call):
    with pytest.raises(ValueError):
        call()


# The shipped real data set ---------------------------------------------------------------------

def test_digits_load_with_the_published_shape_and_classes():
    X, y = digits.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert sorted(set(y.tolist())) == list(range(10))
    assert 170 <= np.bincount(y).min() and np.bincount(y).max() <= 185
    raw, _ = digits.load_digits(scale=False)
    assert np.array_equal(raw, np.round(raw)) and raw.max() == 16


def test_a_damaged_digits_file_is_refused(tmp_path):
    broken = tmp_path / "digits.csv.gz"
    broken.write_bytes(digits.PATH.read_bytes()[:-10])
    with pytest.raises(ValueError, match="SHA-256"):
        digits.load_digits(broken)
