"""Our CSL-JSON and BibTeX as pandoc 3's ``bibliography:`` input, rendered by pandoc --citeproc.

Whole entries are compared, names included: a name part in the wrong field (a suffix in the
given name, a particle in the family name, "et al." as a person) changes the printed entry.
pandoc 3 comes from the ``pypandoc-binary`` wheel (the ``test`` extra); Debian's pandoc 2 is
not used. Without it the tests are skipped on a developer's machine, but never under CI,
where a missing pandoc 3 is a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import proloevidence
from proloevidence.publish.bibtex_export import to_bibtex
from proloevidence.publish.csl_items import has_et_al, item_from_reference
from proloevidence.publish.reference_list import reference_list
from proloevidence.publish.styles import resolve_style

from .csl_references import VARIED

_NUMBER = re.compile(r"^\d+\.\s+")


@pytest.fixture(scope="module")
def pandoc() -> str:
    try:
        import pypandoc

        path = str(pypandoc.get_pandoc_path())
        version = str(pypandoc.get_pandoc_version())
    except (ImportError, OSError) as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"pandoc 3 is missing ({exc}); CI installs it with the test extra")
        pytest.skip("pandoc 3 is missing: pip install 'proloevidence[test]' (pypandoc-binary)")
    assert int(version.split(".")[0]) >= 3, f"pandoc {version} at {path}: the tests need pandoc 3"
    return path


def pandoc_entries(pandoc: str, folder: Path, bibliography: str, style: str) -> list[str]:
    """Every entry of ``bibliography`` as pandoc renders it in ``style``, without numbers.

    pandoc's standard error must stay empty: any warning about our data fails the test.
    """
    (folder / "page.md").write_text(
        f"---\nbibliography: {bibliography}\ncsl: {resolve_style(style).path}\n"
        "nocite: '[@*]'\n---\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [pandoc, "--citeproc", "-t", "plain", "--wrap=none", "page.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [_NUMBER.sub("", e.strip()) for e in result.stdout.split("\n\n") if e.strip()]


def without_et_al(text: str) -> str:
    # pandoc applies the style's own et-al rule; ours also prints the "et al." the page printed
    # (the item's custom et-al flag), whose period and comma stand in for the style's own
    # delimiters, and without it APA joins the last name with "&". Every word stays compared.
    return " ".join(re.sub(r"et al\.|[.,&]", " ", text).split())


@pytest.mark.parametrize("style", ["ama", "vancouver", "apa"])
def test_pandoc_renders_our_csl_json_entry_for_entry_as_refs_does(
    pandoc: str, tmp_path: Path, style: str
) -> None:
    kb = proloevidence.load()
    (tmp_path / "refs.json").write_text(reference_list(kb, fmt="csl-json").output, "utf-8")
    ours = reference_list(kb, style=style, fmt="text").entries
    theirs = pandoc_entries(pandoc, tmp_path, "refs.json", style)
    assert len(theirs) == len(ours) == 5
    for entry, rendered in zip(ours, theirs, strict=True):
        if has_et_al(entry.item):
            # Three names: the style's et-al rule keeps them all, and no person "et al.".
            assert "et al" not in rendered, entry.key
            assert without_et_al(entry.text) == without_et_al(rendered), entry.key
        else:
            assert entry.text == rendered, entry.key


def test_pandoc_reads_our_bibtex_with_the_same_names(pandoc: str, tmp_path: Path) -> None:
    kb = proloevidence.load()
    (tmp_path / "refs.bib").write_text(reference_list(kb, fmt="bibtex").output, "utf-8")
    ours = reference_list(kb, style="ama", fmt="text").entries
    theirs = pandoc_entries(pandoc, tmp_path, "refs.bib", "ama")
    # pandoc's BibTeX reader re-cases English titles ("...: Potential neurogenic mechanism"),
    # which is why docs/refs.md recommends CSL-JSON; everything else, names and the printed
    # "et al." ("and others") included, is the same entry.
    assert [e.text.casefold() for e in ours] == [t.casefold() for t in theirs]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            "ama",
            [
                "van der Berg J Jr., Smith J Jr., Lee M. Dextrose prolotherapy",
                "Ortiz de la Cruz M, World Health Organization. Serum α-synuclein and H₂O₂",
                "National Health Service. Prolotherapy. June 2023. Accessed January 15, 2024.",
                "Kim S. Perineural Injection. Master’s thesis. Seoul National University; 2018.",
                "Chen L, Wang W. Dextrose and pain: a preprint. arXiv. Preprint posted online",
            ],
        ),
        (
            "apa",
            [
                "van der Berg, J., Jr., Smith, J., Jr., & Lee, M. (2019).",
                "Rabago, D. (2013). Prolotherapy (A. de Souza, Trans.). In D. Rakel & V. van Gogh "
                "(Eds.), Integrative Medicine (4th ed., pp. 101–110). Elsevier.",
                "Reeves, K. D. (2000). Randomized prospective trial of dextrose injection. "
                "In J. Doe (Ed.), Proceedings of the Annual Meeting (pp. 1–8). AAOM.",
                "Scientific Reports, 11, Article 1234.",
                "Hackett, G. S. (1958). Ligament and tendon relaxation treated by prolotherapy "
                "(3rd ed.). Charles C Thomas.",
                "Patterson, A. (2020). Mechanisms of proliferant injection [PhD thesis]. "
                "University of Wisconsin.",
                "Chen, L., & Wang, W. (2022). Dextrose and pain: a preprint (arXiv:2201.01234). "
                "arXiv.",
                "Rabago, D. (2021). Knee prolotherapy trial data (Version 2) [Dataset]. Dryad.",
                "Jones, A. (2020). doseplot (Version 1.2.0) [Computer software].",
            ],
        ),
    ],
)
def test_pandoc_prints_every_name_part_and_field_where_the_style_wants_it(
    pandoc: str, tmp_path: Path, style: str, expected: list[str]
) -> None:
    items = [item_from_reference(r) for r in VARIED]
    (tmp_path / "refs.json").write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    rendered = "\n".join(pandoc_entries(pandoc, tmp_path, "refs.json", style))
    for piece in expected:
        assert piece in rendered
    # Each name part in its field: no suffix read as an initial ("Smith JJ"), no particle
    # sorted or inverted as a family name, never a person named "et al.".
    for wrong in ("Smith JJ", "Berg JJ", "Berg, J. J.", "Jr., J.", "et al., ", "& et al."):
        assert wrong not in rendered


def test_pandoc_reads_our_bibtex_export_of_the_varied_set(pandoc: str, tmp_path: Path) -> None:
    items = [item_from_reference(r) for r in VARIED]
    (tmp_path / "refs.bib").write_text(to_bibtex(items), "utf-8")
    rendered = "\n".join(pandoc_entries(pandoc, tmp_path, "refs.bib", "apa"))
    # Name parts survive BibTeX's "von Last, Jr, First" form (biblatex's default useprefix
    # false files "van der Berg" under "Berg").
    assert "Berg, J. van der, Jr., Smith, J., Jr., Lee, M., et al. (2019)" in rendered
    assert "In D. Rakel & V. van Gogh (Eds.)" in rendered
