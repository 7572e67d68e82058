from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proloevidence.text.markers import (
    MARKER_PATTERN,
    MarkerError,
    collapse,
    find_markers,
    format_marker,
    parse_marker,
)


@pytest.mark.parametrize(
    ("marker", "numbers"),
    [
        ("(1-3)", (1, 2, 3)),
        ("(1,2)", (1, 2)),
        ("(1, 2, 5-7)", (1, 2, 5, 6, 7)),
        ("[4,5]", (4, 5)),
        ("[1–3]", (1, 2, 3)),
        ("¹⁻³", (1, 2, 3)),
        ("¹,²", (1, 2)),
        ("¹²", (12,)),
        ("3", (3,)),
    ],
)
def test_parse_printed_markers(marker: str, numbers: tuple[int, ...]) -> None:
    assert parse_marker(marker) == numbers


@pytest.mark.parametrize("bad", ["", "()", "(a)", "(3-1)", "(0)", "(1;2)", "(1,,2)", "(1-2-3)"])
def test_parse_rejects_what_is_not_a_marker(bad: str) -> None:
    with pytest.raises(MarkerError):
        parse_marker(bad)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [([1, 2, 3], "(1-3)"), ([4, 5], "(4,5)"), ([1, 2], "(1,2)"), ([3, 1, 2, 2, 7], "(1-3,7)")],
)
def test_format_collapses_runs_of_three(numbers: list[int], expected: str) -> None:
    assert format_marker(numbers) == expected


def test_format_styles() -> None:
    assert format_marker([1, 2, 3], "brackets") == "[1-3]"
    assert format_marker([1, 2, 3], "superscript") == "¹⁻³"
    assert format_marker([4, 5], "plain") == "4,5"
    assert format_marker([]) == ""


numbers = st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=25)
styles = st.sampled_from(["parentheses", "brackets", "superscript", "plain"])


@given(numbers, styles)
def test_format_then_parse_round_trips(values: list[int], style: str) -> None:
    marker = format_marker(values, style)  # type: ignore[arg-type]
    assert parse_marker(marker) == tuple(sorted(set(values)))


@given(numbers)
def test_parse_then_format_is_stable(values: list[int]) -> None:
    canonical = format_marker(values)
    assert format_marker(parse_marker(canonical)) == canonical
    assert collapse(parse_marker(canonical)) == canonical[1:-1]


def test_pattern_finds_markers_in_running_text() -> None:
    text = "Serious complications are uncommon. (1-3) Studies [2,3] agree¹⁻³."
    assert MARKER_PATTERN.findall(text) == ["(1-3)", "[2,3]", "¹⁻³"]


@pytest.mark.parametrize(
    "prose",
    [
        "(entheses)",
        "(e.g., knee, shoulder, ankle)",
        "(SI)",
        "(2010)",
        "[2010]",
        "(01)",
        "(3.5)",
        "(0.05)",
        "(1;2)",
        "(3-1)",
        "Table (2)",
        "see Fig. [3]",
        "step (4)",
        "10⁶ cells",
        "4 cm² area",
        "¹²³⁴",
    ],
)
def test_prose_in_brackets_is_not_a_marker(prose: str) -> None:
    assert find_markers(prose) == []


def test_find_markers_gives_positions() -> None:
    text = "Pain eased (1-3) and [4, 5] then¹⁻³ and (1–2)."
    assert [(m.group(), m.start()) for m in find_markers(text)] == [
        ("(1-3)", 11),
        ("[4, 5]", 21),
        ("¹⁻³", 32),
        ("(1–2)", 40),
    ]


def test_a_marker_style_it_does_not_know_is_refused_by_name() -> None:
    # "vancouver" is a citation style, not a marker style: bare numbers would pass silently.
    with pytest.raises(ValueError, match=r"parentheses, brackets, superscript, plain.*'vancouver'"):
        format_marker([1, 2, 3], "vancouver")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("marker", "numbers"),
    [("[4]–[7]", (4, 5, 6, 7)), ("[6], [7]", (6, 7)), ("[1,2]-[4]", (1, 2, 3, 4))],
)
def test_plos_chains_of_bracketed_markers_are_one_marker(
    marker: str, numbers: tuple[int, ...]
) -> None:
    # PLoS and IEEE print a range as two markers: [4]–[7] names 4 to 7, not 4 and 7.
    assert [m.group() for m in find_markers(f"humans {marker}. Then")] == [marker]
    assert parse_marker(marker) == numbers


def test_square_brackets_are_prose_only_after_a_part_of_a_document() -> None:
    assert [m.group() for m in find_markers("at stage [7] and in question [5]")] == ["[7]", "[5]"]
    assert find_markers("as Table [2] and Fig. [3] show") == []


def test_a_superscript_before_a_letter_is_an_isotope() -> None:
    assert [m.group() for m in find_markers("used for¹⁴C dating.¹⁶⁻¹⁹")] == ["¹⁶⁻¹⁹"]
    assert find_markers("at 800 cm⁻¹ and 3 s⁻²") == []  # negative powers
