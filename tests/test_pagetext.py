from __future__ import annotations

import pytest

from proloevidence.importing.page_structure import (
    capitalisation,
    detect_format,
    is_short_line,
    structure,
    text_blocks,
)

from .conftest import FIXTURES


def page(text: str):  # type: ignore[no-untyped-def]
    return structure(text_blocks(text))


def test_seed_page_headings_and_levels() -> None:
    text = (FIXTURES / "prolotherapy-page.txt").read_text(encoding="utf-8")
    result = page(text)
    assert result.title == "Prolotherapy"
    sections = list(dict.fromkeys(b.section for b in result.blocks))
    assert sections == [
        ("Overview",),
        ("Mechanism of Action (Current Understanding)",),
        ("Clinical Applications",),
        ("Clinical Applications", "Sacroiliac (SI) Joint Dysfunction and Hypermobility"),
        ("Clinical Applications", "Other Musculoskeletal Conditions (Selected Cases)"),
        ("The Prolotherapy Procedure", "Visit duration"),
        ("The Prolotherapy Procedure", "Step-by-step process"),
        ("Safety and Tolerability",),
        ("Regulatory Considerations",),
        ("Is Prolotherapy Right for You?",),
    ]
    first = text.splitlines().index("References") + 2  # 1-based line of entry 1
    assert [(e.number, e.line) for e in result.references] == [
        (n, first + n - 1) for n in range(1, 6)
    ]
    assert result.references[0].text.startswith("Rabago D, Slattengren A")


def test_lines_after_a_colon_are_list_items_with_their_intro() -> None:
    result = page(
        "T\nSafety\nNot for patients with:\nActive infection\nBleeding disorders\nAsk us."
    )
    assert [(b.text, b.role, b.intro) for b in result.blocks] == [
        ("Not for patients with:", "paragraph", None),
        ("Active infection", "item", 0),
        ("Bleeding disorders", "item", 0),
        ("Ask us.", "paragraph", None),
    ]


def test_a_single_short_line_after_a_colon_is_a_sub_heading() -> None:
    result = page("T\nUses\nUsed for several problems, including:\nKnee Pain\nIt helps knees.")
    assert result.blocks[-1].section == ("Uses", "Knee Pain")


def test_a_heading_followed_by_three_short_lines_heads_a_list() -> None:
    result = page("T\nOther Conditions\nLow back pain\nTendinopathies\nShoulder pain\nIt varies.")
    assert [(b.text, b.role, b.section) for b in result.blocks][:1] == [
        ("Low back pain", "item", ("Other Conditions",))
    ]
    assert len([b for b in result.blocks if b.role == "item"]) == 3


def test_capitalisation_closes_a_sub_section() -> None:
    text = (
        "T\nThe Procedure\nVisit duration\nIt takes an hour.\nAfter the visit\nRest a day.\n"
        "Safety Matters\nIt is safe.\n"
    )
    result = page(text)
    assert [b.section for b in result.blocks] == [
        ("The Procedure", "Visit duration"),
        ("The Procedure", "After the visit"),
        ("Safety Matters",),
    ]


def test_numbered_steps_keep_their_number_and_bullets_lose_the_bullet() -> None:
    result = page("T\nSteps\n1. Clean the skin. Then inject.\n- A bullet\n• Another\n")
    assert [(b.text, b.role) for b in result.blocks] == [
        ("1. Clean the skin. Then inject.", "step"),
        ("A bullet", "item"),
        ("Another", "item"),
    ]


def test_a_line_starting_in_lower_case_continues_the_line_above() -> None:
    result = page("T\nOverview\nDextrose is injected into the\nligaments of the back.\n")
    assert [b.text for b in result.blocks] == [
        "Dextrose is injected into the ligaments of the back."
    ]


def test_reference_list_styles_continuations_and_its_end() -> None:
    text = (
        "T\nBody\nText (1).\nReferences:\n[1] Kim WM. A trial. Pain. 2010;1:1-2.\n"
        "doi:10.1000/abc\n(2) Lee HG. Another\ntrial. Pain. 2011;2:3-4.\nDisclaimer\n"
        "This page is not advice.\n"
    )
    result = page(text)
    assert [(e.number, e.text) for e in result.references] == [
        (1, "Kim WM. A trial. Pain. 2010;1:1-2. doi:10.1000/abc"),
        (2, "Lee HG. Another trial. Pain. 2011;2:3-4."),
    ]
    assert result.blocks[-1].text == "This page is not advice."
    assert result.blocks[-1].section == ("Disclaimer",)
    assert not result.renumbered


def test_repeated_reference_numbers_are_renumbered_by_position() -> None:
    result = page("T\nReferences\n1. A.\n1. B.\n1. C.\n")
    assert [e.number for e in result.references] == [1, 2, 3] and result.renumbered


@pytest.mark.parametrize(
    ("line", "short"),
    [
        ("Overview", True),
        ("Is Prolotherapy Right for You?", True),
        ("Peripheral joint instability (e.g., knee, shoulder, ankle)", True),
        ("Serious complications are uncommon.", False),
        ("Patients with:", False),
        ("Active infection (4)", False),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", False),
        ("2010", False),
    ],
)
def test_short_lines(line: str, short: bool) -> None:
    assert is_short_line(line) is short


def test_capitalisation() -> None:
    assert capitalisation("Safety and Tolerability") == "title"
    assert capitalisation("Step-by-step process") == "sentence"
    assert capitalisation("Overview") == "either"


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("p.md", "plain", "markdown"),
        ("p.HTML", "plain", "html"),
        ("p.txt", "# looks like markdown", "text"),
        ("", "<!DOCTYPE html><p>x</p>", "html"),
        ("", "Title\n\n## Section\n", "markdown"),
        ("", "Title\nSection\nText.", "text"),
    ],
)
def test_detect_format(name: str, text: str, fmt: str) -> None:
    assert detect_format(text, name) == fmt
