"""Middleware chains (worker and insert middleware share them)."""

from __future__ import annotations

import gc
from collections.abc import Callable

from pyriver._chain import run_chain


def test_the_first_link_is_the_outermost_and_results_pass_back_out() -> None:
    calls: list[str] = []

    def step(name: str, do_inner: Callable[[], str]) -> str:
        calls.append(f"{name} in")
        result = do_inner()
        calls.append(f"{name} out")
        return f"{name}({result})"

    def innermost() -> str:
        calls.append("handler")
        return "done"

    assert run_chain(["a", "b", "c"], step, innermost) == "a(b(c(done)))"
    assert calls == ["a in", "b in", "c in", "handler", "c out", "b out", "a out"]


def test_a_link_that_does_not_call_inner_ends_the_chain() -> None:
    def step(name: str, do_inner: Callable[[], str]) -> str:
        return "short" if name == "b" else do_inner()

    def innermost() -> str:
        raise AssertionError("the handler must not run")

    assert run_chain(["a", "b", "c"], step, innermost) == "short"
    assert run_chain([], step, lambda: "no links") == "no links"


def test_a_chain_leaves_no_reference_cycles() -> None:
    """Each job and each insert runs a chain: garbage left in cycles would
    make a busy runner collect many times a second."""
    gc.collect()
    gc.disable()
    try:
        for _ in range(100):
            run_chain(["a", "b", "c"], lambda link, do_inner: do_inner(), lambda: None)
        assert gc.collect() == 0
    finally:
        gc.enable()
