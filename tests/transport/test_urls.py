"""URL rules: api_url normalisation, path joining, origins, query parameters (tables)."""

from __future__ import annotations

import pytest

from puhuri_async import CrossOriginError, InvalidArgumentError
from puhuri_async._urls import (
    Origin,
    check_origin,
    join_url,
    normalize_api_url,
    normalize_params,
    origin_of,
    query_param,
    replace_query_param,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://h", "https://h/api/"),
        ("https://h/", "https://h/api/"),
        ("https://h/api", "https://h/api/"),
        ("https://h/api/", "https://h/api/"),
        ("https://h/api//", "https://h/api/"),
        ("  https://h/api/  ", "https://h/api/"),
        ("HTTPS://H.Example.ORG/api/", "https://h.example.org/api/"),
        ("https://h:443/api/", "https://h/api/"),
        ("http://h:80", "http://h/api/"),
        ("https://h:8443", "https://h:8443/api/"),
        ("http://127.0.0.1:8000/api", "http://127.0.0.1:8000/api/"),
        ("http://[::1]:8000/", "http://[::1]:8000/api/"),
        ("https://h/puhuri", "https://h/puhuri/api/"),
        ("https://h/puhuri/api/", "https://h/puhuri/api/"),
    ],
)
def test_api_url_normalised(given: str, expected: str) -> None:
    assert normalize_api_url(given) == expected


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("ftp://h/api/", "scheme"),
        ("h/api/", "scheme"),
        ("", "scheme"),
        ("https:///api/", "host"),
        ("https://user:pw@h/api/", "credentials"),
        ("https://h/api/?x=1", "query"),
        ("https://h/api/#top", "fragment"),
        ("https://h/api/users/", "API root"),
        ("https://h/api/api/", "API root"),
        ("https://h/x/../api/", "'..'"),
        ("https://h:99999/", "port"),
        ("https://h/a pi/", "whitespace"),
    ],
)
def test_bad_api_url_names_the_argument(given: str, words: str) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        normalize_api_url(given)
    assert info.value.argument == "api_url"
    assert words in str(info.value)
    assert isinstance(info.value, ValueError)


def test_api_url_of_wrong_type() -> None:
    with pytest.raises(InvalidArgumentError, match="expected a str"):
        normalize_api_url(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("users", "https://h/api/users/"),
        ("users/", "https://h/api/users/"),
        ("/users/", "https://h/api/users/"),
        (
            "marketplace-orders/abc/approve_by_provider",
            "https://h/api/marketplace-orders/abc/approve_by_provider/",
        ),
        ("", "https://h/api/"),
    ],
)
def test_join_url_always_ends_in_slash(path: str, expected: str) -> None:
    assert join_url("https://h/api/", path) == expected


@pytest.mark.parametrize("path", ["users/?page=2", "users/#x", "../admin/", "a//b/", "a b/", "./x"])
def test_join_url_refuses_odd_paths(path: str) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        join_url("https://h/api/", path)
    assert info.value.argument == "path"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://h/api/", Origin("https", "h", 443)),
        ("https://H:443/x", Origin("https", "h", 443)),
        ("http://h/", Origin("http", "h", 80)),
        ("http://h:8080/", Origin("http", "h", 8080)),
        ("https://[::1]:8443/", Origin("https", "::1", 8443)),
    ],
)
def test_origin_uses_effective_port(url: str, origin: Origin) -> None:
    assert origin_of(url) == origin


def test_origin_str() -> None:
    assert str(Origin("https", "h", 443)) == "https://h"
    assert str(Origin("http", "::1", 8000)) == "http://[::1]:8000"


ORIGIN = Origin("https", "h", 443)


@pytest.mark.parametrize(
    "url",
    [
        "https://h/api/users/?page=2",
        "https://h:443/api/users/",
        "HTTPS://H/api/users/",
    ],
)
def test_same_origin_accepted(url: str) -> None:
    assert check_origin(url, ORIGIN) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://h/api/users/",  # https → http downgrade
        "https://h:8443/api/users/",
        "https://evil.test/api/users/",
        "https://h.evil.test/api/",
        "https://evil.test@h/api/",  # credentials in the URL
        "ftp://h/api/",
        "//h/api/",
    ],
)
def test_other_origin_refused(url: str) -> None:
    with pytest.raises(CrossOriginError) as info:
        check_origin(url, ORIGIN, source="Link", operation="list_users")
    message = str(info.value)
    assert "list_users" in message
    assert "https://h" in message
    assert info.value.target == url


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (None, []),
        ({}, []),
        (
            {"a": "1", "b": 2, "c": True, "d": False, "e": None},
            [("a", "1"), ("b", "2"), ("c", "true"), ("d", "false")],
        ),
        ({"field": ["uuid", "name"]}, [("field", "uuid"), ("field", "name")]),
        (
            [("field", "uuid"), ("field", "name"), ("x", 1.5)],
            [("field", "uuid"), ("field", "name"), ("x", "1.5")],
        ),
    ],
)
def test_params_normalised(params: object, expected: list[tuple[str, str]]) -> None:
    assert normalize_params(params) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("params", [{"a": object()}, [("a",)], ["ab"], [(1, "x")]])
def test_bad_params(params: object) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        normalize_params(params)  # type: ignore[arg-type]
    assert info.value.argument == "params"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://h/api/u/?page=2&page_size=300", "https://h/api/u/?page=7&page_size=300"),
        ("https://h/api/u/?name=page&page=2", "https://h/api/u/?name=page&page=7"),
        ("https://h/api/u/?q=next%20page%3D3&page=2", "https://h/api/u/?q=next%20page%3D3&page=7"),
        ("https://h/api/u/?page=2&page=3", "https://h/api/u/?page=7"),
        ("https://h/api/u/", "https://h/api/u/?page=7"),
        ("https://h/api/u/?my_page=1", "https://h/api/u/?my_page=1&page=7"),
    ],
)
def test_replace_query_param_by_name(url: str, expected: str) -> None:
    assert replace_query_param(url, "page", "7") == expected


def test_query_param_by_name() -> None:
    url = "https://h/api/u/?my_page=9&page_size=5&page=3"
    assert query_param(url, "page") == "3"
    assert query_param(url, "page_size") == "5"
    assert query_param(url, "absent") is None
