"""Helpers shared by the unit, integration and interop tests."""
