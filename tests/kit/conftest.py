"""The kit's own tests: keep each `xdist_group` on one pytest-xdist worker under pytest 9.

`--dist loadgroup` finds a test's group in a suffix of its node id, "…::test_x@group", which
pytest-xdist (3.8) writes into `item._nodeid`. pytest 9 keeps the node id in `item._id`
instead, so the suffix never appears and a file's tests are spread over the workers: each worker
then builds the file's module fixtures (a simulator child, graded submissions, a release) once
more. This writes the suffix where pytest 9 reads it; with an older pytest, xdist's own does.
"""
import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not getattr(config.option, "loadgroup", False):  # set by xdist under --dist loadgroup
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # pytest < 9: xdist has added the suffix itself
        return
    for item in items:
        names = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                 for mark in item.iter_markers("xdist_group")}
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")
