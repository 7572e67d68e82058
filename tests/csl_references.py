"""A varied set of references, built as the loader builds them (decoded text, BibTeX field
names in ``extra``), for the CSL-JSON tests and the pandoc interop test.

Each holds what a real bibliography holds and our CSL-JSON once lost: editors, translators,
particles and suffixes, months, access dates, series, article numbers, theses, reports,
preprints, math. Fields outside today's loader (``editor`` as text, ``eid``, ``urldate`` ...)
are given in ``extra`` under their BibTeX names.
"""

from __future__ import annotations

from proloevidence.model import Author, Reference

VARIED: tuple[Reference, ...] = (
    Reference(
        key="berg2019",
        authors=(
            Author("van der Berg, Jr.", "Jan"),  # the loader's "von Last, Jr" family
            Author("Smith", "John Jr."),  # a page's "Smith, John Jr."
            Author("Lee", "Min-jun"),
        ),
        et_al=True,
        title="Dextrose prolotherapy for knee osteoarthritis",
        journal="Annals of Family Medicine",
        year=2019,
        volume="17",
        number="3",
        pages="211--19",
        doi="10.1370/afm.0001",
        extra={"month": "mar", "day": "4", "issn": "1544-1709", "language": "english"},
    ),
    Reference(
        key="ortiz2021",
        authors=(
            Author("Ortiz de la Cruz", "María"),
            Author("World Health Organization", literal=True),
        ),
        title="Serum $\\alpha$-synuclein and H$_2$O$_2$ at $p<0.05$",
        journal="Scientific Reports",
        year=2021,
        volume="11",
        extra={"eid": "1234", "date": "2021-07-15"},
    ),
    Reference(
        key="hackett1958",
        entry_type="book",
        authors=(Author("Hackett", "George S."),),
        title="Ligament and tendon relaxation treated by prolotherapy",
        year=1958,
        number="12",
        extra={
            "edition": "3",
            "publisher": "Charles C Thomas",
            "address": "Springfield, IL",
            "series": "American Lecture Series",
            "isbn": "978-0-398-00000-0",
        },
    ),
    Reference(
        key="rabago2013",
        entry_type="incollection",
        authors=(Author("Rabago", "David"),),
        title="Prolotherapy",
        year=2013,
        pages="101--110",
        extra={
            "booktitle": "Integrative Medicine",
            "editor": "Rakel, David and van Gogh, Vincent and others",
            "translator": "de Souza, Ana",
            "publisher": "Elsevier",
            "address": "Philadelphia",
            "edition": "4",
        },
    ),
    Reference(
        key="reeves2000",
        entry_type="inproceedings",
        authors=(Author("Reeves", "Kenneth D."),),
        title="Randomized prospective trial of dextrose injection",
        year=2000,
        pages="1--8",
        extra={
            "booktitle": "Proceedings of the Annual Meeting",
            "editor": "Doe, Jane",
            "organization": "AAOM",
            "address": "Chicago",
            "month": "October",
        },
    ),
    Reference(
        key="patterson2020",
        entry_type="phdthesis",
        authors=(Author("Patterson", "Ann"),),
        title="Mechanisms of proliferant injection",
        year=2020,
        extra={"school": "University of Wisconsin", "address": "Madison, WI"},
    ),
    Reference(
        key="kim2018",
        entry_type="mastersthesis",
        authors=(Author("Kim", "Soo"),),
        title="Perineural injection",
        year=2018,
        extra={"school": "Seoul National University"},
    ),
    Reference(
        key="ahrq2011",
        entry_type="techreport",
        authors=(Author("Agency for Healthcare Research and Quality", literal=True),),
        title="Injection therapies for low back pain",
        year=2011,
        number="11-EHC008",
        extra={"institution": "AHRQ", "address": "Rockville, MD", "type": "Technical Brief"},
    ),
    Reference(
        key="nhs2023",
        entry_type="online",
        authors=(Author("National Health Service", literal=True),),
        title="Prolotherapy",
        year=2023,
        url="https://www.nhs.uk/conditions/prolotherapy/",
        extra={"urldate": "2024-01-15", "month": "6"},
    ),
    Reference(
        key="chen2022",
        entry_type="misc",
        authors=(Author("Chen", "Li"), Author("Wang", "Wei")),
        title="Dextrose and pain: a preprint",
        year=2022,
        extra={"eprint": "2201.01234", "archiveprefix": "arXiv", "primaryclass": "q-bio.TO"},
    ),
    Reference(
        key="data2021",
        entry_type="dataset",
        authors=(Author("Rabago", "David"),),
        title="Knee prolotherapy trial data",
        year=2021,
        doi="10.5061/dryad.0001",
        extra={"publisher": "Dryad", "version": "2"},
    ),
    Reference(
        key="tool2020",
        entry_type="software",
        authors=(Author("Jones", "Ada"),),
        title="doseplot",
        year=2020,
        url="https://example.org/doseplot",
        extra={"version": "1.2.0"},
    ),
    Reference(
        key="patent2015",
        entry_type="patent",
        authors=(Author("Reeves", "Kenneth D."),),
        title="Injectable dextrose composition",
        year=2015,
        number="US 9,000,000",
    ),
)
