from __future__ import annotations

from pathlib import Path

from proloevidence.kb.folder import claim_files, folder_files, folder_problem, link_problems
from proloevidence.model import Citation, Claim, Document, Reference, SourceLocation


def test_the_files_a_folder_holds(tmp_path: Path) -> None:
    assert folder_problem(tmp_path) is None
    bibs, claims, problems = folder_files(tmp_path)
    assert (bibs, claims) == ([], [])
    assert [p.message for p in problems] == [
        "no .bib file in the folder",
        "no claims.yaml and no claims/ folder",
    ]
    for name in ("b.bib", "a.bib", "claims.yaml", "claims/z.yml", "claims/y.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("")
    bibs, claims, problems = folder_files(tmp_path)
    assert [p.name for p in bibs] == ["a.bib", "b.bib"] and problems == []
    assert [p.relative_to(tmp_path).as_posix() for p in claims] == [
        "claims.yaml",
        "claims/y.yaml",
        "claims/z.yml",
    ]
    assert claim_files(tmp_path) == claims


def test_links_to_unknown_references_unless_their_absence_is_explained() -> None:
    where = SourceLocation("c.yaml", 3, 7)
    claim = Claim(
        "c1",
        "Text.",
        ("S",),
        "efficacy",
        "doc",
        "(1,2)",
        (
            Citation("kim2010", location=where),
            Citation("lost2020", location=where),
        ),
    )
    doc = Document("doc", numbering={1: "kim2010", 2: "lost2020"})
    refs = {"kim2011": Reference("kim2011")}
    problems = link_problems([doc], [([claim], None)], refs, set())
    assert [(p.code, p.hint) for p in problems] == [
        ("unknown-reference", "did you mean 'kim2011'?"),
        ("unknown-reference", "add it to a .bib file"),
        ("unknown-reference", "did you mean 'kim2011'?"),
        ("unknown-reference", ""),
    ]
    assert str(problems[0].location) == "c.yaml:3:7"
    explained = link_problems([doc], [([claim], None)], refs, {"lost2020"})
    assert len(explained) == 2 and all("kim2010" in p.message for p in explained)
    assert link_problems([doc], [([claim], None)], refs, None) == []  # a .bib unread
