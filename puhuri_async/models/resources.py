"""Resource allocations, their plan periods (with usages) and their project teams."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import BillingUnit, OfferingState, OfferingUserState, ResourceState
from puhuri_async.models._fields import response_model
from puhuri_async.models.offerings import OfferingComponent
from puhuri_async.models.orders import Order


@response_model
class Resource(PuhuriModel):
    """A resource allocation as its service provider sees it (``marketplace-provider-resources/``).

    ``limit_usage`` maps each limit-based component to its usage so far; a component with no
    usage yet maps to ``None`` (``{"storage": None}``), as real servers send it.
    ``order_in_progress`` and ``creation_order`` are sent by a single GET only, not in lists.

    Versions: 7.x does not send ``last_sync``, ``renewal_date``, ``offering_state``,
    ``offering_components``, ``offering_backend_id``, ``service_settings_uuid``,
    ``user_requires_reconsent``, the slugs (``offering_slug``, ``provider_slug``,
    ``project_slug``, ``customer_slug``) nor the parent offering's fields
    (``parent_offering_uuid``, ``parent_offering_name``, ``parent_offering_slug``); they read
    ``None``. It sends ``offering_customer_uuid`` and ``offering_terms_of_service``, which 8.x
    dropped. ``parent_uuid`` and ``parent_name`` are sent only for a resource with a parent.

    Schema component: ``Resource``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name", "state")
    schema_component: ClassVar[str] = "Resource"
    older_fields: ClassVar[tuple[str, ...]] = (
        "offering_customer_uuid",
        "offering_terms_of_service",
    )

    offering: str
    offering_name: str
    offering_uuid: str
    offering_description: str
    offering_image: str | None
    offering_thumbnail: str | None
    offering_type: str
    offering_shared: bool
    offering_billable: bool
    offering_plugin_options: JSON
    provider_name: str
    provider_uuid: str
    provider_slug: str | None
    category_title: str
    category_uuid: str
    category_icon: str | None
    plan: str
    plan_unit: BillingUnit | str | None
    plan_name: str | None
    plan_uuid: str | None
    plan_description: str | None
    attributes: Mapping[str, JSON]
    limits: Mapping[str, int]
    uuid: str
    created: datetime
    modified: datetime
    url: str
    scope: str | None
    description: str
    state: ResourceState | str
    resource_uuid: str | None
    backend_id: str
    effective_id: str
    resource_type: str | None
    project: str
    project_uuid: str
    project_name: str
    project_description: str
    project_end_date: date | None
    project_end_date_requested_by: str | None
    customer_uuid: str
    customer_name: str
    offering_slug: str | None
    parent_offering_uuid: str | None
    parent_offering_name: str | None
    parent_offering_slug: str | None
    offering_backend_id: str | None
    parent_uuid: str | None
    parent_name: str | None
    backend_metadata: JSON
    is_usage_based: bool
    is_limit_based: bool
    name: str
    slug: str
    current_usages: Mapping[str, Decimal]
    can_terminate: bool
    report: tuple[JSON, ...] | None
    end_date: date | None
    end_date_requested_by: str | None
    username: str | None
    limit_usage: Mapping[str, Decimal | None]
    downscaled: bool
    restrict_member_access: bool
    paused: bool
    endpoints: tuple[JSON, ...]
    error_message: str
    error_traceback: str
    options: JSON
    available_actions: tuple[str, ...]
    last_sync: datetime | None
    order_in_progress: Order | None
    creation_order: Order | None
    service_settings_uuid: str | None
    project_slug: str | None
    customer_slug: str | None
    user_requires_reconsent: bool | None
    renewal_date: Mapping[str, date] | None
    offering_state: OfferingState | str | None
    offering_components: tuple[OfferingComponent, ...] | None
    offering_customer_uuid: str | None
    offering_terms_of_service: str | None


@response_model
class PlanPeriodUsage(PuhuriModel):
    """The usage of one component within a plan period. The same on 7.x and 8.x.

    Schema component: ``BaseComponentUsage``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("type", "usage")
    schema_component: ClassVar[str] = "BaseComponentUsage"

    uuid: str
    created: datetime
    description: str
    type: str
    name: str
    measured_unit: str
    usage: Decimal
    date: datetime
    recurring: bool


@response_model
class PlanPeriod(PuhuriModel):
    """A plan period of a resource with its component usages (``.../plan_periods/``).

    The same on 7.x and 8.x.

    Schema component: ``ResourcePlanPeriod``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "plan_name")
    schema_component: ClassVar[str] = "ResourcePlanPeriod"

    uuid: str
    plan_name: str
    plan_uuid: str
    start: datetime | None
    end: datetime | None
    components: tuple[PlanPeriodUsage, ...]


@response_model
class TeamMember(PuhuriModel):
    """A member of the project a resource belongs to (``.../team/``).

    ``role`` is the member's project role (``admin``, ``manager``, ``member``).

    Versions: 7.x does not send ``offering_user_state`` (it reads ``None``).

    Schema component: ``ProjectUser``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username", "role")
    schema_component: ClassVar[str] = "ProjectUser"

    url: str
    uuid: str
    username: str
    full_name: str
    email: str
    role: str
    expiration_time: datetime | None
    offering_user_username: str | None
    offering_user_state: OfferingUserState | str | None
