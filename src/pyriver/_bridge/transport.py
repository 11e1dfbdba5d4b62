"""The transport: the only module that knows cffi exists.

It loads the Go library on first use (never at import, so that a process can
import pyriver and still fork safely), refuses to call into it from a process
forked after it was loaded (the Go runtime does not survive fork), and runs
one request/response call: encode, call, copy, free, decode, raise.

Ctrl-C: Python runs signal handlers in its main thread between bytecodes, so
a main thread waiting in Go would notice Ctrl-C only when the call returns.
Python's C-level handler also writes each signal to the wakeup fd at once; the
first call from the main thread points that fd at a pipe the library reads
(interrupts.watch), and a SIGINT cancels the main thread's call in flight.
It is left alone if something else (an asyncio loop's signal handlers, trio)
already owns the wakeup fd or SIGINT has a handler of the application's own.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from typing import Any

import orjson

from ..errors import ForkedProcessError, InternalError, error_from_wire
from . import methods

# Fixed name, set by build.py: the library does not depend on the Python ABI.
LIBRARY_PATH = Path(__file__).parent.parent / "_pyriver.so"

_MAIN_THREAD = threading.main_thread()
# Requests carry the application's values, which the standard library's
# encoder writes as it always has (integers of any size, for one). What Go
# returns is decoded with orjson, several times faster (a response of 10,000
# rows: 38 ms → 19 ms), except rows of the application's own queries: orjson
# reads an integer beyond 64 bits (a PostgreSQL numeric) as a float, and the
# standard library keeps it exact.
_ENCODER = json.JSONEncoder(separators=(",", ":"))
_EXACT_NUMBERS = frozenset({methods.TX_QUERY})
# Insert requests hold only values pyriver has checked: args and kinds as
# text, integers of 64 bits, finite floats (durations; metadata is encoded
# with allow_nan=False). orjson writes them several times faster (a single
# insert's request: 5 µs → 0.4). Other requests may carry the application's
# values, such as a NaN among SQL parameters, which orjson would write as null.
_CHECKED_REQUESTS = frozenset({methods.JOB_INSERT_MANY, methods.JOB_INSERT_MANY_FAST, methods.JOB_INSERT_MANY_SEND})
_APP_OPERATIONS = frozenset({methods.APP_CALL, methods.APP_RUN})
_load_lock = threading.Lock()
_interrupts_watched = False
_library: Any = None
_ffi: Any = None
_replies: Any = None
_loaded_in_pid: int | None = None
# Set in a child forked after the library was loaded: checked on every call,
# it costs less than asking the kernel for the process id each time.
_forked = False


def _load() -> tuple[Any, Any]:
    """Return (ffi, lib), loading the library once per process.

    dlclose never unloads a Go library, so the handle lives for the process.
    """
    global _library, _ffi, _loaded_in_pid, _replies
    if _library is None:
        with _load_lock:
            if _library is None:
                from .._ffi import ffi

                if not LIBRARY_PATH.exists():
                    raise InternalError(f"pyriver's Go library is missing: {LIBRARY_PATH} (was the package built?)")
                _ffi = ffi
                _replies = _Replies()
                _library = ffi.dlopen(str(LIBRARY_PATH))
                _loaded_in_pid = os.getpid()
                os.register_at_fork(after_in_child=_mark_forked)
    if _forked:
        raise ForkedProcessError(
            f"pyriver's Go runtime was started in process {_loaded_in_pid} and this process "
            f"({os.getpid()}) was forked from it; the Go runtime does not survive fork(). "
            "Create pyriver clients after forking: use multiprocessing's 'spawn' or 'forkserver' "
            "start method, or run gunicorn without --preload."
        )
    return _ffi, _library


def _mark_forked() -> None:
    global _forked
    _forked = True


def is_loaded() -> bool:
    """Whether this process (or the process it was forked from) loaded the library."""
    return _library is not None


def call(method: str, request: dict[str, Any]) -> Any:
    """Run one Go method with a JSON-encodable request and return its result.

    Raises the pyriver exception matching the error the Go side reports.
    """
    # Methods without parameters send {}, which the encoder takes a
    # microsecond to write.
    if not request:
        return call_raw(method, b"{}")
    return call_raw(method, encode_finite(request) if _is_checked(method, request) else encode(request))


def _is_checked(method: str, request: dict[str, Any]) -> bool:
    """Whether the request holds only values pyriver has checked. An
    operation on the application's connection carries the method it runs."""
    if method in _APP_OPERATIONS:
        method = request["method"]
    return method in _CHECKED_REQUESTS


def encode(value: Any) -> bytes:
    """JSON for Go: a request, or a reply to Go's call into Python."""
    return _ENCODER.encode(value).encode()


def encode_finite(value: Any) -> bytes:
    """:func:`encode` of a value that holds no non-finite float, by orjson,
    or by the standard library for what orjson refuses (a lone surrogate, an
    integer beyond 64 bits, nesting past 255 levels)."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return encode(value)


def decode(raw: bytes) -> Any:
    """JSON from Go whose numbers are Go's own integers and floats: a
    response, or a statement Go hands Python."""
    return orjson.loads(raw)


def call_raw(method: str, payload: bytes) -> Any:
    """Like :func:`call`, with the request already encoded as UTF-8 JSON.

    Every call comes here, so it is written for an empty call's few
    microseconds: the library is loaded and the thread's buffer fetched
    with one lookup each, and the envelope read in place."""
    if _library is None or _forked:
        _load()
    if not _interrupts_watched and threading.current_thread() is _MAIN_THREAD:
        _watch_interrupts()
    buffer, view, length = _replies.parts
    # cffi releases the GIL for the duration of the call; Go copies the
    # request before returning, so the bytes object may be freed afterwards.
    response = _library.pyriver_call(method.encode(), payload, len(payload), buffer, REPLY_BUFFER_BYTES, length)
    if response:  # too long for the thread's buffer: Go allocated it
        try:
            raw = _ffi.unpack(response, length[0])
        finally:
            _library.pyriver_free(response)
    else:  # read before this thread calls again (a call Go makes into Python may)
        raw = view[: length[0]]
    return result_of(json.loads(raw) if method in _EXACT_NUMBERS else orjson.loads(raw))


REPLY_BUFFER_BYTES = 16 * 1024
"""The size of each calling thread's buffer for Go's answers: most answers
fit, and then need neither an allocation nor a call to free it."""


class _Replies(threading.local):
    """A thread's buffer for Go's answers, and the length Go writes there.
    Made on the thread's first call, once the library is loaded."""

    def __init__(self) -> None:
        buffer = _ffi.new("char[]", REPLY_BUFFER_BYTES)
        # One attribute: each read of a thread-local attribute looks the
        # thread up.
        self.parts = (buffer, _ffi.buffer(buffer), _ffi.new("size_t *"))


def result_of(envelope: dict[str, Any]) -> Any:
    """The result a response envelope carries, or the exception for its error."""
    error = envelope.get("error")
    if error is not None:
        raise error_from_wire(error)
    return envelope.get("result")


def _watch_interrupts() -> None:
    """Let Ctrl-C cancel the main thread's calls into Go (see the module's
    docstring). Called once, from the main thread."""
    global _interrupts_watched
    _interrupts_watched = True
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    if previous != -1:
        signal.set_wakeup_fd(previous)
        os.close(read_end)
        os.close(write_end)
        return
    # Both ends live as long as the process: the library owns the read end.
    request = {"fd": read_end, "main_thread_id": _MAIN_THREAD.native_id}
    call_raw(methods.INTERRUPTS_WATCH, json.dumps(request).encode())
