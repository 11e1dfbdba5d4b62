"""Check the API reference after ``make docs``: every public name of pyriver
is in it, and every public class, method, property and dataclass field has a
docstring (enum members excepted: their values are their documentation).

    python tools/check_docs.py build/docs
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import posixpath
import sys
from pathlib import Path
from types import ModuleType

from sphinx.pycode import ModuleAnalyzer
from sphinx.util.inventory import InventoryFile

import pyriver
import pyriver.otel
import pyriver.testing
import pyriver.ui

SUBMODULES: list[ModuleType] = [pyriver.testing, pyriver.otel, pyriver.ui]


def public_objects() -> dict[str, object]:
    """Everything a user reaches by a public name: ``pyriver.X`` and the
    public names defined in the documented submodules."""
    names = {f"pyriver.{name}": getattr(pyriver, name) for name in pyriver.__all__}
    for module in SUBMODULES:
        exported = getattr(module, "__all__", None)
        for name, value in vars(module).items():
            if exported is not None and name not in exported:
                continue
            if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__:
                names[f"{module.__name__}.{name}"] = value
    return names


def field_docs(cls: type) -> dict[str, list[str]]:
    """Attribute docstrings of ``cls`` and its bases, from their source."""
    docs: dict[str, list[str]] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("pyriver"):
            attributes = ModuleAnalyzer.for_module(klass.__module__).find_attr_docs()
            docs.update({name: doc for (owner, name), doc in attributes.items() if owner == klass.__qualname__})
    return docs


def undocumented(name: str, value: object) -> list[str]:
    if not inspect.isclass(value):
        return [] if inspect.getdoc(value) or not callable(value) else [name]
    missing = [] if value.__doc__ else [name]
    if issubclass(value, enum.Enum):
        return missing
    documented_fields = field_docs(value)
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if not field.name.startswith("_") and field.name not in documented_fields:
                missing.append(f"{name}.{field.name}")
    for member_name, member in inspect.getmembers(value):
        if member_name.startswith("_") or member_name in documented_fields:
            continue
        defined_in = next((k for k in value.__mro__ if member_name in vars(k)), None)
        if defined_in is None or not defined_in.__module__.startswith("pyriver"):
            continue  # inherited from Exception, enum, Generic...
        raw = vars(defined_in)[member_name]
        if isinstance(raw, (property, staticmethod, classmethod)) or inspect.isfunction(raw):
            if not inspect.getdoc(raw):
                missing.append(f"{name}.{member_name}")
    return missing


def main(site: Path) -> int:
    with (site / "objects.inv").open("rb") as inventory:
        documented = {
            name for entries in InventoryFile.load(inventory, "", posixpath.join).values() for name in entries
        }
    problems = []
    for name, value in sorted(public_objects().items()):
        if name not in documented:
            problems.append(f"not in the API reference: {name}")
        problems += [f"no docstring: {missing}" for missing in undocumented(name, value)]
    print("\n".join(problems) or f"API reference: {len(public_objects())} public names, all documented")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
