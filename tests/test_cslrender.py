"""Rendering through pandoc's citeproc: escaped data, our numbering, the processor's gaps mended."""

from __future__ import annotations

import pytest

from proloevidence.errors import StyleError
from proloevidence.publish.csl_render import render
from proloevidence.publish.styles import resolve_style

ITEM = {
    "id": "Key-1",
    "type": "article-journal",
    "author": [
        {"family": "Smith", "given": "A."},
        {"family": "Jones", "given": "B."},
    ],
    "custom": {"et-al": True},  # the cited list ends in "et al."
    "title": "Salt & <pepper>",
    "container-title": "J Tests",
    "issued": {"date-parts": [[2020]]},
    "volume": "1",
    "page": "1-9",
}


def test_entries_lose_the_glued_number_and_keep_our_ids() -> None:
    rendered = render([ITEM, {**ITEM, "id": "key-1"}], resolve_style("ama"), "text")
    # citeproc-py lower-cases ids; two keys differing in case stay apart.
    assert [key for key, _ in rendered.entries] == ["Key-1", "key-1"]
    assert rendered.entries[0][1].startswith("Smith A, Jones B, et al. Salt & <pepper>.")


def test_data_is_escaped_per_markup() -> None:
    style = resolve_style("ama")
    assert "Salt &amp; &lt;pepper&gt;" in render([ITEM], style, "html").entries[0][1]
    assert "Salt \\& \\<pepper\\>" in render([ITEM], style, "markdown").entries[0][1]


def test_et_al_takes_no_connector_in_author_date_styles() -> None:
    text = render([ITEM], resolve_style("apa"), "text").entries[0][1]
    assert text.startswith("Smith, A., Jones, B., et al. (2020).")


def test_author_date_clusters_are_rendered() -> None:
    other = {
        **{k: v for k, v in ITEM.items() if k != "custom"},
        "id": "other",
        "author": [{"family": "Adams", "given": "C."}],
        "issued": {"date-parts": [[2019]]},
    }
    rendered = render([ITEM, other], resolve_style("apa"), "text", [["Key-1", "other"], ["other"]])
    assert rendered.citations == ("(Adams, 2019; Smith et al., 2020)", "(Adams, 2019)")
    assert [key for key, _ in rendered.entries] == ["other", "Key-1"]  # APA sorts by author


def test_a_style_that_prints_nothing_is_a_style_error_with_pandocs_words(tmp_path) -> None:
    path = tmp_path / "odd.csl"
    path.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">'
        "<info><title>Odd</title></info>"
        '<citation><layout><text macro="missing"/></layout></citation>'
        '<bibliography><layout><text macro="missing"/></layout></bibliography></style>',
        encoding="utf-8",
    )
    with pytest.raises(StyleError, match=r"printed 0 of 1 references \(.*undefined macro missing"):
        render([ITEM], resolve_style(str(path)), "text")


def test_markup_of_the_style_is_ours_in_each_format() -> None:
    style = resolve_style("ama")
    assert "<i>J Tests</i>" in render([ITEM], style, "html").entries[0][1]
    assert "*J Tests*" in render([ITEM], style, "markdown").entries[0][1]
    assert ":emphasis:`J Tests`" in render([ITEM], style, "rst").entries[0][1]
    assert ". J Tests. 2020" in render([ITEM], style, "text").entries[0][1]


def test_an_editor_label_follows_the_names() -> None:
    # AMA's <names variable="editor"> holds a <label> and no <name>; pandoc alone prints
    # ", ed.Waldman SD" (CSL 1.0.2 puts the label after the names).
    book = {
        "id": "b",
        "type": "book",
        "editor": [{"family": "Waldman", "given": "Steven D."}],
        "title": "Pain management",
        "publisher": "Saunders",
        "issued": {"date-parts": [[2011]]},
    }
    text = render([book], resolve_style("ama"), "text").entries[0][1]
    assert text.startswith("Waldman SD, ed. Pain Management.")


def test_compound_given_names_are_initialized_part_by_part() -> None:
    item = {**ITEM, "author": [{"family": "Kim", "given": "Min-jun"}], "custom": {}}
    assert render([item], resolve_style("ama"), "text").entries[0][1].startswith("Kim MJ.")
    assert render([item], resolve_style("apa"), "text").entries[0][1].startswith("Kim, M.-J.")


def test_csl_1_0_2_variables_render_without_a_warning() -> None:
    # event-title is CSL 1.0.2's name; citeproc-py knows only 1.0.1's "event" and warns.
    item = {**ITEM, "type": "paper-conference", "event-title": "Annual Meeting"}
    rendered = render([item], resolve_style("apa"), "text")
    assert rendered.warnings == ()


def test_an_entry_the_style_prints_nothing_for_keeps_its_place_under_its_key() -> None:
    bare = {"id": "bare_1", "type": "document"}
    rendered = render([ITEM, bare], resolve_style("ama"), "markdown")
    assert [key for key, _ in rendered.entries] == ["Key-1", "bare_1"]
    assert rendered.entries[1][1] == "\\[bare\\_1\\]"
    assert "the style printed nothing for bare_1; its key stands in" in rendered.warnings


def test_a_note_that_names_an_id_does_not_lose_the_entry() -> None:
    # Mendeley writes "ID: ..." notes; pandoc would take the line as the item's id.
    noted = {**ITEM, "id": "frye1964", "note": "ID: 01UA_ALMA21443739850003843"}
    rendered = render([ITEM, noted], resolve_style("vancouver"), "text")
    assert [key for key, _ in rendered.entries] == ["Key-1", "frye1964"]
    assert rendered.warnings == ()
