"""Our CSL-JSON and BibTeX read by the two reference CSL processors: pandoc 3 and citeproc-js.

Whole entries are compared, names included: a name part in the wrong field (a suffix in the
given name, a particle in the family name, "et al." as a person) changes the printed entry.
pandoc 3 comes from the ``pypandoc-binary`` wheel (the ``test`` extra; Debian's pandoc 2 is
not used); citeproc-js, the processor of Zotero and Mendeley, from the npm package
``citeproc`` (``npm ci --prefix tests/citeproc_js``), run by tests/citeproc_js/render.js.
Without them the tests are skipped on a developer's machine, but never under CI, where a
missing processor is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import citeproc
import pytest

import proloevidence
from proloevidence.publish.bibtex_export import to_bibtex
from proloevidence.publish.csl_items import has_et_al, item_from_reference
from proloevidence.publish.reference_list import reference_list
from proloevidence.publish.styles import resolve_style

from .csl_references import VARIED

_NUMBER = re.compile(r"^\d+\.\s+")
_CITEPROC_JS = Path(__file__).parent / "citeproc_js"
_LOCALE = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"


def _missing(what: str, how: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is missing, and CI must run this test ({how})")
    pytest.skip(f"{what} is missing ({how})")


@pytest.fixture(scope="module")
def pandoc() -> str:
    try:
        import pypandoc

        path = str(pypandoc.get_pandoc_path())
        version = str(pypandoc.get_pandoc_version())
    except (ImportError, OSError) as exc:
        _missing(f"pandoc 3 ({exc})", "pip install 'proloevidence[test]': pypandoc-binary")
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


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        _missing("node", "apt-get install nodejs npm")
    if not (_CITEPROC_JS / "node_modules" / "citeproc").is_dir():
        _missing("citeproc-js", "npm ci --prefix tests/citeproc_js")
    return str(found)


def citeproc_js_entries(node: str, items_path: Path, style: str) -> dict[str, str]:
    """Every entry as citeproc-js renders it in ``style`` (text), by item id, numbers dropped.

    Anything citeproc-js reports about our data (on standard error) fails the test.
    """
    result = subprocess.run(
        [
            node,
            str(_CITEPROC_JS / "render.js"),
            str(resolve_style(style).path),
            str(_LOCALE),
            str(items_path),
            "text",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    rendered = json.loads(result.stdout)
    return {
        key: _NUMBER.sub("", entry)
        for key, entry in zip(rendered["ids"], rendered["entries"], strict=True)
    }


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
    # Months and thesis kinds survive too (biblatex month, @mastersthesis); pandoc's BibTeX
    # reader drops eid, one more reason docs/refs.md recommends CSL-JSON.
    assert "National Health Service. (2023, June). Prolotherapy." in rendered
    assert "Kim, S. (2018). Perineural injection [Master’s thesis]. Seoul National University." in (
        rendered
    )


@pytest.mark.parametrize("style", ["ama", "vancouver", "apa"])
def test_citeproc_js_renders_our_csl_json_entry_for_entry_as_refs_does(
    node: str, tmp_path: Path, style: str
) -> None:
    kb = proloevidence.load()
    (tmp_path / "refs.json").write_text(reference_list(kb, fmt="csl-json").output, "utf-8")
    theirs = citeproc_js_entries(node, tmp_path / "refs.json", style)
    ours = reference_list(kb, style=style, fmt="text").entries
    assert sorted(theirs) == sorted(e.key for e in ours)
    for entry in ours:
        rendered = theirs[entry.key]
        if has_et_al(entry.item):
            assert "et al" not in rendered, entry.key
            assert without_et_al(entry.text) == without_et_al(rendered), entry.key
        else:
            assert entry.text == rendered, entry.key


def test_citeproc_js_prints_every_name_part_where_the_style_wants_it(
    node: str, tmp_path: Path
) -> None:
    items = [item_from_reference(r) for r in VARIED]
    (tmp_path / "refs.json").write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    apa = citeproc_js_entries(node, tmp_path / "refs.json", "apa")
    assert apa["berg2019"].startswith("van der Berg, J., Jr., Smith, J., Jr., & Lee, M. (2019).")
    assert (
        "(A. de Souza, Trans.). In D. Rakel & V. van Gogh (Eds.), Integrative Medicine"
        in (apa["rabago2013"])
    )
    assert apa["ortiz2021"].endswith("Scientific Reports, 11, Article 1234.")
    assert "[Master’s thesis]. Seoul National University." in apa["kim2018"]
    ama = citeproc_js_entries(node, tmp_path / "refs.json", "ama")
    assert "In: Rakel D, van Gogh V, eds. Integrative Medicine. 4th ed." in ama["rabago2013"]
    assert "June 2023. Accessed January 15, 2024." in ama["nhs2023"]
    for entry in [*apa.values(), *ama.values()]:
        for wrong in ("Smith JJ", "Berg JJ", "Berg, J. J.", "Jr., J.", "et al."):
            assert wrong not in entry
