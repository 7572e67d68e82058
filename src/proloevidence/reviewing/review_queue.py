"""The links an editor has still to read: statement -> source, in the order to read them.

Pure: a loaded knowledge base and its verification (usually the lock) in, a list of
:class:`ReviewItem` out. A link is queued when nobody has judged it (``unreviewed``), or
when the lock checked its source after the judgement and the source now carries a notice
(retraction, correction, ...) or is retracted, not found or names another work
(``changed``). Unreviewed links come first, then changed ones, each in page order; a
``rank`` function may put some first, without the queue knowing why; :func:`off_topic_first`
is the one ``proloevidence review`` passes (the relevance signal's ``source-off-topic`` links).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..auditing.relevance import reports_off_topic, shared_concepts
from ..kb.knowledge_base import KnowledgeBase
from ..model import AssessmentStatus, Citation, Claim, Reference
from ..verification import Status, Verification, VerificationResult
from ..verifying.outdated import current

State = Literal["unreviewed", "changed"]

_SOURCE_CHANGED = frozenset({Status.RETRACTED, Status.NOT_FOUND, Status.CONFLICT})


@dataclass(frozen=True)
class ReviewItem:
    """One link to read: the statement with its neighbours, the source as printed and as
    verified, and why it is queued (``state``, with ``reason`` in words)."""

    claim_id: str
    claim: Claim
    citation: Citation
    reference: Reference
    result: VerificationResult | None
    state: State
    reason: str
    before: Claim | None = None
    after: Claim | None = None

    @property
    def link(self) -> str:
        """``claim_id -> key``: how the page and the server name the link."""
        return f"{self.claim_id} -> {self.reference.key}"

    @property
    def status(self) -> Status:
        return self.result.status if self.result else Status.UNVERIFIED


Rank = Callable[[ReviewItem], int]
"""Lower first; items of equal rank keep the queue's own order (unreviewed, changed, page)."""


def review_queue(
    kb: KnowledgeBase, verification: Verification | None = None, *, rank: Rank | None = None
) -> list[ReviewItem]:
    """Every link that needs a judgement, in the order an editor should read them."""
    fitting = current(kb.references, verification)[0]
    results = fitting.results if fitting is not None else {}
    by_document: dict[str, list[Claim]] = {}
    for claim in kb.claims:
        by_document.setdefault(claim.document, []).append(claim)
    items: list[ReviewItem] = []
    for claims in by_document.values():
        for index, claim in enumerate(claims):
            for citation in claim.citations:
                reference = kb.references.get(citation.ref)
                if reference is None:
                    continue
                result = results.get(reference.key)
                why = _why(citation, result)
                if why is None:
                    continue
                items.append(
                    ReviewItem(
                        claim_id=kb.claim_id(claim),
                        claim=claim,
                        citation=citation,
                        reference=reference,
                        result=result,
                        state=why[0],
                        reason=why[1],
                        before=claims[index - 1] if index > 0 else None,
                        after=claims[index + 1] if index + 1 < len(claims) else None,
                    )
                )
    order = {"unreviewed": 0, "changed": 1}
    items.sort(key=lambda item: order[item.state])  # stable: page order within each
    if rank is not None:
        items.sort(key=rank)
    return items


def off_topic_first(item: ReviewItem) -> int:
    """A ``rank``: the links the audit reports ``source-off-topic`` first (0), the others
    after (1); see :func:`proloevidence.auditing.relevance.reports_off_topic`. A judged link
    back in the queue because its source changed is not one of them: an editor has read it."""
    record = item.result.record if item.result is not None else None
    if record is None:
        return 1
    return 0 if reports_off_topic(item.citation, shared_concepts(item.claim, record)) else 1


def find(items: Sequence[ReviewItem], claim_id: str, key: str) -> ReviewItem | None:
    """The queued item for the link ``claim_id -> key``, if it is queued."""
    return next((i for i in items if i.claim_id == claim_id and i.reference.key == key), None)


def _why(citation: Citation, result: VerificationResult | None) -> tuple[State, str] | None:
    assessment = citation.assessment
    if assessment.status is AssessmentStatus.UNREVIEWED:
        return "unreviewed", "nobody has read this source against the statement"
    if result is None or result.checked_at is None or assessment.date is None:
        return None
    checked = result.checked_at.date()
    if checked <= assessment.date:
        return None
    if result.notices or result.status in _SOURCE_CHANGED:
        what = ", ".join(n.type.replace("_", " ") for n in result.notices) or (
            result.status.value.replace("_", " ")
        )
        return "changed", (
            f"judged {assessment.status.value} on {assessment.date.isoformat()}; checked "
            f"again on {checked.isoformat()}: {what}"
        )
    return None
