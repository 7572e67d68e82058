"""Progress in references: a reference is done when every answer it waits for has arrived.

Work happens in batches and chains (Crossref lacks a DOI -> ask doi.org; esearch finds a
PMID -> fetch it), so "done" is tracked per reference as a set of pending tasks that may
grow until the last one resolves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping

Task = Hashable


class Progress:
    """Counts references whose pending tasks are all resolved; reports ``(done, total)``.

    The callback runs under a lock, so it is never called twice at once even though
    tasks finish on worker threads.
    """

    def __init__(
        self,
        needs: Mapping[str, Iterable[Task]],
        callback: Callable[[int, int], None] | None = None,
    ) -> None:
        self._callback = callback
        self._lock = threading.Lock()
        self._pending: dict[str, set[Task]] = {}
        self._waiting: dict[Task, set[str]] = {}
        self._resolved: set[Task] = set()
        self.total = len(needs)
        self.done = 0
        for ref, tasks in needs.items():
            self._pending[ref] = set(tasks)
            for task in self._pending[ref]:
                self._waiting.setdefault(task, set()).add(ref)
        self.done = sum(1 for tasks in self._pending.values() if not tasks)
        self._report()

    def chain(self, parent: Task, children: Iterable[Task]) -> None:
        """References waiting for ``parent`` also wait for ``children`` (unless resolved)."""
        with self._lock:
            refs = self._waiting.get(parent, set())
            for child in children:
                if child in self._resolved:
                    continue
                for ref in refs:
                    self._pending[ref].add(child)
                self._waiting.setdefault(child, set()).update(refs)

    def resolve(self, tasks: Iterable[Task]) -> None:
        """Mark ``tasks`` finished (answered, failed or skipped)."""
        with self._lock:
            before = self.done
            for task in tasks:
                self._resolved.add(task)
                for ref in self._waiting.pop(task, set()):
                    pending = self._pending[ref]
                    if task in pending:
                        pending.discard(task)
                        if not pending:
                            self.done += 1
            if self.done != before:
                self._report_locked()

    def finish(self) -> None:
        """Report completion even if some chain was never resolved (a cancelled run)."""
        with self._lock:
            if self.done != self.total:
                self.done = self.total
                self._report_locked()

    def _report(self) -> None:
        with self._lock:
            self._report_locked()

    def _report_locked(self) -> None:
        if self._callback is not None:
            self._callback(self.done, self.total)
