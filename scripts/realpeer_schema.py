"""The 8.0.5 schema as the real-server probes read it: parameters, bodies, and shape differences.

``scripts/realpeer_probe.py`` compares what a real Waldur answers with the full Waldur OpenAPI
schema (``../shared/openapi/waldur-openapi.yaml`` by default, 4 MB): which query parameters a
path documents (and their types, to choose a value that must match nothing), which component its
2xx answer is made of, and how an answer differs from that component (fields added, required
fields missing, nulls where the schema forbids them, wrong types, values outside an enum).

The YAML takes tens of seconds to parse; the parsed document is cached as JSON next to the
system's temporary files, keyed by the file's size and modification time.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Schema"]

_ROOT = Path(__file__).resolve().parents[1]
#: ``../shared/openapi/waldur-openapi.yaml`` beside the repository (or beside its worktree folder).
DEFAULT_SCHEMA = next(
    (
        candidate
        for base in (_ROOT.parent, _ROOT.parent.parent)
        if (candidate := base / "shared" / "openapi" / "waldur-openapi.yaml").exists()
    ),
    _ROOT.parent / "shared" / "openapi" / "waldur-openapi.yaml",
)


def _load(path: Path) -> dict[str, Any]:
    stat = path.stat()
    cache = (
        Path(tempfile.gettempdir()) / f"realpeer-schema-{stat.st_size}-{int(stat.st_mtime)}.json"
    )
    if cache.exists():
        loaded: dict[str, Any] = json.loads(cache.read_text())
        return loaded
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(path.read_text(), Loader=loader)  # noqa: S506 - a safe loader
    tmp = cache.with_suffix(f".{os.getpid()}")
    tmp.write_text(json.dumps(document))
    tmp.replace(cache)
    return document


class Schema:
    """Look-ups in one OpenAPI document (paths relative to the API root: ``users/``)."""

    def __init__(self, path: Path = DEFAULT_SCHEMA) -> None:
        self.document = _load(path)
        self.components: dict[str, Any] = self.document["components"]["schemas"]

    def has(self, method: str, path: str) -> bool:
        return method.lower() in self.document["paths"].get(f"/api/{path}", {})

    def operation(self, method: str, path: str) -> dict[str, Any]:
        operation: dict[str, Any] = self.document["paths"][f"/api/{path}"][method.lower()]
        return operation

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = self.components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def query_parameters(self, method: str, path: str) -> dict[str, dict[str, Any]]:
        """name -> the parameter's schema (dereferenced, ``items`` too)."""
        found = {}
        for parameter in self.operation(method, path).get("parameters", []):
            if parameter.get("in") != "query":
                continue
            schema = dict(self.deref(parameter.get("schema", {})))
            if "items" in schema:
                schema["items"] = self.deref(schema["items"])
            found[parameter["name"]] = schema
        return found

    def orderings(self, path: str) -> list[str]:
        """The values the schema lists for ``o=`` on a list (``[]`` if it lists none)."""
        schema = self.query_parameters("get", path).get("o", {})
        return list(schema.get("items", {}).get("enum", []))

    def success(self, method: str, path: str) -> tuple[str | None, Any]:
        """(the documented 2xx status, its JSON schema or None)."""
        for status, response in self.operation(method, path)["responses"].items():
            if status.startswith("2"):
                content = response.get("content", {}).get("application/json")
                return status, (content["schema"] if content else None)
        return None, None

    def component_of(self, method: str, path: str) -> str | None:
        """The component a 2xx answer (or each of its items) is made of."""
        schema = self.success(method, path)[1]
        if schema is None:
            return None
        schema = schema.get("items", schema)
        return str(schema["$ref"].rsplit("/", 1)[-1]) if "$ref" in schema else None

    def request_fields(self, method: str, path: str) -> list[str]:
        """The fields of the JSON request body (empty if none is documented)."""
        body = self.operation(method, path).get("requestBody")
        if not body or "application/json" not in body["content"]:
            return []
        return sorted(self._properties(body["content"]["application/json"]["schema"])[0])

    def _properties(self, schema: Any) -> tuple[dict[str, Any], set[str]]:
        node = self.deref(schema)
        properties: dict[str, Any] = {}
        required: set[str] = set()
        for part in node.get("allOf", [node]):
            part = self.deref(part)
            properties.update(part.get("properties", {}))
            required |= set(part.get("required", []))
        return properties, required

    def _nullable(self, schema: dict[str, Any]) -> bool:
        parts = [schema, self.deref(schema)]
        for key in ("allOf", "oneOf", "anyOf"):
            parts += [self.deref(x) for x in schema.get(key, [])]
        return any(isinstance(p, dict) and p.get("nullable") for p in parts)

    def differences(self, value: Any, schema: Any, where: str = "", depth: int = 0) -> set[str]:
        """How ``value`` differs from ``schema``: ``added x``, ``missing x``, ``null x``, ..."""
        found: set[str] = set()
        node = self.deref(schema)
        if value is None or depth > 4:
            return found
        alternatives = node.get("oneOf") or node.get("anyOf")
        if alternatives:
            tries = [self.differences(value, alt, where, depth) for alt in alternatives]
            return min(tries, key=len)
        if "allOf" in node and not self._properties(node)[0]:
            return self.differences(value, node["allOf"][0], where, depth)
        kind = node.get("type")
        if "allOf" in node or "properties" in node or kind == "object":
            if not isinstance(value, dict):
                return {f"type {where or '.'}: {type(value).__name__}, not an object"}
            properties, required = self._properties(node)
            extra = node.get("additionalProperties")
            if properties:
                found |= {f"added {where}{k}" for k in value if k not in properties}
                found |= {f"missing {where}{k}" for k in required if k not in value}
                # Optional fields only at the top: inside nested options they are noise.
                if where in ("", "[]."):
                    found |= {
                        f"absent {where}{k}"
                        for k in properties
                        if k not in value and k not in required
                    }
            for key, item in value.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else None)
                if sub is None:
                    continue
                label = f"{where}{key}" if key in properties else f"{where}<key>"
                if item is None and not self._nullable(sub):
                    found.add(f"null {label}")
                else:
                    found |= self.differences(item, sub, f"{label}.", depth + 1)
        elif kind == "array":
            if not isinstance(value, list):
                return {f"type {where or '.'}: {type(value).__name__}, not a list"}
            for item in value:
                found |= self.differences(item, node.get("items", {}), f"{where}[].", depth + 1)
        else:
            expected: dict[str, type | tuple[type, ...]] = {
                "string": str,
                "integer": int,
                "boolean": bool,
                "number": (int, float, str),
            }
            python = expected.get(str(kind))
            name = where[:-1] or "."
            if python is not None and (
                not isinstance(value, python) or (kind == "integer" and isinstance(value, bool))
            ):
                found.add(f"type {name}: {type(value).__name__}, not {kind}")
            elif "enum" in node and value not in node["enum"]:
                found.add(f"enum {name}: {value!r}")
        return found
