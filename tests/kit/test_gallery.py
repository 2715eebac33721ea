"""The gallery draws every figure from the reference, and skips, never crashes, on stubs."""
import re

import pytest

from nnlings.grader import gallery, generate

pytestmark = pytest.mark.kit


def test_every_figure_renders_from_the_reference(tmp_path):
    rendered, skipped = gallery.render_gallery(tmp_path, "solutions", quick=True)
    assert skipped == []
    names = [entry.name for entry in gallery.ENTRIES]
    assert [path.stem for path in rendered] == names
    for path in rendered:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert re.findall(r"!\[[^\]]*\]\(([^)]+)\.png\)", index) == names
    assert all(entry.caption in index for entry in gallery.ENTRIES)


def test_every_unit_from_1_to_9_has_a_figure_and_unit_9_one_per_exercise():
    from nnlings.grader import registry
    assert {entry.unit for entry in gallery.ENTRIES} == set(range(1, 10))
    shown = [entry.exercises for entry in gallery.ENTRIES if entry.unit == 9]
    assert shown == [ex.id for ex in registry.unit_for_module("unit09_experiments").exercises]


def test_untouched_stubs_are_skipped_not_crashed(tmp_path):
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    generate.write_stubs(stubs)
    out = tmp_path / "gallery"
    rendered, skipped = gallery.render_gallery(out, str(stubs), quick=True)
    assert rendered == []
    assert [name for name, _ in skipped] == [entry.name for entry in gallery.ENTRIES]
    assert all(reason.startswith("not implemented yet: Exercise") for _, reason in skipped)
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.count("*Skipped — not implemented yet") == len(gallery.ENTRIES)


def test_command_line_draws_the_chosen_figures(tmp_path, capsys):
    assert gallery.main(["--out", str(tmp_path), "--impl", "solutions", "--quick",
                         "--only", "unit02-*", "unit09-vanishing*"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "unit02-activations.png", "unit09-vanishing-gradients.png"]
    assert "2 figures drawn, 0 skipped" in capsys.readouterr().out
    assert gallery.main(["--out", str(tmp_path), "--only", "no-such-figure"]) == 2
