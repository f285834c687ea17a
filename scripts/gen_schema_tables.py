#!/usr/bin/env python3
"""Generate puhuri_async/_schema.py, the query-parameter tables, from the OpenAPI subset.

    python scripts/gen_schema_tables.py            # rewrite puhuri_async/_schema.py
    python scripts/gen_schema_tables.py --check    # exit 1 if the committed file is stale

The tables hold what the client reads at run time, for each list of the operation table
(puhuri_async/_operations/): which query parameters the GET at its path accepts in
tests/fixtures/openapi/puhuri-sp-subset.yaml (pagination's `page` and `page_size` left out: the
pager owns them), the type of each value, which take several values and how (`repeat`:
`state=a&state=b`; `comma`: `o=a,b`, the OpenAPI `explode: false` form), and the allowed values
of enum parameters. They are keyed by the operation's own path template (its placeholders are
the method's argument names); the schema's path is found by position of the placeholders. A row
whose path is not in the subset stops the generator.

Needs PyYAML (in the `test` extra); the generated module is plain data and needs nothing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _generating as generating  # a sibling module, found once the path is set

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "fixtures" / "openapi" / "puhuri-sp-subset.yaml"
TARGET = ROOT / "puhuri_async" / "_schema.py"
COMMAND = "python scripts/gen_schema_tables.py"
API_PREFIX = "/api/"


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` (and a one-element `allOf`) to the schema it names."""
    while True:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = spec["components"]["schemas"][name]
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        else:
            return node


def _value_type(schema: dict[str, Any]) -> str:
    """The wire type of one value: a JSON type, or its string `format` (uuid, date-time...)."""
    kind = schema.get("type", "string")
    if kind == "string" and "format" in schema:
        return str(schema["format"])
    return str(kind)


def collect(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per schema path template: parameter types, multi-value styles and enum values."""
    tables: dict[str, dict[str, Any]] = {}
    for raw_path, item in spec["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        path = raw_path.removeprefix(API_PREFIX)
        types: dict[str, str] = {}
        multi: dict[str, str] = {}
        enums: dict[str, tuple[str, ...]] = {}
        for parameter in operation.get("parameters", []):
            if "$ref" in parameter or parameter.get("in") != "query":
                continue  # page / page_size ($ref) belong to the pager; path parameters aside
            name = parameter["name"]
            schema = _resolve(spec, parameter.get("schema", {}))
            if schema.get("type") == "array":
                # OpenAPI query default is style=form, explode=true: one `name=value` per value.
                multi[name] = "repeat" if parameter.get("explode", True) else "comma"
                schema = _resolve(spec, schema.get("items", {}))
            types[name] = _value_type(schema)
            if "enum" in schema:
                enums[name] = tuple(str(value) for value in schema["enum"] if value is not None)
        tables[path] = {
            "types": dict(sorted(types.items())),
            "multi": dict(sorted(multi.items())),
            "enums": dict(sorted(enums.items())),
        }
    return tables


def _shape(path: str) -> str:
    """A path template with its placeholders unnamed: ``a/{uuid}/b/`` -> ``a/{}/b/``."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def select(spec: dict[str, Any], rows: Any) -> dict[str, dict[str, Any]]:
    """The tables the rows read, keyed by each row's own path template, sorted by it."""
    by_shape = {_shape(path): table for path, table in collect(spec).items()}
    tables: dict[str, dict[str, Any]] = {}
    for row in rows:
        if not row.reads_filters:
            continue
        table = by_shape.get(_shape(row.path))
        if table is None:
            raise SystemExit(f"operation {row.name}: no GET {API_PREFIX}{row.path} in {SCHEMA}")
        tables[row.path] = table
    return dict(sorted(tables.items()))


def _q(text: str) -> str:
    return json.dumps(text)


def _dict_entry(key: str, lines: list[str]) -> list[str]:
    """A ``key: {...}`` entry of a top-level dict, its body indented; ``{}`` when empty."""
    if not lines:
        return [f"    {_q(key)}: {{}},"]
    return [f"    {_q(key)}: {{", *(f"        {line}" for line in lines), "    },"]


def render(spec: dict[str, Any], rows: Any = None) -> str:
    """The text of puhuri_async/_schema.py for `spec` and the rows (default: the table's)."""
    if rows is None:
        rows = generating.load_table().OPERATIONS.values()
    tables = select(spec, rows)
    version = spec.get("info", {}).get("version", "?")
    out: list[str] = [
        '"""Query-parameter tables of the list operations, read when their filters are checked.',
        "",
        f"GENERATED by `{COMMAND}` from",
        f"tests/fixtures/openapi/puhuri-sp-subset.yaml (Waldur schema {version}) for the",
        "operations of puhuri_async/_operations/ that check query parameters.",
        "Do not edit: change the generator, the schema or the table and run the command again; a",
        "test checks that this file matches what the command writes.",
        "",
        "Keys are the operations' path templates relative to the API root (`marketplace-orders/`,",
        "`marketplace-service-providers/{service_provider_uuid}/users/`). `page` and",
        "`page_size` are left out on purpose: the pager sets them.",
        '"""',
        "",
        "from typing import Final",
        "",
        "#: path template -> {parameter: type of one value}: a JSON type (string, boolean, number,",
        "#: integer) or a string format (uuid, uri, date, date-time)",
        "PARAMETER_TYPES: Final[dict[str, dict[str, str]]] = {",
    ]
    for path, table in tables.items():
        out += _dict_entry(
            path, [f"{_q(name)}: {_q(kind)}," for name, kind in table["types"].items()]
        )
    out += [
        "}",
        "",
        '#: path template -> {parameter: "repeat" | "comma"} for parameters taking several values:',
        '#: "repeat" sends `name=a&name=b`, "comma" sends `name=a,b` (OpenAPI `explode: false`)',
        "MULTI_VALUE: Final[dict[str, dict[str, str]]] = {",
    ]
    for path, table in tables.items():
        out += _dict_entry(
            path, [f"{_q(name)}: {_q(style)}," for name, style in table["multi"].items()]
        )
    out += [
        "}",
        "",
        "#: path template -> {parameter: allowed values, in schema order}, case-sensitive",
        "ENUM_VALUES: Final[dict[str, dict[str, tuple[str, ...]]]] = {",
    ]
    for path, table in tables.items():
        lines: list[str] = []
        for name, values in table["enums"].items():
            lines += [f"{_q(name)}: (", *(f"    {_q(value)}," for value in values), "),"]
        out += _dict_entry(path, lines)
    out.append("}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generating.main(
        argv,
        doc=__doc__,
        render=lambda: render(yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))),
        target=TARGET,
        root=ROOT,
        command=COMMAND,
    )


if __name__ == "__main__":
    sys.exit(main())
