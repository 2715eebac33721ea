"""Data for the exercises: the source articles' targets, generated from a seed or a formula."""
