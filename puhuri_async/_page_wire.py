"""Waldur's paging on the wire: the URLs the client asks for, and what it reads from the answers.

What the client trusts, and what it only checks (the pagination docs say the same):

- **Its own page URLs.** Every page is requested at the list's URL with the caller's query,
  then ``page`` and ``page_size``: built here, never taken from the server. So a ``next`` link
  that drops the filters, changes a dummy parameter on every page, or is relative, cannot
  change what is fetched.
- **``Link`` says whether there is a next page.** It is parsed per RFC 8288 (relation types
  are case-insensitive; a relative URL is resolved against the URL of the page it came with).
  The ``next`` URL must be on the API origin (else ``CrossOriginError``), be the same list
  (path), and name the following page number when it names one; anything else is a
  ``PaginationError``.
- **``X-Result-Count`` plans the concurrent fetching** when it is plausible: ASCII digits
  only, at most 15 of them, the same value when the header is repeated. Otherwise the page is
  refused (``PaginationError``), never taken as "no count".

Pure functions on strings; they raise ``PaginationError`` without request context (the
paginator adds it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from puhuri_async._errors import PaginationError

__all__ = ["encode_query", "page_number", "page_url", "parse_count", "parse_links", "same_list"]

MAX_COUNT_DIGITS: Final = 15


def encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    """The query string of ``pairs`` (as httpx would encode them)."""
    return urlencode(pairs)


def page_url(list_url: str, query: str, number: int, size: int) -> str:
    """The URL of page ``number`` of the list at ``list_url`` with the caller's ``query``."""
    paging = f"page={number}&page_size={size}"
    return f"{list_url}?{query}&{paging}" if query else f"{list_url}?{paging}"


def parse_count(value: str | None) -> int | None:
    """``X-Result-Count`` as an int (``None`` when absent); see the module docs."""
    if value is None:
        return None
    values = {part.strip() for part in value.split(",")}
    if len(values) != 1:
        raise PaginationError(f"conflicting X-Result-Count headers ({value[:80]!r})")
    text = values.pop()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_COUNT_DIGITS:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise PaginationError(f"implausible X-Result-Count {shown!r}")
    return int(text)


# One link-value of RFC 8288: <URI-reference> and its parameters, up to a comma or the end.
_LINK = re.compile(
    r"[\s,]*<(?P<target>[^>]*)>"
    r'(?P<params>(?:[ \t]*;[ \t]*[^\s;,="<>]+(?:[ \t]*=[ \t]*(?:"(?:[^"\\]|\\.)*"|[^\s;,"<>]*))?)*)'
    r"[ \t]*(?:,|\Z)"
)
_PARAM = re.compile(r';[ \t]*([^\s;,="<>]+)(?:[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([^\s;,"<>]*)))?')
_ESCAPE = re.compile(r"\\(.)")


def _rel(params: str) -> str | None:
    """The first ``rel`` parameter's value (RFC 8288: later ones are ignored)."""
    for name, quoted, token in _PARAM.findall(params):
        if name.lower() == "rel":
            return _ESCAPE.sub(r"\1", quoted) if "\\" in quoted else (quoted or token)
    return None


def parse_links(value: str | None, base_url: str) -> dict[str, str]:
    """The ``Link`` header as ``{relation: absolute URL}``.

    Relation types are lower-cased (RFC 8288: case-insensitive), each link's URL is resolved
    against ``base_url`` (the URL of the response). The first link of a relation counts, but
    two different ``next`` links contradict each other: ``PaginationError``. Anything that is
    not a list of ``<URL>; param=value`` links is a ``PaginationError`` too.
    """
    links: dict[str, str] = {}
    if not value:
        return links
    index, end = 0, len(value)
    while index < end:
        match = _LINK.match(value, index)
        if match is None:
            if value[index:].strip(", \t"):
                raise PaginationError(f"malformed Link header at character {index}")
            break
        index = match.end()
        rel = _rel(match["params"])
        if not rel:
            continue
        target = match["target"].strip()
        absolute = target.startswith(("https://", "http://")) and "/." not in target
        url = target if absolute else urljoin(base_url, target)
        for relation in rel.lower().split():
            known = links.setdefault(relation, url)
            if relation == "next" and known != url:
                raise PaginationError(f"the Link header names two next pages: {known} and {url}")
    return links


_PAGE = re.compile(r"[?&]page=([^&#]*)")


def page_number(url: str) -> int | None:
    """The ``page`` query parameter of ``url`` as an int, ``None`` when absent; a value that is
    not a page number is a ``PaginationError``."""
    if "%" in url or "+" in url:  # encoded names or values: decode the query properly
        values = [value for key, value in parse_qsl(urlsplit(url).query) if key == "page"]
    else:
        values = _PAGE.findall(url)
    if not values:
        return None
    text = values[0].strip()
    if len(values) > 1 or not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise PaginationError(f"the next link names no usable page number: {url}")
    return int(text)


def same_list(url: str, list_url: str) -> bool:
    """Whether ``url`` (absolute) is the list at ``list_url`` (its path, any query)."""
    a, b = urlsplit(url), urlsplit(list_url)
    return a.path.rstrip("/") == b.path.rstrip("/")
