"""The ``proloevidence`` command line; each command module registers itself on import."""

from __future__ import annotations

from . import doc_commands, kb_commands  # noqa: F401  (registers commands)
from .app import cli, main

__all__ = ["cli", "main"]
