"""`nnlings bench` on tiny settings: the JSON shape, and the three trainers agreeing."""
import json

import pytest

from nnlings.grader import bench, cli

# One xdist worker runs this whole file, so its module fixtures are built once.
pytestmark = [pytest.mark.kit, pytest.mark.xdist_group(__name__)]


@pytest.fixture(scope="module")
def report():
    return bench.run(epochs=2)


def test_bench_json_has_the_documented_shape(capsys):
    assert cli.main(["bench", "--json", "--epochs", "2"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [case["name"] for case in printed["cases"]] == [name for name, _ in bench.CASES]
    assert printed["cases"][0]["layers"] == [1, 20, 1]  # the article's experiment comes first
    expected = {"numba", "numpy"} | ({"torch"} if bench.torch_available() else set())
    for case in printed["cases"]:
        assert case["epochs"] == 2 and case["steps"] == 2 * 32
        assert set(case["results"]) == expected
        for result in case["results"].values():
            assert set(result) == {"us_per_step", "compile_s", "final_mse"}
            assert result["us_per_step"] > 0 and result["compile_s"] >= 0
    if not bench.torch_available():
        assert any("torch: not installed" in note for note in printed["notes"])


def test_every_implementation_ends_at_the_same_mse(report):
    for case in report["cases"]:
        results = case["results"]
        reference = results["numpy"]["final_mse"]
        assert results["numba"]["final_mse"] == pytest.approx(reference, rel=1e-9)
        if "torch" in results:  # the same steps, in PyTorch's form of Nesterov's update
            assert results["torch"]["final_mse"] == pytest.approx(reference, rel=1e-7)


def test_the_text_report_names_every_case_and_speed_up(report):
    text = bench.format_report(report)
    for case in report["cases"]:
        assert case["name"] in text
    assert "faster" in text and "numba trainer:" in text


def test_epochs_must_be_positive(capsys):
    assert cli.main(["bench", "--epochs", "0"]) == 2
    assert "--epochs must be at least 1" in capsys.readouterr().err
