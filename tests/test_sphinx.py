"""The Sphinx extension, tested by building real Sphinx projects in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

import proloevidence
from proloevidence.model import Severity
from proloevidence.publish.sphinx import statement_errors
from proloevidence.verification import Verification

ROOT = Path(__file__).parent.parent

BIB = """\
@article{kim2010,
  author  = {Kim, W. M. and Lee, H. G. and Jeong, C. W. and others},
  title   = {A randomized controlled trial of intra-articular prolotherapy versus steroid
             injection for sacroiliac joint pain},
  journal = {Pain Physician},
  year    = {2010},
  volume  = {13},
  number  = {4},
  pages   = {363--370},
  pmid    = {20648206},
}

@article{hauser2016,
  author  = {Hauser, R. A. and Lackner, J. B. and Steilen-Matias, D. and Harris, D. K.},
  title   = {A systematic review of dextrose prolotherapy for chronic musculoskeletal pain},
  journal = {Clinical Medicine Insights: Arthritis and Musculoskeletal Disorders},
  year    = {2016},
  volume  = {9},
  pages   = {139--159},
  doi     = {10.4137/CMAMD.S39160},
}
"""

CLAIMS = """\
schema: 1
document:
  id: mini
  title: Mini page
  references: {1: kim2010, 2: hauser2016}
claims:
  - id: mini-trials
    section: [Evidence]
    kind: efficacy
    text: "Randomized studies report improvements in pain."
    marker: "(1,2)"
    citations:
      - {ref: kim2010, relation: supports}
      - {ref: hauser2016, relation: supports}
  - id: mini-contact
    section: [Evidence, Booking]
    kind: logistics
    text: "Contact the clinic for an evaluation."
    requires_support: false
    support_note: "An invitation to book."
"""

UNSUPPORTED = """\
  - id: mini-cure
    section: [Evidence]
    kind: efficacy
    text: "It cures back pain."
"""

INDEX = """\
Mini
====

The trials: :proloevidence-claim:`mini-trials`

.. proloevidence-references::

.. proloevidence-references::
   :style: apa

.. toctree::

   page
"""


def make_project(tmp_path: Path, *, claims: str = CLAIMS, index: str = INDEX) -> Path:
    src = tmp_path / "src"
    kb = src / "kb"
    kb.mkdir(parents=True)
    (kb / "references.bib").write_text(BIB, encoding="utf-8")
    (kb / "claims.yaml").write_text(claims, encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["proloevidence.sphinx"]\n'
        'proloevidence_kb = "kb"\n'
        'exclude_patterns = ["kb"]\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text(index, encoding="utf-8")
    (src / "page.rst").write_text(".. proloevidence-page::\n   :annotate:\n", encoding="utf-8")
    return src


def build(src: Path, *options: str) -> tuple[int, Path]:
    out = src.parent / "html"
    return build_main([*options, "-q", "-E", "-b", "html", str(src), str(out)]), out


def test_a_project_with_supported_statements_builds_under_W(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = build(make_project(tmp_path), "-W")
    assert code == 0, capsys.readouterr().err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Randomized studies report improvements in pain. (1,2)" in index
    assert "<li><p>Kim WM, Lee HG, Jeong CW, et al. A randomized controlled trial" in index
    assert (
        "<li><p>Hauser, R. A., Lackner, J. B., Steilen-Matias, D., &amp; Harris, D. K. (2016)."
        in index
    )
    page = (out / "page.html").read_text(encoding="utf-8")
    assert '<h1>Mini page<a class="headerlink"' in page
    assert '<section id="booking">' in page  # the nested section
    assert "[mini-trials · supported by 2 sources (2 unreviewed)" in page
    assert '<section id="references">' in page


def test_an_unsupported_statement_fails_the_build_under_W(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_project(tmp_path, claims=CLAIMS + UNSUPPORTED)
    code, _ = build(src, "-W")
    err = capsys.readouterr().err
    assert code != 0
    assert "kb/claims.yaml:21: WARNING: mini-cure: needs a source and cites none" in err
    assert "[proloevidence.unsupported]" in err
    code, _ = build(src)  # without -W it is only a warning
    assert code == 0


def test_the_warnings_can_be_suppressed_by_type(tmp_path: Path) -> None:
    src = make_project(tmp_path, claims=CLAIMS + UNSUPPORTED)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('suppress_warnings = ["proloevidence.unsupported"]\n')
    assert build(src, "-W")[0] == 0


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (
            ":proloevidence-claim:`mini-trails`",
            "no claim with id 'mini-trails'; did you mean mini-trials",
        ),
        (".. proloevidence-references::\n   :style: nope\n", "unknown citation style 'nope'"),
        (".. proloevidence-references::\n   :source: verified\n", "no verification lock"),
    ],
)
def test_bad_ids_and_options_fail_the_build_under_W(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], index: str, message: str
) -> None:
    code, _ = build(make_project(tmp_path, index=f"Mini\n====\n\n{index}\n"), "-W")
    err = capsys.readouterr().err
    assert code != 0 and message in err


def test_a_missing_knowledge_base_setting_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_project(tmp_path)
    (src / "conf.py").write_text('extensions = ["proloevidence.sphinx"]\n', encoding="utf-8")
    code, _ = build(src)
    assert code == 2 and "set proloevidence_kb in conf.py" in capsys.readouterr().err


# myst-parser 5.2 still reads Sphinx's deprecated Transform.app; the warning is theirs.
@pytest.mark.filterwarnings("ignore:'myst_parser[.].*' is deprecated")
def test_the_projects_own_docs_build_under_W(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs-html"
    code = build_main(["-W", "-q", "-b", "html", str(ROOT / "docs"), str(out)])
    assert code == 0, capsys.readouterr().err
    page = (out / "page.html").read_text(encoding="utf-8")
    stimulus = proloevidence.load().claim("overview-stimulus").text
    assert f"{stimulus} (1-3)" in page
    assert "UNSUPPORTED: needs a source and cites none" in page
    assert (out / "refs.html").is_file() and (out / "cli.html").is_file()


def test_statement_errors_are_the_audits_errors_about_statements(
    bundled_lock: Verification,
) -> None:
    kb = proloevidence.load()
    offline = statement_errors(kb, None)
    assert {f.subject for f in offline} == {c.id for c in kb.unsupported_claims()}
    assert {(f.code, f.severity) for f in offline} == {("unsupported", Severity.ERROR)}
    verified = statement_errors(kb, bundled_lock)
    assert ("questionable-support", "mechanism-neuromodulatory") in {
        (f.code, f.subject) for f in verified
    }  # every source it rests on is miscited or not found
    assert not {f.subject for f in verified} & set(kb.references)  # statements only
    assert {f.severity for f in verified} == {Severity.ERROR}
