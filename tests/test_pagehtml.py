from __future__ import annotations

from proloevidence.importing.html_page import html_blocks
from proloevidence.importing.page_structure import structure


def test_blocks_lists_and_superscript_markers() -> None:
    blocks, title = html_blocks(
        "<html><head><title>Clinic | Page</title><script>var a='<p>x</p>';</script></head>"
        "<body><nav>Home</nav><h1>Page</h1><p>Text one.<sup>2,3</sup><br>Line two</p>"
        "<ol start='3'><li>Third</li><li>Fourth <em>step</em></li></ol>"
        "<ul><li>Bullet &amp; more</li></ul><p>Unclosed<div>Inner</div></body></html>"
    )
    assert title == "Clinic | Page"
    assert [(b.role, b.text, b.level) for b in blocks] == [
        ("heading", "Page", 1),
        ("paragraph", "Text one.²,³", 0),
        ("paragraph", "Line two", 0),
        ("step", "3. Third", 0),
        ("step", "4. Fourth step", 0),
        ("item", "Bullet & more", 0),
        ("paragraph", "Unclosed", 0),
        ("paragraph", "Inner", 0),
    ]


def test_line_numbers_and_title_fallback() -> None:
    blocks, title = html_blocks("<title>From title</title>\n<p>First.</p>\n\n<p>Second.</p>")
    assert [(b.text, b.line) for b in blocks] == [("First.", 2), ("Second.", 4)]
    assert structure(blocks, title_hint=title).title == "From title"


def test_sup_that_is_not_a_number_stays_text() -> None:
    blocks, _ = html_blocks("<p>E = mc<sup>2</sup> and 1<sup>st</sup></p>")
    assert blocks[0].text == "E = mc² and 1st"
