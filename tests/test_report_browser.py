"""The HTML audit report driven in a real headless Chromium: sort, search, severity filter.

These click and type as an editor would (selenium and Debian's chromium-driver) and read
what the page then shows. The page is the bundled knowledge base's report with the
loopback verification of tests/verification_data.py (built in the documented shapes).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import proloevidence
from proloevidence.auditing.report_html import to_html

from .browser import chromium_driver, programs
from .verification_data import NOW, bundled_verification


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if programs() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium or chromium-driver is missing; .ci/run installs both")
        pytest.skip("chromium and chromium-driver are not installed")
    with chromium_driver(tmp_path_factory.mktemp("profile")) as browser:
        yield browser


@pytest.fixture
def page(driver: Any, tmp_path: Path) -> Any:
    report = proloevidence.audit(proloevidence.load(), bundled_verification(), now=NOW)
    html = tmp_path / "audit.html"
    html.write_text(to_html(report), encoding="utf-8")
    driver.get(html.as_uri())
    assert driver.execute_script("return document.body.dataset.ready") == "1"
    return driver


def visible_rows(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.mbody .mrow'))"
        ".filter(r => !r.hidden).map(r => r.dataset.id)"
    )


def shown_count(driver: Any) -> str:
    return driver.find_element("id", "shown-count").text


def click_heading(driver: Any, heading: str) -> None:
    driver.find_element("xpath", f"//div[@role='columnheader']/button[text()='{heading}']").click()


def test_the_table_sorts_by_a_column_and_back(page: Any) -> None:
    in_page_order = visible_rows(page)
    click_heading(page, "sources")
    ascending = visible_rows(page)
    assert ascending != in_page_order and sorted(ascending) == sorted(in_page_order)
    counts = page.execute_script(
        "return Array.from(document.querySelectorAll('.mbody .mrow'))"
        ".map(r => Number(r.children[6].dataset.value))"
    )
    assert counts == sorted(counts) and counts[-1] == 3
    click_heading(page, "sources")
    counts = page.execute_script(
        "return Array.from(document.querySelectorAll('.mbody .mrow'))"
        ".map(r => Number(r.children[6].dataset.value))"
    )
    assert counts == sorted(counts, reverse=True)
    header = page.find_element("xpath", "//div[@role='columnheader'][button[text()='sources']]")
    assert header.get_attribute("aria-sort") == "descending"
    click_heading(page, "#")
    assert visible_rows(page) == in_page_order


def test_search_finds_statements_by_words_and_by_reference_key(page: Any) -> None:
    kb = proloevidence.load()
    box = page.find_element("id", "search")
    box.send_keys("hauser2016")
    citing = sorted(c.id for c in kb.claims_citing("hauser2016"))
    page.execute_script("return new Promise(r => setTimeout(r, 200))")
    assert sorted(visible_rows(page)) == citing
    references = page.execute_script(
        "return Array.from(document.querySelectorAll('article.reference'))"
        ".filter(a => !a.hidden).map(a => a.id)"
    )
    assert references == ["r-hauser2016"]
    assert f"{len(citing)} of {len(kb.claims)} statements" in shown_count(page)
    # Statements below the table follow the search too.
    shown_articles = page.execute_script(
        "return Array.from(document.querySelectorAll('article.statement'))"
        ".filter(a => !a.hidden).length"
    )
    assert shown_articles == len(citing)
    box.clear()
    box.send_keys("SI JOINT")  # words of a statement's text, any case
    page.execute_script("return new Promise(r => setTimeout(r, 200))")
    rows = visible_rows(page)
    assert rows
    texts = {kb.claim_id(c): c.text.lower() for c in kb.claims}
    assert all("si joint" in texts[row] for row in rows)


def test_the_severity_filter_applies_to_the_table(page: Any) -> None:
    total = len(visible_rows(page))
    page.find_element("id", "only-with-findings").click()
    with_errors_or_warnings = visible_rows(page)
    counts = page.execute_script(
        "return Array.from(document.querySelectorAll('.mbody .mrow')).filter(r => !r.hidden)"
        ".map(r => Number(r.dataset.error) + Number(r.dataset.warning))"
    )
    assert 0 < len(with_errors_or_warnings) < total and all(counts)
    # Turning info on shows the rows whose only findings are info.
    page.find_element("css selector", "#filters input[data-severity=info]").click()
    assert len(visible_rows(page)) > len(with_errors_or_warnings)
    page.find_element("css selector", "#filters input[data-severity=error]").click()
    page.find_element("css selector", "#filters input[data-severity=warning]").click()
    page.find_element("css selector", "#filters input[data-severity=info]").click()
    assert visible_rows(page) == []
    assert shown_count(page).startswith("0 findings shown; 0 of")
