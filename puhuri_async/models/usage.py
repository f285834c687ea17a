"""Reported usage as the server keeps it: per component, per user, and per-user limits.

(The usage a provider *sends* is the input ``ComponentUsage`` of ``models.inputs``; what the
server answers for ``marketplace-component-usages/`` is a ``ComponentUsageRecord``.)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from puhuri_async.models._base import PuhuriModel
from puhuri_async.models._fields import response_model


@response_model
class ComponentUsageRecord(PuhuriModel):
    """The reported usage of one component of a resource for one billing period
    (``marketplace-component-usages/``).

    ``usage`` is a ``Decimal``: the server stores a decimal with 2 places and sends it as a
    decimal string, although the 8.0.5 schema says integer. ``billing_period`` is the first day
    of the month the usage is for; ``date`` is when it was reported (or the date it was
    reported for). ``modified_by`` is the id of the user who last changed it, or ``None``.

    The same on 7.x and 8.x.

    Schema component: ``ComponentUsage`` (named ``ComponentUsageRecord`` here, as
    ``ComponentUsage`` is the usage you report).
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "type", "usage")
    schema_component: ClassVar[str] = "ComponentUsage"

    uuid: str
    created: datetime
    description: str
    type: str
    name: str
    measured_unit: str
    usage: Decimal
    billing_period: date  # before ``date``: in the class body that name is the field
    date: datetime
    recurring: bool
    resource_name: str
    resource_uuid: str
    offering_name: str
    offering_uuid: str
    project_name: str
    project_uuid: str
    customer_name: str
    customer_uuid: str
    modified_by: int | None


@response_model
class ComponentUserUsage(PuhuriModel):
    """The usage of a component by one user within a component usage
    (``marketplace-component-user-usages/``; reported by ``set_user_usage``).

    ``username`` is the user's username on the offering; ``user`` the URL of the offering
    user, ``None`` when the usage was reported without one. ``component_usage`` is the URL of
    the ``ComponentUsageRecord`` it belongs to. ``usage`` is a ``Decimal`` sent as a decimal
    string (the 8.0.5 schema says integer).

    Versions: 7.x does not send ``billing_period`` (it reads ``None``).

    Schema component: ``ComponentUserUsage``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username", "usage")
    schema_component: ClassVar[str] = "ComponentUserUsage"

    uuid: str
    user: str | None
    username: str
    component_usage: str
    usage: Decimal
    measured_unit: str
    description: str
    created: datetime
    modified: datetime
    backend_id: str
    resource_name: str
    resource_uuid: str
    offering_name: str
    offering_uuid: str
    project_name: str
    project_uuid: str
    customer_name: str
    customer_uuid: str
    component_type: str
    billing_period: date | None  # before ``date``: in the class body that name is the field
    date: datetime


@response_model
class ComponentUserUsageLimit(PuhuriModel):
    """A limit on one user's usage of one component of a resource
    (``component-user-usage-limits/``).

    ``resource`` and ``user`` are URLs (of the marketplace resource and of the offering user),
    ``component`` the uuid of the offering component, ``limit`` a ``Decimal``.

    Versions: 8.x only; 7.x has no such endpoint (it answers 404).

    Schema component: ``ComponentUserUsageLimit``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "component_type", "limit")
    schema_component: ClassVar[str] = "ComponentUserUsageLimit"

    url: str
    uuid: str
    resource: str
    component: str
    component_type: str
    user: str
    limit: Decimal
