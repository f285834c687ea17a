#!/usr/bin/env python3
"""Extract the service-provider subset of the Waldur OpenAPI schema the project tests against.

    python scripts/make_schema_subset.py                 # rewrite the fixture from ../shared
    python scripts/make_schema_subset.py --check         # exit 1 if the fixture is stale
    python scripts/make_schema_subset.py --source FILE   # read another copy of the full schema

Reads the full Waldur 8.0.5 schema (``shared/openapi/waldur-openapi.yaml`` next to the repository,
or ``--source``), keeps the operations listed in ``OPERATIONS`` unchanged, follows their ``$ref``s
to every component they use (transitively), keeps every security scheme, and writes
``tests/fixtures/openapi/puhuri-sp-subset.yaml``. A clearly marked supplement adds the three
provider-resource operations that arrived after 8.0.5 (Waldur 8.1, as the 8.1.2
``waldur-api-client`` of the public ``waldur/py-client`` repository has them): each carries
``x-puhuri-supplement`` and its own request components.

It also writes ``puhuri_async/testing/_options_8.json``: the fields FakePuhuri lists in its DRF
``OPTIONS`` answers under the 8.x profiles. Waldur's ``OPTIONS`` on any URL of a viewset (an
action's too) describes the viewset's own serializer, so each group is the schema component of
that serializer, its properties turned into DRF's field metadata.

Tests read only the fixture, never the full schema. After changing the fixture, regenerate the
query tables with ``python scripts/gen_schema_tables.py``.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "fixtures" / "openapi" / "puhuri-sp-subset.yaml"
OPTIONS_TARGET = ROOT / "puhuri_async" / "testing" / "_options_8.json"

#: FakePuhuri's OPTIONS group -> the component of the viewset's serializer.
OPTIONS_GROUPS = {
    "orders": "OrderDetails",
    "resources": "Resource",
    "component_usages": "ComponentUsage",
    "component_user_usages": "ComponentUserUsage",
    "offering_users": "OfferingUser",
    "service_providers": "ServiceProvider",
    "offerings": "ProviderOfferingDetails",
    "keys": "SshKey",
    "users": "User",
    "user_usage_limits": "ComponentUserUsageLimit",
}
SOURCE_NAME = Path("shared") / "openapi" / "waldur-openapi.yaml"
WIDTH = 120

#: (path without the /api/ prefix, the methods kept), in the order the fixture lists them.
OPERATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("users/", ("get", "head")),
    ("keys/", ("get", "head")),
    ("marketplace-resources/", ("get", "head")),
    ("marketplace-resources/{uuid}/", ("get",)),
    ("marketplace-provider-resources/", ("get", "head")),
    ("marketplace-orders/", ("get", "head")),
    ("marketplace-orders/{uuid}/", ("get",)),
    ("marketplace-orders/{uuid}/approve_by_provider/", ("post",)),
    ("marketplace-orders/{uuid}/reject_by_provider/", ("post",)),
    ("marketplace-orders/{uuid}/cancel/", ("post",)),
    ("marketplace-provider-resources/{uuid}/set_backend_id/", ("post",)),
    ("marketplace-provider-resources/{uuid}/submit_report/", ("post",)),
    ("marketplace-resources/{uuid}/team/", ("get",)),
    ("marketplace-provider-resources/{uuid}/team/", ("get",)),
    ("marketplace-provider-offerings/{uuid}/", ("get",)),
    ("marketplace-public-offerings/{uuid}/", ("get",)),
    ("marketplace-resources/{uuid}/plan_periods/", ("get",)),
    ("marketplace-provider-resources/{uuid}/plan_periods/", ("get",)),
    ("marketplace-component-usages/set_usage/", ("post",)),
    ("marketplace-component-usages/", ("get", "head")),
    ("marketplace-offering-users/", ("get", "head", "post")),
    ("marketplace-service-providers/{uuid}/set_offerings_username/", ("post",)),
    ("marketplace-service-providers/", ("get", "head")),
    ("marketplace-service-providers/{uuid}/", ("get",)),  # provider_uuid translation
    ("marketplace-service-providers/{service_provider_uuid}/users/", ("get",)),
    ("marketplace-service-providers/{service_provider_uuid}/keys/", ("get",)),
    ("marketplace-service-providers/{service_provider_uuid}/projects/", ("get",)),
    ("marketplace-service-providers/{service_provider_uuid}/project_permissions/", ("get",)),
    # The whole provider job: orders, resources, offerings, usage, offering users, users.
    ("marketplace-orders/{uuid}/set_state_executing/", ("post",)),
    ("marketplace-orders/{uuid}/set_state_done/", ("post",)),
    ("marketplace-orders/{uuid}/set_state_erred/", ("post",)),
    ("marketplace-orders/{uuid}/set_backend_id/", ("post",)),
    ("marketplace-provider-resources/{uuid}/", ("get",)),
    ("marketplace-provider-resources/{uuid}/set_as_ok/", ("post",)),
    ("marketplace-provider-resources/{uuid}/set_as_erred/", ("post",)),
    ("marketplace-provider-resources/{uuid}/set_limits/", ("post",)),
    ("marketplace-provider-resources/{uuid}/set_backend_metadata/", ("post",)),
    ("marketplace-provider-resources/{uuid}/refresh_last_sync/", ("post",)),
    ("marketplace-provider-resources/{uuid}/set_end_date_by_provider/", ("post",)),
    ("marketplace-provider-offerings/", ("get", "head")),
    ("marketplace-component-usages/{uuid}/", ("get",)),
    ("marketplace-component-usages/{uuid}/set_user_usage/", ("post",)),
    ("marketplace-component-user-usages/", ("get", "head")),
    ("component-user-usage-limits/", ("get", "head")),
    ("marketplace-offering-users/{uuid}/", ("get", "patch", "delete")),
    ("marketplace-offering-users/{uuid}/begin_creating/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_ok/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_error_creating/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_pending_account_linking/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_pending_additional_validation/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_validation_complete/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_deleting/", ("post",)),
    ("marketplace-offering-users/{uuid}/set_deleted/", ("post",)),
    ("users/me/", ("get",)),
    ("users/{uuid}/", ("get",)),
    ("version/", ("get",)),
)

SUPPLEMENT_NOTE = (
    "Waldur 8.1 (not in the 8.0.5 schema): shape of the 8.1.2 waldur-api-client, waldur/py-client"
)
_UUID_PARAMETER = {
    "in": "path",
    "name": "uuid",
    "schema": {"type": "string", "format": "uuid"},
    "required": True,
}
_SECURITY: list[dict[str, list[str]]] = [{"tokenAuth": []}, {"waldurOIDCAuth": []}]


def _supplement_operation(
    name: str, summary: str, request: str, response: dict[str, Any]
) -> dict[str, Any]:
    return {
        "operationId": f"marketplace_provider_resources_{name}",
        "summary": summary,
        "x-puhuri-supplement": SUPPLEMENT_NOTE,
        "parameters": [copy.deepcopy(_UUID_PARAMETER)],
        "tags": ["marketplace-provider-resources"],
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{request}"}}
            },
            "required": True,
        },
        "security": copy.deepcopy(_SECURITY),
        "responses": {"200": response},
    }


def supplement() -> tuple[dict[str, Any], dict[str, Any]]:
    """The 8.1-only paths and the components only they define."""
    status = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ResourceResponseStatus"}}
        },
        "description": "",
    }
    base = "/api/marketplace-provider-resources/{uuid}/"
    paths = {
        base + "set_end_date/": {
            "post": _supplement_operation(
                "set_end_date",
                "Set end date of the resource",
                "ResourceEndDateRequest",
                {"description": "No response body"},
            )
        },
        base + "set_endpoints/": {
            "post": _supplement_operation(
                "set_endpoints", "Set resource access endpoints", "ResourceEndpointsRequest", status
            )
        },
        base + "set_effective_id/": {
            "post": _supplement_operation(
                "set_effective_id",
                "Set resource effective ID",
                "ResourceEffectiveIDRequest",
                status,
            )
        },
    }
    marked = {"x-puhuri-supplement": SUPPLEMENT_NOTE}
    schemas = {
        "ResourceEndDateRequest": {
            "type": "object",
            "properties": {
                "end_date": {
                    "type": "string",
                    "format": "date",
                    "nullable": True,
                    "description": "The date is inclusive. Once reached, a resource will be "
                    "scheduled for termination.",
                }
            },
            **marked,
        },
        "ResourceEndpointRequest": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "Name of the access endpoint"},
                "url": {"type": "string", "description": "URL of the access endpoint"},
            },
            "required": ["name", "url"],
            **marked,
        },
        "ResourceEndpointsRequest": {
            "type": "object",
            "properties": {
                "endpoints": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ResourceEndpointRequest"},
                    "description": "Access endpoints to set on the resource",
                }
            },
            "required": ["endpoints"],
            **marked,
        },
        "ResourceEffectiveIDRequest": {
            "type": "object",
            "properties": {"effective_id": {"type": "string"}},
            **marked,
        },
    }
    return paths, schemas


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` target inside ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def extract(full: dict[str, Any]) -> dict[str, Any]:
    """The subset document of ``full`` (the complete 8.0.5 schema)."""
    paths: dict[str, Any] = {}
    for path, methods in OPERATIONS:
        item = full["paths"]["/api/" + path]
        paths["/api/" + path] = {method: copy.deepcopy(item[method]) for method in methods}
    extra_paths, extra_schemas = supplement()
    paths.update(extra_paths)
    components: dict[str, dict[str, Any]] = {}
    pending = list(_refs(paths)) + list(_refs(extra_schemas))
    while pending:
        ref = pending.pop()
        _, _, kind, name = ref.split("/", 3)
        if name in components.setdefault(kind, {}):
            continue
        if kind == "schemas" and name in extra_schemas:
            node = extra_schemas[name]
        else:
            node = full["components"][kind][name]
        components[kind][name] = copy.deepcopy(node)
        pending.extend(_refs(node))
    components["securitySchemes"] = copy.deepcopy(full["components"]["securitySchemes"])
    version = full["info"]["version"]
    return {
        "openapi": full["openapi"],
        "info": {
            "title": "Waldur API (Puhuri service-provider subset)",
            "version": version,
            "description": (
                f"Subset of the Waldur Mastermind OpenAPI schema {version} (waldur/api-docs, "
                f"docs/API/waldur-openapi-schema-{version}.yaml): only the operations a Puhuri "
                "service-provider client needs, plus HEAD (count) twins of the list operations "
                "and every component they reference. Operations and components marked "
                "x-puhuri-supplement are not in that schema: they arrived in Waldur 8.1 and "
                "their shapes are those of the 8.1.2 waldur-api-client (waldur/py-client). "
                "Made by scripts/make_schema_subset.py."
            ),
        },
        "paths": paths,
        "components": {kind: dict(sorted(components[kind].items())) for kind in sorted(components)},
    }


def _field_type(spec: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """DRF's metadata ``type`` (and choices) of one schema property."""
    if "$ref" in prop or "allOf" in prop or "oneOf" in prop:
        refs = [prop] if "$ref" in prop else prop.get("allOf", []) + prop.get("oneOf", [])
        choices: list[Any] = []
        for ref in refs:
            target = spec["components"]["schemas"].get(str(ref.get("$ref", "")).rsplit("/", 1)[-1])
            if target and "enum" in target:
                choices += [value for value in target["enum"] if value not in (None, "")]
        if choices:
            listed = [{"value": value, "display_name": str(value)} for value in choices]
            return {"type": "choice", "choices": listed}
        return {"type": "field"}
    kind = prop.get("type")
    formats = {"date-time": "datetime", "date": "date", "decimal": "decimal", "email": "email"}
    if kind == "string":
        if prop.get("format") == "uri":
            return {"type": "field"}
        return {"type": formats.get(str(prop.get("format")), "string")}
    names = {"integer": "integer", "boolean": "boolean", "number": "float", "array": "list"}
    return {"type": names.get(str(kind), "nested object" if kind == "object" else "field")}


def options_table(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """FakePuhuri's 8.x OPTIONS fields: per group, DRF's metadata of each serializer field."""
    table: dict[str, dict[str, Any]] = {}
    for group, component in OPTIONS_GROUPS.items():
        schema = spec["components"]["schemas"][component]
        required = set(schema.get("required") or ())
        fields: dict[str, Any] = {}
        for name, prop in schema["properties"].items():
            read_only = bool(prop.get("readOnly"))
            info = {
                **_field_type(spec, prop),
                "required": name in required and not read_only,
                "read_only": read_only,
                "label": name.replace("_", " ").capitalize(),
            }
            if "maxLength" in prop:
                info["max_length"] = prop["maxLength"]
            fields[name] = info
        table[group] = fields
    return table


def render_options(spec: dict[str, Any]) -> str:
    """The 8.x OPTIONS table as JSON text, one field per line."""
    lines = ["{"]
    groups = list(options_table(spec).items())
    for number, (group, fields) in enumerate(groups):
        lines.append(f" {json.dumps(group)}: {{")
        items = list(fields.items())
        for index, (name, info) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {json.dumps(name)}: {json.dumps(info, ensure_ascii=False)}{comma}")
        lines.append(" }" + ("," if number < len(groups) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(full: dict[str, Any]) -> str:
    """The subset as the fixture's YAML text."""
    text: str = yaml.safe_dump(extract(full), sort_keys=False, allow_unicode=True, width=WIDTH)
    return text


def find_source() -> Path | None:
    """``shared/openapi/waldur-openapi.yaml`` beside the repository or one of its parents."""
    for parent in ROOT.parents:
        candidate = parent / SOURCE_NAME
        if candidate.is_file():
            return candidate
    return None


def main(argv: list[str] | None = None) -> int:
    """Write (or check) the fixture; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the full Waldur schema (YAML)")
    parser.add_argument("--check", action="store_true", help="fail if the fixture is stale")
    args = parser.parse_args(argv)
    source = args.source or find_source()
    if source is None or not source.is_file():
        print(f"error: cannot find {SOURCE_NAME} (give --source)", file=sys.stderr)
        return 2
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with source.open(encoding="utf-8") as handle:
        full = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    outputs = {TARGET: render(full), OPTIONS_TARGET: render_options(full)}
    if args.check:
        stale = [
            path
            for path, text in outputs.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text
        ]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run {Path(__file__).name}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
