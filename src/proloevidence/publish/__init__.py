"""Doc builds: numbered reference lists in CSL styles, the rebuilt page, exports, Sphinx.

Holds: ``numbering`` (order of first citation), ``csl_items`` (references as CSL-JSON,
with ``csl_names`` for name parts and ``csl_dates`` for dates),
``styles`` (CSL style files by short name), ``csl_render`` (citeproc), ``list_entries``
(each reference as cited or as verified), ``reference_list`` (``reference_list``),
``rebuilt_page`` (``render_page``), ``bibtex_export`` / ``ris_export`` and ``sphinx`` (the
Sphinx extension, also importable as ``proloevidence.sphinx``).

May import: ``auditing``, ``verifying``, ``services``, ``kb``, ``text`` and the ground floor.
"""
