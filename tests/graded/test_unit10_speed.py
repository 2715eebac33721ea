"""Graded tests for unit 10 — Speed.

The compiled functions are checked against the reference and against NumPy written
independently (the matrix product, np.tanh, a NumPy training step and central differences of
its loss). The CUDA kernels run in a child process under numba's CUDA simulator, which must be
switched on before numba is imported: the kernel's source is sent to the child, launched there
on 16 × 16 blocks over arrays whose edges are not multiples of 16, and its output compared with
NumPy's here. Entries a kernel never writes come back as NaN.
"""
import ast
import inspect
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

import nnlings.solutions.unit10_speed as reference
from nnlings.grader.expect import (GradedFailure, expect, expect_array, expect_scalar, fail,
                                    mistake_text, run_each, same_result, settle)
from nnlings.grader.mistakes import for_function
from nnlings.grader.cases import case_rng
from nnlings.grader.graded import graded
from nnlings.grader.judge.sandbox import confine

SIMULATOR_SECONDS = 50


# Running a kernel under the CUDA simulator ------------------------------------------------------

CHILD = r"""
import json, math, sys, threading
threading.stack_size(1 << 19)  # the simulator starts 256 threads per block: small stacks keep
                               # them within a grader's memory limit (8 MiB each would not)
import numba
import numpy as np
from numba import cuda

source_path, name, tile, inputs_path, outputs_path = sys.argv[1:]
namespace = {"math": math, "numba": numba, "np": np, "cuda": cuda, "TILE": int(tile)}
exec(compile(open(source_path).read(), "<your kernel>", "exec"), namespace)
kernel = namespace[name]
arrays = np.load(inputs_path)
outputs = {}
try:
    for case in range(int(arrays["count"])):
        args = [arrays[f"{case}_{i}"] for i in range(int(arrays[f"{case}_argc"]))]
        out = np.full(tuple(arrays[f"{case}_shape"]), np.nan)
        rows, columns = out.shape
        blocks = (-(-columns // int(tile)), -(-rows // int(tile)))
        kernel[blocks, (int(tile), int(tile))](*args, out)
        outputs[str(case)] = out
except Exception as error:
    message = str(error)
    if message.startswith("tid="):  # the simulator's "tid=[...] ctaid=[...]: " prefix
        message = message.split(": ", 1)[-1]
    print(json.dumps({"error": type(error).__name__, "message": message, "case": case}))
else:
    np.savez(outputs_path, **outputs)
    print(json.dumps({"error": None}))
"""


def kernel_source(kernel, exercise, function):
    """The source code of a @cuda.jit kernel, or a clear failure if it is not one."""
    py_func = getattr(kernel, "py_func", None)
    if py_func is None:
        fail(exercise, f"{function} must be a CUDA kernel: keep the @cuda.jit line above it.")
    try:
        return py_func.__name__, textwrap.dedent(inspect.getsource(py_func))
    except (OSError, TypeError):
        fail(exercise, f"the source of {function} cannot be read, so it cannot be sent to the "
                       "CUDA simulator; define it in a .py file or a notebook cell.")


def run_under_simulator(kernel, exercise, function, cases, tile):
    """Launch `kernel` on each case (inputs, output shape) under the simulator; the outputs."""
    name, source = kernel_source(kernel, exercise, function)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "kernel.py").write_text(source, encoding="utf-8")
        arrays = {"count": len(cases)}
        for case, (inputs, shape) in enumerate(cases):
            arrays[f"{case}_argc"] = len(inputs)
            arrays[f"{case}_shape"] = np.array(shape)
            arrays.update({f"{case}_{i}": array for i, array in enumerate(inputs)})
        np.savez(folder / "inputs.npz", **arrays)
        try:
            child = subprocess.run(  # the student's kernel runs in the grader's sandbox
                confine([sys.executable, "-c", CHILD, str(folder / "kernel.py"), name,
                         str(tile), str(folder / "inputs.npz"), str(folder / "outputs.npz")],
                        folder),
                env=dict(os.environ, NUMBA_ENABLE_CUDASIM="1", MALLOC_ARENA_MAX="2"),
                capture_output=True, text=True,
                timeout=SIMULATOR_SECONDS)
        except subprocess.TimeoutExpired:
            fail(exercise, f"{function} ran for more than {SIMULATOR_SECONDS} s under the "
                           "simulator. Does every thread of a block reach every "
                           "cuda.syncthreads()? A thread that returns early makes the others "
                           "wait for it forever.")
        lines = child.stdout.strip().splitlines()
        if child.returncode != 0 or not lines:
            fail(exercise, f"{function} could not be run under the CUDA simulator:\n"
                           + "\n".join(child.stderr.strip().splitlines()[-8:]))
        report = json.loads(lines[-1])
        if report["error"] is None:
            with np.load(folder / "outputs.npz") as outputs:
                return [outputs[str(case)] for case in range(len(cases))]
    inputs, shape = cases[report["case"]]
    call = f"{launch_text(function, inputs)} (output {tuple(shape)})"
    if report["error"] == "NotImplementedError":
        raise NotImplementedError(report["message"])
    if report["error"] == "IndexError":
        fail(exercise, f"{call} read or wrote outside an array ({report['message']}). The grid "
                       "is rounded up to whole 16 × 16 blocks, so some threads lie beyond the "
                       "edge: they must not touch the arrays (check row < rows AND column < "
                       "columns, and load 0.0 for tile entries outside X or W).")
    fail(exercise, f"{call} raised {report['error']}: {report['message']}")


def launch_text(function, inputs):
    return f"{function} on {' and '.join(f'an array of shape {a.shape}' for a in inputs)}"


def check_kernel_output(got, expected, exercise, function, inputs, advice=""):
    """A kernel's output against NumPy's; `advice` is added when the values differ."""
    __tracebackhide__ = True
    unwritten = np.isnan(got) & ~np.isnan(expected)
    if unwritten.any():
        index = [int(i) for i in np.argwhere(unwritten)[0]]
        fail(exercise, f"{launch_text(function, inputs)} never wrote {int(unwritten.sum())} of "
                       f"the {got.size} output entries, the first at {index}. Is every entry "
                       "covered? x of cuda.grid(2) runs along the columns, y along the rows.")
    if advice and not np.allclose(got, expected, rtol=1e-12, atol=1e-12):
        fail(exercise, f"{launch_text(function, inputs)}: {advice}")
    expect_array(got, expected, exercise=exercise, function=function, args=tuple(inputs),
                 rtol=1e-12, atol=1e-12)


def check_kernel_outputs(exercise, function, cases, outputs, expected, advice=None):
    """Each launch's output against NumPy's. On a mismatch the catalogued kernels are run under
    the simulator on the same launches, and one whose outputs equal the student's on all of
    them up to the failing one is named."""
    __tracebackhide__ = True
    for number, ((inputs, _), got, want) in enumerate(zip(cases, outputs, expected)):
        try:
            check_kernel_output(got, want, exercise, function, inputs,
                                advice=advice(got, *inputs) if advice else "")
        except GradedFailure as failure:
            if "known mistake" in str(failure):
                raise
            note = kernel_mistake_note(exercise, function, cases[:number + 1],
                                       outputs[:number + 1])
            raise GradedFailure(f"{failure}{note}") from None


def kernel_mistake_note(exercise, function, cases, outputs):
    """The catalogued kernel (of those that no check of its own tells in words) whose outputs
    under the simulator equal the student's on `cases`, named; or ""."""
    for mistake in for_function(exercise, function):
        if mistake.says:
            continue
        try:
            theirs = run_under_simulator(mistake.mutant, exercise, function, cases,
                                         reference.TILE)
        except (GradedFailure, NotImplementedError):  # it fails otherwise: explains nothing
            continue
        if all(same_result(w, g) for w, g in zip(theirs, outputs)):
            return mistake_text(exercise, mistake)
    return ""


# Reading a compiled function: its parallel loops and the entries it writes ---------------------

PYTHON_CHILD = r"""
import json, math, sys
import numpy

source_path, name, inputs_path, outputs_path = sys.argv[1:]


class Poisoned:
    # NumPy, except that np.empty and np.empty_like hand out arrays full of NaN: an entry the
    # function never writes stays NaN.
    def __getattr__(self, attribute):
        return getattr(numpy, attribute)

    def empty(self, shape, dtype=float, *args, **kwargs):
        return numpy.full(shape, numpy.nan, dtype=dtype)

    def empty_like(self, array, dtype=None, *args, **kwargs):
        return numpy.full(numpy.shape(array), numpy.nan,
                          dtype=dtype or numpy.asarray(array).dtype)


class Numba:
    # numba's decorators as no-ops and prange as range: the function runs as plain Python.
    prange = range

    def njit(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return lambda function: function

    jit = njit

    def __getattr__(self, attribute):
        raise AttributeError(attribute)


numba = Numba()
namespace = {"np": Poisoned(), "numpy": Poisoned(), "math": math, "numba": numba,
             "prange": range, "njit": numba.njit}
try:
    exec(compile(open(source_path).read(), "<your function>", "exec"), namespace)
    arrays = numpy.load(inputs_path)
    outputs = {}
    for case in range(int(arrays["count"])):
        args = [arrays[f"{case}_{i}"] for i in range(int(arrays[f"{case}_argc"]))]
        outputs[str(case)] = numpy.asarray(namespace[name](*args), dtype=float)
except Exception as error:
    print(json.dumps({"error": type(error).__name__}))
else:
    numpy.savez(outputs_path, **outputs)
    print(json.dumps({"error": None}))
"""


def compiled_source(function, exercise, name):
    """The source of a numba-compiled function, or a failure saying it must be one."""
    py_func = getattr(function, "py_func", None)
    if py_func is None or not hasattr(function, "targetoptions"):
        fail(exercise, f"{name} must be compiled by numba: keep the @numba.njit line above it.")
    try:
        return textwrap.dedent(inspect.getsource(py_func))
    except (OSError, TypeError):
        fail(exercise, f"the source of {name} cannot be read, so its loops cannot be checked; "
                       "define it in a .py file or a notebook cell.")


def unwritten_entries(function, exercise, name, cases):
    """Run the plain-Python version of a compiled `function` in a child process, with np.empty
    handing out NaN-filled arrays; fail when a returned array has NaN entries that the right
    answer does not have (entries never written, or read before they are written). `cases` are
    (inputs, expected) pairs. Does nothing when the function is not compiled or does not run as
    plain Python."""
    __tracebackhide__ = True
    py_func = getattr(function, "py_func", None)
    try:
        source = textwrap.dedent(inspect.getsource(py_func))
    except (OSError, TypeError):
        return
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "function.py").write_text(source, encoding="utf-8")
        arrays = {"count": len(cases)}
        for case, (inputs, _) in enumerate(cases):
            arrays[f"{case}_argc"] = len(inputs)
            arrays.update({f"{case}_{i}": array for i, array in enumerate(inputs)})
        np.savez(folder / "inputs.npz", **arrays)
        try:
            child = subprocess.run(  # the student's function runs in the grader's sandbox
                confine([sys.executable, "-c", PYTHON_CHILD, str(folder / "function.py"),
                         py_func.__name__, str(folder / "inputs.npz"),
                         str(folder / "outputs.npz")], folder),
                capture_output=True, text=True, timeout=SIMULATOR_SECONDS)
        except subprocess.TimeoutExpired:
            return  # slow as plain Python: the other checks judge it
        lines = child.stdout.strip().splitlines()
        if child.returncode != 0 or not lines or json.loads(lines[-1])["error"] is not None:
            return  # it does not run as plain Python: the other checks judge it
        with np.load(folder / "outputs.npz") as outputs:
            results = [outputs[str(case)] for case in range(len(cases))]
    for (inputs, expected), got in zip(cases, results):
        if got.shape != np.shape(expected):
            continue
        never = np.isnan(got) & ~np.isnan(expected)
        if never.any():
            index = [int(i) for i in np.argwhere(never)[0]]
            shapes = " and ".join(f"an array of shape {a.shape}" for a in inputs)
            fail(exercise, f"{name} on {shapes} returns {int(never.sum())} of its {got.size} "
                           f"entries, the first at {index}, from np.empty's memory: they are "
                           "never assigned, or read (say by +=) before their first assignment. "
                           "np.empty does not clear memory, so what they hold is left over from "
                           "earlier work: give every entry its value before using it (check the "
                           "ranges of your loops; start sums at b[j] or 0.0).")


def prange_loops(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.For)
            and isinstance(node.iter, ast.Call)
            and (getattr(node.iter.func, "id", None) == "prange"
                 or getattr(node.iter.func, "attr", None) == "prange")]


def names_in(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def shared_writes(loop):
    """The writes array[index] inside a prange loop to an array made outside the loop, at an
    index that does not depend on the loop's variable: every iteration writes the same entries.
    Yields (line, array name, index text, loop variable)."""
    variable = names_in(loop.target)
    body = [node for statement in loop.body for node in ast.walk(statement)]
    made_inside = set()
    for node in body:
        targets = (node.targets if isinstance(node, ast.Assign) else
                   [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For))
                   else [])
        made_inside |= {t.id for target in targets for t in ast.walk(target)
                        if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
    depends = set(variable)
    changed = True
    while changed:  # the names whose value follows from the loop variable
        changed = False
        for node in body:
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For)):
                value = node.iter if isinstance(node, ast.For) else node.value
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if value is not None and names_in(value) & depends:
                    new = {n.id for t in targets for n in ast.walk(t)
                           if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} - depends
                    if new:
                        depends |= new
                        changed = True
    for node in body:
        targets = (node.targets if isinstance(node, ast.Assign) else
                   [node.target] if isinstance(node, ast.AugAssign) else [])
        for target in targets:
            if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                    and target.value.id not in made_inside
                    and not names_in(target.slice) & depends):
                yield (node.lineno, target.value.id, ast.unparse(target.slice),
                       ", ".join(sorted(variable)))


def check_parallel_loop(function, exercise, name):
    """`function` is compiled with parallel=True, shares a loop among the cores with prange,
    and no iteration of that loop writes entries that other iterations write too."""
    __tracebackhide__ = True
    source = compiled_source(function, exercise, name)
    if not function.targetoptions.get("parallel"):
        fail(exercise, f"{name} is compiled without parallel=True, so numba runs prange as a "
                       "plain range on one core: write @numba.njit(parallel=True).")
    tree = ast.parse(source)
    loops = prange_loops(tree)
    if not loops:
        fail(exercise, f"{name} has no prange loop: a range loop runs on one core. Loop over the "
                       "rows with numba.prange so numba shares them among the cores.")
    for loop in loops:
        for line, array, index, variable in shared_writes(loop):
            fail(exercise, f"{name} writes {array}[{index}] inside its prange loop (line {line} "
                           f"of the function): {array} is made outside the loop and the index "
                           f"does not depend on {variable}, so iterations running at the same "
                           "time write the same entries and overwrite each other (a race: the "
                           "result changes from run to run). Give each iteration its own "
                           f"entries, indexed by {variable}, or its own scratch array made "
                           "inside the loop.")


# 10.1 -------------------------------------------------------------------------------------------

# A square layer second: there W[j, i] for W[i, j] gives wrong values rather than reading past
# the end of W (compiled loops do not check bounds).
DENSE_SHAPES = [(1, 1, 1), (4, 3, 3), (1, 5, 3), (8, 1, 4), (16, 9, 7), (3, 20, 1), (32, 1, 20)]


def dense_cases(seed):
    rng = case_rng(seed)
    for n, n_in, n_out in DENSE_SHAPES:
        yield rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
    X = rng.normal(size=(12, 10))[::2, ::3]  # not contiguous in memory
    yield X, rng.normal(size=(X.shape[1], 5)), rng.normal(size=5)


@graded("10.1", points=2)
def test_dense_forward_loops_computes_the_dense_layer(impl):
    unwritten_entries(impl.dense_forward_loops, "10.1", "dense_forward_loops",
                      [([X, W, b], X @ W + b) for X, W, b in dense_cases(1010)])
    for X, W, b in dense_cases(1010):
        got = impl.dense_forward_loops(X, W, b)
        expect_array(got, X @ W + b, exercise="10.1", function="dense_forward_loops",
                     args=(X, W, b), rtol=1e-12, atol=1e-12)
        expect_array(got, reference.dense_forward_loops(X, W, b), exercise="10.1",
                     function="dense_forward_loops", args=(X, W, b), rtol=1e-12, atol=1e-12)


@graded("10.1", points=1)
def test_dense_forward_loops_leaves_its_inputs_alone(impl):
    for X, W, b in dense_cases(1011):
        before = [array.copy() for array in (X, W, b)]
        got = impl.dense_forward_loops(X, W, b)
        expect(all(np.array_equal(a, c) for a, c in zip((X, W, b), before)), "10.1",
               "dense_forward_loops changed one of the arrays it was given; write only into "
               "the new array Z.")
        expect_array(got, before[0] @ before[1] + before[2], exercise="10.1",
                     function="dense_forward_loops", args=tuple(before), rtol=1e-12,
                     atol=1e-12)


# 10.2 -------------------------------------------------------------------------------------------

def matrices(seed, scale=3.0):
    rng = case_rng(seed)
    for shape in [(1, 1), (1, 7), (9, 1), (64, 33), (5, 200)]:
        yield rng.normal(0.0, scale, shape)
    yield rng.normal(0.0, scale, (9, 12))[::2, ::3]
    yield rng.normal(0.0, scale, (6, 10)).T


@graded("10.2", points=1)
def test_tanh_map_is_tanh(impl):
    compiled = hasattr(impl.tanh_map, "py_func")
    if compiled:  # a race, a one-core loop or an unwritten entry is told before its symptoms
        impl.tanh_map(np.zeros((1, 1)))  # (an untouched stub says so here)
        check_parallel_loop(impl.tanh_map, "10.2", "tanh_map")
        unwritten_entries(impl.tanh_map, "10.2", "tanh_map",
                          [([Z], np.tanh(Z)) for Z in matrices(1020)])
    for Z in matrices(1020):
        before = Z.copy()
        got = impl.tanh_map(Z)
        expect(np.array_equal(Z, before), "10.2", "tanh_map changed the array it was given; "
               "write the results into a new array.")
        expect_array(got, np.tanh(before), exercise="10.2", function="tanh_map", args=(before,),
                     rtol=1e-14, atol=1e-15)
        expect_array(got, reference.tanh_map(before), exercise="10.2", function="tanh_map",
                     args=(before,), rtol=1e-14, atol=1e-15)
    if not compiled:
        check_parallel_loop(impl.tanh_map, "10.2", "tanh_map")


@graded("10.2", points=1)
def test_tanh_map_saturates_without_overflow(impl):
    Z = np.array([[-1e308, -1e3, -710.0, -20.0], [0.0, 20.0, 710.0, 1e308]])
    got = impl.tanh_map(Z.copy())
    expect_array(got, np.tanh(Z), exercise="10.2", function="tanh_map", args=(Z,), rtol=0.0,
                 atol=1e-15)


# 10.3 -------------------------------------------------------------------------------------------

STEP_SHAPES = [(1, 1, 1, 1), (32, 1, 20, 1), (7, 3, 4, 2), (5, 2, 6, 3)]  # n, n_in, h, n_out
PARAMETER_NAMES = ("W1", "b1", "W2", "b2")


def step_cases(seed):
    rng = case_rng(seed)
    for n, n_in, hidden, n_out in STEP_SHAPES:
        params = [rng.normal(0.0, 0.8, (n_in, hidden)), rng.normal(0.0, 0.3, hidden),
                  rng.normal(0.0, 0.8, (hidden, n_out)), rng.normal(0.0, 0.3, n_out)]
        yield params, rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))


def numpy_loss(W1, b1, W2, b2, X, Y):
    """mean((tanh(X W1 + b1) W2 + b2 − Y)²), written independently of the reference."""
    return float(np.mean((np.tanh(X @ W1 + b1) @ W2 + b2 - Y) ** 2))


def numerical_gradients(params, X, Y, h=1e-6):
    grads = []
    for index, p in enumerate(params):
        grad = np.zeros_like(p)
        for entry in np.ndindex(p.shape):
            shifted = [q.copy() for q in params]
            shifted[index][entry] += h
            plus = numpy_loss(*shifted, X, Y)
            shifted[index][entry] -= 2.0 * h
            grad[entry] = (plus - numpy_loss(*shifted, X, Y)) / (2.0 * h)
        grads.append(grad)
    return grads


def take_step(impl, params, X, Y, rate):
    """Run the student's step on copies; return (loss, updated copies), checking X and Y."""
    copies = [p.copy() for p in params]
    X_before, Y_before = X.copy(), Y.copy()
    loss = impl.train_step_fused(*copies, X, Y, rate)
    expect(np.array_equal(X, X_before) and np.array_equal(Y, Y_before), "10.3",
           "train_step_fused changed X or Y; only W1, b1, W2 and b2 may change.")
    expect(not all(np.array_equal(c, p) for c, p in zip(copies, params)), "10.3",
           "train_step_fused left all four parameter arrays as they were. Update them in "
           "place (W1 -= learning_rate * dW1): W1 = W1 - ... only rebinds your local name.")
    return loss, copies


def step_mistake_note(tried):
    """Name the catalogued step whose loss and updated parameters equal the student's on every
    case tried: `tried` holds (params, X, Y, rate, loss, updated) per case."""
    for mistake in for_function("10.3", "train_step_fused"):
        try:
            with np.errstate(all="ignore"):
                outcomes = [(mistake.mutant(*(copies := [p.copy() for p in params]), X.copy(),
                                            Y.copy(), rate), copies)
                            for params, X, Y, rate, _, _ in tried]
        except Exception:  # a mutant that cannot run on these inputs explains nothing
            continue
        if all(same_result(outcome, (loss, updated))
               for outcome, (*_, loss, updated) in zip(outcomes, tried)):
            return mistake_text("10.3", mistake)
    return ""


@graded("10.3", points=2)
def test_train_step_fused_matches_the_reference(impl):
    cases = list(step_cases(1030))
    results = run_each(lambda case: take_step(impl, *case, 0.05), cases)  # all before checking
    tried = [(params, X, Y, 0.05, *result) for (params, X, Y), result in zip(cases, results)
             if isinstance(result, tuple) and np.ndim(result[0]) == 0]
    for (params, X, Y), result in zip(cases, results):
        loss, updated = settle(result)
        args = tuple(params) + (X, Y, 0.05)
        expected = [p.copy() for p in params]
        expected_loss = reference.train_step_fused(*expected, X, Y, 0.05)
        try:
            expect_scalar(loss, expected_loss, exercise="10.3", function="train_step_fused",
                          args=args, rtol=1e-12, atol=1e-14)
            for name, got, want in zip(PARAMETER_NAMES, updated, expected):
                expect_array(got, want, exercise="10.3",
                             function=f"{name} after train_step_fused", args=args, rtol=1e-12,
                             atol=1e-14)
        except GradedFailure as failure:
            if "known mistake" in str(failure):
                raise
            raise GradedFailure(f"{failure}{step_mistake_note(tried)}") from None


@graded("10.3", points=2)
def test_train_step_fused_steps_down_the_gradient(impl):
    rate = 0.01
    for params, X, Y in step_cases(1031):
        _, updated = take_step(impl, params, X, Y, rate)
        for name, before, after, numeric in zip(PARAMETER_NAMES, params, updated,
                                                numerical_gradients(params, X, Y)):
            expect_array((before - after) / rate, numeric, exercise="10.3",
                         function=f"the gradient of {name} that train_step_fused stepped "
                                  "along, (old − new) / learning_rate, against central "
                                  "differences of the loss",
                         args=(), rtol=1e-5, atol=1e-7)


@graded("10.3", points=1)
def test_train_step_fused_returns_the_loss_before_the_step(impl):
    for params, X, Y in step_cases(1032):
        loss, _ = take_step(impl, params, X, Y, 0.1)
        expect_scalar(loss, numpy_loss(*params, X, Y), exercise="10.3",
                      function="train_step_fused", args=tuple(params) + (X, Y, 0.1),
                      rtol=1e-12, atol=1e-14)


# 10.4 -------------------------------------------------------------------------------------------

@graded("10.4", points=2)
def test_tanh_kernel_under_the_simulator(impl):
    rng = case_rng(1040)
    # 1 × 1, and edges that are not multiples of 16, wide and tall (a row-column mix-up leaves
    # entries unwritten there). Each 16 × 16 block costs the simulator about 0.3 s.
    inputs = [rng.normal(0.0, 3.0, shape) for shape in [(1, 1), (3, 20), (20, 3)]]
    cases = [([Z], Z.shape) for Z in inputs]
    outputs = run_under_simulator(impl.tanh_kernel, "10.4", "tanh_kernel", cases,
                                  reference.TILE)
    check_kernel_outputs("10.4", "tanh_kernel", cases, outputs, [np.tanh(Z) for Z in inputs])


# 10.5 -------------------------------------------------------------------------------------------

@graded("10.5", points=3)
def test_matmul_kernel_under_the_simulator(impl):
    rng = case_rng(1050)
    # X (n, k) @ W (k, m): 1 × 1; tall, with a partial last tile along k; wide, with several
    # tiles along k. Each 16 × 16 block costs the simulator about 0.3 s per tile.
    shapes = [(1, 1, 1), (17, 33, 5), (2, 40, 20)]
    pairs = [(rng.normal(size=(n, k)), rng.normal(size=(k, m))) for n, k, m in shapes]
    cases = [([X, W], (X.shape[0], W.shape[1])) for X, W in pairs]
    outputs = run_under_simulator(impl.matmul_kernel, "10.5", "matmul_kernel", cases,
                                  reference.TILE)
    check_kernel_outputs("10.5", "matmul_kernel", cases, outputs, [X @ W for X, W in pairs],
                         advice=lambda got, X, W: matmul_advice(got, X, W, reference.TILE))


def matmul_advice(got, X, W, tile):
    """What a wrong product of the tiled kernel most likely got wrong, or ""."""
    whole = X.shape[1] // tile * tile
    if np.allclose(got, X[:, :whole] @ W[:whole], rtol=1e-12, atol=1e-12):
        return ("the product leaves out the last, partial tile of the inner dimension "
                f"(k = {X.shape[1]} is not a multiple of {tile}). Loop over "
                "range(0, k, TILE) and load 0.0 for the entries beyond k.")
    return ""
