"""pandoc 3's citeproc, the CSL processor reference lists are rendered with: finding it, running it.

The binary comes from the ``pypandoc-binary`` wheel (a dependency), unless
``PROLOEVIDENCE_PANDOC`` names another; a ``pandoc`` on the PATH is used when the wheel is
absent and it is pandoc 3 or later (pandoc 2's citeproc renders differently). It is run
directly, never through a shell, with a timeout. Everything that goes wrong (no binary, a
failure, a timeout) is a :class:`~proloevidence.errors.CiteprocError` with a one-line message.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import CiteprocError

PANDOC_ENV = "PROLOEVIDENCE_PANDOC"
"""Environment variable: the path of the pandoc binary to render with."""

TIMEOUT = 60.0
"""Seconds a rendering may take, plus :data:`TIMEOUT_PER_ITEM` for each reference (pandoc
renders 10,000 references in about 10 s on a busy 2-core machine)."""

TIMEOUT_PER_ITEM = 0.01

_INSTALL = f"install pypandoc-binary (pip install pypandoc-binary) or set {PANDOC_ENV}"


def pandoc_binary() -> str:
    """The path of the pandoc binary to use; CiteprocError when there is none."""
    chosen = os.environ.get(PANDOC_ENV, "").strip()
    if chosen:
        if not Path(chosen).is_file():
            raise CiteprocError(f"{PANDOC_ENV} names {chosen}, which is not a file")
        return chosen
    return _found_binary()


@lru_cache(maxsize=1)
def _found_binary() -> str:
    wheel = _wheel_binary()
    if wheel is not None:
        return wheel
    on_path = shutil.which("pandoc")
    if on_path is not None and _major_version(on_path) >= 3:
        return on_path
    found = f" (the pandoc on the PATH, {on_path}, is older than 3)" if on_path else ""
    raise CiteprocError(f"reference lists need pandoc 3 and none was found{found}: {_INSTALL}")


def _wheel_binary() -> str | None:
    # find_spec locates the package without running its __init__ (which is slow to import).
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:
        return None
    name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
    for folder in spec.submodule_search_locations:
        binary = Path(folder) / "files" / name
        if binary.is_file():
            return str(binary)
    return None


def _major_version(binary: str) -> int:
    try:
        done = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return 0
    first = done.stdout.split("\n", 1)[0].split()  # "pandoc 3.9"
    try:
        return int(first[1].split(".")[0]) if len(first) > 1 else 0
    except ValueError:
        return 0


def run_citeproc(
    document: dict[str, Any],
    bibliography: Path,
    style: Path,
    *,
    what: str,
    labels: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> tuple[dict[str, Any], list[str]]:
    """Run pandoc's citeproc over ``document`` (a pandoc JSON AST) with the CSL-JSON file
    ``bibliography`` and the CSL file ``style``; the resulting AST and pandoc's warnings.

    ``what`` says what is rendered, for error messages (``the style 'ama' (path)``);
    ``labels`` replaces paths in pandoc's messages (temporary files) by what they hold.
    """
    binary = pandoc_binary()
    command = [
        binary,
        "--from=json",
        "--to=json",
        "--citeproc",
        f"--bibliography={bibliography}",
        f"--csl={style}",
        "--metadata=link-bibliography:false",
    ]
    try:
        done = subprocess.run(
            command,
            input=json.dumps(document),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CiteprocError(
            f"pandoc ({binary}) did not finish rendering {what} within {timeout:g} s"
        ) from None
    except OSError as exc:
        raise CiteprocError(f"cannot run pandoc ({binary}): {exc.strerror or exc}") from None
    stderr = done.stderr
    for path, label in (labels or {}).items():
        stderr = stderr.replace(path, label)
    said = [line.strip() for line in stderr.splitlines() if line.strip()]
    if done.returncode != 0:
        why = " ".join(said) or f"exit status {done.returncode}"
        raise CiteprocError(f"pandoc ({binary}) failed rendering {what}: {why}")
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        raise CiteprocError(f"pandoc ({binary}) wrote no readable document") from None
    warnings = [line.removeprefix("[WARNING]").strip() for line in said]
    return result, warnings
