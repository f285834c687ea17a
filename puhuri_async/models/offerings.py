"""Offerings as their provider sees them, with their measured components."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import BillingType, CoreState, LimitPeriod, OfferingState
from puhuri_async.models._fields import response_model


@response_model
class OfferingComponent(PuhuriModel):
    """A measured component of an offering (what usage is reported against).

    ``limit_period`` is a ``LimitPeriod``, ``""`` (the schema's blank value) or ``None``.

    Versions: 7.x does not send ``unit_factor``, ``is_prepaid``, ``overage_component``,
    ``min_prepaid_duration`` nor ``max_prepaid_duration`` (they read ``None``).

    Schema component: ``OfferingComponent``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("type", "billing_type")
    schema_component: ClassVar[str] = "OfferingComponent"

    uuid: str
    billing_type: BillingType | str
    type: str
    name: str
    description: str
    measured_unit: str
    unit_factor: int | None
    limit_period: LimitPeriod | str | None
    limit_amount: int | None
    article_code: str
    max_value: int | None
    min_value: int | None
    max_available_limit: int | None
    is_boolean: bool
    default_limit: int | None
    factor: int | None
    is_builtin: bool
    is_prepaid: bool | None
    overage_component: str | None
    min_prepaid_duration: int | None
    max_prepaid_duration: int | None


@response_model
class Offering(PuhuriModel):
    """An offering as its provider sees it: ``marketplace-provider-offerings/`` and
    ``marketplace-provider-offerings/{uuid}/`` (the list answers the same details).

    Who sees what: ``secret_options`` and ``service_attributes`` are sent only to those who may
    see the offering's secrets (its provider's owners and managers, staff). The fields of a
    related object that is not there are left out (``parent_*`` without a parent offering,
    ``project_*`` without a project, ``scope_*`` without a back-end scope).

    Versions: 7.x does not send ``access_url``, ``software_catalogs``, ``partitions``,
    ``tags``, ``backend_id_rules``, ``billing_type_classification``, ``compliance_checklist``,
    ``has_compliance_requirements``, ``scope_name`` nor ``scope_error_message``; they read
    ``None``. It sends ``native_name``, ``native_description``, ``rating``,
    ``terms_of_service`` and ``terms_of_service_link``, which 8.x dropped.

    Schema component: ``ProviderOfferingDetails``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name")
    schema_component: ClassVar[str] = "ProviderOfferingDetails"
    older_fields: ClassVar[tuple[str, ...]] = (
        "native_name",
        "native_description",
        "rating",
        "terms_of_service",
        "terms_of_service_link",
    )

    url: str
    uuid: str
    created: datetime
    name: str
    slug: str
    description: str
    full_description: str
    privacy_policy_link: str
    access_url: str | None
    endpoints: tuple[JSON, ...]
    software_catalogs: tuple[JSON, ...] | None
    partitions: tuple[JSON, ...] | None
    roles: tuple[JSON, ...]
    customer: str | None
    customer_uuid: str | None
    customer_name: str | None
    project: str | None
    project_uuid: str | None
    project_name: str | None
    category: str
    category_uuid: str
    category_title: str
    attributes: Mapping[str, JSON]
    options: JSON
    resource_options: JSON
    components: tuple[OfferingComponent, ...]
    plugin_options: JSON
    secret_options: JSON
    service_attributes: Mapping[str, JSON] | None
    state: OfferingState | str
    vendor_details: str
    getting_started: str
    integration_guide: str
    thumbnail: str | None
    order_count: int
    plans: tuple[JSON, ...]
    screenshots: tuple[JSON, ...]
    type: str
    shared: bool
    billable: bool
    scope: str | None
    scope_uuid: str | None
    scope_name: str | None
    scope_state: CoreState | str | None
    scope_error_message: str | None
    files: tuple[JSON, ...]
    quotas: tuple[JSON, ...] | None
    paused_reason: str
    datacite_doi: str
    citation_count: int
    latitude: float | None
    longitude: float | None
    country: str
    backend_id: str
    backend_id_rules: JSON
    organization_groups: tuple[JSON, ...]
    tags: tuple[JSON, ...] | None
    image: str | None
    total_customers: int | None
    total_cost: int | None
    total_cost_estimated: int | None
    parent_description: str | None
    parent_uuid: str | None
    parent_name: str | None
    backend_metadata: JSON
    has_compliance_requirements: bool | None
    billing_type_classification: str | None
    compliance_checklist: str | None
    integration_status: tuple[JSON, ...] | None
    google_calendar_is_public: bool | None
    google_calendar_link: str | None
    native_name: str | None
    native_description: str | None
    rating: int | None
    terms_of_service: str | None
    terms_of_service_link: str | None
