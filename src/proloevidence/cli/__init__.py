"""The ``proloevidence`` command line; each command module registers itself on import."""

from __future__ import annotations

from . import import_command, kb_commands  # noqa: F401  (registers commands)
from .app import cli, main

__all__ = ["cli", "main"]
