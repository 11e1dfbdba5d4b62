"""The transport: the only module that knows cffi exists.

It loads the Go library on first use (never at import, so that a process can
import pyriver and still fork safely), refuses to call into it from a process
forked after it was loaded (the Go runtime does not survive fork), and runs
one request/response call: encode, call, copy, free, decode, raise.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import ForkedProcessError, InternalError, error_from_wire

# Fixed name, set by build.py: the library does not depend on the Python ABI.
LIBRARY_PATH = Path(__file__).parent.parent / "_pyriver.so"

_load_lock = threading.Lock()
_library: Any = None
_ffi: Any = None
_loaded_in_pid: int | None = None


def _load() -> tuple[Any, Any]:
    """Return (ffi, lib), loading the library once per process.

    dlclose never unloads a Go library, so the handle lives for the process.
    """
    global _library, _ffi, _loaded_in_pid
    if _library is None:
        with _load_lock:
            if _library is None:
                from .._ffi import ffi

                if not LIBRARY_PATH.exists():
                    raise InternalError(f"pyriver's Go library is missing: {LIBRARY_PATH} (was the package built?)")
                _ffi = ffi
                _library = ffi.dlopen(str(LIBRARY_PATH))
                _loaded_in_pid = os.getpid()
    if _loaded_in_pid != os.getpid():
        raise ForkedProcessError(
            f"pyriver's Go runtime was started in process {_loaded_in_pid} and this process "
            f"({os.getpid()}) was forked from it; the Go runtime does not survive fork(). "
            "Create pyriver clients after forking: use multiprocessing's 'spawn' or 'forkserver' "
            "start method, or run gunicorn without --preload."
        )
    return _ffi, _library


def is_loaded() -> bool:
    """Whether this process (or the process it was forked from) loaded the library."""
    return _library is not None


def call(method: str, request: dict[str, Any]) -> Any:
    """Run one Go method with a JSON-encodable request and return its result.

    Raises the pyriver exception matching the error the Go side reports.
    """
    return call_raw(method, json.dumps(request, separators=(",", ":")).encode())


def call_raw(method: str, payload: bytes) -> Any:
    """Like :func:`call`, with the request already encoded as UTF-8 JSON."""
    ffi, lib = _load()
    response_len = ffi.new("size_t *")
    # cffi releases the GIL for the duration of the call; Go copies the
    # request before returning, so the bytes object may be freed afterwards.
    response = lib.pyriver_call(method.encode(), payload, len(payload), response_len)
    try:
        raw = ffi.unpack(response, response_len[0])
    finally:
        lib.pyriver_free(response)
    return result_of(json.loads(raw))


def result_of(envelope: dict[str, Any]) -> Any:
    """The result a response envelope carries, or the exception for its error."""
    error = envelope.get("error")
    if error is not None:
        raise error_from_wire(error)
    return envelope.get("result")
