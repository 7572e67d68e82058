"""The verification lock: written atomically, read back whole, refused with a reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from proloevidence.errors import KnowledgeBaseError
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
from proloevidence.verifying.lock import LOCK_NAME, read_lock, write_lock

WHEN = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.timezone.utc)


def sample() -> Verification:
    record = Record(
        source="pubmed",
        title="T",
        authors=(Author("Kim", "WM"),),
        year=2010,
        pmid="1",
        publication_types=("Randomized Controlled Trial",),
    )
    result = VerificationResult(
        "kim2010",
        Status.MISMATCH,
        {"pmid": "20648206"},
        fields=(
            FieldComparison("journal", "Pain Physician", "J Altern Complement Med", "mismatch"),
        ),
        notices=(Notice("erratum", "10.1/e", "2011-01-02", "pubmed"),),
        suggestion=Suggestion(record, 0.93, "title, authors and year agree"),
        sources=("pubmed",),
        record=record,
        checked_at=WHEN,
    )
    return Verification({"kim2010": result}, created=WHEN)


def test_round_trip(tmp_path: Path) -> None:
    path = write_lock(tmp_path, sample())
    assert path == tmp_path / LOCK_NAME
    assert read_lock(tmp_path) == sample()
    assert json.loads(path.read_text())["schema_version"] == 1


def test_no_lock_is_none(tmp_path: Path) -> None:
    assert read_lock(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"schema_version": 1,\n "results": [\n', f"{LOCK_NAME}:3"),
        ('{"schema_version": 9, "results": []}', "unknown schema_version"),
        ('{"schema_version": 1, "results": [{"key": "a"}]}', "a result has no 'status'"),
        (
            '{"schema_version": 1, "results": [{"key": "a", "status": "fine"}]}',
            "'fine' is not a valid Status",
        ),
    ],
)
def test_a_broken_lock_is_refused_with_a_reason(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / LOCK_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        read_lock(tmp_path)
    assert expected in str(info.value)
    assert "verify --lock" in str(info.value)


def test_abstract_and_mesh_headings_survive_the_lock_so_review_shows_them_offline(
    tmp_path: Path,
) -> None:
    record = Record(
        source="pubmed",
        title="T",
        pmid="1",
        abstract="BACKGROUND: a.\nRESULTS: b.",
        mesh_headings=("Prolotherapy", "Glucose"),
    )
    verification = Verification(
        {"k": VerificationResult("k", Status.VERIFIED, record=record)}, created=WHEN
    )
    write_lock(tmp_path, verification)
    back = read_lock(tmp_path)
    assert back is not None
    found = back.results["k"].record
    assert found is not None
    assert found.abstract == "BACKGROUND: a.\nRESULTS: b."
    assert found.mesh_headings == ("Prolotherapy", "Glucose")


def test_a_lock_written_before_abstracts_reads_with_empty_ones(tmp_path: Path) -> None:
    data = sample().as_dict()
    for result in data["results"]:
        for name in ("abstract", "mesh_headings"):
            result["record"].pop(name)
    (tmp_path / LOCK_NAME).write_text(json.dumps(data), encoding="utf-8")
    back = read_lock(tmp_path)
    assert back is not None
    record = back.results["kim2010"].record
    assert record is not None
    assert (record.abstract, record.mesh_headings) == ("", ())
