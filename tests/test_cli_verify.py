"""``proloevidence verify``: argument checks, text rendering, the lock merge (no network here).

The command against a real HTTP server is in test_verify_e2e.py.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

import proloevidence
from proloevidence.cli import main
from proloevidence.cli.online import ProgressBar
from proloevidence.cli.verify_commands import (
    format_result,
    format_summary,
    merge,
)
from proloevidence.model import Author
from proloevidence.verification import (
    FieldComparison,
    Notice,
    Record,
    Status,
    Suggestion,
    Verification,
    VerificationResult,
)
from proloevidence.verifying.lock import read_lock, write_lock
from proloevidence.verifying.verdicts import summary

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
NEW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_unknown_key_exits_2_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "verify", "kim201")
    assert code == 2
    assert out == ""
    assert "no reference with id 'kim201'; did you mean kim2010" in err


def test_offline_and_refresh_together_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "verify", "--offline", "--refresh")
    assert code == 2
    assert "cannot be used together" in err


def test_a_broken_lock_stops_verify_lock_before_any_request(
    capsys: pytest.CaptureFixture[str], kb_copy: Path
) -> None:
    (kb_copy / "verification.json").write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "verify", "--kb", str(kb_copy), "--lock")
    assert code == 2
    assert out == ""
    assert "verification.json:1:2" in err
    assert "move it aside" in err


def test_bad_format_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "verify", "--format", "xml")
    assert code == 2
    assert "Traceback" not in err


def test_progress_bar_redraws_one_line() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(0, 4)
    bar(2, 4)
    bar(4, 4)
    bar.finish()
    assert stream.getvalue() == (
        "\rverifying [..........] 0/4\rverifying [#####.....] 2/4\rverifying [##########] 4/4\n"
    )


def test_progress_bar_that_never_drew_writes_nothing() -> None:
    stream = io.StringIO()
    ProgressBar(stream).finish()
    assert stream.getvalue() == ""


def mismatch_result() -> VerificationResult:
    suggested = Record(
        "pubmed",
        title="A randomized controlled trial of intra-articular prolotherapy versus steroid "
        "injection for sacroiliac joint pain.",
        authors=(Author("Kim", "WM"),),
        journal="J Altern Complement Med",
        year=2010,
        volume="16",
        issue="12",
        pages="1285-90",
        doi="10.1089/acm.2010.0031",
        pmid="21138388",
    )
    return VerificationResult(
        key="kim2010",
        status=Status.MISMATCH,
        identifiers={"pmid": "20648206"},
        fields=(
            FieldComparison(
                "title", "A randomized ...", "Another title", "mismatch", "similarity 40 < 90"
            ),
            FieldComparison("year", "2010", "2010", "match"),
            FieldComparison("issue", "4", None, "missing", "pubmed gives no issue"),
        ),
        notices=(Notice("erratum", "10.1/e", "2011-02-01", "pubmed"),),
        suggestion=Suggestion(suggested, 0.975, "title similarity 100; 3 of 3 printed authors"),
        sources=("pubmed", "title search"),
        checked_at=NEW,
        message="fields differ: title",
    )


def test_text_shows_differing_fields_notices_and_the_suggestion() -> None:
    text = format_result(mismatch_result())
    assert text.splitlines() == [
        "kim2010: mismatch: fields differ: title",
        "  title: cited 'A randomized ...'; found 'Another title'  (similarity 40 < 90)",
        "  notice: erratum (10.1/e, 2011-02-01, pubmed)",
        "  suggestion (score 0.975, not applied): Kim WM. A randomized controlled trial of "
        "intra-articular prolotherapy versus steroid injection for sacroiliac joint pain. "
        "J Altern Complement Med. 2010;16(12):1285-90. doi:10.1089/acm.2010.0031 PMID 21138388",
        "    why: title similarity 100; 3 of 3 printed authors",
        "  asked: pubmed, title search",
    ]


def test_summary_line_lists_only_statuses_present() -> None:
    verification = Verification({"kim2010": mismatch_result()})
    assert format_summary(summary(verification)) == "1 reference(s): 1 mismatch"


def result(key: str, status: Status, when: dt.datetime) -> VerificationResult:
    return VerificationResult(key=key, status=status, checked_at=when)


def test_merge_keeps_locked_results_of_references_not_verified_now() -> None:
    kb = proloevidence.load()
    old = Verification(
        {
            "rabago2010": result("rabago2010", Status.VERIFIED, OLD),
            "kim2010": result("kim2010", Status.VERIFIED, OLD),
            "gone2001": result("gone2001", Status.VERIFIED, OLD),
        },
        created=OLD,
    )
    new = Verification({"kim2010": result("kim2010", Status.MISMATCH, NEW)}, created=NEW)
    merged = merge(kb, old, new)
    assert list(merged.results) == ["rabago2010", "kim2010"]  # knowledge-base order, stale key gone
    assert merged.results["kim2010"].status is Status.MISMATCH
    assert merged.results["rabago2010"].checked_at == OLD
    assert merged.created == NEW


@pytest.mark.parametrize("inconclusive", [Status.UNREACHABLE, Status.UNVERIFIED])
def test_merge_never_lets_an_inconclusive_run_erase_a_verdict(inconclusive: Status) -> None:
    kb = proloevidence.load()
    old = Verification({"kim2010": result("kim2010", Status.MISMATCH, OLD)}, created=OLD)
    new = Verification(
        {
            "kim2010": result("kim2010", inconclusive, NEW),
            "wu2017": result("wu2017", inconclusive, NEW),
        },
        created=NEW,
    )
    merged = merge(kb, old, new)
    assert merged.results["kim2010"].status is Status.MISMATCH
    assert merged.results["wu2017"].status is inconclusive  # nothing locked: record what happened


def test_merged_lock_round_trips(kb_copy: Path) -> None:
    kb = proloevidence.load(kb_copy)
    new = Verification({"kim2010": mismatch_result()}, created=NEW)
    write_lock(kb_copy, merge(kb, None, new))
    locked = read_lock(kb_copy)
    assert locked is not None
    assert locked.results["kim2010"] == mismatch_result()
    assert locked.created == NEW
