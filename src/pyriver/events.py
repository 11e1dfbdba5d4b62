"""River's events (``river.Subscribe``): what happened to jobs and queues
worked by this client, as an iterator and an async iterator.

The buffer between River and Python is River's own subscription channel of
1,000 events. A consumer that falls further behind, or does not read at all,
never slows job processing: River drops the newest events instead.
"""

from __future__ import annotations

import asyncio
import enum
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from ._bridge import calls
from ._bridge.targets import SubscriptionHandle
from ._handle import OwnsHandle
from .errors import ClientClosedError
from .types import JobRow, Queue

# How long one pull waits in Go (at most its 1 s cap), so that Ctrl-C reaches
# a blocked iterator.
_POLL_SECONDS = 1.0


class EventKind(str, enum.Enum):
    """River's ``EventKind`` values."""

    JOB_CANCELLED = "job_cancelled"
    JOB_COMPLETED = "job_completed"
    JOB_FAILED = "job_failed"
    JOB_INTERRUPTED = "job_interrupted"
    JOB_SNOOZED = "job_snoozed"
    QUEUE_PAUSED = "queue_paused"
    QUEUE_RESUMED = "queue_resumed"


@dataclass(frozen=True)
class JobStatistics:
    """River's ``JobStatistics`` for one run of a job."""

    queue_wait_duration: timedelta
    """From when the job was available until a client fetched it."""
    run_duration: timedelta
    """How long the handler ran."""
    complete_duration: timedelta
    """How long River took to record the outcome."""


@dataclass(frozen=True)
class Event:
    """River's ``Event``: ``job`` and ``job_stats`` for job events, ``queue``
    for queue events."""

    kind: EventKind
    """What happened."""
    job: JobRow | None
    """The job, as the event left it (job events)."""
    job_stats: JobStatistics | None
    """Timings of the job's run (job events)."""
    queue: Queue | None
    """The queue (queue events)."""


class Subscription(OwnsHandle):
    """Events of the kinds subscribed to, from :meth:`Client.subscribe`.

    Iterate it (``for event in subscription``, or ``async for``); iteration
    ends when the client stops or the subscription is closed. Close it (or
    use it with ``with``) to unsubscribe.
    """

    def __init__(self, handle: SubscriptionHandle) -> None:
        self._handle: SubscriptionHandle | None = handle
        self._pending: deque[Event] = deque()

    def next(self, timeout: float) -> Event | None:
        """The next event, waiting up to ``timeout`` seconds; None if none
        came. Raises ClientClosedError once the subscription has ended."""
        if self._pending:
            return self._pending.popleft()
        if self._handle is None:
            raise ClientClosedError("subscription is closed")
        wait = min(timeout, _POLL_SECONDS)
        while True:
            events, closed = calls.events_next(self._handle, wait, 100)
            self._pending.extend(events)
            if closed:
                self.close()
            if self._pending:
                return self._pending.popleft()
            if self._handle is None:
                raise ClientClosedError("subscription ended: the client stopped")
            timeout -= wait
            if timeout <= 0:
                return None
            wait = min(timeout, _POLL_SECONDS)

    def close(self) -> None:
        """Unsubscribe. Idempotent."""
        handle, self._handle = self._handle, None
        if handle is not None:
            calls.events_close(handle)

    def __iter__(self) -> Subscription:
        return self

    def __next__(self) -> Event:
        while True:
            try:
                event = self.next(_POLL_SECONDS)
            except ClientClosedError:
                raise StopIteration from None
            if event is not None:
                return event

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Event:
        loop = asyncio.get_running_loop()
        while True:
            try:
                event = await loop.run_in_executor(None, self.next, _POLL_SECONDS)
            except ClientClosedError:
                raise StopAsyncIteration from None
            if event is not None:
                return event
