"""Sphinx configuration for pyriver's documentation (``make docs``).

Sphinx rather than mkdocs: pyriver's docstrings are reStructuredText with
cross-references (``:class:`~pyriver.Client```), which autodoc renders and
links as written; the README and the other Markdown pages come in through
MyST. The build runs with warnings as errors in ``make test``."""

from __future__ import annotations

import pyriver

project = "pyriver"
release = pyriver.__version__
version = release
copyright = "pyriver contributors"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.viewcode"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

# "#enqueue-in-your-transaction" links in the README, as GitHub makes them.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True, "show-inheritance": False}
# Sphinx cannot resolve types from other projects without network access
# (intersphinx); unresolved types are shown as written, not warned about.
nitpicky = False

html_theme = "furo"
html_title = f"pyriver {release}"
