"""`nnlings bench` on tiny settings: the JSON shape, and every trainer agreeing."""
import contextlib
import io
import json

import pytest

from nnlings.grader import bench, cli

# One xdist worker runs this whole file, so its module fixtures are built once. The fixture's
# run compiles both layouts of the numba trainer on a fresh checkout and imports PyTorch and JAX
# where installed: more than the default minute on a loaded machine.
pytestmark = [pytest.mark.kit, pytest.mark.xdist_group(__name__), pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def report():
    """One tiny run of `nnlings bench --json`, shared by the tests of this file."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli.main(["bench", "--json", "--epochs", "2"]) == 0
    return json.loads(printed.getvalue())


def test_bench_json_has_the_documented_shape(report):
    assert [case["name"] for case in report["cases"]] == [name for name, _ in bench.CASES]
    assert report["cases"][0]["layers"] == [1, 20, 1]  # the article's experiment comes first
    peers = {name for name in bench.PEERS if bench.available(name)}
    for case in report["cases"]:
        assert case["epochs"] == 2 and case["steps"] == 2 * 32
        assert set(case["results"]) == {"numba", "numpy"} | peers
        for result in case["results"].values():
            assert set(result) == {"us_per_step", "compile_s", "final_mse"}
            assert result["us_per_step"] > 0 and result["compile_s"] >= 0
        assert case["fastest_peer"] in case["results"] and case["fastest_peer"] != "numba"
        assert case["speedup"] > 0 and case["gflops"] > 0 and case["mse_agree"] is True
        assert case["numba_cores"] in (1, 2)
    assert report["cases"][0]["numba_cores"] == 1  # the article's net is held by columns
    peak = report["peak"]
    assert peak["gflops"] > 0 and peak["gflops_all_cores"] > 0 and peak["cores"] >= 1
    assert report["repeat"] == bench.REPEAT
    for name in set(bench.PEERS) - peers:
        assert any(f"{name}: not installed" in note for note in report["notes"])


def test_every_implementation_ends_at_the_same_mse(report):
    for case in report["cases"]:
        results = case["results"]
        reference = results["numpy"]["final_mse"]
        assert results["numba"]["final_mse"] == pytest.approx(reference, rel=1e-9)
        if "torch" in results:  # the same steps, in PyTorch's form of Nesterov's update
            assert results["torch"]["final_mse"] == pytest.approx(reference, rel=1e-7)
        if "jax" in results:  # the same steps, Keras' form, float64
            assert results["jax"]["final_mse"] == pytest.approx(reference, rel=bench.AGREEMENT)
        assert case["mse_agree"]


def test_a_disagreeing_implementation_is_reported(report):
    case = dict(report["cases"][0])
    case["mse_agree"] = False
    assert "DO NOT agree" in bench.format_report(dict(report, cases=[case]))


def test_matrix_flops_count_the_three_products_of_each_layer():
    # 1-100-100-1, batch 32: forward and dW for all three layers, dA for the upper two
    assert bench.matrix_flops_per_step([1, 100, 100, 1]) == 2 * 32 * (3 * 10200 - 100)
    assert bench.matrix_flops_per_step([1, 20, 1]) == 2 * 32 * (3 * 40 - 20)


@pytest.mark.skipif(not bench.available("jax"), reason="jax is not installed (pip install jax)")
def test_jax_trains_like_numpy_step_by_step():
    """Two epochs of 5 batches, the last one short: the same weights to round-off."""
    import numpy as np
    X = np.linspace(-3.0, 3.0, 150).reshape(-1, 1)
    Y = np.sin(X)
    params = bench.initial_params([1, 7, 3, 1])
    got = bench.train_jax(params, X, Y, 2, np.random.default_rng(4))
    expected = bench.train_numpy(params, X, Y, 2, np.random.default_rng(4))
    for (W, b), (W_ref, b_ref) in zip(got, expected):
        np.testing.assert_allclose(W, W_ref, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, b_ref, rtol=1e-12, atol=1e-14)


def test_the_text_report_names_every_case_and_speed_up(report):
    text = bench.format_report(report)
    for case in report["cases"]:
        assert case["name"] in text
    assert "faster" in text and "numba trainer:" in text
    assert "numba / fastest peer" in text and "GFLOP/s" in text and "BLAS rate" in text
    wide = report["cases"][1]
    assert f"numba, on {wide['numba_cores']} core" in text


def test_epochs_must_be_positive(capsys):
    assert cli.main(["bench", "--epochs", "0"]) == 2
    assert "--epochs must be at least 1" in capsys.readouterr().err
