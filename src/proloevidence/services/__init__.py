"""The services: Crossref, doi.org and PubMed asked through one HTTP seam.

Holds: ``http`` (the one place that sends requests: limits, retries, deadlines, size bounds),
``http_faults`` (what went wrong, in words, and whether to retry), ``deadline`` (one deadline
per request, status line and headers included), ``redirects`` (what a redirect may make us
send, and to whom),
``rate_limit`` (per-service pace and concurrency), ``lookup_cache`` (what the services
answered, per identifier, in SQLite), ``payloads`` (reading their payloads safely),
``crossref_records`` / ``doiorg_records`` / ``pubmed_records`` (payloads as plain records),
``crossref_lane`` / ``pubmed_lane`` (batched requests per service), ``run_state`` (one
resolution run's shared state) and ``resolver`` (:class:`Resolver`: one lookup per reference).

A Crossref answer becomes a :class:`~proloevidence.verification.Record` here; it becomes a
verdict in :mod:`proloevidence.verifying`.

May import: ``proloevidence.text`` and the ground floor. Never ``kb`` or anything above it.
"""
