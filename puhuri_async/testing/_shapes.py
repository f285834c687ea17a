"""How an object leaves the fake: the stored dict, reshaped for the server version, the caller and
the quirks switched on. None means "as stored" (the fast path of big lists).

- Non-staff callers get users without ``is_active``, ``is_staff``, ``is_support`` and
  ``description`` (support sees them); a user reading itself also gets its ``token``.
- The 7.x profile sends each kind with the fields 7.0.7's serializers send (see
  ``puhuri_async.testing._legacy``: service providers with ``organization_group``, project
  permissions without ``role_name``, offering users without ``state`` but with
  ``propagation_date``, orders without ``url``, ...), and usage amounts as decimal strings.
- Usage amounts (component usages and per-user usages) go out as the decimal strings Waldur's
  ``DecimalField`` sends (``"4.50"``), in both versions; the 8.0.5 schema types them as integers,
  which Waldur's own tools do not rely on (they read them with ``float()``).
- ``schema_nulls`` puts the nulls of a real server into ``limit_usage``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from puhuri_async.testing._legacy import legacy_shape
from puhuri_async.testing._profiles import ServerProfile
from puhuri_async.testing._quirks import Quirks
from puhuri_async.testing._store import JSONObject, Store
from puhuri_async.testing._visibility import Caller

__all__ = ["Shaper", "Transform"]

Transform = Callable[[JSONObject], JSONObject]

_STAFF_USER_FIELDS = ("is_active", "is_staff", "is_support", "description")


def _without(*names: str) -> Transform:
    return lambda item: {k: v for k, v in item.items() if k not in names}


def _short_role(item: JSONObject) -> JSONObject:
    """7.0.7 names a project role by its short name (``"member"``, not ``"PROJECT.MEMBER"``)."""
    role = str(item.get("role", ""))
    return {**item, "role": role.rsplit(".", 1)[-1].lower()}


def _estimate_numbers(item: JSONObject) -> JSONObject:
    """7.0.7 sends a project's ``billing_price_estimate`` as numbers, not decimal strings."""
    estimate = item.get("billing_price_estimate")
    if not isinstance(estimate, dict):
        return item
    return {**item, "billing_price_estimate": {k: float(v) for k, v in estimate.items()}}


class Shaper:
    """The transforms of one fake (its data, profile and quirks)."""

    def __init__(self, data: Store, profile: ServerProfile, quirks: Quirks) -> None:
        self.data = data
        self.profile = profile
        self.quirks = quirks

    def transform(self, kind: str, caller: Caller | None) -> tuple[Hashable, Transform | None]:
        """(a cache key, the transform or None) for objects of ``kind`` sent to ``caller``."""
        bucket = caller.role if kind == "users" and caller is not None else ""
        return (kind, bucket), self._step(kind, caller)

    def _step(self, kind: str, caller: Caller | None) -> Transform | None:
        steps: list[Transform] = []
        if self.profile.legacy_shapes:
            shape = legacy_shape(kind)
            if shape is not None:
                steps.append(shape)
            if kind == "component_user_usages":
                steps.append(_without("billing_period"))
            if kind == "team":
                steps.append(_without("offering_user_state"))
            if kind == "permissions":
                steps.append(_short_role)
            if kind == "projects":
                steps.append(_estimate_numbers)
        if kind == "users" and caller is not None and caller.role not in ("staff", "support"):
            steps.append(_without(*_STAFF_USER_FIELDS))
        if kind == "resources" and self.quirks.schema_nulls:
            steps.append(self._limit_usage_nulls)
        if not steps:
            return None
        if len(steps) == 1:
            return steps[0]

        def chain(item: JSONObject) -> JSONObject:
            for step in steps:
                item = step(item)
            return item

        return chain

    def _limit_usage_nulls(self, item: JSONObject) -> JSONObject:
        offering = self.data.get("offerings", item.get("offering_uuid", "")) or {}
        limited = [
            c["type"] for c in offering.get("components", ()) if c["billing_type"] == "limit"
        ]
        if not limited:
            return {**item, "limit_usage": None}
        usage = dict(item.get("limit_usage") or {})
        for name in limited:
            usage.setdefault(name, None)
        return {**item, "limit_usage": usage}
