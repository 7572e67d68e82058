"""Bounds on the files a user gives us, so a hostile file costs one clear problem, not memory.

Two bounds, both reported as :class:`Problem` values naming the file (the loaders never
raise for content):

- **size**: a knowledge base file larger than :func:`max_input_bytes` (64 MiB unless
  ``$PROLOEVIDENCE_MAX_INPUT_BYTES`` says otherwise) is refused before it is parsed;
- **YAML aliases**: ``*name`` (with its ``&name`` anchor) lets a few hundred bytes stand for
  billions of values (the "billion laughs"); a claims file is plain data, so every alias
  is refused with its line, and nothing is expanded.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, BinaryIO

from ..errors import Problem
from ..model import SourceLocation

if TYPE_CHECKING:  # YAML is imported when a claims file is read, not by every load
    import yaml

DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The default size bound of one knowledge base file: 64 MiB, far above any real page."""

MAX_INPUT_BYTES_ENV = "PROLOEVIDENCE_MAX_INPUT_BYTES"
"""Environment variable that sets the size bound, in bytes."""

UNREADABLE = frozenset({"bad-limit", "unreadable", "too-large", "encoding"})
"""The codes of the problems :func:`read_input_text` gives: the file's content is unknown."""

MAX_ALIAS_PROBLEMS = 20
"""Aliases reported one by one; beyond this, one more problem gives the count."""


LARGEST_MAX_INPUT_BYTES = 1 << 30
"""The largest size bound one may set: 1 GiB. A larger one would be no bound at all (the file
is read into memory, and BibTeX parses at a few µs a character: hours for a GiB)."""


def max_input_bytes() -> int:
    """The size bound in bytes: ``$PROLOEVIDENCE_MAX_INPUT_BYTES`` when set, else 64 MiB.

    Raises ValueError, naming the allowed range, when the variable is set to anything but a
    whole number of bytes from 1 to :data:`LARGEST_MAX_INPUT_BYTES`.
    """
    raw = os.environ.get(MAX_INPUT_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_INPUT_BYTES
    digits = raw.lstrip("0")  # int() of over 4,300 digits would raise: the length first
    if not (raw.isascii() and raw.isdigit() and digits and len(digits) <= 10) or (
        int(digits) > LARGEST_MAX_INPUT_BYTES
    ):
        raise ValueError(
            f"${MAX_INPUT_BYTES_ENV}={raw[:40]!r} is out of range: give a whole number of "
            f"bytes from 1 to {LARGEST_MAX_INPUT_BYTES} ({_size(LARGEST_MAX_INPUT_BYTES)})"
        )
    return int(raw)


def read_input_text(path: str | os.PathLike[str], limit: int | None = None) -> str | Problem:
    """Read a UTF-8 text file within the size bound, or say why it cannot be used.

    ``limit`` defaults to :func:`max_input_bytes`. A leading BOM is dropped and line ends
    are made ``\\n`` (as text mode would). Returns a :class:`Problem` (never raises) for a
    file that cannot be opened, is not a regular file, is larger than the bound, or is not
    UTF-8 (with the line of the first bad byte).
    """
    file = str(path)
    try:
        bound = max_input_bytes() if limit is None else limit
    except ValueError as exc:
        return Problem(SourceLocation(file), str(exc), code="bad-limit")
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                # A FIFO or a device would block or never end.
                return Problem(SourceLocation(file), "not a regular file", code="unreadable")
            data = b"" if info.st_size > bound else _read_bounded(handle, info.st_size, bound)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Problem(SourceLocation(file), f"cannot read the file: {reason}", code="unreadable")
    if info.st_size > bound or len(data) > bound:
        return Problem(
            SourceLocation(file),
            f"the file is larger than the limit of {_size(bound)}",
            f"split it, or raise the limit with ${MAX_INPUT_BYTES_ENV}",
            "too-large",
        )
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return Problem(
            SourceLocation(file, line, column),
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            "save the file as UTF-8",
            "encoding",
        )
    if text.startswith(BOM):
        # Two files pasted together, or an editor adding its BOM to one already there.
        return Problem(
            SourceLocation(file, 1, 1),
            "a second byte-order mark (U+FEFF) at the start of the file",
            "save the file as UTF-8 with at most one byte-order mark",
            "encoding",
        )
    return text


BOM = "\ufeff"


def _read_bounded(handle: BinaryIO, size: int, bound: int) -> bytes:
    # read(n) allocates n bytes up front, so ask for the size fstat gave, not the bound;
    # then read on in small chunks, up to the bound, in case the file grew meanwhile.
    data = handle.read(size + 1)
    while len(data) <= bound:
        more = handle.read(min(1 << 20, bound + 1 - len(data)))
        if not more:
            break
        data += more
    return data


def yaml_alias_problems(
    text: str, file: str, loader: type[yaml.SafeLoader] | None = None
) -> list[Problem]:
    """A problem for each YAML alias (``*name``) in ``text``, with its line; [] when none.

    Only tokens are scanned, so an alias bomb is never expanded. Call it on text that
    composes; a scanner error here yields no problem (the composer reports it).
    """
    if "*" not in text:  # Every alias starts with '*': most files skip the scan.
        return []
    import yaml

    aliases: list[yaml.AliasToken] = []
    try:
        for token in yaml.scan(text, Loader=loader or yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                aliases.append(token)
    except yaml.YAMLError:
        pass
    hint = "claims files hold plain data: write the value out instead of '&anchor' and '*alias'"
    problems = [
        Problem(
            SourceLocation(file, token.start_mark.line + 1, token.start_mark.column + 1),
            f"YAML alias *{token.value} is not allowed",
            hint,
            "yaml-alias",
        )
        for token in aliases[:MAX_ALIAS_PROBLEMS]
    ]
    if len(aliases) > MAX_ALIAS_PROBLEMS:
        last = aliases[MAX_ALIAS_PROBLEMS]
        problems.append(
            Problem(
                SourceLocation(file, last.start_mark.line + 1, last.start_mark.column + 1),
                f"{len(aliases) - MAX_ALIAS_PROBLEMS} more YAML aliases from here on",
                hint,
                "yaml-alias",
            )
        )
    return problems


def _size(count: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor and count % factor == 0:
            return f"{count // factor} {unit}"
    return f"{count} bytes"
