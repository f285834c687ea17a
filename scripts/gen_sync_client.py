#!/usr/bin/env python3
"""Generate puhuri_async/sync/_client.py, the blocking twin of every PuhuriClient operation.

    python scripts/gen_sync_client.py            # rewrite puhuri_async/sync/_client.py
    python scripts/gen_sync_client.py --check    # exit 1 if the committed file is stale

Every public coroutine method of ``PuhuriClient`` (its endpoint mixins included: the methods
generated from the operation table by ``scripts/gen_operations.py``, which must run first, and
the hand-written ones) gets a method of the same name, parameters, defaults, annotations and
docstring that runs it through the client's event-loop thread (``SyncClientBase._call``); every
``iter_*`` method returning a ``Paginator[T]`` gets one returning ``SyncPaginator[T]``
(``SyncClientBase._iterate``). Every method name of the operation table must be among them.
The constructor takes the same arguments as ``PuhuriClient``'s. Signatures are copied from
the source text, so annotations and defaults read as they were written, with the imports they
need copied from the modules that define the methods. A public method the generator does not
know how to wrap stops it with an error, so a new kind of operation is never left out silently.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _generating as generating  # a sibling module, found once the path is set

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "puhuri_async" / "sync" / "_client.py"
COMMAND = "python scripts/gen_sync_client.py"
LINE_LENGTH = 100
FIRST_PARTY = "puhuri_async"
# aclose: the facade has close() and the context manager instead; with_options: the facade's
# own (SyncClientBase) returns a sync view.
SKIPPED = {"aclose", "with_options"}
# "paginate" (the public door's list method, not a row of the table) returns a Paginator like
# the iter_* methods; the client's methods outside the table are ``_door.CLIENT_METHODS``.
PAGINATING = {"paginate"}

CLASS_DOC = """\
The blocking twin of ``PuhuriClient``, for scripts that cannot use async.

Every operation of ``PuhuriClient`` is here under the same name, with the same arguments and
results; ``iter_*`` return a ``SyncPaginator``: an iterator with the async paginator's
``total``, ``drift``, ``pages()`` and ``collect()`` (pages are still fetched concurrently).
The client runs one event loop in a thread of its own for its whole life, with its connection
pool in it; many threads may share one client. Use it as a context manager, or call
``close()``:

```python
with SyncPuhuriClient("https://puhuri.example.org/api/", token) as client:
    users = client.list_users()
```

Errors are the async client's (``NotFoundError``, ``ConflictError``, ...). Ctrl-C cancels the
call that is waiting. Callbacks (``progress``, ``on_retry``) run in the client's thread.
"""


@dataclass
class Imports:
    """The imports the generated module needs, rendered in ruff's isort order."""

    straight: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)

    def add_from(self, module: str, name: str) -> None:
        self.names.setdefault(module, set()).add(name)

    def render(self) -> list[str]:
        sections: dict[int, list[str]] = {0: [], 1: [], 2: []}
        for module in sorted(self.straight, key=str.lower):
            sections[_section(module)].append(f"import {module}")
        for module in sorted(self.names, key=str.lower):
            names = sorted((n for n in self.names[module] if " as " not in n), key=_name_order)
            if names:
                line = f"from {module} import {', '.join(names)}"
                if len(line) > LINE_LENGTH:
                    line = "\n".join(
                        [f"from {module} import (", *(f"    {n}," for n in names), ")"]
                    )
                sections[_section(module)].append(line)
            for aliased in sorted(n for n in self.names[module] if " as " in n):
                sections[_section(module)].append(f"from {module} import {aliased}")
        blocks = ["\n".join(lines) for _, lines in sorted(sections.items()) if lines]
        return ["\n\n".join(blocks)]


def _section(module: str) -> int:
    top = module.split(".")[0]
    if top == FIRST_PARTY:
        return 2
    return 0 if top in sys.stdlib_module_names else 1


def _name_order(name: str) -> tuple[int, str]:
    """isort's order-by-type: CONSTANTS, then Classes, then functions and variables."""
    if name.isupper() and len(name) > 1:
        return 0, name
    return (1 if name[:1].isupper() else 2), name.lower()


@dataclass
class Bindings:
    """How each module-level name of a module came to be there (for copying its import)."""

    module: ModuleType
    imported: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, module: ModuleType) -> Bindings:
        found = cls(module)
        tree = ast.parse(inspect.getsource(module))
        for node in _top_level(tree.body):
            if isinstance(node, ast.ImportFrom):
                if node.level or node.module is None:
                    raise SystemExit(f"{module.__name__}: relative imports are not supported")
                for alias in node.names:
                    found.imported[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname is not None or "." in alias.name:
                        raise SystemExit(f"{module.__name__}: use `import x` or `from x import y`")
                    found.imported[alias.name] = (alias.name, None)
        return found

    def require(self, name: str, imports: Imports) -> None:
        """Add the import that makes ``name`` mean in the generated module what it means here."""
        if name in self.imported:
            module, original = self.imported[name]
            if original is None:
                imports.straight.add(module)
            else:
                imports.add_from(module, original if original == name else f"{original} as {name}")
        elif name in vars(self.module):
            imports.add_from(self.module.__name__, name)
        elif not hasattr(builtins, name):
            raise SystemExit(f"{self.module.__name__}: cannot tell where {name!r} comes from")


def _top_level(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    for node in body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports
            yield from node.body
        else:
            yield node


@dataclass
class Parsed:
    """A method's definition, parsed from its own source text."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    source: str

    @classmethod
    def of(cls, function: Callable[..., Any]) -> Parsed:
        source = textwrap.dedent(inspect.getsource(function))
        node = ast.parse(source).body[0]
        assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        return cls(node, source)

    def text(self, node: ast.expr) -> str:
        segment = ast.get_source_segment(self.source, node)
        return segment if segment is not None and "\n" not in segment else ast.unparse(node)

    def comment(self, node: ast.expr) -> str:
        """A ``# noqa`` comment at the end of the line where ``node`` ends (kept with it)."""
        line = self.source.splitlines()[(node.end_lineno or node.lineno) - 1]
        at = line.find("# noqa")
        return "  " + line[at:].rstrip() if at >= 0 else ""

    def parameters(self) -> list[tuple[str, str]]:
        """(parameter text with annotation and default, trailing comment) in order."""
        args = self.node.args
        out: list[tuple[str, str]] = []
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults += args.defaults
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
            out.append(self._one(arg, default))
            if args.posonlyargs and index == len(args.posonlyargs) - 1:
                out.append(("/", ""))
        if args.vararg is not None:
            text, comment = self._one(args.vararg, None)
            out.append(("*" + text, comment))
        elif args.kwonlyargs:
            out.append(("*", ""))
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            out.append(self._one(arg, kw_default))
        if args.kwarg is not None:
            text, comment = self._one(args.kwarg, None)
            out.append(("**" + text, comment))
        return out

    def _one(self, arg: ast.arg, default: ast.expr | None) -> tuple[str, str]:
        text = arg.arg
        if arg.annotation is not None:
            text += f": {self.text(arg.annotation)}"
        if default is not None:
            value = self.text(default)
            text += f" = {value}" if arg.annotation is not None else f"={value}"
            return text, self.comment(default)
        return text, ""

    def forwarded(self) -> list[str]:
        """The arguments that pass every parameter (but ``self``) on unchanged."""
        args = self.node.args
        out = [arg.arg for arg in [*args.posonlyargs, *args.args][1:]]
        if args.vararg is not None:
            out.append("*" + args.vararg.arg)
        out += [f"{arg.arg}={arg.arg}" for arg in args.kwonlyargs]
        if args.kwarg is not None:
            out.append("**" + args.kwarg.arg)
        return out

    def names(self) -> set[str]:
        """Names the signature's annotations and defaults refer to."""
        args = self.node.args
        nodes: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        nodes += [a.annotation for a in every if a is not None and a.annotation is not None]
        if self.node.returns is not None:
            nodes.append(self.node.returns)
        return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _call_lines(prefix: str, arguments: list[str], indent: str) -> list[str]:
    """``prefix(arg, ...)`` on one line if it fits, else one argument per line."""
    one = f"{indent}{prefix}({', '.join(arguments)})"
    if len(one) <= LINE_LENGTH:
        return [one]
    return [f"{indent}{prefix}(", *(f"{indent}    {a}," for a in arguments), f"{indent})"]


def _wrapped_call(outer: str, inner: str, arguments: list[str]) -> list[str]:
    """``outer(inner(arg, ...))`` in a method body, wrapped like the rest when too long."""
    indent = " " * 8
    one = _call_lines(inner, arguments, "")
    if len(one) == 1 and len(f"{indent}{outer}({one[0]})") <= LINE_LENGTH:
        return [f"{indent}{outer}({one[0]})"]
    return [f"{indent}{outer}(", *_call_lines(inner, arguments, indent + "    "), f"{indent})"]


def _def_lines(name: str, parsed: Parsed, returns: str) -> list[str]:
    params = parsed.parameters()
    one = f"    def {name}({', '.join(p for p, _ in params)}) -> {returns}:"
    if len(one) <= LINE_LENGTH and not any(comment for _, comment in params):
        return [one]
    lines = [f"    def {name}("]
    lines += [f"        {text},{comment}" for text, comment in params]
    lines.append(f"    ) -> {returns}:")
    return lines


#: What the async wording of a docstring becomes in its blocking twin.
_SYNC_WORDS = (
    (re.compile(r"\basync (for|with)\b"), r"\1"),
    (re.compile(r"\bawait "), ""),
    (re.compile(r"``Paginator``"), "``SyncPaginator``"),
)


def sync_text(text: str) -> str:
    """A docstring's text as the sync twin says it: ``for``, not ``async for``; no ``await``."""
    for pattern, replacement in _SYNC_WORDS:
        text = pattern.sub(replacement, text)
    return text


def _docstring(doc: str | None, indent: str = "        ") -> list[str]:
    if not doc:
        raise SystemExit("every operation needs a docstring (the sync twin copies it)")
    text = sync_text(inspect.cleandoc(doc))
    if '"""' in text or text.endswith('"'):
        raise SystemExit(f"cannot copy a docstring with triple quotes: {text[:60]!r}")
    text = text.replace("\\", "\\\\")
    lines = text.splitlines()
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


def _sync_returns(parsed: Parsed) -> str:
    """``Paginator[T]`` becomes ``SyncPaginator[T]``."""
    returns = parsed.node.returns
    if not (
        isinstance(returns, ast.Subscript)
        and isinstance(returns.value, ast.Name)
        and returns.value.id == "Paginator"
    ):
        raise SystemExit(f"{parsed.node.name}: a paginating method must return Paginator[T]")
    return f"SyncPaginator[{parsed.text(returns.slice)}]"


def operations(client: type) -> list[tuple[type, str, Callable[..., Any], str]]:
    """(defining class, name, function, "call" or "iterate") in method-resolution order."""
    found: list[tuple[type, str, Callable[..., Any], str]] = []
    seen: set[str] = set()
    for klass in client.__mro__[:-1]:
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen or name in SKIPPED:
                continue
            seen.add(name)
            if not inspect.isfunction(value):
                continue  # properties, classmethods: the facade has its own
            if inspect.iscoroutinefunction(value):
                found.append((klass, name, value, "call"))
            elif name.startswith("iter_") or name in PAGINATING:
                found.append((klass, name, value, "iterate"))
            else:
                raise SystemExit(f"{klass.__name__}.{name}: no rule makes a sync twin of it")
    return found


def render() -> str:
    """The text of ``puhuri_async/sync/_client.py``."""
    client_module = generating.load("_client")
    client: type = client_module.PuhuriClient
    _check_against_the_table(client)
    imports = Imports()
    imports.add_from("puhuri_async._client", "PuhuriClient")
    imports.add_from("puhuri_async._client", "env_settings")
    imports.add_from("puhuri_async.sync._base", "SyncClientBase")
    imports.add_from("typing", "Any")
    bindings: dict[str, Bindings] = {}

    def require(function: Callable[..., Any], parsed: Parsed, drop: Iterable[str] = ()) -> None:
        module = sys.modules[function.__module__]
        if module.__name__ not in bindings:
            bindings[module.__name__] = Bindings.of(module)
        for name in sorted(parsed.names() - set(drop)):
            bindings[module.__name__].require(name, imports)

    body: list[str] = []
    constructor = client.__dict__["__init__"]
    init = Parsed.of(constructor)
    require(constructor, init)
    body += _def_lines("__init__", init, "None")
    body += _wrapped_call("self._start", "PuhuriClient", init.forwarded())
    from_env = client.__dict__["from_env"].__func__
    body += ["", "    @classmethod", "    def from_env(cls, **options: Any) -> SyncPuhuriClient:"]
    body += _docstring(from_env.__doc__)
    body += ["        api_url, token = env_settings()"]
    body += ["        return cls(api_url, token, **options)"]

    section = None
    for klass, name, function, kind in operations(client):
        if klass is not section:
            section = klass
            title = f"    # -- {klass.__name__} ({klass.__module__}) "
            body += ["", title + "-" * (LINE_LENGTH - 1 - len(title))]
        parsed = Parsed.of(function)
        body.append("")
        if kind == "call":
            require(function, parsed)
            returns = parsed.text(parsed.node.returns) if parsed.node.returns else "None"
            body += _def_lines(name, parsed, returns)
            body += _docstring(function.__doc__)
            body += _call_lines(
                "return self._call", [f"self._async.{name}", *parsed.forwarded()], " " * 8
            )
        else:
            require(function, parsed, drop=["Paginator"])
            imports.add_from("puhuri_async.sync._paginator", "SyncPaginator")
            body += _def_lines(name, parsed, _sync_returns(parsed))
            body += _docstring(function.__doc__)
            body += _wrapped_call("return self._iterate", f"self._async.{name}", parsed.forwarded())

    class_doc = CLASS_DOC + "\n" + _arguments_section(client.__doc__)
    header = [
        '"""``SyncPuhuriClient``: every ``PuhuriClient`` operation as a blocking method.',
        "",
        f"GENERATED by `{COMMAND}` from ``PuhuriClient``. Do not edit: change the",
        "async client (or the generator) and run the command again; a test checks that this file",
        "is up to date. The machinery (call path, closing) is in ``_base.py``, the event-loop",
        "thread in ``_thread.py``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *imports.render(),
        "",
        '__all__ = ["SyncPuhuriClient"]',
        "",
        "",
        "class SyncPuhuriClient(SyncClientBase):",
        *_docstring(class_doc, indent="    "),
        "",
    ]
    return "\n".join(header + body) + "\n"


def _check_against_the_table(client: type) -> None:
    """Every method of the operation table is an operation of the client, and the reverse."""
    table = generating.load_table().METHODS
    outside = set(generating.load("_door").CLIENT_METHODS)
    found = {name for _, name, _, _ in operations(client)} - outside
    if set(table) - found:
        missing = ", ".join(sorted(set(table) - found))
        raise SystemExit(f"PuhuriClient lacks {missing}: run scripts/gen_operations.py")
    if found - set(table):
        unknown = ", ".join(sorted(found - set(table)))
        raise SystemExit(f"{unknown}: every operation needs a row in puhuri_async/_operations/")


def _arguments_section(doc: str | None) -> str:
    """The ``Args:`` part of ``PuhuriClient``'s docstring (the constructor is the same)."""
    text = inspect.cleandoc(doc or "")
    at = text.find("Args:")
    if at < 0:
        raise SystemExit("PuhuriClient's docstring lost its 'Args:' section")
    return text[at:]


def main(argv: list[str] | None = None) -> int:
    return generating.main(
        argv, doc=__doc__, render=render, target=TARGET, root=ROOT, command=COMMAND
    )


if __name__ == "__main__":
    sys.exit(main())
