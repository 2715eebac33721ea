"""One child of the robustness check (tests/kit/test_robustness.py): run the graded tests whose
verdict rests on a seeded or trained run, against the reference, under several conditions, and
print one JSON line per condition: which tests failed and every margin the tests recorded.

The BLAS kernel is chosen by the parent through OPENBLAS_CORETYPE in this process's environment;
the other conditions are applied here, one after the other:

* ``plain``: as the suites run;
* ``noise``: every float drawn from a numpy Generator made by ``np.random.default_rng`` (the
  initial weights, the data sets, the tests' own inputs) carries a relative perturbation of about
  1e-12, deterministic in the drawn value so that two equal draws stay equal;
* ``offset N``: the tests' inputs from seeds shifted by N (``fresh_seeds``, as hidden tests do).

Under ``plain`` and ``noise`` the catalogued right answers of those exercises are graded too
(grader/alternatives): a right answer must pass on every kernel.

Usage: python robustness_child.py CONDITION [CONDITION ...]   (e.g. plain noise offset:7919)
"""
import contextlib
import functools
import json
import sys
import traceback
import warnings
from types import SimpleNamespace

import numpy as np

from nnlings.grader import registry
from nnlings.grader.alternatives import answer_module, for_exercise
from nnlings.grader.cases import fresh_seeds
from nnlings.grader.expect import recorded_margins
from nnlings.grader.implementation import load_unit
from nnlings.grader.suite import graded_modules, graded_tests

# The exercises whose graded verdicts rest on a seeded or trained trajectory.
EXERCISES = ("1.5", "5.6", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "7.2", "7.3", "7.4",
             "8.1", "8.3", "8.5", *(f"9.{k}" for k in range(1, 14)), "10.3")

NOISE = 1e-12
_FLOAT_DRAWS = ("random", "uniform", "normal", "standard_normal", "exponential",
                "standard_exponential", "gamma", "standard_gamma", "beta", "laplace", "logistic",
                "lognormal", "multivariate_normal", "standard_t", "triangular", "truncated")


def _perturbed(values):
    """`values` times (1 + ~1e-12), the factor a fixed function of each value."""
    if isinstance(values, float) or (isinstance(values, np.ndarray) and values.dtype.kind == "f"):
        wobble = np.sin(np.asarray(values, dtype=np.float64) * 1e4 + 0.5)
        return values * (1.0 + NOISE * wobble) if isinstance(values, np.ndarray) \
            else float(values * (1.0 + NOISE * wobble))
    return values


class NoisyGenerator(np.random.Generator):
    """A Generator whose float draws are perturbed by about 1e-12 relative."""


for _name in _FLOAT_DRAWS:
    if hasattr(np.random.Generator, _name):
        def _draw(self, *args, __name=_name, **kwargs):
            return _perturbed(getattr(np.random.Generator, __name)(self, *args, **kwargs))
        setattr(NoisyGenerator, _name, _draw)


@contextlib.contextmanager
def noisy_draws():
    original = np.random.default_rng

    def default_rng(seed=None):
        if isinstance(seed, np.random.Generator):
            return seed
        return NoisyGenerator(original(seed).bit_generator)

    np.random.default_rng = default_rng
    try:
        yield
    finally:
        np.random.default_rng = original


def _forget_trained_runs():
    """Empty the suites' per-session caches of trained experiments, so each condition trains."""
    for module in graded_modules():
        for value in vars(module).values():
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def _failure(test, module) -> str | None:
    try:
        test(module)
    except Exception as error:  # noqa: BLE001 - every failure is reported
        return "".join(traceback.format_exception_only(type(error), error)).strip()
    return None


def run(condition: str) -> dict:
    if condition == "plain":
        setting = contextlib.nullcontext()
    elif condition == "noise":
        setting = noisy_draws()
    elif condition.startswith("offset:"):
        setting = fresh_seeds(int(condition.split(":")[1]))
    else:
        raise SystemExit(f"unknown condition {condition!r}")
    _forget_trained_runs()
    failed, margins, answers_failed = {}, [], {}
    with setting:
        for exercise in EXERCISES:
            module = load_unit("solutions", registry.exercise(exercise).module)
            for test in graded_tests(exercise):
                with recorded_margins() as found:
                    failure = _failure(test, SimpleNamespace(**vars(module)))
                if failure:
                    failed[test.__name__] = failure
                margins += [(test.__name__, name, value, cleared)
                            for name, value, cleared in found]
            if condition not in ("plain", "noise"):
                continue
            for alternative in for_exercise(exercise):
                for test in graded_tests(exercise):
                    failure = _failure(test, answer_module(alternative))
                    if failure:
                        answers_failed[f"{alternative.function} ({alternative.name}): "
                                       f"{test.__name__}"] = failure
    return {"condition": condition, "failed": failed, "margins": margins,
            "answers_failed": answers_failed}


def blas_fingerprint() -> str:
    """A product whose last bits differ between OpenBLAS kernels: shows which one ran."""
    a = np.random.Generator(np.random.PCG64(0)).normal(size=(64, 64))
    return (a @ a).sum().hex()


def main(conditions):
    warnings.simplefilter("error", RuntimeWarning)  # as the pytest configuration does
    print(json.dumps({"blas": blas_fingerprint()}), flush=True)
    for condition in conditions:
        print(json.dumps(run(condition)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
