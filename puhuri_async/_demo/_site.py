"""The demo's stand-in for the provider's own system: where allocations and accounts live.

A real site agent creates a cluster account, a project directory or a quota here; the demo
keeps them in memory. The site refuses an allocation whose limits exceed its capacity, so the
demo shows the path of a failure too (resource and order erred, with the reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["CAPACITY", "Site", "shares"]

#: What one allocation may ask for, per component type (more is refused).
CAPACITY: Mapping[str, int] = {"cpu": 1_000_000, "gpu": 50_000, "storage": 1_000_000}


@dataclass
class Site:
    """Allocations by resource UUID (account name and limits), user accounts by offering user."""

    capacity: Mapping[str, int] = field(default_factory=lambda: dict(CAPACITY))
    allocations: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)

    def refusal(self, limits: Mapping[str, int]) -> str | None:
        """Why the site cannot host ``limits``, or None when it can."""
        over = [
            f"{kind} {amount} > {self.capacity[kind]}"
            for kind, amount in sorted(limits.items())
            if kind in self.capacity and amount > self.capacity[kind]
        ]
        return f"over the site's capacity: {', '.join(over)}" if over else None

    def create(self, resource_uuid: str, limits: Mapping[str, int]) -> str:
        """Make the allocation; its account name (the resource's backend id)."""
        account = f"demo-{resource_uuid[:12]}"
        self.allocations[resource_uuid] = (account, dict(limits))
        return account

    def update(self, resource_uuid: str, limits: Mapping[str, int]) -> None:
        """Apply new limits to an allocation (made here or before the demo started)."""
        account, _ = self.allocations.get(resource_uuid, (f"demo-{resource_uuid[:12]}", {}))
        self.allocations[resource_uuid] = (account, dict(limits))

    def remove(self, resource_uuid: str) -> None:
        """Remove an allocation (a Terminate order)."""
        self.allocations.pop(resource_uuid, None)

    def add_account(self, offering_user_uuid: str, handle: str) -> str:
        """Make a user's account on the site; its username."""
        username = "".join(ch for ch in handle.lower() if ch.isalnum())[:20] or "user"
        username = f"{username}-{offering_user_uuid[:4]}"
        self.accounts[offering_user_uuid] = username
        return username


def shares(amount: Decimal, users: int) -> list[Decimal]:
    """``amount`` split between ``users`` in whole hundredths that add up to it exactly."""
    if users <= 0:
        return []
    cents = int(amount * 100)
    base, extra = divmod(cents, users)
    return [Decimal(base + (1 if n < extra else 0)) / 100 for n in range(users)]
