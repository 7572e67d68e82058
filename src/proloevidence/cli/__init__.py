"""The ``proloevidence`` command line; each command module registers itself on import."""

from __future__ import annotations

from . import audit_commands, kb_commands, verify_commands  # noqa: F401  (register commands)
from .app import cli, main

__all__ = ["cli", "main"]
