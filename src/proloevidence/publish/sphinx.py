"""Sphinx extension: reference lists, statements and whole pages from a knowledge base.

In ``conf.py``::

    extensions = ["proloevidence.sphinx"]
    proloevidence_kb = "../data"          # the knowledge base folder, relative to conf.py
    proloevidence_style = "vancouver"     # optional: ama, apa, nlm, vancouver or a .csl path

Then ``.. proloevidence-references::`` (options ``:style:``, ``:cited-only:``, ``:order:``,
``:source:``, ``:document:``) inserts the numbered reference list,
``:proloevidence-claim:`si-joint-trials``` a statement with its marker, and
``.. proloevidence-page::`` (``:style:``, ``:annotate:``, ``:cited-only:``, ``:document:``)
the whole page with its sections. Numbers come from the knowledge base, as in
``proloevidence refs``. Every statement the checks find in error becomes a build warning
(type ``proloevidence``, subtype the finding's code), so ``sphinx-build -W`` fails on it;
``suppress_warnings = ["proloevidence"]`` silences them.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..auditing.audit_report import audit
from ..errors import KnowledgeBaseError, StyleError, UnknownIdError
from ..kb.knowledge_base import KnowledgeBase, load
from ..model import Finding, Severity
from ..services.http import package_version
from ..verification import Verification
from ..verifying.lock import lock_path, read_lock
from .choices import DEFAULT_STYLE, ORDERS
from .rebuilt_page import BulletList, Heading, PageParts, Paragraph, page_parts
from .reference_list import ReferenceList, reference_list

logger = logging.getLogger(__name__)

WARNING_TYPE = "proloevidence"


def statement_errors(kb: KnowledgeBase, verification: Verification | None) -> list[Finding]:
    """The audit's findings of severity error about statements (not about references)."""
    statements = {kb.claim_id(c) for c in kb.claims}
    report = audit(kb, verification=verification)
    return [f for f in report.findings if f.severity is Severity.ERROR and f.subject in statements]


@dataclass
class _State:
    """The loaded knowledge base, its lock, and page parts already built (per options)."""

    kb: KnowledgeBase
    verification: Verification | None
    files: list[str]
    stamp: tuple[float, ...]
    parts: dict[tuple[Any, ...], PageParts] = field(default_factory=dict)


_STATES: dict[str, _State] = {}


def _kb_files(folder: Path) -> list[str]:
    files = [*folder.glob("*.bib"), folder / "claims.yaml", *folder.glob("claims/*.y*ml")]
    files.append(lock_path(folder))
    return [str(f) for f in files if f.is_file()]


def _state(config: Config) -> _State:
    """The knowledge base named in conf.py, loaded once and again when its files change."""
    folder = config.proloevidence_kb
    if not folder:
        raise ConfigError(
            "proloevidence: set proloevidence_kb in conf.py (a knowledge base folder)"
        )
    path = Path(folder)
    files = _kb_files(path)
    stamp = tuple(Path(f).stat().st_mtime for f in files)
    cached = _STATES.get(str(path))
    if cached is not None and cached.files == files and cached.stamp == stamp:
        return cached
    try:
        kb = load(path)
        verification = read_lock(path)
    except KnowledgeBaseError as exc:
        raise ConfigError(f"proloevidence: {exc}") from exc
    state = _State(kb, verification, files, stamp)
    _STATES[str(path)] = state
    return state


def _parts(state: _State, style: str, document: str | None, **options: bool) -> PageParts:
    key = (style, document, tuple(sorted(options.items())))
    if key not in state.parts:
        state.parts[key] = page_parts(
            state.kb,
            fmt="rst",
            style=style,
            verification=state.verification,
            document=document,
            **options,
        )
    return state.parts[key]


def _log_notes(notes: tuple[Finding, ...], location: Any) -> None:
    for note in notes:
        text = f"{note.subject}: {note.message}"
        if note.severity is Severity.INFO:
            logger.info(text, location=location)
        else:
            logger.warning(text, type=WARNING_TYPE, subtype=note.code, location=location)


class _KbDirective(SphinxDirective):
    def state_of_kb(self) -> _State:
        state = _state(self.config)
        for file in state.files:
            self.env.note_dependency(file)
        return state

    def inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]


class ReferencesDirective(_KbDirective):
    """``.. proloevidence-references::`` -- the numbered reference list."""

    option_spec: ClassVar[dict[str, Any]] = {
        "style": directives.unchanged_required,
        "cited-only": directives.flag,
        "order": lambda arg: directives.choice(arg, ORDERS),
        "source": lambda arg: directives.choice(arg, ("cited", "verified")),
        "document": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        state = self.state_of_kb()
        source = self.options.get("source", "cited")
        if source == "verified" and state.verification is None:
            raise self.error(f"no verification lock at {lock_path(state.kb.path or '.')}")
        try:
            listing = reference_list(
                state.kb,
                style=self.options.get("style", self.config.proloevidence_style),
                fmt="rst",
                order=self.options.get("order", "document"),
                cited_only="cited-only" in self.options,
                source=source,
                verification=state.verification,
                document=self.options.get("document"),
            )
        except (StyleError, UnknownIdError, ValueError) as exc:
            raise self.error(f"proloevidence-references: {exc}") from exc
        _log_notes(listing.notes, self.get_location())
        return [self.reference_nodes(listing)]

    def reference_nodes(self, listing: ReferenceList) -> nodes.Element:
        numbered = bool(listing.entries) and listing.entries[0].number is not None
        container: nodes.Element = (
            nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
            if numbered
            else nodes.bullet_list(bullet="-")
        )
        container["classes"].append("proloevidence-references")
        for entry in listing.entries:
            container += nodes.list_item("", nodes.paragraph("", "", *self.inline(entry.text)))
        return container


class PageDirective(ReferencesDirective):
    """``.. proloevidence-page::`` -- the whole page: sections, statements, references."""

    option_spec: ClassVar[dict[str, Any]] = {
        "style": directives.unchanged_required,
        "annotate": directives.flag,
        "cited-only": directives.flag,
        "document": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        state = self.state_of_kb()
        try:
            parts = _parts(
                state,
                self.options.get("style", self.config.proloevidence_style),
                self.options.get("document"),
                annotate="annotate" in self.options,
                cited_only="cited-only" in self.options,
            )
        except (StyleError, UnknownIdError, ValueError) as exc:
            raise self.error(f"proloevidence-page: {exc}") from exc
        _log_notes(parts.references.notes, self.get_location())
        top = self.section(parts.title)
        stack: list[tuple[int, nodes.Element]] = [(1, top)]
        for block in parts.blocks:
            if isinstance(block, Heading):
                while stack[-1][0] >= block.level:
                    stack.pop()
                section = self.section(block.text)
                stack[-1][1].append(section)
                stack.append((block.level, section))
            elif isinstance(block, Paragraph):
                text = parts.writer.sentences(block.claims)
                stack[-1][1].append(nodes.paragraph("", "", *self.inline(text)))
            elif isinstance(block, BulletList):
                bullets = nodes.bullet_list(bullet="-")
                for item in block.items:
                    paragraph = nodes.paragraph("", "", *self.inline(parts.writer.sentences(item)))
                    bullets += nodes.list_item("", paragraph)
                stack[-1][1].append(bullets)
        references = self.section("References")
        references += self.reference_nodes(parts.references)
        top += references
        return [top]

    def section(self, title: str) -> nodes.Element:
        section = nodes.section()
        section += nodes.title(title, title)
        section["names"].append(nodes.fully_normalize_name(title))
        self.state.document.note_implicit_target(section, section)
        return section


class ClaimRole(SphinxRole):
    """``:proloevidence-claim:`ID``` -- the statement, verbatim, with its marker."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        state = _state(self.config)
        for file in state.files:
            self.env.note_dependency(file)
        try:
            claim = state.kb.claim(self.text.strip())
            parts = _parts(state, self.config.proloevidence_style, claim.document or None)
        except (UnknownIdError, StyleError, ValueError) as exc:
            message = self.inliner.reporter.error(f"proloevidence-claim: {exc}", line=self.lineno)
            problem = self.inliner.problematic(self.rawtext, self.rawtext, message)
            return [problem], [message]
        memo = types.SimpleNamespace(
            document=self.inliner.document,
            reporter=self.inliner.reporter,
            language=self.inliner.language,
        )
        parsed, messages = self.inliner.parse(
            parts.writer.statement(claim, first=False), self.lineno, memo, self.inliner.parent
        )
        node = nodes.inline(self.rawtext, "", *parsed, classes=["proloevidence-claim"])
        return [node], messages


def _config_inited(app: Sphinx, config: Config) -> None:
    # A relative path means relative to conf.py, as Sphinx's own paths do.
    if config.proloevidence_kb:
        config.proloevidence_kb = str((Path(app.confdir) / config.proloevidence_kb).resolve())


def _builder_inited(app: Sphinx) -> None:
    state = _state(app.config)
    for finding in statement_errors(state.kb, state.verification):
        logger.warning(
            f"{finding.subject}: {finding.message}",
            type=WARNING_TYPE,
            subtype=finding.code,
            location=_where(finding),
        )


def _where(finding: Finding) -> str | None:
    # Sphinx prints a location holding ":" as it is, and reads any other as a document name.
    where = finding.location
    return f"{where.file}:{where.line}" if where is not None and where.line else None


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration values, directives, role and checks."""
    app.add_config_value("proloevidence_kb", None, "env", types=(str, type(None)))
    app.add_config_value("proloevidence_style", DEFAULT_STYLE, "env", types=(str,))
    app.add_directive("proloevidence-references", ReferencesDirective)
    app.add_directive("proloevidence-page", PageDirective)
    app.add_role("proloevidence-claim", ClaimRole())
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    return {"version": package_version(), "parallel_read_safe": True, "parallel_write_safe": True}
