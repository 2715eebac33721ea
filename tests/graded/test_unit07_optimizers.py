"""Graded tests for unit 7 — Optimizers.

Every update is checked against the reference on arrays of many shapes (and must leave its
inputs alone), and against things that do not use the reference: trajectories on the quadratic
f(w) = ½·a·w² worked out by hand, momentum beating SGD on an ill-conditioned bowl, Adam's
first step of η·sign(g) and two steps of Algorithm 1 of Kingma & Ba written out here, and
schedules at hand-computed points. The provided optimizer classes are checked to move a
network's arrays in place with the student's own update.
"""
import math

import numpy as np

import nnlings.solutions.unit07_optimizers as reference
from nnlings.grader.cases import case_rng, sample_arrays
from nnlings.grader.expect import (expect, expect_array, expect_scalar, fail, margin, observe, run_each,
                                    settle, unpack)
from nnlings.grader.graded import graded

ARGUMENTS = {
    "sgd_update": ("w", "dw", "learning_rate"),
    "momentum_update": ("w", "dw", "velocity", "learning_rate", "momentum"),
    "nesterov_update": ("w", "dw", "velocity", "learning_rate", "momentum"),
    "adam_update": ("w", "dw", "m", "v", "t", "learning_rate", "beta1", "beta2", "eps"),
}
RETURNS = {
    "sgd_update": ("new_w",),
    "momentum_update": ("new_w", "new_velocity"),
    "nesterov_update": ("new_w", "new_velocity"),
    "adam_update": ("new_w", "new_m", "new_v"),
}
EXERCISE = {"sgd_update": "7.1", "momentum_update": "7.2", "nesterov_update": "7.3",
            "adam_update": "7.4"}

# The quadratic f(w) = ½·a·w² with a = 2 (gradient a·w), from w = 1, learning rate 0.1 and
# momentum 0.9. Worked out by hand, three steps each:
#   SGD:       w ← w − 0.1·2w = 0.8w:                     0.8, 0.64, 0.512
#   momentum:  v ← 0.9v − 0.2w, w ← w + v
#              v = −0.2,   w = 0.8;  v = −0.18 − 0.16 = −0.34,  w = 0.46;
#              v = −0.306 − 0.092 = −0.398,  w = 0.062
#   Nesterov:  v ← 0.9v − 0.2w, w ← w + 0.9v − 0.2w   (the gradient term at the old w)
#              v = −0.2,  w = 1 − 0.18 − 0.2 = 0.62;
#              v = −0.18 − 0.124 = −0.304,  w = 0.62 − 0.2736 − 0.124 = 0.2224;
#              v = −0.2736 − 0.04448 = −0.31808,  w = 0.2224 − 0.286272 − 0.04448 = −0.108352
CURVATURE, START, RATE, MOMENTUM = 2.0, 1.0, 0.1, 0.9
BY_HAND = {
    "sgd_update": [(0.8,), (0.64,), (0.512,)],
    "momentum_update": [(0.8, -0.2), (0.46, -0.34), (0.062, -0.398)],
    "nesterov_update": [(0.62, -0.2), (0.2224, -0.304), (-0.108352, -0.31808)],
}

# The ill-conditioned bowl f(w) = ½(w1² + 100·w2²), from w = (1, 1).
BOWL = np.array([1.0, 100.0])
BOWL_RATE = 0.01  # stable for all three methods (SGD needs η < 2/100)
BOWL_TOLERANCE = 1e-3


# Calling a student's update ---------------------------------------------------------------------

def call_pure(impl, name, args):
    """Call the student's update `name` on `args`; fail if it changed any array it was given.

    Returns (what it returned, copies of the arguments as they were before the call). The call
    runs with NumPy's floating-point warnings off, so that a NaN or inf the update produces is
    reported by the value checks, which explain it, rather than as a bare warning.
    """
    exercise = EXERCISE[name]
    kept = tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args)
    with np.errstate(all="ignore"):
        got = getattr(impl, name)(*args)
    for label, arg, before in zip(ARGUMENTS[name], args, kept):
        if isinstance(arg, np.ndarray):
            expect(np.array_equal(arg, before, equal_nan=True), exercise,
                   f"{name} changed the array passed as {label}. An update must leave its "
                   "inputs alone and return new arrays: the caller still holds them. Write "
                   "`new = w - learning_rate * dw`, not `w -= learning_rate * dw` (and the "
                   "same for velocities and running means).")
    return got, kept


def returned(got, name, args):
    """The student's return value as a tuple of arrays, each checked for type, dtype and shape
    (but not values) against the shape of w."""
    exercise, names = EXERCISE[name], RETURNS[name]
    if len(names) == 1:
        got = (got,)
    else:
        got = unpack(got, len(names), exercise=exercise, function=name, names=names)
    shape = np.shape(args[0])
    for part, value in enumerate(got):
        ok = (isinstance(value, np.ndarray) and value.shape == shape
              and value.dtype == np.float64)
        if not ok:  # expect_array reports what is wrong with the type, dtype or shape
            expect_array(value, np.zeros(shape), exercise=exercise, function=name, args=args,
                         part=None if len(names) == 1 else part,
                         names=None if len(names) == 1 else names)
    return got


def reference_result(name, args):
    """What the reference returns for `args`, always as a tuple of arrays."""
    result = getattr(reference, name)(*args)
    return result if isinstance(result, tuple) else (result,)


def check_values(got, expected, name, args, rtol=1e-10, atol=1e-12):
    """Each returned array against its expected value, naming it on a mismatch."""
    exercise, names = EXERCISE[name], RETURNS[name]
    if name in ("momentum_update", "nesterov_update"):
        expect_kit_velocity(got, expected, name, args)
    if len(names) == 1:
        expect_array(got[0], expected[0], exercise=exercise, function=name, args=args,
                     rtol=rtol, atol=atol)
        return
    for part, (value, target) in enumerate(zip(got, expected)):
        expect_array(value, target, exercise=exercise, function=name, args=args, part=part,
                     names=names, rtol=rtol, atol=atol)


def other_velocity_conventions(name, w, dw, velocity, learning_rate, momentum):
    """(description, new_w, new_velocity) of the same method written with another velocity.

    These move w correctly but keep a different velocity than the kit's (Keras') convention,
    v ← μv − η·dw, which the optimizer classes and unit 8 rely on.
    """
    flipped = momentum * velocity + learning_rate * dw
    buffer = momentum * velocity + dw
    if name == "momentum_update":
        return [("the velocity with the opposite sign (v ← μv + η·dw, w ← w − v)",
                 w - flipped, flipped),
                ("a running sum of gradients (PyTorch's buffer b ← μb + dw, w ← w − η·b)",
                 w - learning_rate * buffer, buffer)]
    return [("the velocity with the opposite sign (v ← μv + η·dw, w ← w − μv − η·dw)",
             w - momentum * flipped - learning_rate * dw, flipped),
            ("a running sum of gradients (PyTorch's buffer b ← μb + dw, w ← w − η(dw + μb))",
             w - learning_rate * (dw + momentum * buffer), buffer)]


def expect_kit_velocity(got, expected, name, args):
    """Fail with an explanation if the student keeps the velocity in another convention."""
    if np.allclose(got[1], expected[1], rtol=1e-9, atol=1e-12):
        return
    for description, new_w, new_velocity in other_velocity_conventions(name, *args):
        if (np.allclose(got[0], new_w, rtol=1e-9, atol=1e-12)
                and np.allclose(got[1], new_velocity, rtol=1e-9, atol=1e-12)):
            fail(EXERCISE[name],
                 f"{name} moves w correctly but keeps {description}. This kit keeps the "
                 "velocity as the step itself, the way Keras does: new_velocity = "
                 "momentum·velocity − learning_rate·dw. The velocity you return is passed back "
                 "in at the next step (by the optimizer classes and unit 8), so it must follow "
                 f"that convention. Read `nnlings hint {EXERCISE[name]} --level 2`.")


def check_against_reference(impl, name, cases):
    """The update agrees with the reference on every case and leaves its inputs alone. Every
    case is run before any is checked, so that a mistake is named only if it explains all."""
    def call(args):
        got, args = call_pure(impl, name, args)
        got = returned(got, name, args)
        observe(EXERCISE[name], name, args, got if len(got) > 1 else got[0])
        return got, args
    for result in run_each(call, list(cases)):
        got, args = settle(result)
        check_values(got, reference_result(name, args), name, args)


def parameter_arrays(seed, count):
    """Tuples of `count` arrays of one shape, for every shape of sample_arrays (a single entry,
    batch size 1, tall, wide, 3-D, a strided slice, a transposed array)."""
    return zip(*(sample_arrays(seed + i, scale=2.0) for i in range(count)))


def run_trajectory(impl, name, w, gradient, state, hyper, steps):
    """Apply the student's update `steps` times, feeding back its own outputs; the gradient at
    each step is gradient(w). Yields the checked outputs and the arguments of every step."""
    for k in range(steps):
        args = (w, gradient(w)) + tuple(state) + ((k + 1,) if name == "adam_update" else ())
        args = args + tuple(hyper)
        got, args = call_pure(impl, name, args)
        got = returned(got, name, args)
        yield k, got, args
        w, state = got[0], got[1:]


# Checks of the provided optimizer classes ------------------------------------------------------

def network_params(seed):
    """A small network's arrays: a weight matrix, a bias vector, a 1-element array and a strided
    view into a larger array (updated in place, the larger array must see the change)."""
    rng = case_rng(seed)
    backing = rng.normal(size=(6, 8))
    return [rng.normal(size=(3, 4)), rng.normal(size=(4,)), rng.normal(size=(1,)),
            backing[::2, ::3]], backing


def quadratic_gradients(params, curvatures):
    return [a * p for p, a in zip(params, curvatures)]


def check_class_in_place(impl, exercise, cls_name, make, name, hyper, state_names, steps=3):
    """The provided class `cls_name` moves every array in place, step by step, as the student's
    update applied to each array alone would (and that update agrees with the reference)."""
    params, backing = network_params(int(exercise.replace(".", "")))
    originals = list(params)
    curvatures = [0.5, 1.0, 2.0, 3.0]
    # The functional trajectory of each array with the student's update, all of it computed
    # before any step is checked (so that a mistake is named only if it explains every step).
    current = [np.copy(p) for p in params]
    states = [[np.zeros_like(p) for _ in state_names] for p in params]
    steps_taken, after = [], []
    for k in range(steps):
        for i, (p, a) in enumerate(zip(current, curvatures)):
            args = (p, a * p) + tuple(states[i]) + ((k + 1,) if name == "adam_update" else ())
            got, args = call_pure(impl, name, args + tuple(hyper))
            got = returned(got, name, args)
            observe(exercise, name, args, got if len(got) > 1 else got[0])
            steps_taken.append((got, args))
            current[i], states[i] = got[0], list(got[1:])
        after.append(list(current))
    for got, args in steps_taken:
        check_values(got, reference_result(name, args), name, args)
    optimizer = make()
    for k in range(steps):
        grads = quadratic_gradients(params, curvatures)
        with np.errstate(all="ignore"):
            result = optimizer.step(params, grads)
        expect(result is None, exercise,
               f"{cls_name}.step returned {result!r}; it should update the arrays in place.")
        for i, (p, e) in enumerate(zip(params, after[k])):
            expect_array(p, e, exercise=exercise,
                         function=f"params[{i}] after step {k + 1} of the provided {cls_name} "
                                  f"(which calls your {name})", rtol=1e-12, atol=1e-14)
    for i, (p, original) in enumerate(zip(params, originals)):
        expect(p is original, exercise,
               f"{cls_name}.step replaced params[{i}] instead of updating it in place.")
    expect(np.array_equal(backing[::2, ::3], params[3]), exercise,
           f"{cls_name}.step did not write into a strided view of a larger array.")
    expect(optimizer.iterations == steps, exercise,
           f"{cls_name}.iterations is {optimizer.iterations} after {steps} steps.")


def expect_rejects(exercise, error, words, make, what):
    """`make()` raises `error` whose message contains every one of `words`."""
    try:
        make()
    except error as raised:
        message = str(raised)
        expect(all(w in message for w in words), exercise,
               f"{what} raised {error.__name__}('{message}'); its message should name "
               f"{' and '.join(map(repr, words))}.")
        return
    except Exception as raised:
        fail(exercise, f"{what} raised {type(raised).__name__}: {raised}; expected a "
                       f"{error.__name__}.")
    fail(exercise, f"{what} was accepted; expected a {error.__name__}. (These checks are part "
                   "of the file you were given: restore them if you changed them.)")


def check_step_rejects_mismatches(exercise, optimizer_class, **kwargs):
    cls_name = optimizer_class.__name__
    w, b = np.zeros((3, 2)), np.zeros(2)
    expect_rejects(exercise, ValueError, ("params holds 2", "grads holds 1"),
                   lambda: optimizer_class(**kwargs).step([w, b], [np.ones((3, 2))]),
                   f"{cls_name}.step with 2 parameter arrays and 1 gradient")
    expect_rejects(exercise, ValueError, ("grads[1]", "(3,)", "(2,)"),
                   lambda: optimizer_class(**kwargs).step([w, b], [np.ones((3, 2)),
                                                                   np.ones(3)]),
                   f"{cls_name}.step with a gradient of shape (3,) for a bias of shape (2,)")


# 7.1 SGD --------------------------------------------------------------------------------------

@graded("7.1", points=1)
def test_sgd_update_matches_reference_on_many_shapes(impl):
    cases = ((w, dw, lr) for (w, dw), lr in zip(
        list(parameter_arrays(710, 2)) * 2, [0.1] * 8 + [0.003] * 8))
    check_against_reference(impl, "sgd_update", cases)
    w, dw = np.array([[1.0, -2.0]]), np.array([[0.5, 0.25]])
    got, args = call_pure(impl, "sgd_update", (w, dw, 2.0))
    expect_array(got, [[0.0, -2.5]], exercise="7.1", function="sgd_update", args=args)


@graded("7.1", points=1)
def test_sgd_on_a_quadratic_by_hand(impl):
    w = np.array([START])
    for k, got, args in run_trajectory(impl, "sgd_update", w, lambda w: CURVATURE * w, (),
                                       (RATE,), 3):
        check_values(got, [[value] for value in BY_HAND["sgd_update"][k]], "sgd_update",
                     args)
    # Many quadratics at once: entry j has curvature a_j; each follows w ← (1 − η·a_j)·w.
    a = np.array([[0.5, 1.0, 4.0], [10.0, 15.0, 19.0]])
    w0 = np.array([[1.0, -2.0, 0.5], [3.0, -1.0, 2.0]])
    for k, got, args in run_trajectory(impl, "sgd_update", w0, lambda w: a * w, (), (0.1,), 3):
        by_recurrence = w0 * (1.0 - 0.1 * a) ** (k + 1)
        check_values(got, (by_recurrence,), "sgd_update", args)


@graded("7.1", points=1)
def test_sgd_class_updates_a_network_in_place(impl):
    check_class_in_place(impl, "7.1", "SGD", lambda: impl.SGD(0.1), "sgd_update", (0.1,), ())
    # With a schedule, step k uses schedule(k): 0.1, 0.05, 0.025 on f = ½·2·w², from w = 1.
    w = np.array([1.0])
    optimizer = impl.SGD(0.1, schedule=lambda k: 0.1 * 0.5 ** k)
    for expected in (0.8, 0.72, 0.684):
        optimizer.step([w], [2.0 * w])
        expect_array(w, [expected], exercise="7.1",
                     function="w after a step of SGD(0.1, schedule=lambda k: 0.1 * 0.5 ** k)")
    for bad in (0.0, -0.1):
        expect_rejects("7.1", ValueError, ("learning_rate", str(bad)),
                       lambda: impl.SGD(bad), f"SGD(learning_rate={bad})")
    check_step_rejects_mismatches("7.1", impl.SGD, learning_rate=0.1)


# 7.2 momentum ---------------------------------------------------------------------------------

def momentum_cases(seed):
    hyper = [(0.1, 0.9)] * 8 + [(0.01, 0.5)] * 8 + [(0.3, 0.0)] * 8
    arrays = list(parameter_arrays(seed, 3)) * 3
    return ((w, dw, v, lr, mu) for (w, dw, v), (lr, mu) in zip(arrays, hyper))


def check_by_hand(impl, name):
    """Three steps on f(w) = ½·2·w² equal the numbers worked out by hand above."""
    w, velocity = np.array([START]), np.zeros(1)
    for k, got, args in run_trajectory(impl, name, w, lambda w: CURVATURE * w, (velocity,),
                                       (RATE, MOMENTUM), 3):
        check_values(got, [[value] for value in BY_HAND[name][k]], name, args)


def check_scalar_recurrence(impl, name):
    """Many quadratics at once (entry j has curvature a_j) against a scalar loop per entry."""
    a = np.array([[0.5, 1.0, 4.0], [10.0, 12.0, 13.0]])
    w0 = np.array([[1.0, -2.0, 0.5], [3.0, -1.0, 2.0]])
    lr, mu = 0.1, 0.8
    expected = []
    for a_j, w_j in zip(a.ravel(), w0.ravel()):
        w_j, v_j, path = float(w_j), 0.0, []
        for _ in range(3):
            g_j = a_j * w_j
            v_j = mu * v_j - lr * g_j
            w_j = w_j + (v_j if name == "momentum_update" else mu * v_j - lr * g_j)
            path.append((w_j, v_j))
        expected.append(path)
    for k, got, args in run_trajectory(impl, name, w0, lambda w: a * w, (np.zeros_like(w0),),
                                       (lr, mu), 3):
        step = [[path[k][i] for path in expected] for i in (0, 1)]
        check_values(got, tuple(np.reshape(s, a.shape) for s in step), name, args)


def steps_to_reach_the_bottom(update, cap):
    """Steps until ‖w‖ < 1e-3 on the bowl, from w = (1, 1); None if not within `cap`."""
    w, velocity = np.array([1.0, 1.0]), np.zeros(2)
    for k in range(cap + 1):
        size = math.hypot(*w)
        if size < BOWL_TOLERANCE:
            return k
        if not size < 1e6:  # diverging (or NaN): it will never get there
            return None
        w, velocity = update(w, BOWL * w, velocity)
    return None


def sgd_steps_on_the_bowl():
    """Plain gradient descent, written here: w ← w − η·∇f(w)."""
    return steps_to_reach_the_bottom(lambda w, g, v: (w - BOWL_RATE * g, v), cap=100_000)


def check_beats_sgd_on_the_bowl(impl, name):
    sgd_steps = sgd_steps_on_the_bowl()  # 688

    def student_step(w, g, velocity):
        got, args = call_pure(impl, name, (w, g, velocity, BOWL_RATE, 0.9))
        return returned(got, name, args)

    steps = steps_to_reach_the_bottom(student_step, cap=sgd_steps)
    method = "momentum" if name == "momentum_update" else "Nesterov momentum"
    expect(steps is not None and margin(f"{name} steps vs SGD", steps, sgd_steps, "<"),
           EXERCISE[name],
           f"on f(w) = ½(w1² + 100·w2²) from w = (1, 1), with learning_rate {BOWL_RATE} and "
           f"momentum 0.9, your {name} "
           + ("did not reach" if steps is None else f"took {steps} steps to reach")
           + f" ‖w‖ < {BOWL_TOLERANCE}; plain SGD with the same learning rate takes "
           f"{sgd_steps} steps, and {method} should need far fewer (about "
           f"{'130' if name == 'momentum_update' else '60'}).")


@graded("7.2", points=1)
def test_momentum_update_matches_reference_on_many_shapes(impl):
    check_against_reference(impl, "momentum_update", momentum_cases(720))


@graded("7.2", points=1)
def test_momentum_on_a_quadratic_by_hand(impl):
    check_by_hand(impl, "momentum_update")
    check_scalar_recurrence(impl, "momentum_update")
    # With momentum 0 it is one SGD step, and the velocity is that step.
    w, dw = np.array([2.0, -1.0]), np.array([0.5, 3.0])
    got, args = call_pure(impl, "momentum_update", (w, dw, np.array([7.0, 7.0]), 0.1, 0.0))
    check_values(returned(got, "momentum_update", args),
                 ([1.95, -1.3], [-0.05, -0.3]), "momentum_update", args)


@graded("7.2", points=1)
def test_momentum_beats_sgd_on_an_ill_conditioned_bowl(impl):
    check_beats_sgd_on_the_bowl(impl, "momentum_update")


@graded("7.2", points=1)
def test_momentum_class_updates_a_network_in_place(impl):
    check_class_in_place(impl, "7.2", "Momentum", lambda: impl.Momentum(0.1, momentum=0.8),
                         "momentum_update", (0.1, 0.8), ("velocity",))
    for bad in (1.0, -0.1, 1.5):
        expect_rejects("7.2", ValueError, ("momentum", str(bad)),
                       lambda: impl.Momentum(0.1, momentum=bad), f"Momentum(0.1, momentum={bad})")
    check_step_rejects_mismatches("7.2", impl.Momentum, learning_rate=0.1)


# 7.3 Nesterov ---------------------------------------------------------------------------------

@graded("7.3", points=1)
def test_nesterov_update_matches_reference_on_many_shapes(impl):
    check_against_reference(impl, "nesterov_update", momentum_cases(730))


@graded("7.3", points=1)
def test_nesterov_on_a_quadratic_by_hand(impl):
    check_by_hand(impl, "nesterov_update")
    check_scalar_recurrence(impl, "nesterov_update")
    w, dw = np.array([2.0, -1.0]), np.array([0.5, 3.0])
    got, args = call_pure(impl, "nesterov_update", (w, dw, np.array([7.0, 7.0]), 0.1, 0.0))
    check_values(returned(got, "nesterov_update", args),
                 ([1.95, -1.3], [-0.05, -0.3]), "nesterov_update", args)


@graded("7.3", points=1)
def test_nesterov_beats_sgd_on_an_ill_conditioned_bowl(impl):
    check_beats_sgd_on_the_bowl(impl, "nesterov_update")


@graded("7.3", points=1)
def test_nesterov_class_updates_a_network_in_place(impl):
    check_class_in_place(impl, "7.3", "Nesterov", lambda: impl.Nesterov(0.1, momentum=0.9),
                         "nesterov_update", (0.1, 0.9), ("velocity",))
    # The article's optimizer, Keras' SGD(lr=0.01, momentum=0.9, nesterov=True), on f = ½·2·w².
    w = np.array([1.0])
    optimizer = impl.Nesterov(0.01)
    # v = −0.02, w = 1 − 0.018 − 0.02 = 0.962; v = −0.018 − 0.01924 = −0.03724,
    # w = 0.962 − 0.033516 − 0.01924 = 0.909244; v = −0.033516 − 0.01818488 = −0.05170088,
    # w = 0.909244 − 0.046530792 − 0.01818488 = 0.844528328.
    for expected in (0.962, 0.909244, 0.844528328):
        optimizer.step([w], [2.0 * w])
        expect_array(w, [expected], exercise="7.3",
                     function="w after a step of Nesterov(0.01) (momentum 0.9)")
    expect_rejects("7.3", ValueError, ("momentum", "1.0"),
                   lambda: impl.Nesterov(0.01, momentum=1.0), "Nesterov(0.01, momentum=1.0)")


# 7.4 Adam -------------------------------------------------------------------------------------

def adam_cases(seed):
    rng = case_rng(seed)
    settings = [(1, 0.001, 0.9, 0.999, 1e-8), (2, 0.01, 0.9, 0.999, 1e-8),
                (7, 0.1, 0.8, 0.99, 1e-3), (1000, 0.001, 0.5, 0.9, 1e-8)]
    for i, (t, *rest) in enumerate(settings):
        for w, dw, m, v in parameter_arrays(seed + 10 * i, 4):
            scale = 10.0 ** rng.integers(-4, 2, size=dw.shape)  # gradients from 1e-4 to 10
            dw *= scale  # in place, so that strided and transposed arrays keep their layout
            m *= scale
            v *= v * scale ** 2  # a mean of squares is never negative
            yield (w, dw, m, v, t, *rest)


def adam_by_the_paper(theta, gradients, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Algorithm 1 of Kingma & Ba (2015) for one scalar parameter, in Python floats; the
    (theta, m, v) after each step."""
    m = v = 0.0
    path = []
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        m_hat = m / (1.0 - beta1 ** t)
        v_hat = v / (1.0 - beta2 ** t)
        theta = theta - alpha * m_hat / (math.sqrt(v_hat) + eps)
        path.append((theta, m, v))
    return path


@graded("7.4", points=1)
def test_adam_update_matches_reference_on_many_shapes(impl):
    check_against_reference(impl, "adam_update", adam_cases(740))


@graded("7.4", points=1)
def test_adam_first_step_is_learning_rate_times_sign(impl):
    # From m = v = 0, m̂ = g and v̂ = g², so the step is −η·g/(|g| + eps) ≈ −η·sign(g) for
    # every coordinate, whatever the size of its gradient.
    rng = np.random.default_rng(741)  # fixed: magnitudes chosen so eps is negligible
    for w, g in parameter_arrays(741, 2):
        g = np.where(np.abs(g) < 0.05, 0.05, g) * 10.0 ** rng.integers(-2, 3, size=g.shape)
        for rate in (0.001, 0.1):
            got, args = call_pure(impl, "adam_update", (w, g, np.zeros_like(w),
                                                        np.zeros_like(w), 1, rate))
            got = returned(got, "adam_update", args)
            expect_array(got[0] - args[0], -rate * np.sign(g), exercise="7.4",
                         function=f"new_w − w, the first step of adam_update "
                                  f"(learning_rate {rate}, gradients from 5e-4 to 300)",
                         rtol=5e-5, atol=0.0)  # eps moves a 5e-4 gradient by 2e-5
            # The running means after one step from zero are (1 − β1)·g and (1 − β2)·g².
            for part, expected in ((1, 0.1 * g), (2, 0.001 * g * g)):
                expect_array(got[part], expected, exercise="7.4", function="adam_update",
                             args=args, part=part, names=RETURNS["adam_update"], rtol=1e-12)


@graded("7.4", points=1)
def test_adam_first_two_steps_follow_the_paper(impl):
    w0 = np.array([[0.5, -1.0, 2.0], [0.0, 3.0, -0.25]])
    first = np.array([[0.3, -2.0, 1e-3], [5.0, -1e-5, 0.0]])
    second = np.array([[-0.6, -1.0, 2e-3], [4.0, 1e-5, 0.7]])
    for hyper in ((0.001, 0.9, 0.999, 1e-8), (0.05, 0.8, 0.99, 1e-4)):
        paths = [adam_by_the_paper(float(w), (float(g1), float(g2)), *hyper)
                 for w, g1, g2 in zip(w0.ravel(), first.ravel(), second.ravel())]
        w, m, v = w0, np.zeros_like(w0), np.zeros_like(w0)
        steps = []  # both steps are taken before either is checked
        for t, g in ((1, first), (2, second)):
            got, args = call_pure(impl, "adam_update", (w, g, m, v, t) + hyper)
            got = returned(got, "adam_update", args)
            observe("7.4", "adam_update", args, got)
            steps.append((t, got, args))
            w, m, v = got
        for t, got, args in steps:
            expected = tuple(np.reshape([path[t - 1][i] for path in paths], w0.shape)
                             for i in range(3))
            check_values(got, expected, "adam_update", args, rtol=1e-10, atol=1e-15)


@graded("7.4", points=1)
def test_adam_class_updates_a_network_in_place(impl):
    check_class_in_place(impl, "7.4", "Adam", lambda: impl.Adam(0.01), "adam_update",
                         (0.01, 0.9, 0.999, 1e-8), ("m", "v"))
    for label, kwargs, value in (("beta1", {"beta1": 1.0}, "1.0"),
                                 ("beta2", {"beta2": -0.5}, "-0.5"),
                                 ("learning_rate", {"learning_rate": 0.0}, "0.0")):
        expect_rejects("7.4", ValueError, (label, value), lambda: impl.Adam(**kwargs),
                       f"Adam({label}={value})")
    check_step_rejects_mismatches("7.4", impl.Adam)


# 7.5 schedules --------------------------------------------------------------------------------

def check_schedule(impl, name, cases, rtol=1e-12):
    """`name` at hand-computed points, against the reference on a grid, and as a Python float.
    Every point is computed before any is checked (a mistake is named only if it explains all)."""
    def call(args):
        got = getattr(impl, name)(*args)
        observe("7.5", name, args, got)
        return got
    results = run_each(call, [args for args, _ in cases])
    for (args, expected), result in zip(cases, results):
        got = settle(result, exercise="7.5", function=name, args=args)
        expect_scalar(got, expected, exercise="7.5", function=name, args=args, rtol=rtol)
        expect(isinstance(got, float), "7.5",
               f"{name}{args} returned {type(got).__name__}; return a Python float "
               "(wrap the result in float()).")


def check_schedule_grid(impl, name, settings):
    for rest in settings:
        for k in (0, 1, 2, 5, 9, 10, 11, 99, 100, 101, 1000, 12345):
            args = (rest[0], k) + tuple(rest[1:])
            expect_scalar(getattr(impl, name)(*args), getattr(reference, name)(*args),
                          exercise="7.5", function=name, args=args, rtol=1e-12)


@graded("7.5", points=1)
def test_step_decay(impl):
    check_schedule(impl, "step_decay", [
        ((0.1, 0), 0.1), ((0.1, 9), 0.1), ((0.1, 10), 0.05), ((0.1, 19), 0.05),
        ((0.1, 20), 0.025), ((0.1, 35), 0.0125),
        ((2.0, 0, 0.1, 3), 2.0), ((2.0, 2, 0.1, 3), 2.0), ((2.0, 3, 0.1, 3), 0.2),
        ((2.0, 7, 0.1, 3), 0.02), ((0.3, 4, 0.5, 1), 0.3 / 16),
    ])
    check_schedule_grid(impl, "step_decay", [(0.1,), (0.01, 0.9, 7), (1.0, 0.25, 100)])


@graded("7.5", points=1)
def test_exponential_decay(impl):
    check_schedule(impl, "exponential_decay", [
        ((0.1, 0, 0.5, 100), 0.1), ((0.1, 100, 0.5, 100), 0.05),
        ((0.1, 50, 0.5, 100), 0.1 / math.sqrt(2.0)), ((0.1, 250, 0.5, 100), 0.025 / math.sqrt(2)),
        ((0.1, 1000, 0.96, 1000), 0.096), ((0.1, 2000, 0.96, 1000), 0.09216),
        ((1.0, 3, 0.1, 1), 0.001),
    ])
    check_schedule_grid(impl, "exponential_decay", [(0.1, 0.5, 10), (0.01, 0.96, 1000)])


@graded("7.5", points=1)
def test_inverse_time_decay(impl):
    check_schedule(impl, "inverse_time_decay", [
        ((0.1, 0, 0.5, 1), 0.1), ((0.1, 1, 0.5, 1), 0.1 / 1.5), ((0.1, 2, 0.5, 1), 0.05),
        ((0.1, 10, 0.5, 1), 0.1 / 6), ((0.1, 10, 1.0, 10), 0.05), ((0.1, 30, 1.0, 10), 0.025),
        ((0.2, 7, 0.0, 3), 0.2),
    ])
    check_schedule_grid(impl, "inverse_time_decay", [(0.1, 0.5, 1), (0.01, 2.0, 100)])
