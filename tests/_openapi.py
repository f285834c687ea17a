"""Check requests and responses against the vendored OpenAPI subset (a helper for tests).

The contract is ``tests/fixtures/openapi/puhuri-sp-subset.yaml`` (Waldur 8.0.5, OpenAPI 3.0).
This module turns it into JSON Schema once, then validates with ``jsonschema``:

- the upstream ``required: []`` quirk is repaired (empty lists dropped);
- fields the schema types wrongly are given their wire type (``WIRE_REPAIRS``: the usage amounts
  are decimal columns Waldur sends as decimal strings, ``"12.50"``, where 8.0.5 says integers;
  a per-user usage's ``user`` is null when none was given);
- OpenAPI 3.0 ``nullable: true`` becomes ``type: [..., "null"]`` (or ``anyOf`` with null around
  ``$ref``/``allOf``; enums gain ``None``);
- ``$ref``s resolve inside the document;
- formats are checked the way Waldur writes them: ``uuid`` as 32 hex digits (dashes allowed),
  ``date-time`` as ISO 8601 with a zone (``...Z``), ``date``, absolute ``uri``, ``email``.

Use (``tests/`` is on ``sys.path`` for test packages under it, e.g. ``tests/fake/``)::

    from _openapi import validate_request, validate_response

    validate_request("GET", "/api/users/?field=uuid&page_size=300")
    validate_request("POST", f"/api/marketplace-orders/{uuid}/approve_by_provider/", {})
    validate_response("GET", "/api/users/", 200, body, headers=response.headers)
    validate_response("GET", "/api/users/", 200, body, strict=True)   # no undocumented fields

Paths may be absolute URLs, ``/api/...`` paths, or relative to the API root (``users/``).
A failure raises :class:`OpenAPIMismatch` (an ``AssertionError``) listing every problem.
``validate_request`` checks query parameter names (unknown names are an error: the real server
would silently ignore them), repetition (only array parameters repeat), enum values, formats and
the JSON body against the request body schema (a body where none is defined is an error).
``validate_response`` checks that the status is documented and the body matches its schema;
where the schema documents no body, the body is not checked.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import yaml

__all__ = [
    "SPEC_PATH",
    "OpenAPIMismatch",
    "Operation",
    "load_spec",
    "validate_request",
    "validate_response",
    "validate_schema",
]

SPEC_PATH = Path(__file__).parent / "fixtures" / "openapi" / "puhuri-sp-subset.yaml"

_UUID = re.compile(r"^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_METHODS = ("get", "head", "post", "put", "patch", "delete")


#: (component, field) -> the schema of what the server really sends there.
WIRE_REPAIRS: dict[tuple[str, str], dict[str, Any]] = {
    ("ComponentUsage", "usage"): {"type": "string", "format": "decimal", "readOnly": True},
    ("ComponentUserUsage", "usage"): {"type": "string", "format": "decimal", "readOnly": True},
    # A per-user usage reported without an offering user has none (the foreign key is nullable).
    ("ComponentUserUsage", "user"): {"type": "string", "format": "uri", "nullable": True},
}


class OpenAPIMismatch(AssertionError):
    """A request or response does not match the schema."""


# -- schema translation (OpenAPI 3.0 -> JSON Schema 2020-12) -----------------------------------


def _schema(node: Any, strict: bool) -> Any:
    """Translate one OpenAPI schema object (recursively)."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required" and value == []:
            continue  # the upstream quirk
        if key == "properties":
            out[key] = {name: _schema(sub, strict) for name, sub in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
            out[key] = _schema(value, strict)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [_schema(sub, strict) for sub in value]
        elif key in ("nullable", "discriminator", "example", "xml", "externalDocs"):
            continue
        else:
            out[key] = value
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        if "type" in out and not any(k in out for k in ("$ref", "allOf", "anyOf", "oneOf")):
            kind = out["type"]
            out["type"] = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def _is_string_or(check: Any) -> Any:
    def wrapped(instance: Any) -> bool:
        return not isinstance(instance, str) or bool(check(instance))

    return wrapped


def _parses(pattern: re.Pattern[str], parse: Any) -> Any:
    """A check: ``value`` has the textual shape ``pattern`` and ``parse`` accepts it."""

    def check(value: str) -> bool:
        if not pattern.match(value):
            return False
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


_datetime_ok = _parses(_DATETIME, datetime.fromisoformat)
_date_ok = _parses(_DATE, date.fromisoformat)


def _uri_ok(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checks = {
        "uuid": lambda v: _UUID.match(v),
        "date-time": _datetime_ok,
        "date": _date_ok,
        "uri": _uri_ok,
        "email": lambda v: _EMAIL.match(v),
    }
    for name, check in checks.items():
        checker.checks(name)(_is_string_or(check))
    return checker


def _problems(validator: jsonschema.protocols.Validator, instance: Any) -> list[str]:
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "$" + "".join(
            f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path
        )
        found.append(f"{where}: {error.message}")
    return found


# -- operations ----------------------------------------------------------------------------------


class Operation:
    """One operation of the subset: method, path template, parameters, bodies."""

    def __init__(
        self,
        spec: Spec,
        method: str,
        template: str,
        raw: dict[str, Any],
        shared: list[dict[str, Any]],
    ) -> None:
        self.spec = spec
        self.method = method.upper()
        self.template = template
        self.raw = raw
        self.operation_id: str = raw.get("operationId", "")
        params = [spec.resolve(p) for p in [*shared, *raw.get("parameters", [])]]
        self.query = {p["name"]: p for p in params if p["in"] == "query"}
        self.path_params = {p["name"]: p for p in params if p["in"] == "path"}
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self.pattern = re.compile(f"^{pattern}$")

    def __repr__(self) -> str:
        return f"<Operation {self.method} {self.template} ({self.operation_id})>"

    def _param_problems(self, name: str, param: dict[str, Any], values: list[str]) -> list[str]:
        schema = self.spec.resolve(param.get("schema", {}))
        problems = []
        if schema.get("type") == "array":
            explode = param.get("explode", True)
            if not explode:
                if len(values) > 1:
                    problems.append(f"query {name!r} is comma-separated, not repeated")
                values = [part for value in values for part in value.split(",")]
            item_schema = self.spec.resolve(schema.get("items", {}))
        else:
            if len(values) > 1:
                problems.append(f"query {name!r} may not repeat (got {values})")
            item_schema = schema
        for value in values:
            problem = _scalar_problem(item_schema, value)
            if problem:
                problems.append(f"query {name}={value!r}: {problem}")
        return problems

    def request_problems(self, path: str, query: list[tuple[str, str]], body: Any) -> list[str]:
        """Everything wrong with a request to this operation."""
        problems = []
        matched = self.pattern.match(path)
        assert matched is not None
        for name, value in matched.groupdict().items():
            param = self.path_params.get(name, {})
            problem = _scalar_problem(self.spec.resolve(param.get("schema", {})), value)
            if problem:
                problems.append(f"path parameter {name}={value!r}: {problem}")
        names: dict[str, list[str]] = {}
        for name, value in query:
            names.setdefault(name, []).append(value)
        for name, values in names.items():
            param = self.query.get(name)
            if param is None:
                known = ", ".join(sorted(self.query)) or "none"
                problems.append(f"unknown query parameter {name!r} (known: {known})")
                continue
            problems += self._param_problems(name, param, values)
        for name, param in self.query.items():
            if param.get("required") and name not in names:
                problems.append(f"missing required query parameter {name!r}")
        request_body = self.raw.get("requestBody")
        if request_body is None:
            if body is not None:
                problems.append("this operation takes no request body")
        elif body is None:
            if request_body.get("required"):
                problems.append("a request body is required")
        else:
            schema = request_body.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                problems += self.spec.problems(schema, body, strict=False)
        return problems

    def response_problems(
        self, status: int, body: Any, headers: Mapping[str, str] | None, strict: bool
    ) -> list[str]:
        """Everything wrong with a response of this operation."""
        responses = self.raw.get("responses", {})
        documented = responses.get(str(status)) or responses.get("default")
        if documented is None:
            return [f"status {status} is not documented (documented: {sorted(responses)})"]
        documented = self.spec.resolve(documented)
        problems = []
        if headers is not None:
            lowered = {k.lower(): v for k, v in headers.items()}
            for name in documented.get("headers", {}):
                value = lowered.get(name.lower())
                if value is not None and not re.fullmatch(r"\d+", value):
                    problems.append(f"header {name}: {value!r} is not an integer")
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return problems
        if body is None:
            return [*problems, "a JSON body is documented, none given"]
        return problems + self.spec.problems(schema, body, strict=strict)


def _scalar_problem(schema: dict[str, Any], value: str) -> str | None:
    kind = schema.get("type")
    if "enum" in schema and value not in schema["enum"]:
        return f"not one of {schema['enum']}"
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return "not an integer"
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return "not a number"
    if kind == "boolean" and value not in ("true", "false"):
        return "not a boolean (true/false)"
    checks = {"uuid": _UUID.match, "date-time": _datetime_ok, "date": _date_ok, "uri": _uri_ok}
    check = checks.get(schema.get("format", ""))
    if check is not None and not check(value):
        return f"not a valid {schema['format']}"
    return None


# -- the spec ------------------------------------------------------------------------------------


class Spec:
    """The loaded subset: operations and translated component schemas."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        schemas = document["components"]["schemas"]
        repaired = {name: dict(schema) for name, schema in schemas.items()}
        for (component, field), wire in WIRE_REPAIRS.items():
            properties = dict(repaired[component]["properties"])
            properties[field] = wire
            repaired[component]["properties"] = properties
        self._components = {
            strict: {
                "schemas": {name: _schema(schema, strict) for name, schema in repaired.items()}
            }
            for strict in (False, True)
        }
        self._checker = _format_checker()
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            shared = item.get("parameters", [])
            for method in _METHODS:
                if method in item:
                    self.operations.append(Operation(self, method, template, item[method], shared))
        # Literal paths before templated ones with the same shape.
        self.operations.sort(key=lambda op: op.template.count("{"))

    def resolve(self, node: Any) -> Any:
        """``node`` with a top-level ``$ref`` followed (within this document)."""
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    @functools.cache  # noqa: B019 - the spec lives for the whole test session
    def _validator(self, key: str, strict: bool) -> jsonschema.protocols.Validator:
        schema = json.loads(key)
        root = {"components": self._components[strict], **_schema(schema, strict)}
        return jsonschema.Draft202012Validator(root, format_checker=self._checker)

    def problems(self, schema: dict[str, Any], instance: Any, *, strict: bool) -> list[str]:
        """What is wrong with ``instance`` against an OpenAPI ``schema`` (with ``$ref``s)."""
        return _problems(self._validator(json.dumps(schema, sort_keys=True), strict), instance)

    def operation(self, method: str, path: str) -> Operation:
        """The operation serving ``method`` and ``path`` (``/api/...``)."""
        method = method.upper()
        same_path = [op for op in self.operations if op.pattern.match(path)]
        for op in same_path:
            if op.method == method:
                return op
        if same_path:
            allowed = sorted({op.method for op in same_path})
            raise OpenAPIMismatch(f"{method} {path}: method not in the schema (has {allowed})")
        raise OpenAPIMismatch(f"{method} {path}: no such path in the schema")


@functools.cache
def load_spec(path: Path = SPEC_PATH) -> Spec:
    """The subset, loaded and translated once."""
    with path.open(encoding="utf-8") as stream:
        return Spec(yaml.safe_load(stream))


def _split(path_or_url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(path_or_url)
    path = parts.path
    if not path.startswith("/"):
        path = "/api/" + path
    return path, parse_qsl(parts.query, keep_blank_values=True)


def _raise(what: str, problems: list[str]) -> None:
    if problems:
        raise OpenAPIMismatch(f"{what} does not match the schema:\n  " + "\n  ".join(problems))


def validate_request(method: str, path_with_query: str, body: Any = None) -> None:
    """Check a request: path, query parameters (names, repetition, values), JSON body.

    ``body`` None means no body.
    """
    path, query = _split(path_with_query)
    operation = load_spec().operation(method, path)
    _raise(
        f"request {method.upper()} {path_with_query}", operation.request_problems(path, query, body)
    )


def validate_response(
    method: str,
    path: str,
    status: int,
    body: Any = None,
    *,
    headers: Mapping[str, str] | None = None,
    strict: bool = False,
) -> None:
    """Check a response: documented status, body against its schema, ``X-Result-Count``.

    ``body`` is the decoded JSON (None: no body). ``strict`` also rejects properties the schema
    does not list (the real server may add fields; a fake should not invent them).
    """
    path_only, _ = _split(path)
    operation = load_spec().operation(method, path_only)
    _raise(
        f"response {status} to {method.upper()} {path}",
        operation.response_problems(status, body, headers, strict),
    )


def validate_schema(name: str, instance: Any, *, strict: bool = False) -> None:
    """Check ``instance`` against the component schema ``name`` (e.g. ``"User"``)."""
    spec = load_spec()
    _raise(
        f"{name} instance",
        spec.problems({"$ref": f"#/components/schemas/{name}"}, instance, strict=strict),
    )
