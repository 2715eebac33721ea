"""The child's side of grading: load a student's unit module and serve calls to it.

Nothing here imports the judge (the graded tests, the expected values, the mistake catalogue,
the report): this package runs in the process that holds the student's code, and sees only the
student's files, NumPy and the data a call brings. `wire` is the data-only encoding both sides
speak; `serve` (run as ``python -m nnlings.grader.worker``) is the child's main loop.
"""
