"""``proloevidence add`` and ``add_references``: references by DOI or PMID, appended.

The real command line and resolver talk to tests/loopback.py's Crossref, doi.org and
E-utilities on 127.0.0.1, serving the BUILT records like the public ones for the bundled
references (tests/fixtures/README.md, "bundled/"): the Kim trial is Crossref
10.1089/acm.2010.0031 and PubMed 21138388. Nothing here touches the internet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import proloevidence
from proloevidence.importing.add_references import (
    Identifier,
    Refusal,
    parse_identifier,
)

from .loopback import Services, bundled_services, recorded_services, run_cli

KIM = "doi:10.1089/acm.2010.0031"
WAKEFIELD = "10.1016/S0140-6736(97)11096-0"


@pytest.fixture
def services(httpserver: HTTPServer) -> Services:
    return bundled_services().install(httpserver)


@pytest.fixture
def env(services: Services, tmp_path: Path) -> dict[str, str]:
    return {**services.environment(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}


def test_identifiers_are_read_in_every_usual_form() -> None:
    assert parse_identifier("doi:10.1089/ACM.2010.0031") == Identifier(
        "doi", "10.1089/ACM.2010.0031", "doi:10.1089/ACM.2010.0031"
    )
    assert parse_identifier("https://doi.org/10.1089/acm.2010.0031").kind == "doi"  # type: ignore[union-attr]
    assert parse_identifier("PMID:21138388") == Identifier("pmid", "21138388", "PMID:21138388")
    assert parse_identifier("21138388").kind == "pmid"  # type: ignore[union-attr]
    refused = parse_identifier("isbn:123")
    assert isinstance(refused, Refusal) and refused.reason == "malformed"


def test_add_appends_entries_that_check_accepts_and_keeps_every_old_byte(
    kb_copy: Path, env: dict[str, str]
) -> None:
    bib = kb_copy / "references.bib"
    before = bib.read_bytes()
    code, out, err = run_cli(
        env, "add", "--kb", str(kb_copy), KIM, "doi:10.4137/cmamd.s39160", "pmid:20188998"
    )
    after = bib.read_bytes()
    assert after.startswith(before)
    # kim2010 is taken by the page's own entry: the Kim trial becomes kim2010a.
    assert "@article{kim2010a," in out and "= {21138388}" in out
    assert "added 1 entry" in err
    # The other two are refused, each naming the entry that already has the work.
    assert "doi:10.4137/cmamd.s39160: already in the file as hauser2016" in err
    # rabago2010 prints only its DOI: the PubMed record of 20188998 names that DOI.
    assert "pmid:20188998: the same work as rabago2010" in err
    assert code == 2 and "Traceback" not in err
    added = after[len(before) :].decode()
    assert added.startswith("\n@article{kim2010a,") and added.endswith("}\n")
    assert "Sacroiliac" in added or "sacroiliac" in added
    assert run_cli(env, "check", "--kb", str(kb_copy), "--no-cache")[0] == 0
    kb = proloevidence.load(kb_copy, cache=False)
    kim = kb.reference("kim2010a")
    assert kim.doi == "10.1089/acm.2010.0031" and kim.year == 2010
    assert kim.authors[0].family == "Kim" and kim.pages == "1285–1290"


def test_a_second_add_of_the_same_work_is_refused_naming_the_entry(
    kb_copy: Path, env: dict[str, str]
) -> None:
    assert run_cli(env, "add", "--kb", str(kb_copy), KIM)[0] == 0
    before = (kb_copy / "references.bib").read_bytes()
    code, out, err = run_cli(env, "add", "--kb", str(kb_copy), "pmid:21138388")
    assert code == 2 and out == ""
    assert "pmid:21138388: already in the file as kim2010a" in err
    assert (kb_copy / "references.bib").read_bytes() == before


def test_two_works_with_one_first_author_and_year_get_stable_keys(
    tmp_path: Path, services: Services, env: dict[str, str]
) -> None:
    # BUILT: a second Crossref work by a Kim in 2010, in the documented work shape.
    other = dict(services.works["10.1089/acm.2010.0031"])
    other["DOI"] = "10.5555/kim.other"
    other["title"] = ["Another trial"]
    services.add_work(other)
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "claims.yaml").write_text(
        "schema: 1\ndocument: {id: page, title: Page}\nclaims: []\n", encoding="utf-8"
    )
    (kb / "references.bib").write_text("% The page's references.\n", encoding="utf-8")
    code, out, err = run_cli(
        env, "add", "--kb", str(kb), KIM, "doi:10.5555/kim.other", "pmid:21138388"
    )
    assert code == 2 and "pmid:21138388: added above as kim2010" in err
    assert out.index("@article{kim2010,") < out.index("@article{kim2010a,")
    assert "10.5555/kim.other" in (kb / "references.bib").read_text(encoding="utf-8")


def test_dry_run_prints_and_writes_nothing(kb_copy: Path, env: dict[str, str]) -> None:
    before = (kb_copy / "references.bib").read_bytes()
    code, out, err = run_cli(env, "add", "--kb", str(kb_copy), "--dry-run", KIM)
    assert code == 0 and "@article{kim2010a," in out and "nothing written" in err
    assert (kb_copy / "references.bib").read_bytes() == before


def test_unknown_identifiers_are_refused_and_nothing_is_written(
    kb_copy: Path, env: dict[str, str]
) -> None:
    before = (kb_copy / "references.bib").read_bytes()
    code, out, err = run_cli(env, "add", "--kb", str(kb_copy), "doi:10.5555/nobody", "pmid:999")
    assert code == 2 and out == ""
    assert "doi:10.5555/nobody: Crossref and doi.org know no such DOI" in err
    assert "pmid:999: PubMed know" in err
    assert "pmid:999: PubMed knows no such PMID" in err  # one service: singular
    assert (kb_copy / "references.bib").read_bytes() == before


def test_offline_and_unreachable_services_give_a_clear_message(
    kb_copy: Path, env: dict[str, str], services: Services
) -> None:
    code, out, err = run_cli(env, "add", "--kb", str(kb_copy), "--offline", KIM)
    assert code == 3 and out == "" and services.count() == 0
    assert f"{KIM}: not in the lookup cache (--offline)" in err
    services.failing.update({"crossref", "doi", "eutils"})
    code, out, err = run_cli(env, "add", "--kb", str(kb_copy), KIM)
    assert code == 3 and out == "" and "Traceback" not in err
    assert f"{KIM}: could not ask:" in err and "503" in err


def test_the_bundled_knowledge_base_is_not_written(env: dict[str, str]) -> None:
    code, _out, err = run_cli(env, "add", KIM)
    assert code == 2 and "give --kb my-kb" in err


def test_library_twin_returns_the_plan(kb_copy: Path, services: Services, tmp_path: Path) -> None:
    kb = proloevidence.load(kb_copy, cache=False)
    with services.resolver(tmp_path / "cache") as resolver:
        plan = proloevidence.add_references(kb, [KIM], resolver=resolver, dry_run=True)
    assert [r.key for r in plan.added] == ["kim2010a"] and not plan.written
    assert plan.new_text.startswith(plan.old_text) and plan.refused == ()


def test_a_crlf_file_without_a_final_newline_keeps_its_bytes_and_line_endings(
    kb_copy: Path, env: dict[str, str]
) -> None:
    bib = kb_copy / "references.bib"
    crlf = bib.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n")
    bib.write_bytes(crlf)
    assert run_cli(env, "add", "--kb", str(kb_copy), KIM)[0] == 0
    after = bib.read_bytes()
    added = after[len(crlf) :]
    assert after.startswith(crlf) and added.startswith(b"\r\n\r\n@article{kim2010a,")
    assert b"\n" not in added.replace(b"\r\n", b"") and added.endswith(b"}\r\n")
    assert run_cli(env, "check", "--kb", str(kb_copy), "--no-cache")[0] == 0


def test_a_retracted_work_is_added_with_a_note(
    kb_copy: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    services = recorded_services().install(httpserver)  # RECORDED: Crossref's Wakefield 1998
    env = {**services.environment(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    code, out, err = run_cli(env, "add", "--kb", str(kb_copy), f"doi:{WAKEFIELD}")
    assert code == 0 and "@article{wakefield1998," in out
    assert "note: wakefield1998: the work has a retraction notice" in err
    assert run_cli(env, "check", "--kb", str(kb_copy), "--no-cache")[0] == 0
