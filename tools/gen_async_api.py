"""Write ``src/pyriver/_async_api.py``: the coroutine form of every synchronous
operation, with the synchronous method's own signature and docstring.

Generated rather than written by hand so that ``AsyncClient`` cannot drift
from ``Client``, and generated as plain source (rather than made at import
time) so that type checkers, ``help()`` and the API reference all see real
signatures. ``tests/unit/test_async_surface.py`` fails when the file is not
what this script writes; run ``make fmt`` (or this script) after changing a
synchronous operation.

    python tools/gen_async_api.py [--check]
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "pyriver"
OUTPUT = PACKAGE / "_async_api.py"

BUILTIN_NAMES = {"None", "int", "str", "bool", "float", "bytes", "list", "dict", "tuple", "type", "object"}


@dataclass(frozen=True)
class AsyncClass:
    """One generated class: the coroutine forms of ``methods`` of class
    ``sync`` in ``module`` (every public method it defines when ``methods``
    is empty), for a target that is ``sync`` (``generic``: any subclass)."""

    name: str
    module: str
    sync: str
    methods: tuple[str, ...] = ()
    generic: bool = True


ASYNC_CLASSES = [
    AsyncClass("AsyncOperations", "_operations", "Operations"),
    AsyncClass("AsyncMigrations", "_migrations", "Migrations"),
    AsyncClass("AsyncClientWork", "client", "Client", ("start", "stop", "subscribe", "serve_ui"), generic=False),
    AsyncClass(
        "AsyncTransactionStatements",
        "transaction",
        "Transaction",
        ("execute", "query", "commit", "rollback"),
        generic=False,
    ),
]


class Module:
    """A module of the package, read (not imported: the package imports the
    generated file) for its classes and where its names come from."""

    def __init__(self, name: str) -> None:
        self.tree = ast.parse((PACKAGE / f"{name}.py").read_text())
        self.origins: dict[str, str] = {}
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom):
                source = "." * node.level + (node.module or "")
                self.origins.update({alias.asname or alias.name: source for alias in node.names})
            elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                self.origins[node.name] = f".{name}"
            elif isinstance(node, ast.Assign):
                self.origins.update({t.id: f".{name}" for t in node.targets if isinstance(t, ast.Name)})

    def methods(self, class_name: str) -> dict[str, ast.FunctionDef]:
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and node.name == class_name:
                return {item.name: item for item in node.body if isinstance(item, ast.FunctionDef)}
        raise SystemExit(f"no class {class_name}")


class Renderer:
    def __init__(self) -> None:
        self.imports: dict[str, set[str]] = {}

    def need_names(self, text: str, module: Module) -> None:
        for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
            if name in BUILTIN_NAMES:
                continue
            if name not in module.origins:
                raise SystemExit(f"cannot tell where {name!r} comes from")
            self.imports.setdefault(module.origins[name], set()).add(name)

    def method(self, module: Module, function: ast.FunctionDef) -> str:
        arguments = function.args
        for annotated in [*arguments.args, *arguments.kwonlyargs, arguments.vararg]:
            if annotated is not None and annotated.annotation is not None:
                self.need_names(ast.unparse(annotated.annotation), module)
        if function.returns is None:
            raise SystemExit(f"{function.name} has no return annotation")
        returns = ast.unparse(function.returns)
        self.need_names(returns, module)
        call = [a.arg for a in arguments.args[1:]]
        if arguments.vararg is not None:
            call.append("*" + arguments.vararg.arg)
        call += [f"{a.arg}={a.arg}" for a in arguments.kwonlyargs]
        doc = ast.get_docstring(function) or ""
        if '"""' in doc or "\\" in doc:
            raise SystemExit(f"{function.name}'s docstring cannot be copied as is")
        body = "\n".join(("        " + line).rstrip() for line in doc.splitlines())
        return (
            f"    async def {function.name}({ast.unparse(arguments)}) -> {returns}:\n"
            f'        """{body.strip()}\n        """\n'
            f"        return await self._call(lambda target: target.{function.name}({', '.join(call)}))\n"
        )

    def klass(self, spec: AsyncClass) -> str:
        module = Module(spec.module)
        self.need_names(spec.sync, module)
        methods = module.methods(spec.sync)
        names = spec.methods or [name for name in methods if not name.startswith("_")]
        if spec.generic:
            target = f"{spec.sync}T"
            header = (
                f'{target} = TypeVar("{target}", bound={spec.sync})\n\n\nclass {spec.name}(AsyncWrapper[{target}]):\n'
            )
        else:
            header = f"class {spec.name}(AsyncWrapper[{spec.sync}]):\n"
        doc = f'    """The coroutine form of each method of ``{spec.sync}`` named here."""\n\n'
        return header + doc + "\n".join(self.method(module, methods[name]) for name in names)


def render() -> str:
    renderer = Renderer()
    renderer.imports["typing"] = {"TypeVar"}
    classes = "\n\n".join(renderer.klass(spec) for spec in ASYNC_CLASSES)
    stdlib = sorted(source for source in renderer.imports if not source.startswith("."))
    package = sorted(source for source in renderer.imports if source.startswith("."))
    import_lines = ["from __future__ import annotations", ""]
    import_lines += [f"from {source} import {', '.join(sorted(renderer.imports[source]))}" for source in stdlib]
    import_lines += ["", "from ._async_base import AsyncWrapper"]
    import_lines += [f"from {source} import {', '.join(sorted(renderer.imports[source]))}" for source in package]
    text = (
        '"""The coroutine form of every synchronous operation, for the asyncio\n'
        "clients in :mod:`pyriver.aio`.\n\n"
        "Generated by tools/gen_async_api.py from the synchronous classes: do not\n"
        'edit; run ``make fmt`` after changing a synchronous operation."""\n\n'
        + "\n".join(import_lines)
        + "\n\n\n"
        + classes
    )
    return format_source(text)


def format_source(text: str) -> str:
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(OUTPUT), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return formatted.stdout


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if OUTPUT.read_text() != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run make fmt", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
