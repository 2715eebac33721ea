"""Recorded reference values: encoding, matching and replaying calls (see grader/replay.py)."""
import json

import numpy as np
import pytest

from nnlings.grader import replay

pytestmark = pytest.mark.kit


class Model:
    def __init__(self, W):
        self.W, self.params = W, [W]


def test_values_survive_encoding_and_json():
    values = [None, True, 3, -2.5, float("nan"), "text", np.float64(1.5), np.int64(7),
              np.arange(6.0).reshape(2, 3)[:, ::2], np.array([1, 2], dtype=np.int32),
              [1.0, (2, 3)], {"loss": [0.5, 0.25], (1, 2): "tuple key"}]
    for value in values:
        back = replay.decode(json.loads(json.dumps(replay.encode(value))))
        assert type(back) is type(value)
        if isinstance(value, np.ndarray):
            assert back.dtype == value.dtype and np.array_equal(back, value)
        elif isinstance(value, float) and np.isnan(value):
            assert np.isnan(back)
        else:
            assert back == value


def test_close_tolerates_last_bit_differences_only():
    x = np.linspace(0.0, 1.0, 7)
    assert replay.close(replay.encode(x), replay.encode(x * (1 + 1e-14)))
    assert not replay.close(replay.encode(x), replay.encode(x * (1 + 1e-6)))
    assert not replay.close(replay.encode(x), replay.encode(x[:6]))
    assert replay.close(replay.encode([0.1, 2]), replay.encode([0.1 + 1e-17, 2]))


def test_functions_are_named_by_module_and_qualified_name_with_their_closure():
    def scaled(k):
        return lambda v: k * v
    assert replay.encode(scaled(2)) == replay.encode(scaled(2))
    assert replay.encode(scaled(2)) != replay.encode(scaled(3))
    assert replay.encode(np.tanh)["fn"] == ["numpy", "tanh"]


def spec(calls, signature=(("x", 1, None), ("scale", 1, [replay.encode(1.0)]))):
    return {"signature": [list(p) for p in signature], "calls": calls}


def call(args, result=None, effects=None, raised=None):
    return json.loads(json.dumps({
        "args": {k: replay.encode(v) for k, v in args.items()},
        "result": replay.encode(result), "effects": effects or {},
        "raised": None if raised is None else replay.encode(raised)}))


def test_a_replayer_finds_its_call_however_it_is_spelled():
    x = np.array([1.0, 2.0])
    f = replay.replayer("unit99_demo", "double",
                        spec([call({"x": x, "scale": 2.0}, result=x * 2.0)]))
    for got in (f(x, 2.0), f(x, scale=2.0), f(x=x * (1 + 1e-15), scale=2.0)):
        assert np.array_equal(got, [2.0, 4.0])
    assert f.__name__ == "double" and list(f.__signature__.parameters) == ["x", "scale"]
    with pytest.raises(replay.NotRecorded, match=r"double\(x=np\.array\(\[1\.0, 2\.0\]\), "):
        f(x, 3.0)
    with pytest.raises(AssertionError):  # a NotRecorded fails the test that made the call
        f(x + 1.0)


def test_a_replayer_redoes_the_effects_on_its_arguments_and_raises_what_was_raised():
    rng, W = np.random.default_rng(0), np.zeros(2)
    model = Model(W)
    rng_after = np.random.default_rng(0)
    rng_after.normal(size=3)
    model_after = Model(np.array([1.0, 2.0]))
    step = replay.replayer("unit99_demo", "step", spec(
        [call({"model": Model(np.zeros(2)), "rng": np.random.default_rng(0)}, result=0.5,
              effects={"model": replay.encode(model_after),
                       "rng": replay.encode(rng_after)}),
         call({"model": Model(np.ones(2)), "rng": np.random.default_rng(0)},
              raised=ValueError("step: model has NaN weights"))],
        signature=(("model", 1, None), ("rng", 1, None))))
    assert step(model, rng) == 0.5
    assert model.W is W and np.array_equal(W, [1.0, 2.0]) and model.params[0] is W
    assert rng.normal() == rng_after.normal()
    with pytest.raises(ValueError, match="NaN weights"):
        step(Model(np.ones(2)), np.random.default_rng(0))
