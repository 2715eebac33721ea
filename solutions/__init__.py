"""The reference implementation. Each student part is a `### BEGIN SOLUTION` region."""
