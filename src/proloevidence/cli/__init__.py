"""The ``proloevidence`` command line; each command module registers itself on import."""

from __future__ import annotations

from . import (  # noqa: F401  (each module registers its commands)
    add_command,
    audit_commands,
    doc_commands,
    import_command,
    kb_commands,
    review_commands,
    verify_commands,
)
from .app import cli, main

__all__ = ["cli", "main"]
