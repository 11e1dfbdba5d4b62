"""The ``pyriver`` command: River's CLI commands (migrate-up, migrate-down,
migrate-list, migrate-get, validate) with the same names, flags and exit
codes, plus jobs, queues, a Python worker runner and River UI (``ui``).

Every command that touches a database reads ``--database-url`` or, without
it, ``DATABASE_URL``. Output is a human table by default and JSON with
``--json``. Exit codes: 0 success, 1 failure (and ``validate`` on an outdated
schema), 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TextIO

from .client import Client
from .errors import PyRiverError
from ._signals import stop_signals, wait
from .results import MigrationVersion
from .types import JobRow, Queue
from .workers import QueueConfig, Workers

Command = Callable[[argparse.Namespace, TextIO], int]


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run one command; returns the exit code (``python -m pyriver``)."""
    parser = _parser()
    options = parser.parse_args(argv)
    command: Command = options.command
    try:
        return command(options, out)
    except PyRiverError as error:
        print(f"pyriver: {error}", file=sys.stderr)
        return 1


# --- commands --------------------------------------------------------------------


def _migrate_up(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        applied = client.migrate(target_version=options.target_version, max_steps=options.max_steps)
        versions = {version.version: version for version in client.migrate_versions()}
    _print_migrated(out, "up", [versions[v] for v in applied])
    return 0


def _migrate_down(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        versions = {version.version: version for version in client.migrate_versions()}
        # River's default for a down migration: one step.
        steps = options.max_steps if options.max_steps is not None or options.target_version is not None else 1
        removed = client.migrate_down(max_steps=steps, target_version=options.target_version)
    _print_migrated(out, "down", [versions[v] for v in removed])
    return 0


def _print_migrated(out: TextIO, direction: str, versions: list[MigrationVersion]) -> None:
    if not versions:
        print("no migrations to apply", file=out)
    for version in versions:
        print(f"applied migration {version.version:03d} [{direction}] {version.name}", file=out)


def _migrate_list(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        versions = client.migrate_versions()
    if options.json:
        _print_json(out, [{"version": v.version, "name": v.name, "applied": v.applied} for v in versions])
    else:
        for version in versions:
            print(f"{'*' if version.applied else ' '} {version.version:03d} {version.name}", file=out)
    return 0


def _migrate_get(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        versions = client.migrate_versions()
    if options.all:
        chosen = list(reversed(versions)) if options.down else versions
    else:
        by_number = {version.version: version for version in versions}
        unknown = [number for number in options.version if number not in by_number]
        if unknown:
            print(f"pyriver: no River migration {', '.join(map(str, unknown))}", file=sys.stderr)
            return 1
        chosen = [by_number[number] for number in options.version]
    direction = "down" if options.down else "up"
    printed = [v for v in chosen if v.version not in options.exclude_version]
    for i, version in enumerate(printed):
        if i:
            print(file=out)
        print(f"-- River migration {version.version:03d} [{direction}]", file=out)
        print((version.sql_down if options.down else version.sql_up).strip(), file=out)
    return 0


def _validate(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        result = client.migrate_validate()
    for message in result.messages:
        print(message, file=out)
    return 0 if result.ok else 1


def _jobs_list(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        page = client.job_list(
            kinds=options.kind or None,
            queues=options.queue or None,
            states=options.state or None,
            limit=options.limit,
            order=options.order,
        )
    _print_jobs(out, page.jobs, options.json)
    return 0


def _job_command(operation: str) -> Command:
    def run(options: argparse.Namespace, out: TextIO) -> int:
        with _client(options) as client:
            job = getattr(client, f"job_{operation}")(options.id)
        _print_jobs(out, [job], options.json)
        return 0

    return run


def _queues_list(options: argparse.Namespace, out: TextIO) -> int:
    with _client(options) as client:
        queues = client.queue_list(limit=options.limit)
    if options.json:
        _print_json(out, [queue.to_dict() for queue in queues])
    else:
        _print_table(out, ["NAME", "PAUSED", "UPDATED"], [_queue_row(queue) for queue in queues])
    return 0


def _queue_command(operation: str) -> Command:
    def run(options: argparse.Namespace, out: TextIO) -> int:
        with _client(options) as client:
            getattr(client, f"queue_{operation}")(options.name)
        print(f"queue {options.name} {operation}d", file=out)
        return 0

    return run


def _worker(options: argparse.Namespace, out: TextIO) -> int:
    """Work jobs with the handlers of MODULE:ATTR until SIGINT or SIGTERM.
    ATTR is a pyriver.Workers (the client is built from the options) or a
    callable returning a pyriver.Client with workers."""
    target = _load_target(options.app)
    if isinstance(target, Workers):
        queues = dict(_queue_option(text) for text in options.queue) or {"default": QueueConfig(max_workers=10)}
        client = Client(_database_url(options), workers=target, queues=queues)
    elif callable(target):
        client = target()
        if not isinstance(client, Client):
            raise SystemExit(f"pyriver worker: {options.app}() returned {type(client).__name__}, not a pyriver.Client")
    else:
        raise SystemExit(f"pyriver worker: {options.app} is neither a pyriver.Workers nor a client factory")
    with client:
        print("working; Ctrl-C or SIGTERM stops gracefully", file=out, flush=True)
        client.run()
    return 0


def _ui(options: argparse.Namespace, out: TextIO) -> int:
    """Serve River UI until SIGINT or SIGTERM."""
    with _client(options) as client, stop_signals() as stop:
        with client.serve_ui(
            options.host, options.port, prefix=options.prefix, username=options.username, password=options.password
        ) as ui:
            print(f"River UI at {ui.url}; Ctrl-C or SIGTERM stops", file=out, flush=True)
            wait(stop)
    return 0


# --- helpers --------------------------------------------------------------------


def _database_url(options: argparse.Namespace) -> str:
    url = options.database_url or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("pyriver: give --database-url or set DATABASE_URL")
    return str(url)


def _client(options: argparse.Namespace) -> Client:
    return Client(_database_url(options))


def _load_target(reference: str) -> Any:
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise SystemExit(f"pyriver worker: expected MODULE:ATTR, got {reference!r}")
    sys.path.insert(0, os.getcwd())  # as `python -m` would: the application's own modules
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise SystemExit(f"pyriver worker: cannot import {module_name}: {error}") from None
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise SystemExit(f"pyriver worker: {module_name} has no attribute {attribute!r}") from None


def _queue_option(text: str) -> tuple[str, QueueConfig]:
    name, _, workers = text.partition("=")
    if not name or not workers.isdigit() or int(workers) < 1:
        raise SystemExit(f"pyriver worker: --queue takes NAME=MAX_WORKERS, got {text!r}")
    return name, QueueConfig(max_workers=int(workers))


def _print_jobs(out: TextIO, jobs: list[JobRow], as_json: bool) -> None:
    if as_json:
        _print_json(out, [job.to_dict() for job in jobs])
        return
    rows = [
        [str(job.id), job.kind, job.queue, job.state.value, str(job.attempt), _time(job.scheduled_at)] for job in jobs
    ]
    _print_table(out, ["ID", "KIND", "QUEUE", "STATE", "ATTEMPT", "SCHEDULED AT"], rows)


def _queue_row(queue: Queue) -> list[str]:
    return [queue.name, _time(queue.paused_at) if queue.paused_at else "-", _time(queue.updated_at)]


def _print_table(out: TextIO, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip(), file=out)


def _time(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _print_json(out: TextIO, value: Any) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    print(file=out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyriver", description="River's job queue from the command line.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: Command, help: str, parent: Any = commands) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(name, help=help, description=help)
        sub.add_argument("--database-url", help="database URL (default: $DATABASE_URL)")
        sub.set_defaults(command=run)
        return sub

    for name, run, help in [
        ("migrate-up", _migrate_up, "run River's up migrations"),
        ("migrate-down", _migrate_down, "run River's down migrations (one by default)"),
    ]:
        sub = command(name, run, help)
        sub.add_argument("--max-steps", type=int, help="maximum number of migrations to run")
        sub.add_argument("--target-version", type=int, help="version to migrate to (0 on the way down: none)")
    command("migrate-list", _migrate_list, "list River's migrations; * marks the applied ones").add_argument(
        "--json", action="store_true"
    )
    get = command("migrate-get", _migrate_get, "print the SQL of River's migrations")
    which = get.add_mutually_exclusive_group(required=True)
    which.add_argument("--version", type=_versions, help="version(s), comma-separated")
    which.add_argument("--all", action="store_true", help="every migration (down: newest first)")
    direction = get.add_mutually_exclusive_group(required=True)
    direction.add_argument("--up", action="store_true")
    direction.add_argument("--down", action="store_true")
    get.add_argument("--exclude-version", type=_versions, default=[], help="version(s) to leave out")
    command("validate", _validate, "exit 1 if River's schema is not current")

    jobs = commands.add_parser("jobs", help="list and act on jobs").add_subparsers(required=True, metavar="ACTION")
    listing = command("list", _jobs_list, "list jobs", jobs)
    listing.add_argument("--kind", action="append", help="only this kind (repeatable)")
    listing.add_argument("--queue", action="append", help="only this queue (repeatable)")
    listing.add_argument("--state", action="append", help="only this state (repeatable)")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--order", choices=["asc", "desc"], default="asc")
    listing.add_argument("--json", action="store_true")
    for operation in ("get", "cancel", "retry", "delete"):
        sub = command(operation, _job_command(operation), f"{operation} one job", jobs)
        sub.add_argument("id", type=int)
        sub.add_argument("--json", action="store_true")

    queues = commands.add_parser("queues", help="list, pause and resume queues").add_subparsers(
        required=True, metavar="ACTION"
    )
    queue_listing = command("list", _queues_list, "list queues", queues)
    queue_listing.add_argument("--limit", type=int, default=100)
    queue_listing.add_argument("--json", action="store_true")
    for operation in ("pause", "resume"):
        command(operation, _queue_command(operation), f"{operation} a queue", queues).add_argument("name")

    ui = command("ui", _ui, "serve River UI on the database until SIGINT or SIGTERM")
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    ui.add_argument("--port", type=int, default=8080, help="port (default 8080; 0: any free port)")
    ui.add_argument("--prefix", default="", help="path to serve under, such as /riverui")
    ui.add_argument("--username", help="require HTTP basic auth with this username")
    ui.add_argument("--password", default=os.environ.get("RIVER_UI_PASSWORD"), help="its password ($RIVER_UI_PASSWORD)")

    worker = command("worker", _worker, "work jobs with Python handlers until SIGINT or SIGTERM")
    worker.add_argument("app", metavar="MODULE:ATTR", help="a pyriver.Workers, or a function returning a Client")
    worker.add_argument("--queue", action="append", default=[], help="NAME=MAX_WORKERS (repeatable)")
    return parser


def _versions(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated versions, got {text!r}") from None
