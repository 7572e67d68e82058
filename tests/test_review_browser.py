"""The review page in a real browser: Debian's chromium driven through /usr/bin/chromedriver.

Two links are judged on the page of the bundled knowledge base (with its lock): one with the
buttons, one with the keyboard. Then claims.yaml is read back (only those two lines changed)
and the audit shows both judgements.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import proloevidence
from proloevidence.reviewing.server import ReviewServer
from proloevidence.verifying.lock import read_lock

from .browser import FLAGS, programs

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # the test extra installs it; under CI its absence is a failure
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("selenium is not installed (pip install -e '.[test]')", allow_module_level=True)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    found = programs()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium and chromium-driver are not installed; .ci/run installs both")
        pytest.skip("chromium and chromium-driver are not installed (apt-get install both)")
    chromium, driver_path = found
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, CSP
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium manager: never download
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def wait_ready(driver: object) -> None:
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1"
    )


def test_two_links_reviewed_in_chromium_show_in_claims_yaml_and_the_audit(
    browser: object, locked_kb: Path
) -> None:
    driver = browser
    before = (locked_kb / "claims.yaml").read_text(encoding="utf-8")
    with ReviewServer(locked_kb) as server:
        driver.get(server.url)
        wait_ready(driver)
        # The first queued link: the statement verbatim, the source as printed and verified.
        assert driver.title == "review: overview-stimulus -> rabago2010"
        statement = driver.find_element(By.ID, "statement-text").text
        assert statement.startswith("The injected solution creates a controlled local stimulus")
        assert driver.find_element(By.ID, "status").text == "verified"
        assert "Review" in driver.find_element(By.ID, "types").text
        assert driver.find_element(By.ID, "shared").text == "none"  # title shares no concept
        assert driver.find_elements(By.ID, "not-judged")  # a title only: relevance not judged

        # 1. With the buttons.
        driver.find_element(By.ID, "locator").send_keys("Abstract, p. 65")
        driver.find_element(By.ID, "quote").send_keys("dextrose prolotherapy")
        driver.find_element(By.ID, "note").send_keys("a review; mechanism described")
        driver.find_element(By.ID, "reviewer").send_keys("Dr Editor")
        driver.find_element(By.CSS_SELECTOR, 'button[value="partly"]').click()
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "saved"))
        wait_ready(driver)
        assert (
            "overview-stimulus → rabago2010 is partly" in driver.find_element(By.ID, "saved").text
        )

        # 2. With the keyboard, on a link chosen in the queue: a miscited source.
        driver.find_element(By.LINK_TEXT, "si-joint-trials → kim2010").click()
        wait_ready(driver)
        assert driver.title == "review: si-joint-trials -> kim2010"
        assert driver.find_element(By.ID, "status").text == "mismatch"
        assert "title" in driver.find_element(By.ID, "differences").text
        assert driver.find_element(By.ID, "reviewer").get_attribute("value") == "Dr Editor"
        driver.find_element(By.ID, "note").send_keys("the printed PMID names another article")
        driver.find_element(By.TAG_NAME, "body").click()  # out of the field: keys judge
        webdriver.ActionChains(driver).send_keys("n").perform()
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "saved"))
        saved = driver.find_element(By.ID, "saved").text
        assert "si-joint-trials → kim2010 is not-supported" in saved

        # A source whose title shares the statement's terms: both sides highlighted.
        driver.find_element(By.LINK_TEXT, "si-joint-trials → hauser2016").click()
        wait_ready(driver)
        marked = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#statement-text mark")]
        in_title = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#record-title mark")]
        assert marked == ["pain", "chronic", "pain"]
        assert in_title == ["Chronic", "Pain"]
        assert driver.find_element(By.ID, "shared").text == "pain (title), chronic (title)"
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []

    # A third judgement through the library: the same write.
    proloevidence.assess("mechanism-fibroblast", "kim2010", "supported", by="B", kb=locked_kb)
    after = (locked_kb / "claims.yaml").read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert [a for a, _ in changed] == [
        "      - {ref: rabago2010, relation: supports}",  # overview-stimulus, on the page
        "      - {ref: kim2010, relation: supports}",  # mechanism-fibroblast, by assess
        "      - {ref: kim2010, relation: supports}",  # si-joint-trials, on the page
    ]
    assert changed[0][1].startswith(
        "      - {ref: rabago2010, relation: supports, assessment: {status: partly, date: "
    )
    assert changed[0][1].endswith(
        'reviewer: "Dr Editor", locator: "Abstract, p. 65", quote: "dextrose prolotherapy", '
        'note: "a review; mechanism described"}}'
    )
    assert "status: supported" in changed[1][1] and 'reviewer: "B"' in changed[1][1]
    assert "status: not-supported" in changed[2][1]
    assert before.index("overview-stimulus") < before.index("si-joint-trials")

    report = proloevidence.audit(proloevidence.load(locked_kb), read_lock(locked_kb))
    cells = {(r.id, c.key): c.assessment for r in report.statements for c in r.cells}
    assert cells[("overview-stimulus", "rabago2010")] == "partly"
    assert cells[("si-joint-trials", "kim2010")] == "not-supported"
    assert cells[("mechanism-fibroblast", "kim2010")] == "supported"
    assert [
        (f.subject, f.evidence["ref"])
        for f in report.findings
        if f.code == "assessed-not-supported"
    ] == [("si-joint-trials", "kim2010")]
