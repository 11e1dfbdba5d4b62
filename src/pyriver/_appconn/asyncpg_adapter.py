"""asyncpg, which binds parameters and returns rows in PostgreSQL's binary
format, converted to and from Python types it chooses by each parameter's and
column's type.

River's statements are written for database/sql (riverdatabasesql): arrays
travel as text literals, and River reads results in text format. So each
parameter is converted to the Python value asyncpg's codec for the
server-inferred type takes, and each result value back to PostgreSQL's text
format, which Go decodes as for the other PostgreSQL drivers.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from .asynchronous import AsyncConnectionAdapter
from .values import python_arg

_INTEGER_TYPES = {"int2", "int4", "int8", "oid"}
_FLOAT_TYPES = {"float4", "float8"}
_JSON_TYPES = {"json", "jsonb"}


class AsyncpgAdapter(AsyncConnectionAdapter):
    dialect = {"database": "postgres", "pyformat": False}

    def __init__(self, conn: Any, asyncpg: Any) -> None:
        self._conn = conn
        self.database_errors = (asyncpg.PostgresError, asyncpg.InterfaceError)

    async def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        if not statement["args"] and not statement["returns_rows"]:
            # Possibly several statements (River's migrations), which only
            # the simple query protocol takes.
            return {"rows_affected": _rows_affected(await self._conn.execute(statement["sql"]))}
        # Prepared statements are cached by asyncpg, so preparing each time
        # costs a round trip only the first time a statement is seen.
        prepared = await self._conn.prepare(statement["sql"])
        args = [
            _asyncpg_arg(python_arg(arg), parameter)
            for arg, parameter in zip(statement["args"], prepared.get_parameters())
        ]
        records = await prepared.fetch(*args)
        rows_affected = _rows_affected(prepared.get_statusmsg() or "")
        attributes = prepared.get_attributes()
        if not attributes:
            return {"rows_affected": rows_affected}
        return {
            "columns": [attribute.name for attribute in attributes],
            "oids": [attribute.type.oid for attribute in attributes],
            "rows": [
                [_text(value, attribute.type) for value, attribute in zip(record, attributes)] for record in records
            ],
            "rows_affected": rows_affected,
        }

    def autocommit_idle(self) -> bool:
        return not self._conn.is_in_transaction()  # asyncpg has no implicit transactions

    async def run_plain(self, sql: str) -> None:
        await self._conn.execute(sql)


def _rows_affected(status: str) -> int:
    """The row count of a command tag such as "INSERT 0 5"."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _asyncpg_arg(value: Any, parameter: Any) -> Any:
    """A parameter as asyncpg's codec for its server-inferred type takes it:
    array literals (River's lib/pq arrays) become lists of their elements."""
    if isinstance(value, str) and parameter.kind == "array":
        element_type = parameter.name.removeprefix("_").removesuffix("[]")
        return [None if element is None else _element(element, element_type) for element in _parse_array(value)]
    if isinstance(value, str) and parameter.name in _INTEGER_TYPES:
        return int(value)
    return value


def _element(text: str, type_name: str) -> Any:
    if type_name in _INTEGER_TYPES:
        return int(text)
    if type_name in _FLOAT_TYPES:
        return float(text)
    if type_name == "bool":
        return text in ("t", "true")
    if type_name == "bytea":
        return bytes.fromhex(text.removeprefix("\\x"))
    if type_name == "timestamptz" or type_name == "timestamp":
        return datetime.fromisoformat(text)
    return text


def _parse_array(literal: str) -> list[str | None]:
    """The elements of a one-dimensional PostgreSQL array literal."""
    body = literal.strip()[1:-1]
    elements: list[str | None] = []
    position = 0
    while position < len(body):
        if body[position] == '"':
            position += 1
            chars: list[str] = []
            while body[position] != '"':
                if body[position] == "\\":
                    position += 1
                chars.append(body[position])
                position += 1
            elements.append("".join(chars))
            position += 2  # the closing quote and the comma
        else:
            end = body.find(",", position)
            end = len(body) if end < 0 else end
            element = body[position:end]
            elements.append(None if element == "NULL" else element)
            position = end + 1
    return elements


def _text(value: Any, type_: Any) -> str | None:
    """A value asyncpg decoded, in PostgreSQL's text format."""
    if value is None:
        return None
    if type_.kind == "array":
        return "{" + ",".join("NULL" if item is None else _quoted(_scalar_text(item, type_)) for item in value) + "}"
    return _scalar_text(value, type_)


def _scalar_text(value: Any, type_: Any) -> str:
    if type_.name.lstrip("_") in _JSON_TYPES and not isinstance(value, str):
        return json.dumps(value)  # decoded by a codec the application registered
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (int, float, Decimal, str)):
        return str(value)
    if hasattr(value, "as_string"):  # asyncpg.BitString
        return str(value.as_string()).replace(" ", "")
    return str(value)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
