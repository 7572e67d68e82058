from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import proloevidence
from proloevidence.cli import main
from proloevidence.kb import parse_cache as kbcache
from proloevidence.kb import parse_cache_entries as cacheentries
from proloevidence.kb.parse_cache import ParseCache, default_cache_dir


def everything(kb: proloevidence.KnowledgeBase):
    """What a load returns, positions included (dataclass equality skips them)."""
    return (
        kb.documents,
        [(d.location) for d in kb.documents.values()],
        [(c, c.location, [x.location for x in c.citations]) for c in kb.claims],
        [(r, r.location) for r in kb.references.values()],
        kb.problems,
    )


@pytest.fixture
def many_docs(kb_copy: Path) -> Path:
    """The bundled page twice: claims.yaml and claims/second.yaml."""
    (kb_copy / "claims").mkdir()
    text = (kb_copy / "claims.yaml").read_text(encoding="utf-8")
    (kb_copy / "claims" / "second.yaml").write_text(
        text.replace("id: prolotherapy", "id: second"), encoding="utf-8"
    )
    return kb_copy


def test_warm_load_is_the_cold_load(many_docs: Path, tmp_path: Path) -> None:
    cold_cache = ParseCache(tmp_path / "c")
    cold = proloevidence.load(many_docs, cache=cold_cache)
    assert (cold_cache.hits, cold_cache.misses) == (0, 3)
    warm_cache = ParseCache(tmp_path / "c")
    warm = proloevidence.load(many_docs, cache=warm_cache)
    assert (warm_cache.hits, warm_cache.misses) == (3, 0)
    assert cacheentries._BY_DICT  # entries are decoded (a change to the model turns it off)
    assert (
        everything(warm)
        == everything(cold)
        == everything(proloevidence.load(many_docs, cache=False))
    )


def test_warm_load_of_a_generated_knowledge_base_is_the_cold_load(tmp_path: Path) -> None:
    # The generator writes what the bundled page lacks: reviewed assessments, many
    # sections and kinds per page, authors that recur across references, two .bib files.
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate", Path(__file__).parent.parent / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    kb_path = module.generate(tmp_path / "kb", refs=60, claims=300, docs=3, refs_per_file=40)
    cold = proloevidence.load(kb_path, cache=False)
    proloevidence.load(kb_path, cache=tmp_path / "c")
    warm_cache = ParseCache(tmp_path / "c")
    warm = proloevidence.load(kb_path, cache=warm_cache)
    assert (warm_cache.hits, warm_cache.misses) == (5, 0)
    assert everything(warm) == everything(cold)
    assessments = [x.assessment for c in warm.claims for x in c.citations]
    assert any(a.date is not None for a in assessments)
    assert [vars(a) for a in assessments] == [
        vars(x.assessment) for c in cold.claims for x in c.citations
    ]
    assert len({c.section for c in warm.claims}) > 3


def test_the_latex_of_rich_text_fields_is_cached(kb_copy: Path, tmp_path: Path) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@article{dna2020, title = {The {DNA} of \\emph{E. coli}}, journal = {{BMJ} Open}}\n",
        encoding="utf-8",
    )
    cold = proloevidence.load(kb_copy, cache=tmp_path / "c")
    warm_cache = ParseCache(tmp_path / "c")
    warm = proloevidence.load(kb_copy, cache=warm_cache)
    assert warm_cache.hits == 2
    expected = {"title": r"The {DNA} of \emph{E. coli}", "journal": "{BMJ} Open"}
    assert warm.references["dna2020"].latex == cold.references["dna2020"].latex == expected


def test_problems_are_cached_with_their_positions(kb_copy: Path, tmp_path: Path) -> None:
    path = kb_copy / "claims.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('marker: "(4,5)"', 'marker: "(4)"'),
        encoding="utf-8",
    )
    first = proloevidence.load(kb_copy, strict=False, cache=tmp_path)
    again = proloevidence.load(kb_copy, strict=False, cache=tmp_path)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert again.problems[0].location.line > 0


def test_entries_that_cannot_be_parsed_are_cached_too(kb_copy: Path, tmp_path: Path) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("  volume    = {13},", "  volume {13},"))
    for expected_hits in (0, 1):
        cache = ParseCache(tmp_path / "c")
        cache.open(kb_copy)
        parsed = cache.references(bib)
        cache.close()
        assert cache.hits == expected_hits
        assert parsed.unparsed == ["kim2010"] and [p.code for p in parsed.problems] == [
            "bibtex-syntax"
        ]


def test_only_changed_files_are_parsed_again(many_docs: Path, tmp_path: Path) -> None:
    proloevidence.load(many_docs, cache=tmp_path)
    second = many_docs / "claims" / "second.yaml"
    second.write_text(
        second.read_text(encoding="utf-8").replace("title: Prolotherapy", "title: Other"),
        encoding="utf-8",
    )
    cache = ParseCache(tmp_path)
    kb = proloevidence.load(many_docs, cache=cache)
    assert (cache.hits, cache.misses) == (2, 1)
    assert kb.documents["second"].title == "Other"


def test_a_corrupt_cache_is_ignored_and_rewritten(kb_copy: Path, tmp_path: Path) -> None:
    import msgpack

    expected = everything(proloevidence.load(kb_copy, cache=tmp_path))
    (pack,) = tmp_path.glob("*.msgpack")  # one pack per folder
    stored = msgpack.unpackb(pack.read_bytes(), raw=False)
    entries = stored["entries"]
    assert len(entries) == 2
    for garbage in (b"", b"\x93not msgpack", msgpack.packb(["a list"]), msgpack.packb({"a": 1})):
        pack.write_bytes(garbage)
        cache = ParseCache(tmp_path)
        assert everything(proloevidence.load(kb_copy, cache=cache)) == expected
        assert (cache.hits, cache.misses) == (0, 2)
    # One entry whose bytes decode to something else: that file alone is parsed again.
    first = sorted(entries)[0]
    stored["entries"][first] = msgpack.packb({"claims": 7})
    pack.write_bytes(msgpack.packb(stored))
    cache = ParseCache(tmp_path)
    assert everything(proloevidence.load(kb_copy, cache=cache)) == expected
    assert (cache.hits, cache.misses) == (1, 1)
    cache = ParseCache(tmp_path)
    proloevidence.load(kb_copy, cache=cache)
    assert (cache.hits, cache.misses) == (2, 0)


def test_an_unwritable_cache_is_no_cache(kb_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    kb = proloevidence.load(kb_copy, cache=blocker / "kb")
    assert len(kb.claims) == 42


def test_cache_false_writes_nothing(kb_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    proloevidence.load(kb_copy, cache=False)
    assert not (tmp_path / "cache" / "kb").exists()
    proloevidence.load(kb_copy)  # the default: the cache under $PROLOEVIDENCE_CACHE_DIR
    assert default_cache_dir() == tmp_path / "cache" / "kb"
    assert len(list((tmp_path / "cache" / "kb").glob("*.msgpack"))) == 1


def test_cli_no_cache_flag_and_variable(kb_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", "--kb", str(kb_copy), "--no-cache"]) == 0
    assert main(["claims", "--kb", str(kb_copy), "--no-cache"]) == 0
    monkeypatch.setenv("PROLOEVIDENCE_NO_CACHE", "1")
    assert main(["sources", "si-joint-trials", "--kb", str(kb_copy)]) == 0
    assert not (tmp_path / "cache" / "kb").exists()
    monkeypatch.delenv("PROLOEVIDENCE_NO_CACHE")
    assert main(["check", "--kb", str(kb_copy)]) == 0
    assert len(list((tmp_path / "cache" / "kb").glob("*.msgpack"))) == 1


def test_entries_are_plain_data_written_by_rename(kb_copy: Path, tmp_path: Path) -> None:
    import msgpack

    proloevidence.load(kb_copy, cache=tmp_path)
    (pack,) = tmp_path.glob("*.msgpack")
    for blob in msgpack.unpackb(pack.read_bytes(), raw=False)["entries"].values():
        entry = msgpack.unpackb(blob, raw=False)  # plain data: no object is constructed
        assert isinstance(entry, dict) and "problems" in entry
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_a_removed_file_leaves_the_pack(many_docs: Path, tmp_path: Path) -> None:
    import msgpack

    proloevidence.load(many_docs, cache=tmp_path)
    (many_docs / "claims" / "second.yaml").unlink()
    kb = proloevidence.load(many_docs, cache=tmp_path)
    assert list(kb.documents) == ["prolotherapy"]
    (pack,) = tmp_path.glob("*.msgpack")
    stored = msgpack.unpackb(pack.read_bytes(), raw=False)
    assert len(stored["entries"]) == len(stored["stats"]) == 2  # .bib and claims.yaml


def test_unchanged_files_are_not_even_read(kb_copy: Path, tmp_path: Path, monkeypatch) -> None:
    # Racily clean files (changed within 2 s of the pack) are read again; these are not.
    monkeypatch.setattr(kbcache, "RACY_NS", 0)
    hour_ago = 1_700_000_000
    for file in kb_copy.iterdir():
        os.utime(file, (hour_ago, hour_ago))
    proloevidence.load(kb_copy, cache=tmp_path)  # hashes every file, writes their status
    proloevidence.load(kb_copy, cache=tmp_path)

    real = Path.read_bytes
    read: list[str] = []

    def counting(self: Path) -> bytes:
        read.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    cache = ParseCache(tmp_path)
    proloevidence.load(kb_copy, cache=cache)
    assert (cache.hits, read) == (2, [])
    # Same size, mtime put back: the change time still tells, and the bytes are read.
    claims = kb_copy / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("title: Prolotherapy", "title: Prolotherapx"),
        encoding="utf-8",
    )
    os.utime(claims, (hour_ago, hour_ago))
    cache = ParseCache(tmp_path)
    kb = proloevidence.load(kb_copy, cache=cache)
    assert kb.documents["prolotherapy"].title == "Prolotherapx"
    assert (cache.hits, cache.misses, read) == (1, 1, ["claims.yaml"])


def test_the_code_digest_covers_every_module_a_parsed_file_depends_on() -> None:
    # A change to any module the readers (or the entries' encoding) run must not be answered
    # from entries an older version of it wrote: _LOADERS is their import closure.
    package = Path(kbcache.__file__).parent.parent
    pending = ["kb.bib_reader", "kb.claims_reader", "kb.parse_cache_entries"]
    closure: set[str] = set()
    while pending:
        name = pending.pop()
        if name in closure:
            continue
        closure.add(name)
        source = (package / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        room = name.split(".")[:-1]
        for dots, module in re.findall(r"^\s*from (\.+)([\w.]+) import", source, re.MULTILINE):
            base = room[: len(room) - (len(dots) - 1)]
            pending.append(".".join([*base, module]))
    assert set(kbcache._LOADERS) == closure
