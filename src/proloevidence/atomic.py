"""Write files so that a reader sees the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, TextIO

from .errors import OutputError


def write_text_atomic(path: str | os.PathLike[str], text: str, *, backup: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file, fsync and rename.

    With ``backup`` an existing file is first copied to ``<name>.bak`` (itself through a
    temporary file, so the backup is always whole). A new file gets the permissions
    ``open()`` would give it (0o666 less the umask), an existing one keeps its own. Raises
    :class:`OutputError` naming the path when it cannot be written; the old file stays.
    """
    return write_bytes_atomic(path, text.encode("utf-8"), backup=backup)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> Path:
    """Bytes twin of :func:`write_text_atomic`."""
    target = Path(path)
    try:
        if backup and target.exists():
            _backup(target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    with _replacing(target, "wb") as handle:
        handle.write(data)
    return target


def _umask() -> int:
    # The umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _backup(target: Path) -> None:
    # Copied to a temporary file and renamed like the write itself: a crash mid-copy
    # must not leave half a backup in place of the previous, whole one.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak.tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle, open(target, "rb") as source:
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copystat(target, tmp_name)
        os.replace(tmp_name, target.with_name(target.name + ".bak"))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


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
    with _replacing(Path(path), "w") as handle:
        yield handle


@contextlib.contextmanager
def _replacing(target: Path, mode: Literal["w", "wb"]) -> Iterator[Any]:
    # The one way every write here reaches the disk: a temporary file beside the target,
    # written, fsynced, given the permissions open() would give (or the old file's), renamed
    # over the target, and the rename made durable. Any OSError: OutputError, old file kept.
    tmp_name = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        handle: IO[Any] = (
            os.fdopen(fd, "wb")
            if mode == "wb"
            else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, tmp_name)
        else:  # mkstemp makes 0o600; a report nobody else can read would surprise.
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
        tmp_name = ""
        _fsync_dir(target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
