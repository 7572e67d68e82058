"""Write files so that a reader sees the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import OutputError


def write_text_atomic(path: str | os.PathLike[str], text: str, *, backup: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file, fsync and rename.

    With ``backup`` an existing file is first copied to ``<name>.bak``. Raises
    :class:`OutputError` naming the path when it cannot be written; the old file stays.
    """
    return write_bytes_atomic(path, text.encode("utf-8"), backup=backup)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> Path:
    """Bytes twin of :func:`write_text_atomic`."""
    target = Path(path)
    tmp_name = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if backup and target.exists():
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, tmp_name)
        os.replace(tmp_name, target)
        tmp_name = ""
        _fsync_dir(target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target


def _fsync_dir(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX).
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_text_atomic(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text file to write in pieces that appears at ``path`` whole, or not at all.

    The twin of :func:`write_text_atomic` for content too large to hold in memory at once:
    written to a temporary file beside ``path``, fsynced and renamed when the block ends
    without an exception. Raises :class:`OutputError` naming the path.
    """
    target = Path(path)
    tmp_name = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, tmp_name)
        os.replace(tmp_name, target)
        tmp_name = ""
        _fsync_dir(target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
