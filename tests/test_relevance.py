"""The relevance signal: which key concepts a source shares with a statement, and
``source-off-topic``; measured on the labelled set of tests/fixtures/relevance/."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import proloevidence
from proloevidence.auditing.relevance import shared_concepts
from proloevidence.cli import main
from proloevidence.verification import Notice, Record, Status

from .loopback import FIXTURES, Services, run_cli
from .verification_data import NOW, result, verification, write_kb

ROOT = Path(__file__).parent.parent

TRIAL = Record(
    "pubmed",
    title="Dextrose prolotherapy for knee osteoarthritis: a randomized controlled trial",
    abstract="Hypertonic dextrose injections improved pain and function in knee osteoarthritis.",
    mesh_headings=("Osteoarthritis, Knee / drug therapy", "Prolotherapy", "Glucose"),
)


def _benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "relevance_bench", ROOT / "benchmarks" / "relevance.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("relevance_bench", module)
    spec.loader.exec_module(module)
    return module


def test_shared_concepts_say_where_each_is_found() -> None:
    rel = shared_concepts("Prolotherapy injections ease knee pain in osteoarthritis.", TRIAL)
    assert rel.concepts == ("Prolotherapy", "injections", "ease", "knee", "pain", "osteoarthritis")
    assert rel.shared == ("Prolotherapy", "injections", "knee", "pain", "osteoarthritis")
    assert rel.where["Prolotherapy"] == ("title", "mesh")
    assert rel.where["injections"] == ("abstract",)
    assert not rel.off_topic


def test_a_source_sharing_nothing_is_off_topic_only_when_it_has_an_abstract_or_mesh() -> None:
    statement = "Statins lower cholesterol after a heart attack."
    assert shared_concepts(statement, TRIAL).off_topic
    title_only = Record("crossref", title=TRIAL.title)
    rel = shared_concepts(statement, title_only)
    assert not rel.judged and not rel.off_topic
    mesh_only = Record("pubmed", title=TRIAL.title, mesh_headings=TRIAL.mesh_headings)
    assert shared_concepts(statement, mesh_only).off_topic
    assert not shared_concepts("It is used.", TRIAL).off_topic  # no key concept to judge


BIB = """\
@article{trial1, title = {A trial}, journal = {J Pain}, year = {2019}, pmid = {111}}
@article{trial2, title = {Another trial}, journal = {J Pain}, year = {2019}, pmid = {222}}
"""

CLAIMS = """\
schema: 1
document: {id: page, title: Page}
claims:
  - {id: knees, section: [A], kind: efficacy, text: "Dextrose injections ease knee pain.",
     marker: "(1, 2)", citations: [{ref: trial1}, {ref: trial2}]}
  - {id: read, section: [A], kind: efficacy, text: "Statins lower cholesterol.",
     marker: "(1)", citations: [{ref: trial1, assessment: {status: supported,
                  date: 2026-10-01, reviewer: ed}}]}
"""


def _small_kb_and_verification(tmp_path: Path):  # type: ignore[no-untyped-def]
    kb = proloevidence.load(write_kb(tmp_path / "kb", BIB, CLAIMS), strict=False)
    heart = Record(
        "pubmed",
        title="Statins after myocardial infarction",
        abstract="Statin therapy lowered LDL cholesterol and cardiovascular events.",
    )
    checked = verification(
        result("trial1", Status.VERIFIED, record=TRIAL),
        result("trial2", Status.VERIFIED, record=heart),
    )
    return kb, checked


def test_the_audit_reports_an_unreviewed_off_topic_source(tmp_path: Path) -> None:
    kb, checked = _small_kb_and_verification(tmp_path)
    report = proloevidence.audit(kb, checked, now=NOW)
    off = [f for f in report.findings if f.code == "source-off-topic"]
    assert [(f.subject, f.evidence["ref"]) for f in off] == [("knees", "trial2")]
    assert off[0].severity.value == "info" and "Dextrose" in off[0].message
    # Not ("read", "trial1"): it shares nothing either, but an editor has read it.


def test_labelled_set_precision_and_recall_floor() -> None:
    bench = _benchmark()
    pairs = bench.labelled_pairs()
    assert len(pairs) >= 60 and sum(p.off_topic for p in pairs) * 2 == len(pairs)
    assert all(p.record.abstract for p in pairs)
    score = bench.score(pairs)
    # docs/audit.md gives the figures (precision 1.00, recall 0.89 on 2026-12-06).
    assert score.precision >= 0.95
    assert score.recall >= 0.80
    lay = bench.lay_pairs()
    assert len(lay) >= 12 and bench.score(lay).false_pos <= 3  # 2 on 2026-12-06


def test_the_review_queue_puts_off_topic_links_first(tmp_path: Path) -> None:
    from proloevidence.reviewing.review_queue import off_topic_first, review_queue

    kb, checked = _small_kb_and_verification(tmp_path)
    assert [i.link for i in review_queue(kb, checked)] == ["knees -> trial1", "knees -> trial2"]
    ranked = review_queue(kb, checked, rank=off_topic_first)
    assert [i.link for i in ranked] == ["knees -> trial2", "knees -> trial1"]


def test_proloevidence_review_ranks_its_queue_by_the_relevance_signal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from proloevidence.reviewing import server
    from proloevidence.reviewing.review_queue import off_topic_first

    given: dict[str, object] = {}

    class Recorder:  # stands in for the server: records how the command built it
        url = "http://127.0.0.1:1/?t=x"

        def __init__(self, *args: object, **options: object) -> None:
            given.update(options)

        def serve_forever(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(server, "ReviewServer", Recorder)
    folder = write_kb(tmp_path / "kb", BIB, CLAIMS)
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["review", "--kb", str(folder), "--no-browser"]) == 0
    assert given["rank"] is off_topic_first


E2E_BIB = """\
@article{burns2023, title = {Patients over 75 years admitted to the National Burn Centre},
  journal = {Tidsskr Nor Laegeforen}, year = {2023}, pmid = {36987902}}
"""

E2E_CLAIMS = """\
schema: 1
document: {id: page, title: Page}
claims:
  - {id: burns, section: [A], kind: safety,
     text: "Among burn patients over 75, frailty and the extent of the burn predict who dies.",
     marker: "(1)", citations: [{ref: burns2023}]}
  - {id: ketamine, section: [A], kind: efficacy,
     text: "Ketamine acts within hours against treatment-resistant depression.",
     marker: "(1)", citations: [{ref: burns2023}]}
"""


def test_verify_lock_then_audit_reports_the_crossed_statement_only(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    # RECORDED: the efetch record of 36987902 (metapub), served by the loopback E-utilities;
    # the real resolver, the lock and the audit in between.
    services = Services().add_articles(FIXTURES / "relevance" / "metapub__36987902.xml")
    services.install(httpserver)
    env = {**services.environment(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    folder = write_kb(tmp_path / "kb", E2E_BIB, E2E_CLAIMS)
    run_cli(env, "verify", "--kb", str(folder), "--lock")
    code, out, err = run_cli(env, "audit", "--kb", str(folder), "--format", "json")
    assert code == 1 and "Traceback" not in err  # 1: the audit has findings
    found = json.loads(out)["findings"]
    off = [(f["subject"], f["evidence"]["ref"]) for f in found if f["code"] == "source-off-topic"]
    assert off == [("ketamine", "burns2023")]


def test_a_judged_link_back_in_the_queue_is_not_ranked_first_as_off_topic(
    tmp_path: Path,
) -> None:
    # "read" -> trial1 shares nothing, but an editor judged it; its source then got a notice.
    # The audit does not report it off topic, so the queue does not put it first either.
    from proloevidence.reviewing.review_queue import off_topic_first, review_queue

    kb, checked = _small_kb_and_verification(tmp_path)
    later = dataclasses.replace(
        checked.results["trial1"],
        notices=(Notice("correction", "10.5555/c", "2026-10-20", "crossref"),),
        checked_at=NOW,
    )
    changed = dataclasses.replace(checked, results={**checked.results, "trial1": later})
    report = proloevidence.audit(kb, changed, now=NOW)
    off = [(f.subject, f.evidence["ref"]) for f in report.findings if f.code == "source-off-topic"]
    assert off == [("knees", "trial2")]
    ranked = review_queue(kb, changed, rank=off_topic_first)
    assert [i.link for i in ranked] == ["knees -> trial2", "knees -> trial1", "read -> trial1"]
    assert ranked[-1].state == "changed"
