"""The knowledge base: a folder's files read and written, :class:`KnowledgeBase`, its graph.

Holds: ``knowledge_base`` (``load``, ``KnowledgeBase`` and its queries), ``folder`` (which files
of a folder are read, the checks across them), ``claims_reader`` / ``claims_fast_reader`` /
``claims_schema`` / ``yaml_nodes`` (``claims.yaml`` with positions, and the fast path),
``claims_writer``, ``bib_reader`` / ``bib_writer`` / ``bib_editor`` (``references.bib`` read,
written, edited in place), ``bib_text_checks`` (what BibTeX would skip in silence),
``input_limits`` (bounds on what a user gives us), ``parse_cache`` / ``parse_cache_entries``
(each file parsed once per content), ``graph`` / ``graph_csv`` / ``json_shapes`` (the
networkx graph and its exports).

May import: ``proloevidence.text`` and the ground floor. Never ``services`` or anything above.
"""
