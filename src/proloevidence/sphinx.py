"""``extensions = ["proloevidence.sphinx"]``: the Sphinx extension at its documented name.

The extension lives in :mod:`proloevidence.publish.sphinx`; this name stays so that every
``conf.py`` written for it keeps working.
"""

from __future__ import annotations

from .publish.sphinx import setup, statement_errors

__all__ = ["setup", "statement_errors"]
