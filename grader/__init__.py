"""The kit's machinery: exercise registry, stub generator, graded-test helpers, command line."""
