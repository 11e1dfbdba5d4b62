"""The wheel's library on an old glibc, with no pyriver Python code: the
oldest Debian served here whose glibc predates manylinux_2_34 (bullseye,
glibc 2.31) ships Python 3.9, older than pyriver supports, so this script
(Python 3.9, ctypes only) drives the library's C API itself: it opens a
client on SQLite (and PostgreSQL, given a URL), runs River's migrations,
inserts a job and reads it back. Run by `make test-old-glibc` in a bullseye
root.

Usage: python3 old_glibc_smoke.py LIBRARY SQLITE_FILE [POSTGRES_URL]
"""

from __future__ import annotations

import ctypes
import json
import sys
from typing import Any


def main() -> None:
    library = ctypes.CDLL(sys.argv[1])
    library.pyriver_call.restype = ctypes.c_void_p
    library.pyriver_call.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.POINTER(ctypes.c_size_t),
    ]
    library.pyriver_free.argtypes = [ctypes.c_void_p]

    def call(method: str, request: dict[str, Any]) -> Any:
        # No buffer for the answer: Go allocates every one, to be freed.
        payload = json.dumps(request).encode()
        length = ctypes.c_size_t()
        response = library.pyriver_call(method.encode(), payload, len(payload), None, 0, ctypes.byref(length))
        try:
            envelope = json.loads(ctypes.string_at(response, length.value))
        finally:
            library.pyriver_free(response)
        if envelope.get("error"):
            raise RuntimeError(f"{method}: {envelope['error']}")
        return envelope["result"]

    info = call("library.info", {})
    for url in ["sqlite://" + sys.argv[2], *sys.argv[3:]]:
        client = call("client.open", {"url": url, "config": {}, "periodic_jobs": []})
        call("migration.migrate", {"client": client, "direction": "up"})
        # Results cross by column; with one row, each column is the row's value.
        inserted = call("job.insert_many", {"client": client, "jobs": [{"kind": "ping", "args": '{"n":42}'}]})
        assert inserted["count"] == 1, inserted
        row = call("job.get", {"client": client, "id": inserted["columns"][0]})
        assert row[8] == "ping" and json.loads(row[5]) == {"n": 42}, row
        call("client.close", {"client": client})
        print(f"ok: River {info['river']} (Go {info['go']}) migrated, inserted and read on {url.split(':')[0]}")


if __name__ == "__main__":
    main()
