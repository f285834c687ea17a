#!/usr/bin/env python3
"""The API reference pages, made from the operation table and the public names at build time.

mkdocs runs this module as a hook (``hooks:`` in mkdocs.yml). Each page under docs/reference/
keeps its own introduction and a marker line, ``<!-- reference: NAME -->``, which the hook
replaces by what ``render(NAME)`` writes: mkdocstrings directives (``::: puhuri_async.X``) for
every operation of the table (grouped by area, with a summary table), for every public name of
``puhuri_async``, ``puhuri_async.models`` and ``puhuri_async.testing``, and tables of each
model's fields and each enum's values. Nothing is restated by hand, so a new row or a new public
name is in the reference as soon as it exists; tests/docs/test_reference.py builds the site and
fails if a public name has no entry in it.

    python scripts/reference_pages.py client      # print what the marker of a page becomes
"""

from __future__ import annotations

import enum
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar, get_origin

import puhuri_async
import puhuri_async.models as models
import puhuri_async.testing as testing
from puhuri_async import _operations as table
from puhuri_async.models import PuhuriModel

MARKER = re.compile(r"^<!-- reference: (?P<name>[a-z]+) -->$", re.MULTILINE)
TOP = "puhuri_async"


def public_names() -> dict[str, tuple[str, ...]]:
    """Module -> its public names: what the reference must show, every one."""
    return {
        TOP: tuple(puhuri_async.__all__),
        "puhuri_async.models": tuple(models.__all__),
        "puhuri_async.testing": tuple(testing.__all__),
    }


def documented_path(module: str, name: str) -> str:
    """The dotted path a public name is documented under (models exported at the top: there)."""
    if module == "puhuri_async.models" and name in puhuri_async.__all__:
        return f"{TOP}.{name}"
    return f"{module}.{name}"


def _directive(path: str, **options: Any) -> str:
    lines = [f"::: {path}"]
    if options:
        lines.append("    options:")
        for key, value in options.items():
            shown = str(value).lower() if isinstance(value, bool) else value
            lines.append(f"      {key}: {shown}")
    return "\n".join(lines) + "\n"


def _line_of(value: object) -> tuple[str, int]:
    """(module, line) of a class or function, for listing names in source order."""
    try:
        return getattr(value, "__module__", ""), inspect.getsourcelines(value)[1]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return getattr(value, "__module__", "~"), 0


# -- the clients ---------------------------------------------------------------------------------


def own_members(client: type) -> list[str]:
    """The client's public members that are not operations (constructor options, properties,
    ``from_env``, closing...), in the order of the classes that define them."""
    found: list[str] = []
    for klass in client.__mro__[:-1]:
        for name in vars(klass):
            if name.startswith("_") or name in table.METHODS or name in found:
                continue
            found.append(name)
    return found


def _area_title(area: ModuleType) -> str:
    return area.__name__.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def _anchor(path: str, name: str) -> str:
    return f"[`{name}`](#{path}.{name})"


def client_page(path: str, client: type) -> str:
    """A client: its own members, then every operation of the table, area by area."""
    out = [
        _directive(path, members=own_members(client), inherited_members=True),
        "## Operations",
        "",
        "Every operation of the table, area by area. *Resent* says whether a request is sent",
        "again after its answer was lost (reads and writes idempotent by nature).",
        "",
    ]
    for area in table.AREAS:
        out += [f"### {_area_title(area)}", ""]
        out += ["| Method | Request | Resent | Summary |", "|---|---|---|---|"]
        for row in area.OPERATIONS:
            names = " ".join(f"{_anchor(path, name)}<br>" for name in row.method_names)
            resent = "yes" if row.idempotent else "no"
            since = f" (server {row.since} and later)" if row.since else ""
            request = f"`{row.method} {row.path}`"
            out.append(
                f"| {names.removesuffix('<br>')} | {request} | {resent} | {row.summary}{since} |"
            )
        out.append("")
        for row in area.OPERATIONS:
            for name in row.method_names:
                out.append(_directive(f"{path}.{name}", heading_level=4))
            if row.filters:
                shown = ", ".join(f"`{name}`" for name in sorted(row.filters))
                out += [f"Filters of `{row.path}`: {shown}.", ""]
    return "\n".join(out)


# -- models, enums and the rest ------------------------------------------------------------------


def _annotations(klass: type) -> Iterator[tuple[str, str]]:
    """(field, annotation as written) of a model, base classes first, ``ClassVar`` left out."""
    seen: set[str] = set()
    for base in reversed(klass.__mro__):
        for name, annotation in vars(base).get("__annotations__", {}).items():
            text = (
                annotation
                if isinstance(annotation, str)
                else getattr(annotation, "__name__", str(annotation))
            )
            if name.startswith("_") or "ClassVar" in text or get_origin(annotation) is ClassVar:
                continue
            if name not in seen:
                seen.add(name)
                yield name, text


def fields_table(klass: type) -> str:
    rows = [f"| `{name}` | `{text}` |" for name, text in _annotations(klass)]
    if not rows:
        return ""
    return "\n".join(
        [f"**Fields of `{klass.__name__}`**", "", "| Field | Type |", "|---|---|", *rows, ""]
    )


def values_table(klass: type[enum.Enum]) -> str:
    rows = [f"| `{member.name}` | `{member.value!r}` |" for member in klass]
    return "\n".join(
        [f"**Values of `{klass.__name__}`**", "", "| Member | Value |", "|---|---|", *rows, ""]
    )


def _entries(
    module: str, names: Iterable[str], keep: Callable[[object], bool]
) -> list[tuple[str, object]]:
    source = sys.modules[module]
    chosen = [(name, getattr(source, name)) for name in names if keep(getattr(source, name))]
    return sorted(chosen, key=lambda entry: _line_of(entry[1]))


def _is_model(value: object) -> bool:
    return inspect.isclass(value) and issubclass(value, PuhuriModel)


def _is_enum(value: object) -> bool:
    return inspect.isclass(value) and issubclass(value, enum.Enum)


def models_page() -> str:
    names = public_names()["puhuri_async.models"]
    out: list[str] = ["## Reading and writing JSON", ""]
    for name, _ in _entries("puhuri_async.models", names, inspect.isfunction):
        if not name.endswith("_payload"):
            out.append(_directive(documented_path("puhuri_async.models", name), heading_level=3))
    out.append(_directive("puhuri_async.PuhuriModel", heading_level=3))
    group = None
    for name, value in _entries("puhuri_async.models", names, _is_model):
        if value is PuhuriModel:
            continue
        area = value.__module__.rsplit(".", 1)[-1].replace("_", " ").capitalize()
        if area != group:
            group = area
            out += [f"## {area}", ""]
        out.append(
            _directive(documented_path("puhuri_async.models", name), heading_level=3, members=False)
        )
        out.append(fields_table(value))  # type: ignore[arg-type]
    out += ["## Inputs", "", "Values the client sends: built by you, checked when built.", ""]
    plain = [
        (name, value)
        for name, value in _entries("puhuri_async.models", names, inspect.isclass)
        if not _is_model(value) and not _is_enum(value)
    ]
    for name, value in plain:
        out.append(_directive(documented_path("puhuri_async.models", name), heading_level=3))
        out.append(fields_table(value))  # type: ignore[arg-type]
    for name, _ in _entries("puhuri_async.models", names, inspect.isfunction):
        if name.endswith("_payload"):
            out.append(_directive(documented_path("puhuri_async.models", name), heading_level=3))
    out += [
        "## Enumerations",
        "",
        "String enums: each member equals the string the server sends.",
        "",
    ]
    for name, value in _entries("puhuri_async.models", names, _is_enum):
        out.append(
            _directive(documented_path("puhuri_async.models", name), heading_level=3, members=False)
        )
        out.append(values_table(value))  # type: ignore[arg-type]
    others = [
        n
        for n in names
        if not (inspect.isclass(getattr(models, n)) or inspect.isfunction(getattr(models, n)))
    ]
    if others:
        out += ["## Type aliases", ""]
        out += [
            _directive(documented_path("puhuri_async.models", name), heading_level=3)
            for name in others
        ]
    return "\n".join(out)


_ELSEWHERE = {"PuhuriClient", "SyncPuhuriClient", "SyncPaginator", "EventLoopBlockedWarning"}


def support_page() -> str:
    """Policies, paging, transport values and the errors: the top-level names no other page has."""
    names = [n for n in public_names()[TOP] if n not in _ELSEWHERE and n not in models.__all__]
    values = [getattr(puhuri_async, n) for n in names]
    errors = [
        n
        for n, v in zip(names, values, strict=True)
        if inspect.isclass(v) and issubclass(v, Exception) and not issubclass(v, Warning)
    ]
    warnings = [
        n
        for n, v in zip(names, values, strict=True)
        if inspect.isclass(v) and issubclass(v, Warning)
    ]
    rest = [n for n in names if n not in errors and n not in warnings]
    out = ["## Policies, paging and transport", ""]
    rest.sort(key=lambda n: _line_of(getattr(puhuri_async, n)))
    out += [_directive(f"{TOP}.{n}", heading_level=3) for n in rest]
    for title, group in (("Exceptions", errors), ("Warnings", warnings)):
        group.sort(key=lambda n: _line_of(getattr(puhuri_async, n)))
        out += [f"## {title}", ""]
        out += [_directive(f"{TOP}.{n}", heading_level=3) for n in group]
    return "\n".join(out)


def sync_page() -> str:
    return "\n".join(
        [
            client_page(f"{TOP}.SyncPuhuriClient", puhuri_async.SyncPuhuriClient),
            "## Iterating and warnings",
            "",
            _directive(f"{TOP}.SyncPaginator", heading_level=3),
            _directive(f"{TOP}.EventLoopBlockedWarning", heading_level=3),
        ]
    )


def testing_page() -> str:
    out = []
    for name in public_names()["puhuri_async.testing"]:
        out.append(_directive(f"puhuri_async.testing.{name}", heading_level=3))
    return "\n".join(out)


PAGES: dict[str, Callable[[], str]] = {
    "client": lambda: client_page(f"{TOP}.PuhuriClient", puhuri_async.PuhuriClient),
    "sync": sync_page,
    "models": models_page,
    "errors": support_page,
    "testing": testing_page,
}


def render(name: str) -> str:
    """What the marker ``<!-- reference: name -->`` becomes."""
    if name not in PAGES:
        raise KeyError(f"no reference section {name!r}; known: {', '.join(PAGES)}")
    return PAGES[name]()


def expand(markdown: str) -> str:
    """``markdown`` with every reference marker replaced."""
    return MARKER.sub(lambda found: render(found["name"]), markdown)


#: Guides the nav lists as soon as their page exists (written on other branches): section,
#: title, file. mkdocs --strict fails on a nav entry whose file is missing, so they are added here.
OPTIONAL_PAGES = (
    ("Guides", "The provider's workflow", "provider-workflow.md"),
    ("Guides", "Server versions", "server-versions.md"),
)


def _listed(nav: Any) -> set[str]:
    """Every file a nav (nested lists and one-key dicts) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_listed(value) for value in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_listed(item) for item in nav))
    return set()


def add_optional_pages(nav: list[Any], docs_dir: Path) -> list[Any]:
    """``nav`` with each page of ``OPTIONAL_PAGES`` that exists and is not listed yet."""
    for section, title, file in OPTIONAL_PAGES:
        if not (docs_dir / file).is_file() or file in _listed(nav):
            continue
        for item in nav:
            if isinstance(item, dict) and isinstance(item.get(section), list):
                item[section].append({title: file})
                break
    return nav


def on_config(config: Any, **_: Any) -> Any:
    """The mkdocs hook: list the optional guides that exist."""
    if config["nav"]:
        add_optional_pages(config["nav"], Path(config["docs_dir"]))
    return config


def on_page_markdown(markdown: str, **_: Any) -> str:
    """The mkdocs hook: expand the markers of the page being built."""
    return expand(markdown)


if __name__ == "__main__":
    for page in sys.argv[1:] or list(PAGES):
        print(render(page))
