"""What every asyncio wrapper shares: where its synchronous target is, and
how a call reaches it from the event loop without blocking it."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from .errors import ClientClosedError

TargetT = TypeVar("TargetT")
R = TypeVar("R")


class AsyncWrapper(Generic[TargetT]):
    """Runs the synchronous target's methods in the client's worker threads.
    Calls into Go release the GIL, so the loop keeps running meanwhile."""

    _executor: ThreadPoolExecutor

    def _target(self) -> TargetT:
        raise NotImplementedError

    def _closed(self) -> bool:
        raise NotImplementedError

    async def _run(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        if self._closed():
            raise ClientClosedError("client is closed")
        loop = asyncio.get_running_loop()
        # In the caller's context, as asyncio.to_thread runs: the current
        # span (pyriver.otel) and other context variables reach the call.
        context = contextvars.copy_context()
        return await loop.run_in_executor(self._executor, lambda: context.run(function, *args, **kwargs))

    async def _call(self, operation: Callable[[TargetT], R]) -> R:
        """``operation`` on the target, in a worker thread; the target is
        looked up there, once ``_run`` has it ready."""
        return await self._run(lambda: operation(self._target()))
