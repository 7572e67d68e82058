"""Which printed numbers on a page are citations (importing/marker_reading.py), on small pages.

Each page is our own: a title, a paragraph, and a reference list of six Vancouver entries,
so that every statement's links and text can be checked by what an editor would read.
"""

from __future__ import annotations

import pytest

from proloevidence import import_page
from proloevidence.importing.marker_reading import read_markers

FAMILIES = ("Adams", "Baker", "Clark", "Davis", "Evans", "Foster")
KEYS = tuple(f"{f.lower()}2010" for f in FAMILIES)


def page(body: str, fmt: str = "text", count: int = 6) -> str:
    refs = [
        f"{n}. {family} JK. A trial number {n}. J Test Med. 2010;{n}(1):1-9."
        for n, family in enumerate(FAMILIES[:count], start=1)
    ]
    if fmt == "markdown":
        return "# Knee Pain\n\n" + body + "\n\n## References\n\n" + "\n".join(refs) + "\n"
    if fmt == "html":
        items = "".join(f"<li>{r.split('. ', 1)[1]}</li>" for r in refs)
        return f"<h1>Knee Pain</h1><p>{body}</p><h2>References</h2><ol>{items}</ol>"
    return "Knee Pain\n" + body + "\nReferences\n" + "\n".join(refs) + "\n"


def claims(body: str, fmt: str = "text") -> list[tuple[str, tuple[str, ...]]]:
    draft = import_page(page(body, fmt), fmt=fmt)  # type: ignore[arg-type]
    return [(c.text, c.refs) for c in draft.claims]


@pytest.mark.parametrize(
    ("body", "fmt", "refs"),
    [
        ("Dextrose eases pain [1].", "text", (1,)),
        ("Dextrose eases pain [1,2].", "text", (1, 2)),
        ("Dextrose eases pain [1-3].", "text", (1, 2, 3)),
        ("Dextrose eases pain [2]–[5].", "text", (2, 3, 4, 5)),  # PLoS: a range, not 2 and 5
        ("Dextrose eases pain [1], [4].", "text", (1, 4)),
        ("Dextrose eases pain (1).", "text", (1,)),
        ("Dextrose eases pain (1-3).", "text", (1, 2, 3)),
        ("Dextrose eases pain.<sup>1,2</sup>", "html", (1, 2)),
        ("Dextrose eases pain.¹⁻³", "text", (1, 2, 3)),
        ("Dextrose eases pain.^1,2^", "markdown", (1, 2)),
    ],
)
def test_every_common_marker_form_links_and_leaves_clean_text(
    body: str, fmt: str, refs: tuple[int, ...]
) -> None:
    assert claims(body, fmt) == [("Dextrose eases pain.", tuple(KEYS[n - 1] for n in refs))]


def test_list_separators_of_chained_markers_leave_no_debris() -> None:
    assert claims("It spread in the epidemic [1], [2]; however, it waned [3]–[5].") == [
        ("It spread in the epidemic; however, it waned.", KEYS[:5]),
    ]


def test_square_brackets_after_a_word_naming_a_value_are_still_citations() -> None:
    # "question" and "stage" precede values in parentheses, but [5] is how citations print.
    assert claims("Its use has come under question [5]. It helps at any stage [2, 3].") == [
        ("Its use has come under question.", (KEYS[4],)),
        ("It helps at any stage.", (KEYS[1], KEYS[2])),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Depression is mild (5–9), moderate (10–14), moderately severe (15–19) or severe.",
        "Answers range from never (0), hardly ever (1), sometimes (2) to often (3).",
        "We aimed to: (1) review the trials, (2) pool their results and (3) grade them.",
        "Trials enrolled few patients (n = 48).",
        "Patients took 200 µg (2 puffs) twice a day.",
        "The first trial (2010) was small.",
        "Hair is used for¹⁴C dating.",
    ],
)
def test_numbers_that_read_as_values_stay_in_the_text(sentence: str) -> None:
    body = f"Dextrose eases pain (1). {sentence} Saline does not (2)."
    texts = [text for text, _ in claims(body)]
    assert sentence in texts


def test_a_numbered_series_that_does_not_continue_the_numbering_is_doubtful() -> None:
    body = (
        "Dextrose eases pain (1-4). Saline does not (5).\n"
        "Patients rated pain as none (1), a little (2), some (3) or much (4)."
    )
    draft = import_page(page(body))
    rated = draft.claims[-1]
    assert rated.text == "Patients rated pain as none (1), a little (2), some (3) or much (4)."
    assert rated.refs == ()
    doubts = draft.notes_with("doubtful-marker")
    (doubt,) = doubts  # one note for the series
    assert doubt.evidence["markers"] == ["(1)", "(2)", "(3)", "(4)"]
    assert doubt.location is not None and doubt.location.line == 3
    assert "kept as text" in draft.claim_comments[rated.id][0]


def test_a_series_of_first_citations_is_read_as_citations() -> None:
    body = "Dextrose eases pain (1). It was tried in knees (2), hips (3) and backs (4)."
    assert claims(body)[1] == ("It was tried in knees, hips and backs.", KEYS[1:4])


def test_a_marker_in_a_form_the_page_does_not_use_is_doubtful() -> None:
    body = " ".join(f"Finding {n} holds [{n}]." for n in range(1, 6)) + " Slade (5) agrees."
    draft = import_page(page(body))
    assert draft.claims[-1].text == "Slade (5) agrees." and draft.claims[-1].refs == ()
    (doubt,) = draft.notes_with("doubtful-marker")
    assert "brackets" in doubt.message


def test_a_number_the_list_does_not_print_stays_in_the_text() -> None:
    draft = import_page(page("Dextrose eases pain (1). Satisfaction is high (9)."))
    assert [(c.text, c.refs) for c in draft.claims][1] == ("Satisfaction is high (9).", ())
    assert [n.evidence["numbers"] for n in draft.notes_with("unknown-reference-number")] == [[9]]


def test_numbers_a_copied_page_lost_its_superscripts_to() -> None:
    body = (
        "Dextrose eases knee pain.1 Saline works less well,2,3 and omega3 does nothing. "
        "CD4 counts rose in Senegal4 and in 2009.5 Steroids help briefly.1-3"
    )
    draft = import_page(page(body))
    assert [(c.text, c.refs) for c in draft.claims] == [
        ("Dextrose eases knee pain.", (KEYS[0],)),
        ("Saline works less well, and omega3 does nothing.", (KEYS[1], KEYS[2])),
        ("CD4 counts rose in Senegal and in 2009.", (KEYS[3], KEYS[4])),
        ("Steroids help briefly.", KEYS[:3]),
    ]
    assert [n.evidence["markers"] for n in draft.notes_with("doubtful-marker")] == [["3"]]


def test_bare_numbers_are_not_read_on_a_page_with_markers() -> None:
    body = "Dextrose eases knee pain [1]. Saline works less well,2 they say."
    assert claims(body)[1] == ("Saline works less well,2 they say.", ())


def test_without_a_reference_list_nothing_is_a_citation() -> None:
    reading = read_markers(["Pain eased (1). Then [2]."], None)
    assert [c.verdict for c in reading.blocks[0]] == ["unknown", "unknown"]
    assert reading.citations(0) == []


def test_lost_superscripts_after_any_letter_and_before_a_parenthesis() -> None:
    body = (
        "Dextrose eases knee pain.1-3 It was seen in phage λ,4 in Escherichia coli,5 "
        "and in the membrane1 (Figure 1, left)."
    )
    assert [refs for _, refs in claims(body)] == [KEYS[:3], (KEYS[3], KEYS[4], KEYS[0])]


def test_parentheses_after_a_word_naming_a_value_on_a_page_citing_in_parentheses() -> None:
    # A first citation there continues the numbering; a later one may be "question 5".
    body = (
        "Dextrose eases pain (1-4). Its use has come under question (5). Saline helps (6). "
        "Most patients answered question (2)."
    )
    draft = import_page(page(body))
    assert [(c.text, c.refs) for c in draft.claims][1:] == [
        ("Its use has come under question.", (KEYS[4],)),
        ("Saline helps.", (KEYS[5],)),
        ("Most patients answered question (2).", ()),
    ]
    (doubt,) = draft.notes_with("doubtful-marker")
    assert "after 'question'" in doubt.message


def test_parentheses_after_a_value_word_are_silent_values_on_a_bracket_page() -> None:
    body = " ".join(f"Finding {n} holds [{n}]." for n in range(1, 6)) + " It was stage (2)."
    draft = import_page(page(body))
    assert draft.claims[-1].text == "It was stage (2)." and not draft.notes_with("doubtful-marker")


def test_a_short_paragraph_ending_in_lost_superscripts_is_a_statement_not_a_heading() -> None:
    # "weeks.1,2" on a line of its own has under 12 words and no printed marker the line
    # test knew: it was taken for a heading with nothing under it, and the statement lost.
    body = (
        "Dextrose eases knee pain in adults with arthritis.1\n"
        "Saline works less well.2\n"
        "Patients were followed for 52 weeks.1,3"
    )
    draft = import_page(page(body))
    assert [(c.text, c.refs) for c in draft.claims] == [
        ("Dextrose eases knee pain in adults with arthritis.", (KEYS[0],)),
        ("Saline works less well.", (KEYS[1],)),
        ("Patients were followed for 52 weeks.", (KEYS[0], KEYS[2])),
    ]
