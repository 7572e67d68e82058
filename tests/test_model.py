"""The plain data: names written and read in their Vancouver/NLM form."""

from __future__ import annotations

import pytest

from proloevidence.model import Author, initials


@pytest.mark.parametrize(
    ("name", "author"),
    [
        ("Kim WM", Author("Kim", "WM")),
        ("Steilen-Matias D", Author("Steilen-Matias", "D")),
        ("van der Berg AB", Author("van der Berg", "AB")),
        ("Wu Ho Li", Author("Wu Ho Li")),  # "Li" is a name, not initials
        ("WATSON", Author("WATSON")),
    ],
)
def test_a_vancouver_name_is_read(name: str, author: Author) -> None:
    assert Author.from_vancouver(name) == author


def test_a_name_is_written_back_in_the_form_it_is_read() -> None:
    assert str(Author("Kim", "Woong Mo")) == "Kim WM"
    assert Author.from_vancouver(str(Author("Kim", "W. M."))) == Author("Kim", "WM")
    assert str(Author("World Health Organization", literal=True)) == "World Health Organization"
    assert initials("Hyung-Gon") == "HG"
