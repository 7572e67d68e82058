"""The knowledge base: a folder's files read and written, :class:`KnowledgeBase`, its graph.

Holds: ``knowledge_base`` (``load``, ``KnowledgeBase`` and its queries), ``folder`` (which files
of a folder are read, the checks across them), ``claims_reader`` / ``claims_fast_reader`` /
``claims_schema`` / ``yaml_nodes`` (``claims.yaml`` with positions, and the fast path),
``claims_writer``, ``claims_editor`` (an editor's judgement of one link written in place,
``assess``), ``bib_reader`` / ``bib_writer`` / ``bib_editor`` (``references.bib`` read,
written, edited in place) with the reader's stages ``bib_macros`` (``@string``, ``#``),
``bib_names``, ``bib_inheritance`` (``crossref``, ``xdata``; ``bib_cross_file``: a
``crossref`` parent in another file), ``bib_entries`` (an entry as a
``Reference``), ``bib_fields`` (which fields are read, used, checked) and ``bib_text_checks``
(what BibTeX would skip in silence), ``input_limits`` (bounds on what a user gives us),
``parse_cache`` / ``parse_cache_entries`` (each file parsed once per content), ``graph`` /
``graph_csv`` / ``json_shapes`` (the networkx graph and its exports).

May import: ``proloevidence.text`` and the ground floor. Never ``services`` or anything above.
"""
