"""Resource allocations, their plan periods (with usages) and their project teams."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import BillingUnit, OfferingState, OfferingUserState, ResourceState
from puhuri_async.models.offerings import OfferingComponent
from puhuri_async.models.orders import Order


@attrs.frozen(eq=False, repr=False, slots=False)
class Resource(PuhuriModel):
    """A resource allocation as its service provider sees it (``marketplace-provider-resources/``).

    Schema component: ``Resource``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name", "state")
    schema_component: ClassVar[str] = "Resource"

    offering: str | None = None
    offering_name: str | None = None
    offering_uuid: str | None = None
    offering_description: str | None = None
    offering_image: str | None = None
    offering_thumbnail: str | None = None
    offering_type: str | None = None
    offering_shared: bool | None = None
    offering_billable: bool | None = None
    offering_plugin_options: JSON | None = None
    provider_name: str | None = None
    provider_uuid: str | None = None
    provider_slug: str | None = None
    category_title: str | None = None
    category_uuid: str | None = None
    category_icon: str | None = None
    plan: str | None = None
    plan_unit: BillingUnit | str | None = None
    plan_name: str | None = None
    plan_uuid: str | None = None
    plan_description: str | None = None
    attributes: Mapping[str, JSON] | None = None
    limits: Mapping[str, int] | None = None
    uuid: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    url: str | None = None
    scope: str | None = None
    description: str | None = None
    state: ResourceState | str | None = None
    resource_uuid: str | None = None
    backend_id: str | None = None
    effective_id: str | None = None
    resource_type: str | None = None
    project: str | None = None
    project_uuid: str | None = None
    project_name: str | None = None
    project_description: str | None = None
    project_end_date: date | None = None
    project_end_date_requested_by: str | None = None
    customer_uuid: str | None = None
    customer_name: str | None = None
    offering_slug: str | None = None
    parent_offering_uuid: str | None = None
    parent_offering_name: str | None = None
    parent_offering_slug: str | None = None
    offering_backend_id: str | None = None
    parent_uuid: str | None = None
    parent_name: str | None = None
    backend_metadata: JSON | None = None
    is_usage_based: bool | None = None
    is_limit_based: bool | None = None
    name: str | None = None
    slug: str | None = None
    current_usages: Mapping[str, Decimal] | None = None
    can_terminate: bool | None = None
    report: tuple[JSON, ...] | None = None
    end_date: date | None = None
    end_date_requested_by: str | None = None
    username: str | None = None
    limit_usage: Mapping[str, Decimal] | None = None
    downscaled: bool | None = None
    restrict_member_access: bool | None = None
    paused: bool | None = None
    endpoints: tuple[JSON, ...] | None = None
    error_message: str | None = None
    error_traceback: str | None = None
    options: JSON | None = None
    available_actions: tuple[str, ...] | None = None
    last_sync: datetime | None = None
    order_in_progress: Order | None = None
    creation_order: Order | None = None
    service_settings_uuid: str | None = None
    project_slug: str | None = None
    customer_slug: str | None = None
    user_requires_reconsent: bool | None = None
    renewal_date: Mapping[str, date] | None = None
    offering_state: OfferingState | str | None = None
    offering_components: tuple[OfferingComponent, ...] | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class PlanPeriodUsage(PuhuriModel):
    """The usage of one component within a plan period.

    Schema component: ``BaseComponentUsage``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("type", "usage")
    schema_component: ClassVar[str] = "BaseComponentUsage"

    uuid: str | None = None
    created: datetime | None = None
    description: str | None = None
    type: str | None = None
    name: str | None = None
    measured_unit: str | None = None
    usage: Decimal | None = None
    date: datetime | None = None
    recurring: bool | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class PlanPeriod(PuhuriModel):
    """A plan period of a resource with its component usages (``.../plan_periods/``).

    Schema component: ``ResourcePlanPeriod``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "plan_name")
    schema_component: ClassVar[str] = "ResourcePlanPeriod"

    uuid: str | None = None
    plan_name: str | None = None
    plan_uuid: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    components: tuple[PlanPeriodUsage, ...] | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class TeamMember(PuhuriModel):
    """A member of the project a resource belongs to (``.../team/``).

    Schema component: ``ProjectUser``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username", "role")
    schema_component: ClassVar[str] = "ProjectUser"

    url: str | None = None
    uuid: str | None = None
    username: str | None = None
    full_name: str | None = None
    email: str | None = None
    role: str | None = None
    expiration_time: datetime | None = None
    offering_user_username: str | None = None
    offering_user_state: OfferingUserState | str | None = None
