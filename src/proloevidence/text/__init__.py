"""Pure text helpers used everywhere: markup, LaTeX, titles, names, citation markers, sentences,
key concepts.

Holds: ``markup`` (stripping, escaping, reST roles), ``latex`` (LaTeX to Unicode),
``rich_text`` (LaTeX to CSL rich text: nocase spans, ``<i>``, Unicode math, and back),
``titles`` (folding and title similarity), ``names`` (when two spellings name one person or
journal), ``markers`` (printed citation markers and back), ``sentences`` (a paragraph into
sentences with their markers), ``concepts`` (a statement's key concepts, stemmed, and which
of them another text shares), ``bounded_parsing`` (JSON and XML refused when nested too deep).

May import: the ground floor (``proloevidence.model``, ``errors``, ...) and nothing else of the
package. No I/O.
"""
