"""Test helper run as a subprocess by tests/test_atomic.py, to be killed with SIGKILL.

    python atomic_writer.py TARGET steps PAUSE_AT [backup]
        write new_content(1) over TARGET once, printing each step of write_bytes_atomic
        as it is reached; at PAUSE_AT print "paused" and sleep until killed ("-": no
        pause, which lists the steps).
    python atomic_writer.py TARGET naive PAUSE_AT
        the same with a plain open()/write(), to show the harness sees a torn write.
    python atomic_writer.py TARGET loop - [backup]
        print "ready", then write new_content(1), new_content(2), ... over TARGET forever.

The steps are announced by wrapping the functions proloevidence.atomic calls (this process
is thrown away, so patching them here is harmless).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from typing import Any

from proloevidence import atomic

SIZE = 8 * 1024 * 1024


def new_content(generation: int) -> bytes:
    """A large content whose every byte says which generation wrote it."""
    head = f"generation {generation}\n".encode()
    return head + bytes([65 + generation % 26]) * (SIZE - len(head))


SEEN: dict[str, int] = {}


def announce(step: str, pause_at: str) -> None:
    # A step met twice (fsync of the backup, of the file, of the folder) is "step#2".
    SEEN[step] = SEEN.get(step, 0) + 1
    name = step if SEEN[step] == 1 else f"{step}#{SEEN[step]}"
    print(name, flush=True)
    if name == pause_at:
        print("paused", flush=True)
        time.sleep(600)


def instrument(pause_at: str) -> None:
    real_mkstemp, real_fsync, real_replace = tempfile.mkstemp, os.fsync, os.replace
    real_fdopen = os.fdopen

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        result = real_mkstemp(*args, **kwargs)
        announce("after-mkstemp", pause_at)
        return result

    def fsync(fd: int) -> None:
        announce("before-fsync", pause_at)
        real_fsync(fd)
        announce("after-fsync", pause_at)

    def replace(src: Any, dst: Any) -> None:
        announce("before-replace", pause_at)
        real_replace(src, dst)
        announce("after-replace", pause_at)

    class HalfWriter:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            if len(data) < SIZE:  # only the one big write of the new content
                return int(self.handle.write(data))
            half = len(data) // 2
            self.handle.write(data[:half])
            self.handle.flush()
            announce("mid-write", pause_at)
            return half + self.handle.write(data[half:])

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return HalfWriter(real_fdopen(fd, *args, **kwargs))

    def copyfileobj(source: Any, target: Any, *args: Any) -> None:
        data = source.read()
        target.write(data[: len(data) // 2])
        target.flush()
        announce("mid-backup", pause_at)
        target.write(data[len(data) // 2 :])

    tempfile.mkstemp = mkstemp
    os.fsync = fsync
    os.replace = replace
    os.fdopen = fdopen
    shutil.copyfileobj = copyfileobj


def naive_write(target: str, data: bytes, pause_at: str) -> None:
    with open(target, "wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        announce("mid-write", pause_at)
        handle.write(data[len(data) // 2 :])


def main() -> None:
    target, mode, pause_at = sys.argv[1:4]
    backup = "backup" in sys.argv[4:]
    if mode == "steps":
        instrument(pause_at)
        atomic.write_bytes_atomic(target, new_content(1), backup=backup)
        print("done", flush=True)
    elif mode == "naive":
        naive_write(target, new_content(1), pause_at)
        print("done", flush=True)
    else:
        print("ready", flush=True)
        generation = 1
        while True:
            atomic.write_bytes_atomic(target, new_content(generation), backup=backup)
            generation += 1


if __name__ == "__main__":
    main()
