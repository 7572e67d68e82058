"""Sphinx configuration: the project's documentation, built with its own extension.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (tests/test_sphinx.py does, with -W).
"""

from __future__ import annotations

project = "proloevidence"
author = "proloevidence developers"
extensions = ["myst_parser", "proloevidence.sphinx"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3

# The bundled knowledge base, rendered as the page "prolotherapy" (page.rst).
proloevidence_kb = "../src/proloevidence/data"
proloevidence_style = "vancouver"

# The bundled page is the worked example of a page with unsupported statements: the docs
# show them (annotated on the rendered page) instead of failing the build on them. A real
# documentation project leaves these warnings on, so `sphinx-build -W` fails on them.
# The docs also show abbreviated JSON samples ("..."), which Pygments cannot lex strictly.
suppress_warnings = ["proloevidence", "misc.highlighting_failure"]

html_theme = "alabaster"
html_title = "proloevidence"
