#!/usr/bin/env python3
"""Measure a real Waldur Mastermind against the 8.0.5 schema with raw httpx (read-only).

    python scripts/realpeer_probe.py --seed ../rp/seed.json [--url http://127.0.0.1:8000/api/]
        [--only paths,filters,orderings,stability,options,version] [--json out.json]

For every read path of the client's operations (and of the service-provider operations it is
gaining), as staff, as the service-provider owner, as the other provider's owner and as a project
member: the status, ``X-Result-Count``, the body's differences from the schema component
(``realpeer_schema.Schema.differences``) and empty answers. Then, as staff and as the owner:

- filters: each documented filter with a value that must match nothing; a list that does not
  shrink ignored it (booleans are sent both ways, enum filters value by value);
- orderings: each ``o=`` value the schema lists, and whether ``o=x`` and ``o=-x`` differ;
- stability of the default ordering: the whole list in pages, distinct items against the count;
- ``OPTIONS`` on every path (does it exist, which methods, does it list a POST's fields);
- ``version/``.

Nothing is written: actions are probed with ``OPTIONS`` only. The seed file is the one
``../shared/realpeer/seed.py`` writes (tokens and uuids). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import uuid as uuid_mod
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realpeer_schema import Schema

ROLES = ("staff", "owner", "other", "member")
NOTHING = "zz-no-such-value-zz"

#: (label, method, path template, schema path). Templates use the seed's keys.
READS = [
    ("list_users", "users/", "users/"),
    ("list_ssh_keys", "keys/", "keys/"),
    ("list_marketplace_resources", "marketplace-provider-resources/", None),
    ("list_orders", "marketplace-orders/", None),
    ("list_service_providers", "marketplace-service-providers/", None),
    ("sp users", "marketplace-service-providers/{provider_uuid}/users/", None),
    ("sp keys", "marketplace-service-providers/{provider_uuid}/keys/", None),
    ("sp projects", "marketplace-service-providers/{provider_uuid}/projects/", None),
    (
        "sp project_permissions",
        "marketplace-service-providers/{provider_uuid}/project_permissions/",
        None,
    ),
    ("get_team", "marketplace-provider-resources/{resource_ok1}/team/", None),
    ("plan_periods", "marketplace-provider-resources/{resource_ok1}/plan_periods/", None),
    ("get_marketplace_offering", "marketplace-provider-offerings/{offering_uuid}/", None),
    ("get_order", "marketplace-orders/{order_pp1}/", None),
    ("get provider resource", "marketplace-provider-resources/{resource_ok1}/", None),
    ("list provider offerings", "marketplace-provider-offerings/", None),
    ("list_component_usages", "marketplace-component-usages/", None),
    ("list_component_user_usages", "marketplace-component-user-usages/", None),
    ("list_component_user_usage_limits", "component-user-usage-limits/", None),
    ("list offering users", "marketplace-offering-users/", None),
    ("get_offering_user", "marketplace-offering-users/{offering_user}/", None),
    ("get_current_user", "users/me/", None),
    ("get_user", "users/{creator_uuid}/", None),
    ("version", "version/", None),
]

#: Action paths probed with OPTIONS only (label, path template).
ACTIONS = [
    ("approve_by_provider", "marketplace-orders/{order_pp1}/approve_by_provider/"),
    ("reject_by_provider", "marketplace-orders/{order_pp1}/reject_by_provider/"),
    ("cancel", "marketplace-orders/{order_pp1}/cancel/"),
    ("set_state_executing", "marketplace-orders/{order_pp1}/set_state_executing/"),
    ("set_state_done", "marketplace-orders/{order_pp1}/set_state_done/"),
    ("set_state_erred", "marketplace-orders/{order_pp1}/set_state_erred/"),
    ("order set_backend_id", "marketplace-orders/{order_pp1}/set_backend_id/"),
    ("set_backend_id", "marketplace-provider-resources/{resource_ok1}/set_backend_id/"),
    ("submit_report", "marketplace-provider-resources/{resource_ok1}/submit_report/"),
    ("set_as_ok", "marketplace-provider-resources/{resource_ok1}/set_as_ok/"),
    ("set_as_erred", "marketplace-provider-resources/{resource_ok1}/set_as_erred/"),
    ("set_limits", "marketplace-provider-resources/{resource_ok1}/set_limits/"),
    (
        "set_backend_metadata",
        "marketplace-provider-resources/{resource_ok1}/set_backend_metadata/",
    ),
    ("refresh_last_sync", "marketplace-provider-resources/{resource_ok1}/refresh_last_sync/"),
    (
        "set_end_date_by_provider",
        "marketplace-provider-resources/{resource_ok1}/set_end_date_by_provider/",
    ),
    ("set_end_date (8.1)", "marketplace-provider-resources/{resource_ok1}/set_end_date/"),
    ("set_endpoints (8.1)", "marketplace-provider-resources/{resource_ok1}/set_endpoints/"),
    ("set_effective_id (8.1)", "marketplace-provider-resources/{resource_ok1}/set_effective_id/"),
    ("set_usage", "marketplace-component-usages/set_usage/"),
    ("set_user_usage", "marketplace-component-usages/{component_usage}/set_user_usage/"),
    ("create offering user", "marketplace-offering-users/"),
    (
        "set_offerings_username",
        "marketplace-service-providers/{provider_uuid}/set_offerings_username/",
    ),
] + [
    (name, f"marketplace-offering-users/{{offering_user}}/{name}/")
    for name in (
        "begin_creating",
        "set_ok",
        "set_error_creating",
        "set_pending_account_linking",
        "set_pending_additional_validation",
        "set_validation_complete",
        "set_deleting",
        "set_deleted",
    )
]


class Peer:
    """One httpx client per role over the seeded server."""

    def __init__(self, url: str, seed: dict[str, Any]) -> None:
        self.url = url.rstrip("/") + "/"
        self.seed = seed
        self.clients = {
            role: httpx.Client(
                base_url=self.url,
                headers={"Authorization": f"Token {seed[f'{role}_token']}"},
                timeout=120,
            )
            for role in ROLES
        }
        self.values = self._values()

    def _values(self) -> dict[str, str]:
        values = {k: v for k, v in self.seed.items() if isinstance(v, str)}
        values |= {f"resource_{k}": v for k, v in self.seed["resources"].items()}
        values |= {f"order_{k}": v for k, v in self.seed["orders"].items()}
        staff = self.clients["staff"]
        users = staff.get("marketplace-offering-users/", params={"page_size": 1}).json()
        values["offering_user"] = users[0]["uuid"] if users else uuid_mod.uuid4().hex
        usages = staff.get("marketplace-component-usages/", params={"page_size": 1}).json()
        values["component_usage"] = usages[0]["uuid"] if usages else uuid_mod.uuid4().hex
        return values

    def path(self, template: str) -> str:
        return template.format(**self.values)

    def get(self, role: str, path: str, params: Any = None) -> httpx.Response:
        return self.clients[role].get(path, params=params)

    def count(self, role: str, path: str, params: Any = None) -> int | str:
        """``X-Result-Count`` of a one-item page, or the status (and message) when not 200."""
        query = [("page_size", "1"), *(params or [])]
        response = self.get(role, path, query)
        if response.status_code != 200:
            return f"{response.status_code} {response.text[:70]}"
        return int(response.headers.get("X-Result-Count", len(response.json())))

    def whole(self, role: str, path: str, page_size: int, params: Any = None) -> list[Any]:
        """Every page of a list, by page number, at ``page_size``."""
        first = self.get(role, path, [("page_size", str(page_size)), *(params or [])])
        first.raise_for_status()
        total = int(first.headers.get("X-Result-Count", 0))
        items = list(first.json())
        for page in range(2, math.ceil(total / page_size) + 1):
            query = [("page_size", str(page_size)), ("page", str(page)), *(params or [])]
            items += self.get(role, path, query).json()
        return items


def schema_path(template: str) -> str:
    """The schema's spelling of a path template."""
    return (
        template.replace("{provider_uuid}", "{service_provider_uuid}", 1)
        if template.startswith("marketplace-service-providers/{provider_uuid}/")
        and not template.endswith("set_offerings_username/")
        else template
    ).replace("{provider_uuid}", "{uuid}")


def _generic(template: str) -> str:
    out = template
    for key in (
        "resource_ok1",
        "offering_uuid",
        "order_pp1",
        "offering_user",
        "creator_uuid",
        "component_usage",
    ):
        out = out.replace("{" + key + "}", "{uuid}")
    return schema_path(out)


def probe_paths(peer: Peer, schema: Schema) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, template, _ in READS:
        generic = _generic(template)
        row: dict[str, Any] = {
            "op": label,
            "path": generic,
            "in_schema": schema.has("get", generic),
        }
        diffs: dict[str, set[str]] = {}
        keys: dict[str, set[str]] = {}
        for role in ROLES:
            response = peer.get(role, peer.path(template))
            cell = str(response.status_code)
            if response.status_code == 200:
                body = response.json() if response.content else None
                if body is None or body == [] or body == {}:
                    cell += " empty"
                if "X-Result-Count" in response.headers:
                    cell += f" n={response.headers['X-Result-Count']}"
                success = schema.success("get", generic)[1] if row["in_schema"] else None
                if success:
                    diffs[role] = schema.differences(body, success)
                items = body if isinstance(body, list) else [body]
                keys[role] = {k for item in items if isinstance(item, dict) for k in item}
            row[role] = cell
        staff = diffs.get("staff", set())
        row["differences (staff)"] = sorted(staff)
        row["differences (owner, not staff)"] = sorted(diffs.get("owner", set()) - staff)
        rows.append(row)
    return rows


def _impossible(name: str, spec: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """Queries, each of which must match nothing if the filter is applied."""
    kind, fmt = spec.get("type"), spec.get("format")
    items = spec.get("items", {})
    if kind == "boolean":
        return [[(name, "true")], [(name, "false")]]
    if kind == "array" and "enum" in items:
        return [[(name, str(value))] for value in items["enum"]]
    fmt = fmt or items.get("format")
    if fmt == "uuid" or name.endswith(("uuid", "_uuid_list")):
        return [[(name, uuid_mod.uuid4().hex)]]
    if fmt == "uri":
        return [[(name, f"http://127.0.0.1:8000/api/customers/{uuid_mod.uuid4().hex}/")]]
    if fmt == "date-time":  # a bound either way: one of them must exclude everything
        return [[(name, "1990-01-01T00:00:00Z")], [(name, "2099-01-01T00:00:00Z")]]
    if fmt == "date":
        return [[(name, "1990-01-01")], [(name, "2099-01-01")]]
    if kind in ("number", "integer"):
        return [[(name, "1900" if "year" in name else "999999")]]
    return [[(name, NOTHING)]]


SKIP = {"field", "o", "page", "page_size"}


def probe_filters(peer: Peer, schema: Schema, role: str) -> list[dict[str, Any]]:
    """For each list and filter: applied, ignored, or refused (a 4xx)."""
    rows: list[dict[str, Any]] = []
    for label, template, _ in READS:
        generic = _generic(template)
        if (
            not schema.has("get", generic)
            or "X-Result-Count" not in peer.get(role, peer.path(template), {"page_size": 1}).headers
        ):
            continue
        path = peer.path(template)
        total = peer.count(role, path)
        if not total:
            rows.append(
                {
                    "op": label,
                    "role": role,
                    "total": total,
                    "ignored": ["(empty list)"],
                    "applied": [],
                    "refused": [],
                }
            )
            continue
        ignored: list[str] = []
        applied: list[str] = []
        refused: list[str] = []
        for name, spec in schema.query_parameters("get", generic).items():
            if name in SKIP:
                continue
            queries = _impossible(name, spec)
            counts = [peer.count(role, path, query) for query in queries]
            bad = [q[0][1] for q, c in zip(queries, counts, strict=True) if isinstance(c, str)]
            good = [c for c in counts if not isinstance(c, str)]
            if bad:
                status = next(c for c in counts if isinstance(c, str))
                shown = f"={bad[0]}" if len(queries) > 1 else ""
                refused.append(f"{name}{shown} ({status})")
            if not good:
                continue
            if all(c == total for c in good) and (len(good) > 1 or len(queries) == 1):
                ignored.append(name)
            else:
                applied.append(name)
        rows.append(
            {
                "op": label,
                "role": role,
                "total": total,
                "ignored": ignored,
                "applied": applied,
                "refused": refused,
            }
        )
    return rows


def probe_orderings(peer: Peer, schema: Schema, role: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, template, _ in READS:
        generic = _generic(template)
        if not schema.has("get", generic) or "o" not in schema.query_parameters("get", generic):
            continue
        path = peer.path(template)
        accepted, refused, no_effect = [], [], []
        for value in schema.orderings(generic):
            response = peer.get(role, path, {"o": value, "page_size": 50})
            if response.status_code != 200:
                refused.append(f"{value} ({response.status_code})")
                continue
            accepted.append(value)
            if not value.startswith("-"):
                reverse = peer.get(role, path, {"o": f"-{value}", "page_size": 50})
                mine = [item.get("uuid") for item in response.json()]
                theirs = [item.get("uuid") for item in reverse.json()]
                if len(mine) > 1 and mine == theirs:
                    no_effect.append(value)
        bogus = peer.get(role, path, {"o": NOTHING, "page_size": 1}).status_code
        rows.append(
            {
                "op": label,
                "role": role,
                "accepted": accepted,
                "refused": refused,
                "same order both ways": no_effect,
                "o=<unknown>": bogus,
            }
        )
    return rows


def identity(item: dict[str, Any]) -> str:
    if "uuid" in item:
        return str(item["uuid"])
    role = item.get("role_name", item.get("role"))
    return f"{item.get('user_uuid')}/{item.get('project_uuid')}/{role}"


def probe_stability(peer: Peer, role: str, page_size: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, template, _ in READS:
        path = peer.path(template)
        first = peer.get(role, path, {"page_size": page_size})
        if first.status_code != 200 or "X-Result-Count" not in first.headers:
            continue
        total = int(first.headers["X-Result-Count"])
        if total <= page_size:
            continue
        items = peer.whole(role, path, page_size)
        seen = Counter(identity(item) for item in items)
        rows.append(
            {
                "op": label,
                "role": role,
                "page_size": page_size,
                "count": total,
                "rows": len(items),
                "distinct": len(seen),
                "repeated": sum(1 for n in seen.values() if n > 1),
                "missing": total - len(seen),
            }
        )
    return rows


def probe_options(peer: Peer) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, template in [(r[0], r[1]) for r in READS] + ACTIONS:
        row: dict[str, Any] = {"op": label, "path": _generic(template)}
        for role in ROLES:
            response = peer.clients[role].options(peer.path(template))
            cell = str(response.status_code)
            if response.status_code == 200:
                allow = response.headers.get("Allow", "")
                cell += f" [{allow}]"
                actions = response.json().get("actions", {})
                for method, fields in actions.items():
                    cell += f" {method}:{','.join(sorted(fields))}"
            row[role] = cell
        rows.append(row)
    return rows


def probe_version(peer: Peer) -> dict[str, str]:
    out = {}
    for role in ROLES:
        response = peer.get(role, "version/")
        out[role] = f"{response.status_code} {response.text[:80]}"
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(none)\n"
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        cells = [", ".join(v) if isinstance(v, list) else str(v) for v in row.values()]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/api/")
    parser.add_argument("--seed", required=True, type=Path)
    parser.add_argument("--schema", type=Path, default=None)
    parser.add_argument("--only", default="paths,filters,orderings,stability,options,version")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    schema = Schema(args.schema) if args.schema else Schema()
    peer = Peer(args.url, json.loads(args.seed.read_text()))
    wanted = set(args.only.split(","))
    results: dict[str, Any] = {}
    if "paths" in wanted:
        results["paths"] = probe_paths(peer, schema)
    if "filters" in wanted:
        results["filters"] = [
            r for role in ("staff", "owner") for r in probe_filters(peer, schema, role)
        ]
    if "orderings" in wanted:
        results["orderings"] = [
            r for role in ("staff", "owner") for r in probe_orderings(peer, schema, role)
        ]
    if "stability" in wanted:
        results["stability"] = [
            r for role in ("staff", "owner") for r in probe_stability(peer, role, args.page_size)
        ]
    if "options" in wanted:
        results["options"] = probe_options(peer)
    if "version" in wanted:
        results["version"] = [probe_version(peer)]
    for name, rows in results.items():
        print(f"\n## {name}\n")
        print(markdown(rows))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
