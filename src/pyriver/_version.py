"""pyriver's version, the one place it is set (pyproject.toml reads it), and
the River release the Go library embeds (checked against the library's own
build information by the tests)."""

__version__ = "0.1.0"
RIVER_VERSION = "v0.51.2"
