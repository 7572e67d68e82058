"""citeproc-py rendering: escaped data, our own numbering, no leaked warnings."""

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


def test_warnings_are_collected_not_raised() -> None:
    # An unknown variable makes citeproc-py warn; under filterwarnings=error a leak would fail.
    rendered = render([{**ITEM, "made-up-variable": "x"}], resolve_style("ama"), "text")
    assert any("made_up_variable" in message for message in rendered.warnings)
    assert rendered.entries


def test_a_style_citeproc_cannot_use_is_a_style_error(tmp_path) -> None:
    path = tmp_path / "odd.csl"
    path.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">'
        "<info><title>Odd</title></info>"
        '<citation><layout><text macro="missing"/></layout></citation>'
        '<bibliography><layout><text macro="missing"/></layout></bibliography></style>',
        encoding="utf-8",
    )
    with pytest.raises(StyleError, match="citeproc-py cannot render with the style"):
        render([ITEM], resolve_style(str(path)), "text")


def test_csl_1_0_2_variables_render_without_a_warning() -> None:
    # event-title is CSL 1.0.2's name; citeproc-py knows only 1.0.1's "event" and warns.
    item = {**ITEM, "type": "paper-conference", "event-title": "Annual Meeting"}
    rendered = render([item], resolve_style("apa"), "text")
    assert rendered.warnings == ()
