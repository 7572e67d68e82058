"""The review queue (what to read, in which order), the shared concepts, and the page itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import proloevidence
from proloevidence.auditing.relevance import shared_concepts
from proloevidence.model import Assessment, AssessmentStatus, Claim
from proloevidence.reviewing.page import render_item
from proloevidence.reviewing.review_queue import ReviewItem, review_queue
from proloevidence.reviewing.terms import segments, shared_stems
from proloevidence.services import pubmed_records as pubmed
from proloevidence.verification import Notice, Record, Status, Verification, VerificationResult
from proloevidence.verifying.lock import read_lock

from .loopback import FIXTURES
from .verification_data import NOW, result, verification, write_kb

JUDGED = dt.date(2026, 3, 1)


def _judge(kb: proloevidence.KnowledgeBase, claim_id: str, key: str) -> None:
    """Mark one link supported in memory (the file is assess's business, tested elsewhere)."""
    for index, claim in enumerate(kb.claims):
        if claim.id == claim_id:
            links = tuple(
                dataclasses.replace(
                    c, assessment=Assessment(AssessmentStatus.SUPPORTED, JUDGED, "Ed")
                )
                if c.ref == key
                else c
                for c in claim.citations
            )
            kb.claims[index] = dataclasses.replace(claim, citations=links)


def test_every_unreviewed_link_is_queued_in_page_order_with_its_neighbours(
    locked_kb: Path,
) -> None:
    kb = proloevidence.load(locked_kb)
    queue = review_queue(kb, read_lock(locked_kb))
    assert len(queue) == sum(len(c.citations) for c in kb.claims)
    assert queue[0].link == "overview-stimulus -> rabago2010"
    assert queue[0].before is not None and queue[0].before.id == "overview-framing"
    assert queue[0].after is not None and queue[0].after.id == "mechanism-intro"
    assert {i.state for i in queue} == {"unreviewed"}
    kim = next(i for i in queue if i.link == "si-joint-trials -> kim2010")
    assert kim.status is Status.MISMATCH and kim.result is not None


def test_a_judged_link_leaves_the_queue_and_comes_back_when_its_source_is_retracted(
    locked_kb: Path,
) -> None:
    kb = proloevidence.load(locked_kb)
    lock = read_lock(locked_kb)
    assert lock is not None
    _judge(kb, "si-joint-trials", "hauser2016")
    links = [i.link for i in review_queue(kb, lock)]
    assert "si-joint-trials -> hauser2016" not in links
    # Checked again after the judgement, and now retracted: back in the queue, after the
    # unreviewed ones, saying why.
    hauser = lock.results["hauser2016"]
    retracted = dataclasses.replace(
        hauser,
        status=Status.RETRACTED,
        notices=(Notice("retraction", "10.5555/r", "2026-04-01", "crossref"),),
        checked_at=dt.datetime(2026, 4, 2, tzinfo=dt.timezone.utc),
    )
    later = Verification({**lock.results, "hauser2016": retracted}, lock.created)
    queue = review_queue(kb, later)
    changed = [i for i in queue if i.state == "changed"]
    assert [i.link for i in changed] == ["si-joint-trials -> hauser2016"]
    assert queue[-1] is changed[0]
    assert changed[0].reason == (
        "judged supported on 2026-03-01; checked again on 2026-04-02: retraction"
    )
    # Checked again but still sound: not queued.
    sound = dataclasses.replace(hauser, checked_at=dt.datetime(2026, 4, 2, tzinfo=dt.timezone.utc))
    fine = Verification({**lock.results, "hauser2016": sound}, lock.created)
    assert "si-joint-trials -> hauser2016" not in [i.link for i in review_queue(kb, fine)]


def test_a_rank_puts_chosen_links_first_keeping_the_order_of_the_rest(locked_kb: Path) -> None:
    # The hook the relevance signal uses: source-off-topic links first.
    kb = proloevidence.load(locked_kb)
    plain = review_queue(kb, read_lock(locked_kb))

    def wu_first(item: ReviewItem) -> int:
        return 0 if item.reference.key == "wu2017" else 1

    ranked = review_queue(kb, read_lock(locked_kb), rank=wu_first)
    wu = [i.link for i in plain if i.reference.key == "wu2017"]
    assert [i.link for i in ranked[: len(wu)]] == wu
    assert [i.link for i in ranked[len(wu) :]] == [i.link for i in plain if i.link not in wu]


def test_marks_follow_the_audits_concepts_stemmed_by_snowball() -> None:
    record = Record(
        "pubmed",
        title="Ligament injections of dextrose",
        abstract="Patients' pain scores fell.",
        mesh_headings=("Knee Joint",),
    )
    statement = "Ligamentous injections relieve knee pain in patients; scores fell."
    stems = shared_stems(shared_concepts(statement, record))
    # "Ligamentous" meets "ligament" (Snowball); "patients" and "scores" are generic words
    # every abstract has, so the audit does not count them and neither does the page.
    runs = segments(statement, stems, statement=True)
    assert "".join(s for s, _ in runs) == statement
    assert [s for s, hit in runs if hit] == ["Ligamentous", "injections", "knee", "pain", "fell"]
    title = "Ligament injections of dextrose"
    assert [s for s, hit in segments(title, stems) if hit] == ["Ligament", "injections"]
    assert shared_stems(None) == frozenset()


def test_the_page_shows_a_recorded_abstract_and_mesh_with_shared_terms_marked() -> None:
    # Recorded efetch (metapub 36987902): structured abstract, MeSH headings.
    article = pubmed.parse_efetch(ET.parse(FIXTURES / "metapub__36987902.xml").getroot())
    record = pubmed.record_from("36987902", None, article["36987902"])
    assert record is not None
    claim = Claim(
        id="burns-frailty",
        text="Frailty scores predict outcomes in burn patients over the age of 75.",
        section=("Burns", "Older patients"),
        kind="efficacy",
        marker="(1)",
        citations=(proloevidence.Citation("x2023"),),
    )
    item = ReviewItem(
        claim_id=claim.id,
        claim=claim,
        citation=claim.citations[0],
        reference=proloevidence.Reference(
            "x2023", printed="X et al. Burns. 2023.", pmid="36987902"
        ),
        result=VerificationResult("x2023", Status.VERIFIED, record=record),
        state="unreviewed",
        reason="nobody has read this source against the statement",
    )
    html = render_item(item, [item], "tok")
    assert "<mark>Frailty</mark> scores <mark>predict</mark>" not in html  # "predictor" differs
    assert "<mark>Frailty</mark> scores predict outcomes in <mark>burn</mark> patients" in html
    assert "BACKGROUND: The number of <mark>burn</mark> patients" in html
    assert '<span id="mesh">' in html and "<mark>Frailty</mark>; <mark>Burns</mark>" in html
    assert '<span id="shared">Frailty (abstract, MeSH), burn (title, abstract, MeSH)</span>' in html
    assert 'id="off-topic"' not in html
    assert "Journal Article" in html
    assert html.count("<script>") == 1
    # Nothing remote is loaded: no src= at all; the only remote addresses are links to read
    # the source, which send no referrer (rendered only: no test fetches them, and every
    # service a test asks is a pytest-httpserver on 127.0.0.1).
    assert " src=" not in html
    remote = re.findall(r'<a href="(https?://[^"]*)" rel="noreferrer noopener"', html)
    assert remote == [
        "https://doi.org/10.4045/tidsskr.22.0358",
        "https://pubmed.ncbi.nlm.nih.gov/36987902/",
    ]
    assert len(re.findall(r"https?://", html)) == len(remote)


AGREE_BIB = """\
@article{burns2023, title = {Patients over 75 years admitted to the National Burn Centre},
  journal = {Tidsskr Nor Laegeforen}, year = {2023}, pmid = {36987902}}
@article{titled2023, title = {Burns in old age}, journal = {Burns}, year = {2023}, pmid = {1}}
"""

AGREE_CLAIMS = """\
schema: 1
document: {id: page, title: Page}
claims:
  - {id: burns, section: [A], kind: safety,
     text: "In burn patients over the age of 75, frailty scores may predict survival.",
     marker: "(1)", citations: [{ref: burns2023}, {ref: titled2023}]}
  - {id: ketamine, section: [A], kind: efficacy,
     text: "Ketamine lowers depression scores within hours in patients who resist treatment.",
     marker: "(1)", citations: [{ref: burns2023}]}
  - {id: read, section: [A], kind: efficacy,
     text: "Ketamine lowers depression scores in patients.",
     marker: "(1)", citations: [{ref: burns2023, assessment: {status: partly,
                  date: 2026-10-01, reviewer: ed}}]}
"""


def _shown(html: str, element: str) -> str:
    found = re.search(rf'<span id="{element}">(.*?)</span>', html)
    assert found is not None, element
    return found.group(1)


def test_the_page_and_the_audit_agree_on_each_link(tmp_path: Path) -> None:
    # RECORDED: the efetch record of 36987902 (metapub); the second source has a title only.
    article = pubmed.parse_efetch(ET.parse(FIXTURES / "metapub__36987902.xml").getroot())
    burns = pubmed.record_from("36987902", None, article["36987902"])
    assert burns is not None
    kb = proloevidence.load(write_kb(tmp_path / "kb", AGREE_BIB, AGREE_CLAIMS), strict=False)
    checked = verification(
        result("burns2023", Status.VERIFIED, record=burns),
        result("titled2023", Status.VERIFIED, record=Record("crossref", title="Burns in old age")),
    )
    report = proloevidence.audit(kb, checked, now=NOW)
    off_topic = {
        (f.subject, f.evidence["ref"]): f.message
        for f in report.findings
        if f.code == "source-off-topic"
    }
    # The statement shares only "patients" and "scores" with the record: generic words, so
    # the audit finds no shared concept; the page used to say "patients, scores".
    assert list(off_topic) == [("ketamine", "burns2023")]
    queue = review_queue(kb, checked)
    assert [i.link for i in queue] == [
        "burns -> burns2023",
        "burns -> titled2023",
        "ketamine -> burns2023",
    ]
    for item in queue:
        html = render_item(item, queue, "tok")
        assert item.result is not None and item.result.record is not None
        relevance = shared_concepts(item.claim, item.result.record)
        found = re.search(r'<p class="statement" id="statement-text">(.*?)</p>', html)
        assert found is not None
        statement = found.group(1)
        marked_words = re.findall(r"<mark>(.*?)</mark>", statement)
        assert {w.casefold() for w in marked_words} == {w.casefold() for w in relevance.shared}
        notice = re.search(r'<p id="off-topic">(.*?)</p>', html)
        message = off_topic.get((item.claim_id, item.reference.key))
        assert (notice is not None) == (message is not None), item.link
        if message is not None and notice is not None:
            assert _shown(html, "shared") == "none"
            assert "source-off-topic" in notice.group(1) and escape(message) in notice.group(1)
    first, titled, crossed = (render_item(i, queue, "tok") for i in queue)
    assert _shown(first, "shared") == (
        "burn (title, abstract, MeSH), frailty (abstract, MeSH), survival (abstract)"
    )
    assert 'id="not-judged"' in titled and _shown(titled, "shared") == "burn (title)"
    assert "Ketamine, depression, hours, resist" in crossed
