"""The Python half of the contract matches the Go half the library reports
(``library.describe``): a method, a row field or an error code added on one
side only fails here."""

from __future__ import annotations

import inspect
from concurrent.futures import ThreadPoolExecutor

from pyriver import errors
from pyriver._bridge import calls, methods, transport
from pyriver._bridge.rows import JOB_ROW_FIELDS
from pyriver.types import JobRow


def test_python_names_exactly_the_methods_go_registers() -> None:
    assert methods.all_methods() == calls.describe()["methods"]


def test_every_method_has_a_typed_call() -> None:
    # calls.py has one function per method; the transport makes its own.
    source = inspect.getsource(calls) + inspect.getsource(transport)
    unused = [name for name in dir(methods) if name.isupper() and f"methods.{name}" not in source]
    assert unused == []


def test_row_decoder_reads_the_fields_go_encodes_in_its_order() -> None:
    assert list(JOB_ROW_FIELDS) == calls.describe()["job_row_fields"]


def test_job_row_has_every_field_of_the_wire_row() -> None:
    assert set(JOB_ROW_FIELDS) == set(JobRow.__dataclass_fields__)


def test_every_error_code_maps_to_its_own_class() -> None:
    codes = calls.describe()["error_codes"]
    assert sorted(errors._ERRORS_BY_CODE) == sorted(codes)
    for code in codes:
        error = errors.error_from_wire({"code": code, "message": "m"})
        assert isinstance(error, errors.PyRiverError)
        if code not in ("internal", "unknown_method"):
            assert type(error) is not errors.InternalError, code


def test_application_connections_run_the_operations_go_allows() -> None:
    app_methods = calls.describe()["app_methods"]
    assert set(app_methods) <= set(methods.all_methods())
    assert methods.JOB_INSERT_MANY in app_methods and methods.MIGRATION_MIGRATE in app_methods


def test_answers_of_every_length_arrive_whole() -> None:
    """Go writes an answer into the calling thread's buffer when it fits and
    allocates it when it does not: both, and lengths either side of the
    buffer's, arrive whole (an unknown method's name comes back in its
    error), from the main thread and from another."""

    def round_trips() -> None:
        for length in range(transport.REPLY_BUFFER_BYTES - 80, transport.REPLY_BUFFER_BYTES + 20):
            name = "m" * length
            try:
                transport.call(name, {})
            except errors.PyRiverError as exc:
                assert f'"{name}"' in str(exc)
            else:
                raise AssertionError("an unknown method answered")

    round_trips()
    with ThreadPoolExecutor(1) as other_thread:
        other_thread.submit(round_trips).result()
