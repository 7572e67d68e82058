"""The editor's audit: checks, finding codes, evidence grades and the report in every form.

Holds: ``audit_report`` (``audit`` and :class:`AuditReport`), ``finding_codes`` (each code's
severity, meaning and fix), ``statement_checks`` / ``reference_checks``, ``evidence_grades``
(levels of evidence), ``relevance`` (whether a source shares the statement's key
concepts), ``annotations`` (what an editor needs beside a statement),
``report`` (text, JSON, Markdown), ``report_html`` (one self-contained page) and
``report_wording`` (the words both share).

Named ``auditing`` so that ``proloevidence.audit`` stays the function.

May import: ``verifying``, ``services``, ``kb``, ``text`` and the ground floor.
"""
