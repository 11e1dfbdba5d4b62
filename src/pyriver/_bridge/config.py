"""A client's configuration and periodic jobs on the wire."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgumentError, InvalidArgumentTypeError
from .inserts import insert_item_to_wire
from .values import check_int, check_str, duration_to_seconds, optional_seconds

if TYPE_CHECKING:
    from ..workers import QueueConfig, Registration


def client_config_to_wire(
    *,
    registrations: Mapping[str, Registration],
    queues: Mapping[str, QueueConfig],
    job_timeout: Any,
    rescue_stuck_jobs_after: Any,
    fetch_poll_interval: Any,
    fetch_cooldown: Any,
    max_attempts: Any,
    fetch_only_known_kinds: bool,
    operation_timeout: Any,
    busy_poll: Any,
    id: Any,
    log_level: int,
) -> dict[str, Any]:
    from ..workers import QueueConfig

    wire_queues = {}
    for name, queue in queues.items():
        if not isinstance(queue, QueueConfig):
            raise InvalidArgumentTypeError(
                f"queues[{name!r}] must be pyriver.QueueConfig, not {type(queue).__name__}", "queues"
            )
        wire_queues[check_str(name, "queues")] = check_int(queue.max_workers, "max_workers")
    return {
        "queues": wire_queues,
        "kinds": [
            {"kind": registration.kind, "timeout_seconds": registration.timeout or 0}
            for registration in registrations.values()
        ],
        "job_timeout_seconds": optional_seconds(job_timeout, "job_timeout"),
        "rescue_stuck_jobs_after_seconds": optional_seconds(rescue_stuck_jobs_after, "rescue_stuck_jobs_after"),
        "fetch_poll_interval_seconds": optional_seconds(fetch_poll_interval, "fetch_poll_interval"),
        "fetch_cooldown_seconds": optional_seconds(fetch_cooldown, "fetch_cooldown"),
        "max_attempts": 0 if max_attempts is None else check_int(max_attempts, "max_attempts"),
        "fetch_only_known_kinds": bool(fetch_only_known_kinds),
        "operation_timeout_seconds": duration_to_seconds(operation_timeout, "operation_timeout"),
        "busy_poll_seconds": duration_to_seconds(busy_poll, "busy_poll"),
        "id": "" if id is None else check_str(id, "id"),
        "log_level": log_level,
    }


# The shortest periodic interval: River enqueues a job per elapsed interval.
MIN_PERIODIC_INTERVAL_SECONDS = 1.0


def periodic_job_to_wire(job: Any) -> dict[str, Any]:
    from ..periodic import PeriodicJob

    if not isinstance(job, PeriodicJob):
        raise InvalidArgumentTypeError(
            f"periodic jobs must be pyriver.PeriodicJob, not {type(job).__name__}", "periodic_jobs"
        )
    wire: dict[str, Any] = {"job": insert_item_to_wire(job.args, job.opts), "run_on_start": bool(job.run_on_start)}
    if isinstance(job.schedule, str):
        wire["cron"] = job.schedule
    else:
        interval = duration_to_seconds(job.schedule, "schedule")
        if interval < MIN_PERIODIC_INTERVAL_SECONDS:
            raise InvalidArgumentError(
                f"schedule: an interval of {interval}s would flood the queue; periodic jobs run every second or less often",
                "schedule",
            )
        wire["interval_seconds"] = interval
    if job.id is not None:
        wire["id"] = check_str(job.id, "id")
    return wire


def periodic_jobs_to_wire(jobs: Any) -> list[dict[str, Any]]:
    return [periodic_job_to_wire(job) for job in jobs]
