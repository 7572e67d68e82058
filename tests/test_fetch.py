"""Run plumbing: batches, joined tasks that may spawn tasks, and bugs that surface."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from proloevidence.services.run_state import Answers, Tasks, chunks


def test_chunks() -> None:
    assert [len(c) for c in chunks(list(range(120)), 50)] == [50, 50, 20]
    assert list(chunks([], 50)) == []


def test_tasks_join_waits_for_tasks_added_while_waiting() -> None:
    done: list[int] = []
    tasks = Tasks()
    with ThreadPoolExecutor(2) as pool:

        def child() -> None:
            done.append(2)

        def parent() -> None:
            done.append(1)
            tasks.submit(pool, child)

        tasks.submit(pool, parent)
        tasks.join()
    assert sorted(done) == [1, 2]


def test_tasks_join_reraises_a_bug() -> None:
    tasks = Tasks()
    with ThreadPoolExecutor(1) as pool:

        def broken() -> None:
            raise KeyError("bug")

        tasks.submit(pool, broken)
        with pytest.raises(KeyError):
            tasks.join()


def test_answers_record_failures_per_identifier() -> None:
    answers = Answers()
    answers.fail("crossref", ["a", "b"], "api.crossref.org: HTTP 503 after 5 attempts (u)")
    assert answers.failures[("crossref", "b")].startswith("api.crossref.org: HTTP 503")


def test_a_damaged_cached_article_reads_as_missing() -> None:
    answers = Answers()
    answers.article["1"] = "<PubmedArticle><MedlineCitation>"
    assert answers.parsed_article("1") is None
