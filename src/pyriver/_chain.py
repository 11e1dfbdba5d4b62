"""Middleware chains: each link gets a ``do_inner`` that runs the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

Link = TypeVar("Link")
R = TypeVar("R")


def run_chain(links: Sequence[Link], step: Callable[[Link, Callable[[], R]], R], innermost: Callable[[], R]) -> R:
    """``step(links[0], do_inner)`` where ``do_inner`` steps through the
    next link, and the last link's ``do_inner`` is ``innermost``: the first
    link is the outermost, as in River.

    The chain is built from the inside out, each ``do_inner`` a partial of
    the next step: a recursive closure would refer to itself, a reference
    cycle per job or insert that only the garbage collector frees."""
    do_inner = innermost
    for link in reversed(links):
        do_inner = partial(step, link, do_inner)
    return do_inner()
