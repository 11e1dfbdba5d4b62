"""Middleware chains: each link gets a ``do_inner`` that runs the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Link = TypeVar("Link")
R = TypeVar("R")


def run_chain(links: Sequence[Link], step: Callable[[Link, Callable[[], R]], R], innermost: Callable[[], R]) -> R:
    """``step(links[0], do_inner)`` where ``do_inner`` steps through the
    next link, and the last link's ``do_inner`` is ``innermost``: the first
    link is the outermost, as in River."""

    def through(position: int) -> R:
        if position == len(links):
            return innermost()
        return step(links[position], lambda: through(position + 1))

    return through(0)
