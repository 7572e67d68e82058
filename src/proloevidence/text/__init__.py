"""Pure text helpers used everywhere: markup, LaTeX, titles, names, citation markers, sentences.

Holds: ``markup`` (stripping, escaping, citeproc formatters), ``latex`` (LaTeX to Unicode),
``rich_text`` (LaTeX to CSL rich text: nocase spans, ``<i>``, Unicode math, and back),
``titles`` (folding and title similarity), ``names`` (when two spellings name one person or
journal), ``markers`` (printed citation markers and back), ``sentences`` (a paragraph into
sentences with their markers), ``bounded_parsing`` (JSON and XML refused when nested too deep).

May import: the ground floor (``proloevidence.model``, ``errors``, ...) and nothing else of the
package. No I/O.
"""
