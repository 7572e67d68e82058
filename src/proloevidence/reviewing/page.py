"""The review page: one link at a time, the statement beside its source, and the judgement form.

Pure: a queue item in, HTML out. Every piece of text (the statement, the printed reference,
the record's title, abstract, headings and notices, which come from remote services) goes
through :func:`e`: escaped, control characters dropped. The only markup around it is ours,
and the page's Content-Security-Policy (page_assets.py) would stop anything else from
running or loading.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence

from ..auditing.relevance import (
    FIELDS,
    Relevance,
    off_topic_message,
    reports_off_topic,
    shared_concepts,
)
from ..auditing.report_wording import status_word
from ..kb.claims_editor import JUDGEMENTS
from ..model import AssessmentStatus, Claim
from ..text.markup import escape_attribute, strip_control
from ..verification import Record
from .page_assets import CSS, JS, META_CSP
from .review_queue import ReviewItem
from .terms import segments, shared_stems

_KEYS = {
    AssessmentStatus.SUPPORTED: "s",
    AssessmentStatus.PARTLY: "p",
    AssessmentStatus.NOT_SUPPORTED: "n",
}
# One button and key per judgement the claims editor records (a new one without a key fails
# here, at import); page_assets.JS maps the same keys.
JUDGEMENT_KEYS = tuple((status.value, _KEYS[status]) for status in JUDGEMENTS)


def e(value: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    return escape_attribute(strip_control(str(value)))


_FIELD_NAMES = dict(zip(FIELDS, ("title", "abstract", "MeSH"), strict=True))


def marked(text: str, stems: frozenset[str], *, statement: bool = False) -> str:
    """``text`` escaped, with the words of the shared concepts in ``<mark>``."""
    runs = segments(text, stems, statement=statement)
    return "".join(f"<mark>{e(s)}</mark>" if hit else e(s) for s, hit in runs)


def item_url(token: str, item: ReviewItem) -> str:
    query = {"t": token, "claim": item.claim_id, "key": item.reference.key}
    return "/?" + urllib.parse.urlencode(query)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(META_CSP)}">'
        '<meta name="referrer" content="same-origin">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>{body}"
        f"<script>{JS}</script></body></html>"
    )


def _header(count: int) -> str:
    keys = " ".join(f"<kbd>{k}</kbd> {name}" for name, k in JUDGEMENT_KEYS)
    return (
        f"<header><h1>proloevidence review</h1><span>{count} link"
        f"{'' if count == 1 else 's'} to read</span><span>{keys} · <kbd>j</kbd>/<kbd>k</kbd>"
        " next/previous · <kbd>l</kbd> locator</span></header>"
    )


def render_empty(*, message: str = "") -> str:
    """The page when no link is left to read."""
    note = f'<section class="saved">{e(message)}</section>' if message else ""
    return _page(
        "proloevidence review",
        _header(0) + f"<main>{note}<section><p>Every link has a judgement. "
        "Run <code>proloevidence audit</code> to see them.</p></section></main>",
    )


def render_error(status: int, message: str) -> str:
    return _page(f"{status}", f'<main><section class="error"><p>{e(message)}</p></section></main>')


def render_item(
    item: ReviewItem,
    queue: Sequence[ReviewItem],
    token: str,
    *,
    reviewer: str = "",
    message: str = "",
    error: str = "",
) -> str:
    """The page for one queued link; ``message`` confirms the last save, ``error`` says why
    it failed."""
    record = item.result.record if item.result else None
    # The audit's own signal, so the page marks what the audit counts (terms.py).
    relevance = shared_concepts(item.claim, record) if record else None
    index = next((n for n, other in enumerate(queue) if other is item), 0)
    notes = ""
    if message:
        notes += f'<section class="saved" id="saved">{e(message)}</section>'
    if error:
        notes += f'<section class="error" id="error">{e(error)}</section>'
    body = (
        _header(len(queue))
        + '<div class="layout">'
        + _queue_nav(queue, item, token)
        + "<main>"
        + notes
        + _statement(item, relevance)
        + _source(item, shared_stems(relevance))
        + _form(item, token, reviewer)
        + _neighbour_links(queue, index, token)
        + "</main></div>"
    )
    return _page(f"review: {item.link}", body)


def _queue_nav(queue: Sequence[ReviewItem], current: ReviewItem, token: str) -> str:
    rows = []
    for item in queue:
        cls = ' class="current"' if item is current else ""
        badge = ' <span class="badge changed">changed</span>' if item.state == "changed" else ""
        rows.append(
            f'<li{cls}><a href="{e(item_url(token, item))}">{e(item.claim_id)} → '
            f"{e(item.reference.key)}</a>{badge}</li>"
        )
    return f"<nav><ol>{''.join(rows)}</ol></nav>"


def _neighbour(claim: Claim | None, where: str) -> str:
    if claim is None:
        return ""
    return f'<p class="neighbour">{where}: {e(claim.text)}</p>'


def _statement(item: ReviewItem, relevance: Relevance | None) -> str:
    claim = item.claim
    section = " › ".join(claim.section)
    marker = f" {e(claim.marker)}" if claim.marker else ""
    stems = shared_stems(relevance)
    return (
        '<section id="statement"><h2>Statement</h2>'
        f'<p class="muted">{e(section)} · {e(item.claim_id)} · {e(claim.kind)} · cites '
        f"{e(item.reference.key)} as <b>{e(item.citation.relation.value)}</b></p>"
        + _neighbour(item.before, "before")
        + f'<p class="statement" id="statement-text">'
        f"{marked(claim.text, stems, statement=True)}{marker}</p>"
        + _neighbour(item.after, "after")
        + _relevance(item, relevance)
        + f'<p class="muted">Queued: {e(item.reason)}</p></section>'
    )


def _relevance(item: ReviewItem, relevance: Relevance | None) -> str:
    """The statement's key concepts the record shares, where each is found, and the
    audit's ``source-off-topic`` finding when the audit would report it."""
    shared = "none"
    if relevance is not None and relevance.shared:
        shared = ", ".join(
            f"{w} ({', '.join(_FIELD_NAMES[f] for f in relevance.where[w])})"
            for w in relevance.shared
        )
    out = (
        '<p class="muted">Key concepts the source\'s record shares: '
        f'<span id="shared">{e(shared)}</span></p>'
    )
    if relevance is None:
        return out
    if reports_off_topic(item.citation, relevance):
        message = off_topic_message(item.reference.key, relevance)
        return out + (
            '<p id="off-topic"><span class="badge off-topic">source-off-topic</span> '
            f"{e(message)} (the audit's info finding: read the source to judge)</p>"
        )
    if not relevance.judged:
        return out + (
            '<p class="muted" id="not-judged">Relevance not judged: the record has no abstract '
            "or MeSH headings, and a title alone is too short to tell.</p>"
        )
    return out


def _source(item: ReviewItem, stems: frozenset[str]) -> str:
    ref, result = item.reference, item.result
    printed = ref.printed or ref.title
    status = item.status
    kind = (
        "verified"
        if status.value == "verified"
        else ("questionable" if status.is_questionable else "")
    )
    parts = [
        '<section id="source"><h2>Source</h2>',
        f"<p><b>As printed</b> [{e(ref.page_number or '-')}] {e(printed)}</p>",
        f'<p><b>Verification</b> <span class="badge {kind}" id="status">'
        f"{e(status_word(status.value))}</span>",
    ]
    if result and result.message:
        parts.append(f" {e(result.message)}")
    parts.append("</p>")
    if result is None:
        parts.append(
            '<p class="muted">Not verified: run <code>proloevidence verify --lock</code> to '
            "see the record and its abstract here.</p>"
        )
    else:
        parts.extend(_differences(item))
        for notice in result.notices:
            label = notice.label or notice.type.replace("_", " ")
            extra = ", ".join(x for x in (notice.doi or "", notice.date or "") if x)
            parts.append(
                f'<p class="notice">{e(notice.type.replace("_", " "))}: {e(label)}'
                f"{' (' + e(extra) + ')' if extra else ''}</p>"
            )
    if result is not None and result.suggestion is not None:
        parts.append(_suggestion(item.claim, result.suggestion.record, result.suggestion.reason))
    if result is not None and result.names_another_work:
        parts.append(
            '<p class="notice">The printed identifiers lead to another work than the one '
            "cited: the record below is that other work.</p>"
        )
    record = result.record if result else None
    if record is not None:
        parts.append(_open_links(record))
        ids = [
            f"DOI {record.doi}" if record.doi else "",
            f"PMID {record.pmid}" if record.pmid else "",
        ]
        parts += [
            f'<p><b>Title</b> <span id="record-title">{marked(record.title, stems)}</span></p>',
            f'<p class="muted">{e(", ".join(str(a) for a in record.authors[:6]))}'
            f"{' et al.' if len(record.authors) > 6 else ''} · {e(record.journal)} "
            f"{e(record.year or '')} · {e(' · '.join(i for i in ids if i))}</p>",
            f'<p><b>Publication types</b> <span id="types">'
            f"{e(', '.join(record.publication_types) or 'none given')}</span></p>",
        ]
        if record.mesh_headings:
            mesh = "; ".join(marked(h, stems) for h in record.mesh_headings)
            parts.append(f'<p><b>MeSH</b> <span id="mesh">{mesh}</span></p>')
        abstract = (
            f'<div class="abstract" id="abstract">{marked(record.abstract, stems)}</div>'
            if record.abstract
            else '<p class="muted" id="abstract">The record holds no abstract.</p>'
        )
        parts.append(f"<h2>Abstract</h2>{abstract}")
    parts.append("</section>")
    return "".join(parts)


def _open_links(record: Record) -> str:
    """Links to read the source itself: navigation only, nothing is loaded from them, and
    ``noreferrer`` keeps the page's address (and its token) from the other site."""
    links = []
    if record.doi:
        href = "https://doi.org/" + urllib.parse.quote(record.doi, safe="/:;()[]")
        links.append((href, "the article (doi.org)"))
    if record.pmid and record.pmid.isdigit():
        links.append((f"https://pubmed.ncbi.nlm.nih.gov/{record.pmid}/", "PubMed"))
    if not links:
        return ""
    anchors = " · ".join(
        f'<a href="{e(href)}" rel="noreferrer noopener" target="_blank">{e(text)}</a>'
        for href, text in links
    )
    return f'<p id="open">Read: {anchors}</p>'


def _suggestion(claim: Claim, record: Record, reason: str) -> str:
    stems = shared_stems(shared_concepts(claim, record))
    ids = " · ".join(
        x for x in (record.doi and f"DOI {record.doi}", record.pmid and f"PMID {record.pmid}") if x
    )
    return (
        f'<p id="suggestion"><b>Likely meant</b> {marked(record.title, stems)} · '
        f"{e(record.journal)} {e(record.year or '')} · {e(ids)} "
        f'<span class="muted">({e(reason)})</span></p>'
    )


def _differences(item: ReviewItem) -> list[str]:
    fields = [f for f in item.result.fields if f.match == "mismatch"] if item.result else []
    if not fields:
        return []
    rows = "".join(
        f"<tr><td>{e(f.field)}</td><td>{e(f.cited or '')}</td><td>{e(f.found or '')}</td></tr>"
        for f in fields
    )
    return [
        '<table id="differences"><tr><th>field</th><th>as printed</th><th>as found</th></tr>'
        f"{rows}</table>"
    ]


def _form(item: ReviewItem, token: str, reviewer: str) -> str:
    old = item.citation.assessment
    buttons = "".join(
        f'<button type="submit" name="status" value="{name}" class="{name}">{name} '
        f"<kbd>{key}</kbd></button>"
        for name, key in JUDGEMENT_KEYS
    )
    return (
        '<section id="judgement"><h2>Judgement</h2>'
        f'<form method="post" action="/assess?{e(urllib.parse.urlencode({"t": token}))}">'
        f'<input type="hidden" name="t" value="{e(token)}">'
        f'<input type="hidden" name="claim" value="{e(item.claim_id)}">'
        f'<input type="hidden" name="key" value="{e(item.reference.key)}">'
        '<label for="locator">Locator (where in the source)</label>'
        f'<input type="text" id="locator" name="locator" value="{e(old.locator or "")}">'
        '<label for="quote">Quote</label>'
        f'<textarea id="quote" name="quote" rows="2">{e(old.quote or "")}</textarea>'
        '<label for="note">Note</label>'
        f'<textarea id="note" name="note" rows="2">{e(old.note or "")}</textarea>'
        '<label for="reviewer">Reviewer</label>'
        f'<input type="text" id="reviewer" name="by" value="{e(reviewer or old.reviewer or "")}">'
        f'<div class="judge">{buttons}</div></form></section>'
    )


def _neighbour_links(queue: Sequence[ReviewItem], index: int, token: str) -> str:
    links = []
    if index > 0:
        links.append(
            f'<a id="previous-link" href="{e(item_url(token, queue[index - 1]))}">← previous</a>'
        )
    if index + 1 < len(queue):
        links.append(f'<a id="next-link" href="{e(item_url(token, queue[index + 1]))}">next →</a>')
    return f"<p>{' · '.join(links)}</p>"
