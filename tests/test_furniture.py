"""Page furniture (importing/furniture.py): navigation links, update notices and a table of
contents are not part of the page's text, whatever the format."""

from __future__ import annotations

from proloevidence import import_page

REFERENCES = "References\n1. Kim WM. A trial. J Pain. 2010;3:1-2.\n"


def test_wiki_furniture_in_plain_text_becomes_neither_heading_nor_statement() -> None:
    page = (
        "Knee Pain\nJump to navigation\nLast updated 14 March 2024\nContents\nBackground\n"
        "Safety\nBackground\nDextrose may ease knee pain [1].\nSafety\n"
        "Soreness is common after an injection.\n" + REFERENCES
    )
    draft = import_page(page)
    assert [(c.section, c.text) for c in draft.claims] == [
        (("Background",), "Dextrose may ease knee pain."),
        (("Safety",), "Soreness is common after an injection."),
    ]


def test_wiki_furniture_in_html() -> None:
    page = (
        "<h1>Knee Pain</h1><p>Skip to main content</p><p>Page last reviewed: 12 May 2023</p>"
        "<p>Table of contents</p><ul><li>Background</li></ul><h2>Background</h2>"
        "<p>Dextrose may ease knee pain [1].</p><h2>References</h2><ol><li>Kim WM. A trial. "
        "J Pain. 2010;3:1-2.</li></ol>"
    )
    draft = import_page(page, fmt="html")
    assert [(c.section, c.text) for c in draft.claims] == [
        (("Background",), "Dextrose may ease knee pain."),
    ]


def test_a_heading_that_only_looks_like_furniture_stays() -> None:
    page = (
        "Knee Pain\nUpdated guidance for clinics\nDextrose may ease knee pain [1].\n"
        "Contents of the injection\nThe solution holds dextrose and lidocaine.\n" + REFERENCES
    )
    sections = [c.section for c in import_page(page).claims]
    assert sections == [("Updated guidance for clinics",), ("Contents of the injection",)]
