"""Your exercises. Each `unitNN_*.py` file here is yours to edit; `hints/` holds the hints.

The files were generated from the reference solutions by `python -m nnlings.grader.generate`.
"""
