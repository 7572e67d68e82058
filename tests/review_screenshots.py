"""The screenshots of docs/review.md, in headless chromium: ``python -m tests.review_screenshots``.

1. the bundled page, verified through the loopback services of tests/loopback.py (records
   like the public ones, tests/fixtures/README.md), first link of the queue;
2. the same page on a miscited source (kim2010: differing fields, the record it names);
3. a one-statement knowledge base citing the RECORDED PubMed record 36987902 (metapub's
   efetch; an esummary document BUILT from its fields): the abstract and MeSH headings with
   the shared concepts marked and listed with where each is found. The statement is written
   for the picture;
4. the same record cited for a statement on another topic (written for the picture): the
   statement's part of the page only, with the audit's ``source-off-topic`` finding.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from selenium import webdriver
from selenium.webdriver.common.by import By

import proloevidence
from proloevidence.reviewing.server import ReviewServer
from proloevidence.verifying.lock import write_lock

from .browser import FLAGS, programs
from .loopback import bundled_services, esummary_doc, fixture_articles

OUT = Path(__file__).parent.parent / "docs" / "images"

BURNS_BIB = """\
@article{bruserud2023,
  author = {Bruserud, Øyvind and Arnes, Kaja and Kjørsvik, Camilla Rygg and others},
  title = {Patients over 75 years admitted to the National Burn Centre,
           Haukeland University Hospital, 2000-19},
  journal = {Tidsskr Nor Laegeforen},
  year = {2023},
  volume = {143},
  number = {5},
  pmid = {36987902},
  refnumber = {1},
}
"""

BURNS_CLAIMS = """\
schema: 1
document: {id: burns, title: Burns in older patients, references: {1: bruserud2023}}
claims:
  - id: burns-frailty
    section: [Burns, Patients over 75]
    kind: efficacy
    text: "In burn patients over the age of 75, frailty scores may predict survival."
    marker: "(1)"
    citations:
      - {ref: bruserud2023, relation: supports}
  - id: ketamine-depression
    section: [Burns, Patients over 75]
    kind: efficacy
    text: "Ketamine lowers depression scores within hours in patients who resist treatment."
    marker: "(1)"
    citations:
      - {ref: bruserud2023, relation: supports}
"""


def browser(profile: Path) -> webdriver.Chrome:
    found = programs()
    if found is None:
        raise SystemExit("chromium and chromium-driver are needed (apt-get install both)")
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in (
        *FLAGS,
        "--hide-scrollbars",
        "--window-size=1280,1500",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(found[1]))


def shoot(driver: webdriver.Chrome, url: str, name: str, link: str | None = None) -> None:
    driver.get(url)
    if link:
        driver.find_element(By.LINK_TEXT, link).click()
    time.sleep(0.3)
    driver.save_screenshot(str(OUT / name))
    print("wrote", OUT / name)


def shoot_part(driver: webdriver.Chrome, url: str, name: str, link: str, part: str) -> None:
    driver.get(url)
    driver.find_element(By.LINK_TEXT, link).click()
    time.sleep(0.3)
    driver.find_element(By.ID, part).screenshot(str(OUT / name))
    print("wrote", OUT / name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        server.start()
        try:
            bundled = root / "kb"
            shutil.copytree(proloevidence.bundled_path(), bundled)
            services = bundled_services()
            record = fixture_articles("metapub__36987902.xml")
            services.add_pubmed(
                esummary_doc(
                    "36987902",
                    "Patients over 75 years admitted to the National Burn Centre, Haukeland "
                    "University Hospital, 2000-19.",
                    authors=("Bruserud Ø", "Arnes K", "Kjørsvik CR"),
                    source="Tidsskr Nor Laegeforen",
                    fulljournalname="Tidsskrift for den Norske laegeforening",
                    pubdate="2023 Mar 28",
                    volume="143",
                    issue="5",
                    pages="",
                    doi="10.4045/tidsskr.22.0358",
                ),
                record["36987902"],
            )
            services.install(server)
            burns = root / "burns"
            burns.mkdir()
            (burns / "references.bib").write_text(BURNS_BIB, encoding="utf-8")
            (burns / "claims.yaml").write_text(BURNS_CLAIMS, encoding="utf-8")
            with services.resolver(root / "cache") as resolver:
                for kb_dir in (bundled, burns):
                    kb = proloevidence.load(kb_dir, cache=False)
                    write_lock(kb_dir, proloevidence.verify(kb, resolver))
        finally:
            server.clear()
            server.stop()
        driver = browser(root / "profile")
        try:
            with ReviewServer(bundled, reviewer="A. Editor") as review:
                shoot(driver, review.url, "review-queue.png")
                shoot(driver, review.url, "review-mismatch.png", "si-joint-trials → kim2010")
            with ReviewServer(burns, reviewer="A. Editor") as review:
                shoot(driver, review.url, "review-abstract.png")
                shoot_part(
                    driver,
                    review.url,
                    "review-off-topic.png",
                    "ketamine-depression → bruserud2023",
                    "statement",
                )
        finally:
            driver.quit()


if __name__ == "__main__":
    sys.exit(main())
