"""Service providers and the projects (and project roles) that use their resources."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import ProjectKind
from puhuri_async.models._fields import response_model


@response_model
class ServiceProvider(PuhuriModel):
    """A service provider organisation (``marketplace-service-providers/``).

    ``customer_uuid`` is the provider's organization (customer): the uuid that the
    ``provider_uuid`` filters of resources and orders expect.

    Versions: 7.x sends ``organization_group`` (the name of the organization's group, or
    ``None``), 8.x ``organization_groups`` (a list of groups) instead; each reads ``None`` on
    the other. 7.x does not send ``customer_slug``.

    Schema component: ``ServiceProvider``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "customer_name")
    schema_component: ClassVar[str] = "ServiceProvider"
    older_fields: ClassVar[tuple[str, ...]] = ("organization_group",)

    url: str
    uuid: str
    created: datetime
    description: str
    enable_notifications: bool
    customer: str
    customer_name: str
    customer_uuid: str
    customer_image: str | None
    customer_abbreviation: str
    customer_slug: str | None
    customer_native_name: str
    customer_country: str
    image: str | None
    organization_groups: tuple[JSON, ...] | None
    offering_count: int
    organization_group: str | None


@response_model
class Project(PuhuriModel):
    """A project that uses a service provider's resources (``.../projects/``).

    ``type_name`` and ``type_uuid`` are sent only for a project with a type.

    Versions: 7.x does not send ``kind``, ``is_removed``,
    ``termination_metadata``, ``staff_notes``, ``grace_period_days``,
    ``max_service_accounts``, ``project_credit``,
    ``customer_display_billing_info_in_projects`` nor the ``user_*`` admission rules
    (``user_email_patterns``, ``user_affiliations``, ``user_identity_sources``); they read
    ``None``.

    Schema component: ``Project``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name")
    schema_component: ClassVar[str] = "Project"

    url: str
    uuid: str
    name: str
    slug: str
    customer: str
    customer_uuid: str
    customer_name: str
    customer_slug: str
    customer_native_name: str
    customer_abbreviation: str
    description: str
    customer_display_billing_info_in_projects: bool | None
    created: datetime
    type: str | None
    type_name: str | None
    type_uuid: str | None
    backend_id: str
    start_date: date | None
    end_date: date | None
    end_date_requested_by: str | None
    oecd_fos_2007_code: str | None
    oecd_fos_2007_label: str | None
    is_industry: bool
    image: str | None
    resources_count: int
    max_service_accounts: int | None
    kind: ProjectKind | str | None
    is_removed: bool | None
    termination_metadata: JSON
    staff_notes: str | None
    grace_period_days: int | None
    user_email_patterns: JSON
    user_affiliations: JSON
    user_identity_sources: JSON
    project_credit: Decimal | None
    marketplace_resource_count: Mapping[str, int]
    billing_price_estimate: JSON


@response_model
class ProjectPermission(PuhuriModel):
    """A user's role in a project that uses a service provider's resources.

    Listed by ``marketplace-service-providers/{uuid}/project_permissions/``.

    ``role`` is the short name of the role (``admin``, ``manager``, ``member``) on every
    version: show it in tables (a custom role without a short name reads ``None``).
    ``created_by_full_name`` and ``created_by_username`` are left out when nobody is recorded
    as the creator.

    Versions: ``role_name``, the role's full name (such as ``PROJECT.MANAGER``), is sent by
    8.x only (on 7.x it reads ``None``).

    Schema component: ``ProjectPermissionLog``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("user_username", "project_name", "role")
    schema_component: ClassVar[str] = "ProjectPermissionLog"

    created: datetime
    expiration_time: datetime | None
    created_by: str | None
    created_by_full_name: str | None
    created_by_username: str | None
    project: str
    project_uuid: str
    project_name: str
    project_created: datetime
    project_end_date: datetime | None
    customer_uuid: str
    customer_name: str
    role: str
    role_name: str | None
    user: str
    user_full_name: str
    user_native_name: str
    user_username: str
    user_uuid: str
    user_email: str
