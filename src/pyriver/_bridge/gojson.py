"""JSON written byte for byte as Go's ``encoding/json`` writes the same values.

River computes unique-by-args keys from the args' bytes, and a Go program
inserting the same struct must produce the same key as Python. So args are
encoded as Go's ``json.Marshal`` encodes the Go struct a dataclass mirrors:

* a dataclass is a struct: its fields in declaration order;
* a dict is a ``map[string]T``: keys sorted, as Go sorts map keys;
* strings are raw UTF-8, with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped
  as ``\\u003c``-style sequences and control characters as Go escapes them;
* floats use Go's shortest round-trip digits, in fixed notation from 1e-6 up
  to 1e21 and in exponent notation (``1e-7``, ``1e+21``) outside it, and a
  whole float has no fraction (``2.0`` is ``2``);
* ints, bools and ``None`` as JSON has them.

NaN, infinities and any other type raise ``TypeError``/``ValueError``.

A dataclass field with ``metadata={"river": "unique"}`` is Go's
``river:"unique"`` struct tag: ``go_unique_fields`` builds the object of
those fields that River keys unique-by-args jobs on for such a struct.
"""

from __future__ import annotations

import dataclasses
import math
from json.encoder import encode_basestring
from typing import Any

# What Go escapes beyond JSON's own escapes. (Lone surrogates, which no Go
# string holds, are refused before anything is sent: check_storable_text.)
_GO_STRING_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _go_string(text: str) -> str:
    return encode_basestring(text).translate(_GO_STRING_ESCAPES)


def go_json(value: Any) -> str:
    """``value`` as Go's ``json.Marshal`` writes the Go value it mirrors."""
    parts: list[str] = []
    _encode(value, parts)
    return "".join(parts)


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_go_string(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(go_float(value))
    elif isinstance(value, dict):
        _encode_object(sorted(value.items(), key=_map_key), out)
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _encode_object(((field.name, getattr(value, field.name)) for field in dataclasses.fields(value)), out)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _map_key(item: tuple[Any, Any]) -> str:
    key = item[0]
    if not isinstance(key, str):
        raise TypeError(f"keys must be str, not {type(key).__name__}")
    # Go sorts map keys by their UTF-8 bytes, which is code point order.
    return key


def _encode_object(items: Any, out: list[str]) -> None:
    out.append("{")
    for i, (key, item) in enumerate(items):
        if i:
            out.append(",")
        out.append(_go_string(key))
        out.append(":")
        _encode(item, out)
    out.append("}")


def go_float(value: float) -> str:
    """A float64 as Go's encoding/json writes it."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that read back as the same float, as
    # Go's strconv does; only the notation differs.
    mantissa, _, exponent = float.__repr__(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    # The value is 0.<digits> x 10**point.
    point = len(whole) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    if 1e-6 <= abs(value) < 1e21:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    power = point - 1
    fraction_digits = f".{digits[1:]}" if len(digits) > 1 else ""
    # strconv writes at least two exponent digits; encoding/json trims e-07 to e-7.
    written_power = f"-{-power}" if power < 0 else f"+{power:02d}"
    return f"{sign}{digits[0]}{fraction_digits}e{written_power}"


def go_unique_fields(args: Any) -> str | None:
    """The JSON River keys unique-by-args on for a Go struct with fields
    tagged ``river:"unique"``: those fields' values, at their paths through
    nested structs, in path order. None when no field is marked."""
    fields = _unique_fields(args, ())
    if not fields:
        return None
    fields.sort(key=lambda field: ".".join(field[0]))
    root: dict[str, Any] = {}
    for path, value in fields:
        node = root
        for component in path[:-1]:
            node = node.setdefault(component, {})
        node[path[-1]] = go_json(value)
    return _encode_built(root)


def _unique_fields(value: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    for field in dataclasses.fields(value):
        child = getattr(value, field.name)
        child_path = (*path, field.name)
        # As River does for a struct field: its own marked fields if it has
        # any, otherwise the whole field if the field itself is marked.
        if dataclasses.is_dataclass(child) and not isinstance(child, type):
            nested = _unique_fields(child, child_path)
            if nested:
                found.extend(nested)
                continue
        if _marked_unique(field):
            found.append((child_path, child))
    return found


def _marked_unique(field: dataclasses.Field[Any]) -> bool:
    tag = field.metadata.get("river")
    return isinstance(tag, str) and "unique" in (part.strip() for part in tag.split(","))


def _encode_built(node: dict[str, Any]) -> str:
    """An object built in go_unique_fields, in insertion order: nested
    objects are dicts, values already encoded."""
    members = (
        _go_string(key) + ":" + (_encode_built(value) if isinstance(value, dict) else value)
        for key, value in node.items()
    )
    return "{" + ",".join(members) + "}"
