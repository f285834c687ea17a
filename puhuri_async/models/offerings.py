"""Offerings as their provider sees them, with their measured components."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

import attrs

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import BillingType, CoreState, LimitPeriod, OfferingState


@attrs.frozen(eq=False, repr=False, slots=False)
class OfferingComponent(PuhuriModel):
    """A measured component of an offering (what usage is reported against).

    Schema component: ``OfferingComponent``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("type", "billing_type")
    schema_component: ClassVar[str] = "OfferingComponent"

    uuid: str | None = None
    billing_type: BillingType | str | None = None
    type: str | None = None
    name: str | None = None
    description: str | None = None
    measured_unit: str | None = None
    unit_factor: int | None = None
    limit_period: LimitPeriod | str | None = None
    limit_amount: int | None = None
    article_code: str | None = None
    max_value: int | None = None
    min_value: int | None = None
    max_available_limit: int | None = None
    is_boolean: bool | None = None
    default_limit: int | None = None
    factor: int | None = None
    is_builtin: bool | None = None
    is_prepaid: bool | None = None
    overage_component: str | None = None
    min_prepaid_duration: int | None = None
    max_prepaid_duration: int | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class Offering(PuhuriModel):
    """An offering as its provider sees it (``marketplace-provider-offerings/{uuid}/``).

    Schema component: ``ProviderOfferingDetails``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name")
    schema_component: ClassVar[str] = "ProviderOfferingDetails"

    url: str | None = None
    uuid: str | None = None
    created: datetime | None = None
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    full_description: str | None = None
    privacy_policy_link: str | None = None
    access_url: str | None = None
    endpoints: tuple[JSON, ...] | None = None
    software_catalogs: tuple[JSON, ...] | None = None
    partitions: tuple[JSON, ...] | None = None
    roles: tuple[JSON, ...] | None = None
    customer: str | None = None
    customer_uuid: str | None = None
    customer_name: str | None = None
    project: str | None = None
    project_uuid: str | None = None
    project_name: str | None = None
    category: str | None = None
    category_uuid: str | None = None
    category_title: str | None = None
    attributes: Mapping[str, JSON] | None = None
    options: JSON | None = None
    resource_options: JSON | None = None
    components: tuple[OfferingComponent, ...] | None = None
    plugin_options: JSON | None = None
    secret_options: JSON | None = None
    service_attributes: Mapping[str, JSON] | None = None
    state: OfferingState | str | None = None
    vendor_details: str | None = None
    getting_started: str | None = None
    integration_guide: str | None = None
    thumbnail: str | None = None
    order_count: int | None = None
    plans: tuple[JSON, ...] | None = None
    screenshots: tuple[JSON, ...] | None = None
    type: str | None = None
    shared: bool | None = None
    billable: bool | None = None
    scope: str | None = None
    scope_uuid: str | None = None
    scope_name: str | None = None
    scope_state: CoreState | str | None = None
    scope_error_message: str | None = None
    files: tuple[JSON, ...] | None = None
    quotas: tuple[JSON, ...] | None = None
    paused_reason: str | None = None
    datacite_doi: str | None = None
    citation_count: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    backend_id: str | None = None
    backend_id_rules: JSON | None = None
    organization_groups: tuple[JSON, ...] | None = None
    tags: tuple[JSON, ...] | None = None
    image: str | None = None
    total_customers: int | None = None
    total_cost: int | None = None
    total_cost_estimated: int | None = None
    parent_description: str | None = None
    parent_uuid: str | None = None
    parent_name: str | None = None
    backend_metadata: JSON | None = None
    has_compliance_requirements: bool | None = None
    billing_type_classification: str | None = None
    compliance_checklist: str | None = None
    integration_status: tuple[JSON, ...] | None = None
    google_calendar_is_public: bool | None = None
    google_calendar_link: str | None = None
