"""Judging references against the services' records, the lock, and the fixes they imply.

Holds: ``verdicts`` (``verify`` and ``judge``: one status per reference), ``matching`` (one
work in two records, and the suggestion), ``notices`` (retractions and corrections, ranked),
``compare`` (field by field, as printed against as found), ``lock`` (``verification.json``),
``outdated`` (which results no longer describe their reference), ``fix`` (corrections to
``references.bib`` as a diff, applied on request).

Named ``verifying`` so that ``proloevidence.verify`` stays the function.

May import: ``services``, ``kb``, ``text`` and the ground floor.
"""
