"""`nnlings notebooks --out DIR`: an nbgrader course, generated from the same single source.

    DIR/nbgrader_config.py
    DIR/source/unit02_activations/unit02_activations.ipynb     one assignment per unit

Each notebook is the unit's reference module cut into cells, in source order:

* the module docstring becomes the opening markdown cell;
* provided code (imports, helpers, classes, constants) becomes read-only code cells;
* every function holding a solution region becomes an autograded-answer cell, whose region
  nbgrader replaces by a stub in the student's version;
* a module-level region (a helper only the reference needs) sits in an answer cell inside
  ``try: ... except NotImplementedError: pass``, so that the student's version, where nbgrader
  has put ``raise NotImplementedError()`` in its place, still runs;
* after the last function of each exercise comes one locked autograder cell. It runs the kit's
  graded tests of that exercise on the functions the notebook defines, prints what failed and
  ends with the points earned, which nbgrader takes as the cell's (partial) score.

Relative imports of other units (``from . import unit03_layers``) read the installed kit's
reference in a notebook: a notebook has no sibling files to import.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import io
import re
import sys
import textwrap
import traceback
import warnings
from pathlib import Path
from types import SimpleNamespace

from . import registry

CONFIG = '''\
"""nbgrader configuration of the nnlings course (written by `nnlings notebooks`)."""
c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "nnlings"
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
# The experiments of unit 9 train networks: give every cell time. A cell that runs longer (a
# student's endless loop) is interrupted and recorded as an error, and the notebook goes on, so
# only that exercise loses its points.
c.ExecutePreprocessor.timeout = {timeout}
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
# nbgrader scores 0 a graded cell with any stderr output. The autograder cells keep warnings off
# stderr themselves; this also drops warnings printed by NumPy or numba outside Python's
# `warnings` (e.g. at the C level), should any reach a graded cell.
c.IgnorePattern.enabled = True
# Code only the reference needs (a compiled helper, an import) sits in a hidden region of an
# answer cell, which the student's release drops.
c.ClearHiddenTests.enforce_metadata = False
c.IgnorePattern.pattern = r"\\w*Warning: "
# Autograde runs no cell of a submission in nbgrader's kernel: the kit's JudgeExecute takes the
# answer cells, grades them with the kit's graded tests in a sandboxed child process (as
# `nnlings grade` does) and writes each autograder cell's output, its points last.
c.JudgeExecute.timeout = {timeout}
c.Autograde.autograde_preprocessors = [
    "nnlings.grader.notebooks.JudgeExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
'''

INTRO = """

**How this notebook works.** Each exercise has a heading, then for each function its contract
(what it computes, the shapes, the conventions) and a cell where you write it, in place of
`# YOUR CODE HERE` and `raise NotImplementedError()`. Run the check cell that follows to see what
the kit's graded tests say about your functions and how many points they earn; run it as often
as you like. Where the exercise has a figure, the cell after the check draws it from your own
functions. The hints are folded under each check: open one level at a time.
"""

BANNER = re.compile(r"#.*-{10,}\s*$")
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


# Cutting a module into cells ---------------------------------------------------------------------

def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _pieces(source: str) -> list[tuple[str, str, str]]:
    """(kind, name, text) of the module's top-level pieces in order, without its docstring.

    kind is "answer" (a function holding a solution region), "helper" (a module-level solution
    region) or "provided" (anything else). A piece's text starts right after the previous one,
    so comments above a definition go with it."""
    from . import generate  # kit-only: a student release has no generator
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    begins = [n for n, line in enumerate(lines, 1) if line.strip() == generate.BEGIN]
    spans = []  # (first line, last line, kind, name), 1-based and inclusive
    for n in begins:
        if lines[n - 1].startswith(generate.BEGIN):  # at column 0: a module-level region
            last = next(m for m in range(n + 1, len(lines) + 1)
                        if lines[m - 1].strip() == generate.END)
            spans.append((n, last, "helper", ""))
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    for node in body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if any(a <= first <= b for a, b, kind, _ in spans if kind == "helper"):
            continue
        last = node.end_lineno
        while last < len(lines) and lines[last][:1] in (" ", "\t") and lines[last].strip():
            last += 1  # indented comments after the last statement (### END SOLUTION)
        answer = isinstance(node, ast.FunctionDef) and any(
            node.lineno < n <= last for n in begins)
        spans.append((first, last, "answer" if answer else "provided",
                       getattr(node, "name", "")))
    spans.sort()
    done = tree.body[0].end_lineno if body is not tree.body else 0
    pieces = []
    for index, (_, last, kind, name) in enumerate(spans):
        if index == len(spans) - 1:
            last = len(lines)
        pieces.append((kind, name, "".join(lines[done:last])))
        done = last
    return pieces


def _hidden_helper(text: str) -> str:
    """A module-level solution region (code only the reference needs) as a hidden region of the
    answer cell it joins: nbgrader's release drops it, so the student sees nothing to write."""
    return (f"{HIDDEN_BEGIN}\n# Only the reference needs this; the student's notebook does not "
            f"show it.\n{text.strip(chr(10))}\n{HIDDEN_END}\n")


def _without_docstring(text: str) -> tuple[str, str]:
    """(function source without its docstring, the docstring): the docstring is shown as the
    exercise's markdown instead."""
    tree = ast.parse(text)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    doc = ast.get_docstring(function)
    first = function.body[0]
    if doc is None or len(function.body) < 2:
        return text.strip("\n"), doc or ""
    lines = text.splitlines(keepends=True)
    del lines[first.lineno - 1:first.end_lineno]
    while lines and (BANNER.match(lines[0]) or not lines[0].strip()):
        del lines[0]  # the file's "# 5.1 -----" banner: the notebook has a heading instead
    return "".join(lines).strip("\n"), doc


def _notebook_imports(text: str) -> str:
    """Relative imports of sibling units read the installed kit's reference instead."""
    return text.replace("from . import", "from nnlings.solutions import")


def _defined_and_used(text: str) -> tuple[set[str], set[str]]:
    """The top-level names a piece of source defines, and every name it reads."""
    tree = ast.parse(textwrap.dedent(text))
    defined = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.Try)):
            defined.update(n.id for n in ast.walk(node)
                           if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
            defined.update(n.name for n in ast.walk(node) if isinstance(n, ast.FunctionDef))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined.update((a.asname or a.name).split(".")[0] for a in node.names)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return defined, used


def _names_the_tests_read(exercise_id: str) -> set[str]:
    """Attributes of the module under test that an exercise's graded tests (and the helpers of
    their test module that they call) read: ``impl.NAME`` and ``getattr(impl, "NAME")``."""
    from .suite import graded_tests
    tests = graded_tests(exercise_id)
    helpers = {name: value for test in tests
               for name, value in vars(sys.modules[test.__module__]).items()
               if inspect.isfunction(value)}
    names, seen, todo = set(), set(), list(tests)
    while todo:
        function = todo.pop()
        if function in seen:
            continue
        seen.add(function)
        text = inspect.getsource(function)
        names |= set(re.findall(r"\bimpl\.(\w+)", text))
        names |= set(re.findall(r"getattr\(impl, \"(\w+)\"", text))
        todo += [helpers[n] for n in re.findall(r"\b(\w+)\(", text) if n in helpers]
    return names


def _test_positions(unit: registry.Unit, pieces) -> dict[int, list[registry.Exercise]]:
    """After which piece each exercise's autograder cell goes: after every piece that defines
    something its functions or its tests need, directly or through other definitions."""
    facts = [_defined_and_used(text) for _, _, text in pieces]
    where = {}
    for index, (defined, _) in enumerate(facts):
        for name in defined:
            where.setdefault(name, index)
    positions: dict[int, list] = {}
    for ex in unit.exercises:
        wanted = set(ex.functions) | _names_the_tests_read(ex.id)
        needed, todo = set(), [where[n] for n in wanted if n in where]
        while todo:
            index = todo.pop()
            if index not in needed:
                needed.add(index)
                todo += [where[n] for n in facts[index][1] if n in where]
        if needed:
            positions.setdefault(max(needed), []).append(ex)
    return positions


def _figures_after() -> dict[str, list]:
    """The gallery's figures by the exercise after whose check each is drawn: the last exercise
    the figure shows (all its functions are written by then)."""
    from .gallery import ENTRIES
    after: dict[str, list] = {}
    for entry in ENTRIES:
        last = re.split(r"[,–-]", entry.exercises)[-1].strip()
        after.setdefault(last, []).append(entry)
    return after


def _figures_last(cells: list) -> list:
    """Figures after the last answer cell move below the provided code that ends the unit (a
    figure may read a table defined there, such as unit 2's ACTIVATIONS)."""
    last_answer = max(i for i, c in enumerate(cells) if c.metadata["nbgrader"]["solution"])
    tail = cells[last_answer + 1:]
    moved = [c for c in tail if c.metadata["nbgrader"]["grade_id"].startswith(
        ("figure-", "figure-caption-"))]
    return cells[:last_answer + 1] + [c for c in tail if c not in moved] + moved


def _hints_markdown(ex: registry.Exercise) -> str:
    levels = ("a nudge", "the approach", "nearly the code")
    return "\n\n".join(
        f"<details><summary>Hint {level} for {ex.id} ({name})</summary>\n\n{text}\n\n</details>"
        for level, (name, text) in enumerate(zip(levels, ex.hints), 1))


def unit_notebook(unit: registry.Unit):
    """The nbgrader source notebook of one unit: per exercise a heading, each function's
    contract (its docstring) as markdown, its answer cell, a check cell, the exercise's figure
    where the gallery has one, and the hints folded away."""
    import nbformat
    from .suite import graded_tests
    source = (registry.kit_root() / "solutions" / f"{unit.module}.py").read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source)) or unit.title
    headline, _, rest = docstring.partition("\n")
    cells = [nbformat.v4.new_markdown_cell(
        f"# {headline}\n{rest}{INTRO}", metadata=_nbgrader(f"{unit.module}-intro", locked=True))]
    pieces = _pieces(source)
    positions = _test_positions(unit, pieces)
    exercise_of = {f: ex for ex in unit.exercises for f in ex.functions}
    figures = _figures_after()
    pending: list[str] = []
    helpers: list[str] = []   # module-level regions waiting for the next answer cell
    checks: list = []         # exercises whose check waits for those regions' cell
    headed: set[str] = set()
    waiting_figures: list = []
    where: dict[str, int] = {}
    for index, (_, _, text) in enumerate(pieces):
        for name in _defined_and_used(text)[0]:
            where.setdefault(name, index)

    def markdown(text, grade_id):
        cells.append(nbformat.v4.new_markdown_cell(
            text, metadata=_nbgrader(grade_id, locked=True)))

    def flush_provided():
        text = "".join(pending).strip("\n")
        if text:
            cells.append(nbformat.v4.new_code_cell(
                _notebook_imports(text),
                metadata=_nbgrader(f"{unit.module}-provided-{len(cells)}", locked=True)))
        pending.clear()

    def add_check(ex):
        points = sum(t.points for t in graded_tests(ex.id))
        cells.append(nbformat.v4.new_code_cell(
            f"# Check exercise {ex.id} ({points} points): run this cell to see what the kit's "
            "tests say.\n"
            "from nnlings.grader.notebooks import grade_exercise\n"
            f'grade_exercise("{ex.id}", globals())',
            metadata=_nbgrader(f"test-{ex.id.replace('.', '_')}", grade=True, locked=True,
                              points=points)))
        markdown(_hints_markdown(ex), f"hints-{ex.id.replace('.', '_')}")
        waiting_figures.extend(figures.get(ex.id, []))

    def add_figures(done: int):
        """The waiting figures whose unit 9 run_/plot_ functions are defined by piece `done`."""
        for entry in list(waiting_figures):
            experiment = entry.name.split("-", 1)[1].replace("-", "_")
            needs = [where.get(f"{kind}_{experiment}", -1) for kind in ("run", "plot")]
            if max(needs) > done:
                continue
            waiting_figures.remove(entry)
            flush_provided()
            which = "exercises" if re.search(r"[,–]", entry.exercises) else "exercise"
            markdown(f"**Figure: {entry.title}** (drawn by your functions; {which} "
                     f"{entry.exercises}). {entry.caption}", f"figure-caption-{entry.name}")
            cells.append(nbformat.v4.new_code_cell(
                "from nnlings.grader.notebooks import draw_figure\n"
                f'draw_figure("{entry.name}", globals())',
                metadata=_nbgrader(f"figure-{entry.name}", locked=True)))

    for index, (kind, name, text) in enumerate(pieces):
        if kind == "provided":
            pending.append(text)
        elif kind == "helper":
            helpers.append(_hidden_helper(text))
        else:
            flush_provided()
            ex = exercise_of.get(name)
            if ex is not None and ex.id not in headed:
                headed.add(ex.id)
                markdown(f"## Exercise {ex.id}: {ex.title}", f"heading-{ex.id.replace('.', '_')}")
            code, doc = _without_docstring(text)
            signature = next(line for line in code.splitlines() if line.startswith("def "))
            markdown(f"### `{signature.removeprefix('def ').rstrip(':')}`\n\n{doc}",
                     f"{unit.module}-{name}-contract")
            cells.append(nbformat.v4.new_code_cell(
                _notebook_imports("".join(helpers) + code),
                metadata=_nbgrader(f"{unit.module}-{name}", solution=True)))
            helpers.clear()
            for waiting in checks:
                add_check(waiting)
            checks.clear()
        for ex in positions.get(index, []):
            if helpers:
                checks.append(ex)
            else:
                flush_provided()
                add_check(ex)
        if not helpers:
            add_figures(index)
    if helpers:  # a module-level region after the last answer: it joins the last answer cell
        answer = next(c for c in reversed(cells) if c.metadata["nbgrader"]["solution"])
        answer.source = _notebook_imports("".join(helpers)) + answer.source
    flush_provided()
    for waiting in checks:
        add_check(waiting)
    add_figures(len(pieces))
    notebook = nbformat.v4.new_notebook(cells=_figures_last(cells))
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                       "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def write_course(out: Path, units: list[int] | None = None, timeout: int = 600) -> list[Path]:
    """Write the nbgrader course into `out`; return the notebooks written."""
    import nbformat
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG.format(timeout=timeout), encoding="utf-8")
    written = []
    for unit in registry.units():
        if units is not None and unit.number not in units:
            continue
        folder = out / "source" / unit.module
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{unit.module}.ipynb"
        nbformat.write(unit_notebook(unit), path)
        written.append(path)
    return written


# The autograder cell -----------------------------------------------------------------------------

def _message(error: BaseException, exercise: str) -> str:
    """What the student reads about a failed test: the check's own words, or their code's
    exception with only the notebook's lines of the traceback."""
    from .expect import GradedFailure
    text = str(error)
    if isinstance(error, (GradedFailure, NotImplementedError)) and text.startswith("Exercise"):
        return text
    kit = registry.kit_root()
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not Path(f.filename).resolve().is_relative_to(kit)
              and "site-packages" not in f.filename and "/lib/python" not in f.filename]
    if isinstance(error, NotImplementedError) and frames:
        return (f"Exercise {exercise}: {frames[-1].name} is not implemented yet: write your code "
                "in its cell, in place of `raise NotImplementedError()`.")
    where = "".join(traceback.format_list(frames)).rstrip()
    return f"Exercise {exercise}: your code raised {type(error).__name__}: {text}\n{where}"


def grade_exercise(exercise_id: str, namespace: dict, seed_offset: int = 0,
                   hidden: bool = False) -> int:
    """Run exercise `exercise_id`'s graded tests on the functions in `namespace` (a notebook's
    globals); print each failure and return the points earned. A non-zero `seed_offset` runs
    them on inputs from shifted seeds; `hidden` uses the course's secret offset (the hidden
    tests), and where there is none (a student's own run) grants every point."""
    from .cases import course_seed_offset, fresh_seeds
    from .suite import graded_tests
    if hidden:
        seed_offset = course_seed_offset()
        if not seed_offset:
            print("(The hidden tests run when the course grades this notebook.)")
            return sum(test.points for test in graded_tests(exercise_id))
    unit = SimpleNamespace(**namespace)
    earned = possible = 0
    if seed_offset:
        print(f"Hidden tests of exercise {exercise_id}, on fresh inputs:")
    for test in graded_tests(exercise_id):
        possible += test.points
        # nbgrader gives 0 to a cell that writes to stderr: keep warnings out of it.
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()), \
                fresh_seeds(seed_offset):
            warnings.simplefilter("error", RuntimeWarning)
            try:
                test(unit)
            except Exception as error:
                print(f"FAILED {test.__name__} ({test.points} point(s)):")
                print("  " + _message(error, exercise_id).replace("\n", "\n  "))
                continue
        earned += test.points
        print(f"passed {test.__name__} ({test.points} point(s))")
    print(f"Exercise {exercise_id}: {earned} of {possible} points.")
    return earned


def draw_figure(name: str, namespace: dict):
    """Draw the gallery's figure `name` from the functions in `namespace` (a notebook's globals,
    standing for its own unit; other units are the kit's): an image, or a line saying which
    exercise it waits for."""
    from .gallery import ENTRIES
    entry = next(e for e in ENTRIES if e.name == name)
    own = registry.units()[entry.unit - 1].module

    def units(module):
        if module == own:
            return SimpleNamespace(**namespace)
        return importlib.import_module(f"nnlings.solutions.{module}")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            figure = entry.draw(units, False)
    except NotImplementedError as error:
        why = f" ({error})" if str(error) else ""
        print(f"The figure appears when exercises {entry.exercises} are written{why}.")
        return None
    except Exception as error:  # the student's code: say what stopped it, never a traceback
        print(f"The figure could not be drawn: your code raised {type(error).__name__}: {error}")
        return None
    from IPython.display import Image
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return Image(buffer.getvalue())


def run(args) -> int:
    from .grade import parse_units
    units = parse_units(args.units) if args.units else None
    for path in write_course(Path(args.out), units, timeout=args.cell_timeout):
        print(f"wrote {path}")
    print(f"Next: cd {args.out} && nbgrader generate_assignment <unit> (e.g. "
          f"{registry.units()[0].module}).")
    return 0


# Autograding through the judge -------------------------------------------------------------------

def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution")


def _is_figure_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return str(meta.get("grade_id", "")).startswith("figure-")


def student_module(notebook) -> str:
    """The notebook's code cells, the autograder cells aside, as one module; imports of other
    units read the unit files beside it (IPython's % and ! lines are dropped)."""
    parts = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "code" or _is_test_cell(cell) or _is_figure_cell(cell):
            continue
        lines = [line for line in cell.source.splitlines()
                 if not line.lstrip().startswith(("%", "!"))]
        parts.append("\n".join(lines).replace("from nnlings.solutions import", "from . import"))
    return "\n\n\n".join(parts) + "\n"


def _unit_of(notebook, resources) -> registry.Unit:
    name = (resources.get("nbgrader") or {}).get("assignment") or ""
    for unit in registry.units():
        if unit.module == name or any(
                str(c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")).startswith(
                    unit.module) for c in notebook.cells):
            return unit
    raise ValueError(f"this notebook is not one of the nnlings units (assignment {name!r})")



def sibling_units(unit: registry.Unit) -> list[str]:
    """The other units that `unit`'s file imports (`from . import unitNN`): only those are put
    beside a notebook's answers when it is graded, so that a unit that builds on none (all but
    unit 9) has no other unit's reference within reach."""
    tree = ast.parse((registry.kit_root() / "solutions" / f"{unit.module}.py").read_text(
        encoding="utf-8"))
    return sorted({alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
                   for alias in node.names})

def grade_notebook(notebook, unit: registry.Unit, test_seconds: float) -> dict:
    """Grade a notebook's answers with the judge: {exercise id: (points, report text)}."""
    import shutil
    import tempfile
    from .cases import course_seed_offset
    from .grade import Limits
    from .judge.run import isolation_for, run_unit
    from .suite import graded_tests
    tests = [t for ex in unit.exercises for t in graded_tests(ex.id)]
    limits = Limits(unit_seconds=max(600.0, 4 * test_seconds * len(tests)),
                    test_seconds=test_seconds)
    offset = course_seed_offset()
    with tempfile.TemporaryDirectory(prefix="nnlings-notebook-") as scratch:
        staged = Path(scratch) / "impl"
        staged.mkdir()
        for module in sibling_units(unit):  # what `from . import unitNN` reads: the reference
            shutil.copyfile(registry.kit_root() / "solutions" / f"{module}.py",
                            staged / f"{module}.py")
        (staged / f"{unit.module}.py").write_text(student_module(notebook), encoding="utf-8")
        isolation = isolation_for(True)
        public = run_unit(staged, unit.module, tests, limits, isolation)
        # The hidden run decides only the points of a test that passes on the visible inputs.
        passed = [index for index, result in enumerate(public.results) if result.passed]
        hidden = {}
        if offset and passed:
            fresh = run_unit(staged, unit.module, [tests[i] for i in passed], limits,
                             isolation, seed_offset=offset)
            hidden = dict(zip(passed, fresh.results))
    graded = {}
    for ex in unit.exercises:
        lines, earned = [], 0
        for index, test in enumerate(tests):
            if test.exercise != ex.id:
                continue
            result = public.results[index]
            hidden_ok = index not in hidden or hidden[index].passed
            if result.passed and hidden_ok:
                earned += test.points
                lines.append(f"passed {test.__name__} ({test.points} point(s))")
            elif result.passed:
                lines.append(f"FAILED {test.__name__} ({test.points} point(s)): it passes on "
                             "the visible inputs but not on the hidden ones.")
            else:
                message = (result.message or "it did not pass").replace(str(staged) + "/", "")
                lines.append(f"FAILED {test.__name__} ({test.points} point(s)):\n  "
                             + message.replace("\n", "\n  "))
        possible = sum(t.points for t in tests if t.exercise == ex.id)
        lines.append(f"Exercise {ex.id}: {earned} of {possible} points"
                     + (" (hidden tests included)." if offset else "."))
        lines.append(f"(Graded in a separate process; isolation: {isolation}.)")
        graded[ex.id] = (earned, "\n".join(lines) + "\n")
    return graded


@functools.lru_cache(maxsize=None)
def _judge_execute_class():
    from nbgrader.preprocessors import NbGraderPreprocessor
    from traitlets import Integer

    class JudgeExecute(NbGraderPreprocessor):
        """nbgrader's Autograde without running the submission in a kernel: the answer cells
        are graded by the kit's judge, the student's code in a sandboxed child, and each
        autograder cell gets the report and its points as output (its partial credit)."""

        timeout = Integer(600, help="seconds one graded test may run").tag(config=True)

        def preprocess(self, nb, resources):
            import nbformat
            unit = _unit_of(nb, resources)
            graded = grade_notebook(nb, unit, float(self.timeout))
            count = 0
            for cell in nb.cells:
                if cell.get("cell_type") != "code":
                    continue
                count += 1
                cell.execution_count = count
                cell.outputs = []
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
                if _is_test_cell(cell) and grade_id.startswith("test-"):
                    exercise = grade_id.removeprefix("test-").replace("_", ".")
                    points, text = graded.get(exercise, (0, "This exercise was not graded.\n"))
                    cell.outputs = [
                        nbformat.v4.new_output("stream", name="stdout", text=text),
                        nbformat.v4.new_output("execute_result", data={"text/plain": str(points)},
                                               execution_count=count)]
            return nb, resources

    return JudgeExecute


def __getattr__(name):  # nbgrader is imported only where a course is graded
    if name == "JudgeExecute":
        return _judge_execute_class()
    raise AttributeError(name)
