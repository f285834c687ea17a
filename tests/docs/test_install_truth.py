"""What the README, the home page and the package metadata say about installing is true.

The package is on no index: no page tells the reader to ``pip install puhuri-async`` by name.
The README renders on an index page (PyPI shows the long description), where relative links
break: every link in it is absolute, and those into the repository name files that exist. The
repository address is a placeholder, the same everywhere.
"""

from __future__ import annotations

import re
import tomllib

from tests.docs.test_examples import ROOT, doc_files, fenced_blocks

REPOSITORY = "https://git.example.org/puhuri-async/puhuri-async"
_LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)\)")
#: ``pip install`` of the project by its name, as from an index.
_BY_NAME = re.compile(r"pip install [\"']?puhuri-async\b")


def _project() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    project = data["project"]
    assert isinstance(project, dict)
    return project


def test_no_page_installs_the_package_from_an_index() -> None:
    for path in doc_files():
        text = path.read_text("utf-8")
        found = _BY_NAME.search(text)
        assert found is None, f"{path.name}: {found and found.group(0)!r}: it is on no index"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "not on PyPI" in readme


def test_readme_links_are_absolute_and_point_at_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    targets = [m["target"] for m in _LINK.finditer(readme)]
    assert targets
    for target in targets:
        assert re.match(r"^(https?://|#)", target), f"a relative link in README.md: {target}"
        for kind in ("blob", "raw"):
            prefix = f"{REPOSITORY}/{kind}/main/"
            if target.startswith(prefix):
                path = target.removeprefix(prefix).split("#")[0]
                assert (ROOT / path).exists(), f"README.md links to a missing file: {path}"


def test_the_repository_placeholder_is_the_same_everywhere() -> None:
    urls = _project()["urls"]
    assert isinstance(urls, dict)
    assert urls["Repository"] == REPOSITORY
    assert all(str(url).startswith(REPOSITORY) for url in urls.values())
    mkdocs = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert f"repo_url: {REPOSITORY}\n" in mkdocs
    for page in (ROOT / "README.md", ROOT / "docs" / "index.md"):
        text = page.read_text("utf-8")
        assert REPOSITORY in text, page.name
        assert "placeholder" in text, f"{page.name} does not say the address is a placeholder"
    hosts = set()
    for path in [ROOT / "README.md", *doc_files(), ROOT / "pyproject.toml", ROOT / "mkdocs.yml"]:
        hosts |= set(re.findall(r"https://(git\.[\w.-]+)/", path.read_text("utf-8")))
    assert hosts == {"git.example.org"}, hosts


def test_the_home_page_says_how_to_install_and_start() -> None:
    index = (ROOT / "docs" / "index.md").read_text("utf-8")
    shell = "".join(b.source for b in fenced_blocks(index) if b.language == "bash")
    assert 'pip install ".[cli]"' in shell
    assert "python3 scripts/dev.py wheel" in shell
    assert 'pip install "$(ls dist/puhuri_async-*.whl)[cli]"' in shell
    assert "python3 scripts/dev.py demo" in shell
    assert "python3 scripts/dev.py test" in shell
    # The extras the pages name exist.
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    for extra in ("cli", "testing", "speedups"):
        assert extra in extras
