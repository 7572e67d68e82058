"""A page into a draft knowledge base: reading it, its sentences, references and ids.

Holds: ``page_import`` (``import_page``, ``import_file``, ``write_draft``), ``page_structure``
(title, headings, blocks and reference list of a text page), ``markdown_page`` /
``html_page`` (the other page formats into the same blocks), ``furniture`` (navigation,
update notices and a table of contents left out), ``marker_reading`` (which printed numbers
are citations on the whole page), ``drafting`` (statements and references from the blocks,
and what needs an editor's eye), ``reference_parser`` (one printed reference into fields;
``reference_styles`` the PLoS and IEEE styles, ``reference_fields`` what they share),
``ids`` (ids and keys an import gives), ``kinds`` (a first guess at a statement's kind) and
``add_references`` (references added by DOI or PMID, looked up through the resolver).

May import: ``kb``, ``services`` (``add_references`` only), ``text`` and the ground floor.
"""
