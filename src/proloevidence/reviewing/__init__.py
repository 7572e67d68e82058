"""The editor's review: each statement read against its sources, in a browser on 127.0.0.1.

Holds: ``review_queue`` (the links still to read, in order, with a ``rank`` hook), ``terms``
(where to mark the concepts the audit's relevance signal finds shared), ``page`` and
``page_assets`` (the page, self-contained, with its Content-Security-Policy) and ``server``
(the local server: token, Host and Origin checks). The judgement itself is written by
``kb.claims_editor``.

May import: ``auditing``, ``verifying``, ``kb``, ``text`` and the ground floor.
"""
