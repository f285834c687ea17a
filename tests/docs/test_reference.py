"""The API reference shows every operation of both clients and every public name.

The reference pages are made at build time by ``scripts/reference_pages.py`` (an mkdocs hook) from
the operation table and the public names. One test reads what the hook writes; the other builds
the site with ``mkdocs build --strict`` and looks for each name's entry (its anchor) in the HTML,
with its parameter table, and for markup that would show literally.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from puhuri_async import _operations as table

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ("puhuri_async.PuhuriClient", "puhuri_async.SyncPuhuriClient")
PAGES = ("client", "sync", "models", "errors", "testing")


def _reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "reference_pages", ROOT / "scripts" / "reference_pages.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _reference()


def expected_paths() -> set[str]:
    """The dotted path of every public name and of every operation method of both clients."""
    paths = {
        reference.documented_path(module, name)
        for module, names in reference.public_names().items()
        for name in names
    }
    paths |= {f"{client}.{method}" for client in CLIENTS for method in table.METHODS}
    return paths


def test_every_page_has_its_marker() -> None:
    for page in PAGES:
        text = (ROOT / "docs" / "reference" / f"{page}.md").read_text("utf-8")
        assert f"<!-- reference: {page} -->" in text.splitlines(), page


def test_the_pages_name_every_public_name_and_operation() -> None:
    written = "\n".join(reference.render(page) for page in PAGES)
    directives = re.findall(r"^::: (\S+)$", written, flags=re.MULTILINE)
    assert len(directives) == len(set(directives)), "a name is documented twice"
    missing = expected_paths() - set(directives)
    assert not missing, f"not in the reference: {sorted(missing)}"


class BrandNewError(Exception):
    """An error a later change might export."""


def test_a_new_public_name_is_picked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``__all__`` exports is what the pages name: nothing is listed by hand."""
    import puhuri_async

    monkeypatch.setattr(puhuri_async, "BrandNewError", BrandNewError, raising=False)
    monkeypatch.setattr(puhuri_async, "__all__", [*puhuri_async.__all__, "BrandNewError"])
    assert "::: puhuri_async.BrandNewError" in reference.render("errors")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built as CI builds it (``mkdocs build --strict``)."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def _page(site: Path, name: str) -> str:
    return (site / "reference" / name / "index.html").read_text("utf-8")


def _text(html: str) -> str:
    """The visible text of a page, roughly: tags dropped, entities of quotes restored."""
    text = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", "", text).replace("&quot;", '"').replace("&#39;", "'")


@pytest.mark.slow
def test_the_built_reference_has_an_entry_for_every_name(site: Path) -> None:
    anchors: set[str] = set()
    for page in PAGES:
        anchors |= set(re.findall(r'id="(puhuri_async[\w.]*)"', _page(site, page)))
    missing = expected_paths() - anchors
    assert not missing, f"no entry in the built reference: {sorted(missing)}"


@pytest.mark.slow
def test_operations_have_parameter_tables_and_no_literal_markup(site: Path) -> None:
    for page in PAGES:
        html = _page(site, page)
        text = _text(html)
        for leftover in ("Typical use::", ":func:", ":class:", ":meth:", ":param ", ":returns:"):
            assert leftover not in text, f"{page}: {leftover!r} shows literally"
        found = re.search(r"^.*\w::\s*$", text, flags=re.MULTILINE)
        assert found is None, f"{page}: a reST '::' shows: {found and found.group(0).strip()!r}"
    client = _page(site, "client")
    entry = client.split('id="puhuri_async.PuhuriClient.list_users"', 1)[1]
    entry = entry.split('id="puhuri_async.PuhuriClient.iter_users"', 1)[0]
    assert "<table>" in entry
    assert "filter_kwargs" in entry
    assert "Returns:" in _text(entry)


@pytest.mark.slow
def test_the_sync_page_speaks_sync(site: Path) -> None:
    text = _text(_page(site, "sync"))
    assert "for user in client.iter_users()" in text
    assert "async for" not in text
    assert "await client" not in text


@pytest.mark.slow
def test_model_pages_list_every_field_with_its_type(site: Path) -> None:
    from puhuri_async import User

    html = _page(site, "models")
    for name, annotation in reference._annotations(User):
        row = f"<td><code>{name}</code></td>\n<td><code>{_escaped(annotation)}</code></td>"
        assert row in html, row
    assert "<td><code>'pending-provider'</code></td>" in html.replace("&#39;", "'")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_literal_blocks_of_the_table_become_markdown_code() -> None:
    """A row's ``Example::`` block is fenced as Python in the generated docstring."""
    spec = importlib.util.spec_from_file_location(
        "gen_operations", ROOT / "scripts" / "gen_operations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    text = "Who.\n\nExample::\n\n    me = await client.get_current_user()\n\nMore."
    assert generator._markdown(text) == (
        "Who.\n\nExample:\n\n```python\nme = await client.get_current_user()\n```\n\nMore."
    )
    assert generator._markdown("See ``a::b``.") == "See ``a::b``."


def test_optional_guides_join_the_nav_once_they_exist(tmp_path: Path) -> None:
    (tmp_path / "server-versions.md").write_text("# Server versions\n", encoding="utf-8")
    nav = [{"Home": "index.md"}, {"Guides": [{"Timeouts": "timeouts.md"}]}]
    reference.add_optional_pages(nav, tmp_path)
    assert nav[1] == {
        "Guides": [{"Timeouts": "timeouts.md"}, {"Server versions": "server-versions.md"}]
    }
    reference.add_optional_pages(nav, tmp_path)  # listed once, however often it runs
    assert _count(nav, "server-versions.md") == 1
    assert _count(nav, "provider-workflow.md") == 0  # not written: not listed


def _count(nav: object, file: str) -> int:
    if isinstance(nav, str):
        return int(nav == file)
    items = nav.values() if isinstance(nav, dict) else nav
    return sum(_count(item, file) for item in items)  # type: ignore[union-attr]
