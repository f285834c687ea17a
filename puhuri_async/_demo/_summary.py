"""What the demo reports: counts per kind fetched and per step, and the client's counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["FETCHED", "STEPS", "WRITES", "DemoSummary"]

#: What the summary counts, in order: key, label.
FETCHED = (
    ("users", "users"),
    ("ssh_keys", "SSH keys"),
    ("projects", "projects"),
    ("project_permissions", "project permissions"),
)
STEPS = (
    ("orders_pending", "orders pending-provider"),
    ("orders_approved", "orders approved"),
    ("orders_restarted", "erred orders marked executing"),
    ("orders_executing", "site orders executing"),
    ("allocations_created", "allocations created on the site"),
    ("backend_ids_set", "backend ids set"),
    ("limits_set", "limits set"),
    ("reports_submitted", "reports submitted"),
    ("resources_set_ok", "resources set OK"),
    ("resources_set_erred", "resources set erred"),
    ("orders_done", "orders done"),
    ("orders_erred", "orders erred"),
    ("offering_users_created", "offering users created"),
    ("offering_users_ok", "offering users walked to OK"),
    ("resources_ok", "resources in state OK"),
    ("offerings", "offerings read"),
    ("usages_reported", "resources with usage reported"),
    ("usage_amounts", "component amounts reported"),
    ("user_usages_reported", "per-user amounts reported"),
    ("plan_periods_read", "plan periods read back"),
    ("usages_verified", "resources whose usage shows"),
    ("user_usages_read", "per-user amounts read back"),
)
#: The steps that write (skipped, and shown so, when the demo only reads).
WRITES = frozenset(
    {
        "orders_approved",
        "orders_restarted",
        "allocations_created",
        "backend_ids_set",
        "limits_set",
        "reports_submitted",
        "resources_set_ok",
        "resources_set_erred",
        "orders_done",
        "orders_erred",
        "offering_users_created",
        "offering_users_ok",
        "usages_reported",
        "usage_amounts",
        "user_usages_reported",
        "usages_verified",
        "user_usages_read",
    }
)


@dataclass
class DemoSummary:
    """What the demo did: items fetched per kind, counts per step, and the client's counters.

    ``lacking`` names the operations the server lacks or keeps for staff (the job went on).
    """

    target: str
    write: bool
    provider: str = ""
    user: str = ""
    fetched: dict[str, int] = field(default_factory=dict)
    steps: dict[str, int] = field(default_factory=dict)
    lacking: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    elapsed: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (``--json``)."""
        return {
            "target": self.target,
            "provider": self.provider,
            "user": self.user,
            "write": self.write,
            "fetched": dict(self.fetched),
            "steps": dict(self.steps),
            "lacking": list(self.lacking),
            "requests": self.requests,
            "retries": self.retries,
            "elapsed_seconds": round(self.elapsed, 3),
        }

    def lines(self) -> list[str]:
        """The summary as text for people: one ``label  count`` line per item."""
        width = max(len(label) for _, label in (*FETCHED, *STEPS))
        out = [
            f"Puhuri Core: {self.target}",
            f"Service provider: {self.provider}",
            f"Acting as: {self.user}",
            "",
            "Fetched concurrently",
        ]
        out += [f"  {label:<{width}}  {self.fetched.get(key, 0):>7}" for key, label in FETCHED]
        out += ["", "Service provider job" + ("" if self.write else " (read-only)")]
        for key, label in STEPS:
            if key in self.steps:
                out.append(f"  {label:<{width}}  {self.steps[key]:>7}")
            elif key in WRITES:
                out.append(f"  {label:<{width}}  {'-':>7}  skipped: read-only, --write to run")
        if self.lacking:
            out += ["", "Skipped, the server lacks them (or keeps them for staff):"]
            out += [f"  {name}" for name in self.lacking]
        out += ["", f"{self.requests} requests, {self.retries} retries, {self.elapsed:.2f} s"]
        return out
