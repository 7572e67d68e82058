"""Acting as an ordinary user in tests that run as root (CI does): file permissions then bite.

``unprivileged()`` switches the effective user to ``nobody`` for a block; the ``shared_dir``
fixture (conftest.py) is a temporary folder that ``nobody`` can enter.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Act as an ordinary user: root ignores a folder's missing write permission."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)  # nobody
    try:
        yield
    finally:
        os.seteuid(0)
