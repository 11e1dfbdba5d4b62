"""Jobs to insert: args, InsertOpts and UniqueOpts on the wire."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from ..errors import InvalidArgumentError, InvalidArgumentTypeError
from ..options import InsertManyParams, InsertOpts, UniqueOpts
from .gojson import go_json, go_unique_fields
from .values import (
    check_storable_text,
    check_int,
    check_state_list,
    check_str,
    check_str_list,
    datetime_to_wire,
    duration_to_seconds,
    json_object_to_wire,
)


def args_to_wire(args: Any) -> dict[str, Any]:
    """Encode job args: anything with a ``kind`` and a ``to_json()``, or a
    dataclass with a ``kind`` attribute, encoded as Go encodes the struct it
    mirrors (``go_json``), so unique-by-args keys agree with Go's. An ``insert_opts()`` method supplies
    the args' own options, which explicit options override."""
    kind = getattr(args, "kind", None)
    if not isinstance(kind, str):
        raise InvalidArgumentTypeError(
            f"args must have a str attribute 'kind' (got {type(args).__name__} with kind={kind!r})", "args"
        )
    to_json = getattr(args, "to_json", None)
    unique_fields = None
    try:
        if callable(to_json):
            encoded = to_json()
            if not isinstance(encoded, str):
                raise InvalidArgumentTypeError(
                    f"{type(args).__name__}.to_json() must return str, not {type(encoded).__name__}", "args"
                )
        elif dataclasses.is_dataclass(args) and not isinstance(args, type):
            encoded = go_json(args)
            unique_fields = go_unique_fields(args)
        else:
            raise InvalidArgumentTypeError(
                f"args of kind {kind!r} must be a dataclass or define to_json(); got {type(args).__name__}", "args"
            )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, (InvalidArgumentTypeError, InvalidArgumentError)):
            raise
        raise InvalidArgumentTypeError(f"args of kind {kind!r} cannot be encoded as JSON: {exc}", "args") from exc
    except RecursionError:
        raise InvalidArgumentError(f"args of kind {kind!r} are nested too deeply to encode", "args") from None
    check_storable_text(kind, "kind")
    check_storable_text(encoded, "args")
    if "\\ud" in encoded:  # a to_json() may escape what it cannot encode
        _check_escaped_text(encoded)

    item: dict[str, Any] = {"kind": kind, "args": encoded}
    if unique_fields is not None:
        item["unique_args"] = unique_fields
    insert_opts = getattr(args, "insert_opts", None)
    if callable(insert_opts):
        args_opts = insert_opts()
        if args_opts is not None:
            item["args_opts"] = insert_opts_to_wire(args_opts, "insert_opts()")
    return item


def _check_escaped_text(encoded: str) -> None:
    try:
        decoded = json.loads(encoded)
    except ValueError:
        return  # not JSON: Go refuses it, naming args
    check_storable_text(json.dumps(decoded, ensure_ascii=False), "args")


def insert_item_to_wire(args: Any, opts: Any) -> dict[str, Any]:
    item = args_to_wire(args)
    if opts is not None:
        item["opts"] = insert_opts_to_wire(opts, "opts")
    return item


def insert_many_to_wire(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Items of ``insert_many``: args, ``(args, opts)`` pairs or
    :class:`InsertManyParams`."""
    _check_items(items)
    return [_insert_many_item_to_wire(item) for item in items]


def insert_many_slices(items: Iterable[Any], first: int, largest: int) -> Iterator[list[Any]]:
    """The items of ``insert_many``, not yet encoded, in lists of ``first``
    items, then twice as many each time up to ``largest``."""
    _check_items(items)
    remaining, size = iter(items), first
    while chunk := list(islice(remaining, size)):
        yield chunk
        size = min(size * 2, largest)


def _check_items(items: Any) -> None:
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InvalidArgumentTypeError(f"items must be an iterable of jobs, not {type(items).__name__}", "items")


def _insert_many_item_to_wire(item: Any) -> dict[str, Any]:
    # riverqueue-python's InsertManyParams has the same two fields.
    if isinstance(item, InsertManyParams) or (
        hasattr(item, "args") and hasattr(item, "insert_opts") and not hasattr(item, "kind")
    ):
        return insert_item_to_wire(item.args, item.insert_opts)
    if isinstance(item, tuple):
        if len(item) != 2:
            raise InvalidArgumentTypeError("insert_many items must be args or (args, opts) pairs", "items")
        return insert_item_to_wire(item[0], item[1])
    return insert_item_to_wire(item, None)


# The fields of riverqueue-python's InsertOpts and UniqueOpts: objects of
# its option classes are read like pyriver's, so its users' code runs as is.
_RIVERQUEUE_INSERT_OPTS = ("max_attempts", "priority", "queue", "scheduled_at", "tags", "unique_opts")
_RIVERQUEUE_UNIQUE_OPTS = ("by_args", "by_period", "by_queue", "by_state")

OptionsT = TypeVar("OptionsT", InsertOpts, UniqueOpts)


def _as_options(opts: Any, ours: type[OptionsT], theirs: tuple[str, ...], param: str) -> OptionsT:
    if isinstance(opts, ours):
        return opts
    if all(hasattr(opts, name) for name in theirs):
        return ours(**{f.name: getattr(opts, f.name) for f in dataclasses.fields(ours) if hasattr(opts, f.name)})
    raise InvalidArgumentTypeError(
        f"{param} must be pyriver.{ours.__name__} (or riverqueue's), not {type(opts).__name__}", param
    )


def insert_opts_to_wire(opts: Any, param: str) -> dict[str, Any]:
    opts = _as_options(opts, InsertOpts, _RIVERQUEUE_INSERT_OPTS, param)
    wire: dict[str, Any] = {}
    if opts.max_attempts is not None:
        wire["max_attempts"] = check_int(opts.max_attempts, f"{param}.max_attempts")
    if opts.priority is not None:
        wire["priority"] = check_int(opts.priority, f"{param}.priority")
    if opts.queue is not None:
        wire["queue"] = check_str(opts.queue, f"{param}.queue")
    if opts.metadata is not None:
        wire["metadata"] = json_object_to_wire(opts.metadata, f"{param}.metadata")
    if opts.pending:
        wire["pending"] = True
    if opts.scheduled_at is not None:
        wire["scheduled_at_us"] = datetime_to_wire(opts.scheduled_at, f"{param}.scheduled_at")
    if opts.tags is not None:
        wire["tags"] = check_str_list(opts.tags, f"{param}.tags")
    if opts.unique_opts is not None:
        wire["unique_opts"] = unique_opts_to_wire(opts.unique_opts, f"{param}.unique_opts")
    return wire


def unique_opts_to_wire(opts: Any, param: str) -> dict[str, Any]:
    opts = _as_options(opts, UniqueOpts, _RIVERQUEUE_UNIQUE_OPTS, param)
    wire: dict[str, Any] = {
        "by_args": bool(opts.by_args),
        "by_queue": bool(opts.by_queue),
        "exclude_kind": bool(opts.exclude_kind),
    }
    if opts.by_period is not None:
        wire["by_period_seconds"] = duration_to_seconds(opts.by_period, f"{param}.by_period")
    if opts.by_state is not None:
        wire["by_state"] = check_state_list(opts.by_state, f"{param}.by_state")
    return wire
