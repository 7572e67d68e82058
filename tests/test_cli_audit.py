from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from proloevidence.cli import main
from proloevidence.kb.bib_editor import entry_spans
from proloevidence.model import Author
from proloevidence.verification import FieldComparison, Status, Suggestion
from proloevidence.verifying.lock import LOCK_NAME, write_lock

from .verification_data import bundled_verification, record, result, verification


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_of_the_bundled_page_names_unsupported_statements_and_exits_1(capsys) -> None:
    code, out, _ = run(capsys, "audit")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("42 statements: 0 backed by verified sources, 21 unsupported")
    assert "UNSUPPORTED  safety-tolerated" in out and "reference-unverified" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_fail_on_decides_the_exit_code(capsys, kb_copy: Path) -> None:
    assert run(capsys, "audit", "--fail-on", "never")[0] == 0
    # Every reference verified, and only statements that cite them or need no source: only
    # info (references no statement cites any more) and, with a misspelt field name in the
    # .bib, one warning remain.
    keys = ("rabago2010", "kim2010", "hauser2016", "duman2012", "wu2017")
    write_lock(kb_copy, verification(*(result(k, Status.VERIFIED, record=record()) for k in keys)))
    claims = kb_copy / "claims.yaml"
    data = yaml.safe_load(claims.read_text(encoding="utf-8"))
    kept = ("mechanism-fibroblast", "candidate-contact")
    data["claims"] = [c for c in data["claims"] if c["id"] in kept]
    claims.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run(capsys, "audit", "--kb", str(kb_copy), "--fail-on", "warning")[0] == 0
    bib = kb_copy / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("journal ", "jounral ", 1))
    assert run(capsys, "audit", "--kb", str(kb_copy))[0] == 0
    assert run(capsys, "audit", "--kb", str(kb_copy), "--fail-on", "warning")[0] == 1


def test_with_a_lock_it_names_statements_on_miscited_and_unfindable_references(
    capsys, kb_copy: Path
) -> None:
    write_lock(kb_copy, bundled_verification())
    code, out, _ = run(capsys, "audit", "--kb", str(kb_copy), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["schema_version"] == 1
    statements = {s["id"]: s for s in data["statements"]}
    assert statements["si-joint-trials"]["status"] == "questionable"
    assert statements["mechanism-neuromodulatory"]["status"] == "questionable"
    subjects = {(f["code"], f["subject"]) for f in data["findings"]}
    assert ("reference-mismatch", "hauser2016") in subjects
    assert ("reference-not-found", "duman2012") in subjects
    assert ("partly-questionable-support", "si-joint-trials") in subjects


def test_every_format_and_output_file(capsys, tmp_path: Path) -> None:
    for fmt, start in (("markdown", "### Audit: Prolotherapy"), ("html", "<!DOCTYPE html>")):
        target = tmp_path / f"report.{fmt}"
        code, out, err = run(capsys, "audit", "--format", fmt, "--output", str(target))
        assert code == 1 and out == "" and f"wrote {target}" in err
        assert target.read_text(encoding="utf-8").startswith(start)


def test_a_stale_lock_is_reported(capsys, kb_copy: Path) -> None:
    write_lock(kb_copy, bundled_verification())  # created 2026-11-01
    code, out, _ = run(capsys, "audit", "--kb", str(kb_copy), "--max-age", "0")
    assert "verification-stale" in out
    assert code == 1  # the lock's own errors (a miscited reference); staleness is info


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-age", "-1"], "-1"),
        (["--format", "pdf"], "pdf"),
        (["--kb", "/nonexistent/kb"], "not a knowledge base folder"),
    ],
)
def test_bad_input_exits_2(capsys, args, message) -> None:
    code, _, err = run(capsys, "audit", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_broken_lock_exits_2_naming_it(capsys, kb_copy: Path) -> None:
    (kb_copy / LOCK_NAME).write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "audit", "--kb", str(kb_copy))
    assert code == 2 and LOCK_NAME in err and ":1:" in err


def test_a_recoverable_problem_is_a_finding_not_a_failure(capsys, kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace('marker: "(2,3)"', 'marker: "(2,4)"', 1), encoding="utf-8")
    code, out, _ = run(capsys, "audit", "--kb", str(kb_copy), "--format", "json")
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["code"] == "marker-mismatch"]
    assert [f["subject"] for f in found] == ["si-joint-trials"]


# -- fix ------------------------------------------------------------------------------------

MEANT = record(
    "crossref",
    title="Relief of chronic pain by perineural injection of dextrose: a neurogenic mechanism",
    authors=(Author("Duman", "Ilker"), Author("Taskaynatan", "Mehmet Ali")),
    journal="Medical Hypotheses",
    year=2012,
    volume="78",
    issue="2",
    pages="215-218",
    doi="10.1016/j.mehy.2011.10.999",
)


def miscited(suggested=MEANT) -> object:
    """A lock saying duman2012 is miscited: its DOI leads elsewhere, the page meant MEANT."""
    return verification(
        result(
            "duman2012",
            Status.MISMATCH,
            fields=(FieldComparison("title", "Relief of chronic pain ...", "Other", "mismatch"),),
            record=record("crossref", title="Other"),
            suggestion=Suggestion(suggested, 0.93, "bibliographic search"),
            message="the DOI leads to another work",
        )
    )


def test_fix_shows_and_writes_the_correction_of_a_miscited_reference(capsys, kb_copy: Path) -> None:
    write_lock(kb_copy, miscited())
    bib = kb_copy / "references.bib"
    original = bib.read_bytes()
    code, out, _ = run(capsys, "fix", "--kb", str(kb_copy))
    assert code == 1 and bib.read_bytes() == original  # shown, not written
    assert out.startswith("--- a/references.bib\n+++ b/references.bib\n")
    for line in (
        "-  number    = {1},",
        "+  number    = {2},",
        "+  pages     = {215--218},",
        "+  doi       = {10.1016/j.mehy.2011.10.999},",
        "+  title     = {Relief of chronic pain by perineural injection of dextrose: a "
        "neurogenic mechanism},",
    ):
        assert line in out.splitlines()
    assert "printed" not in "".join(x for x in out.splitlines() if x[:1] in "+-")

    code, out, err = run(capsys, "fix", "--kb", str(kb_copy), "--write")
    assert code == 0 and "wrote" in err
    assert (kb_copy / "references.bib.bak").read_bytes() == original
    new = bib.read_bytes().decode("utf-8")
    old = original.decode("utf-8")
    before, after = entry_spans(old)["duman2012"], entry_spans(new)["duman2012"]
    # Every byte outside the corrected entry is as it was.
    assert new[: after.start] == old[: before.start]
    assert new[after.end :] == old[before.end :]
    # Inside it, the page's own record (printed, refnumber) and the authors (the suggestion
    # lists the first two of the printed "et al." list) are untouched.
    entry_old, entry_new = old[before.start : before.end], new[after.start : after.end]
    unchanged = (
        "@article",
        "  author",
        "  journal",
        "  year",
        "  volume",
        "  refnumber",
        "  printed",
    )
    for prefix in unchanged:
        assert [x for x in entry_old.splitlines() if x.startswith(prefix)] == [
            x for x in entry_new.splitlines() if x.startswith(prefix)
        ], prefix
    # Nothing left to correct: the audit's view of the fixed file has the meant DOI.
    assert run(capsys, "fix", "--kb", str(kb_copy))[1] == ""


def test_fix_refuses_to_replace_title_and_authors_unless_accepted(capsys, kb_copy: Path) -> None:
    other = record(
        "crossref",
        title="An entirely different paper",
        authors=(Author("Nobody", "Anne"),),
        doi="10.1000/other",
    )
    write_lock(kb_copy, miscited(other))
    bib = kb_copy / "references.bib"
    original = bib.read_bytes()
    code, out, err = run(capsys, "fix", "--kb", str(kb_copy), "--write")
    assert code == 1 and bib.read_bytes() == original and out == ""
    assert "duman2012: not applied" in err and "--accept duman2012" in err
    code, out, err = run(capsys, "fix", "--kb", str(kb_copy), "--write", "--accept", "duman2012")
    assert code == 0
    text = bib.read_text(encoding="utf-8")
    assert "author    = {Nobody, Anne}," in text and "An entirely different paper" in text


def test_fix_without_a_lock_or_with_an_unknown_key_exits_2(capsys, kb_copy: Path) -> None:
    code, _, err = run(capsys, "fix", "--kb", str(kb_copy))
    assert code == 2 and "verify --lock" in err
    write_lock(kb_copy, miscited())
    code, _, err = run(capsys, "fix", "--kb", str(kb_copy), "--accept", "nope")
    assert code == 2 and "nope" in err


def test_max_age_out_of_range_is_refused_naming_the_range(capsys) -> None:
    for bad in ("-1", "36501", "99999999999999999999999"):
        code, out, err = run(capsys, "audit", "--max-age", bad)
        assert (code, out) == (2, ""), bad
        assert "0<=x<=36500" in err, err
