"""Progress counts references, through chains of dependent answers."""

from __future__ import annotations

from proloevidence.progress import Progress


def test_counts_references_whose_answers_are_all_in() -> None:
    calls: list[tuple[int, int]] = []
    progress = Progress(
        {"a": [("crossref", "x")], "b": [("crossref", "y"), ("esummary", "1")], "c": []},
        lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 3)]  # "c" needs nothing
    progress.resolve([("crossref", "x"), ("crossref", "y")])
    assert calls[-1] == (2, 3)
    progress.resolve([("esummary", "1")])
    assert calls[-1] == (3, 3)


def test_a_chained_task_keeps_the_reference_pending() -> None:
    calls: list[tuple[int, int]] = []
    progress = Progress({"a": [("crossref", "x")]}, lambda d, t: calls.append((d, t)))
    progress.chain(("crossref", "x"), [("doi.org", "x")])
    progress.resolve([("crossref", "x")])
    assert calls[-1] == (0, 1)
    progress.resolve([("doi.org", "x")])
    assert calls[-1] == (1, 1)


def test_chaining_to_a_resolved_task_does_not_stall() -> None:
    progress = Progress({"a": [("pubmed-doi", "x")]})
    progress.resolve([("esummary", "1")])
    progress.chain(("pubmed-doi", "x"), [("esummary", "1")])
    progress.resolve([("pubmed-doi", "x")])
    assert progress.done == 1


def test_finish_completes_the_count() -> None:
    calls: list[tuple[int, int]] = []
    progress = Progress({"a": [("crossref", "x")]}, lambda d, t: calls.append((d, t)))
    progress.finish()
    assert calls[-1] == (1, 1)
