"""Service providers and the projects (and project roles) that use their resources."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import ProjectKind


@attrs.frozen(eq=False, repr=False, slots=False)
class ServiceProvider(PuhuriModel):
    """A service provider organisation (``marketplace-service-providers/``).

    Schema component: ``ServiceProvider``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "customer_name")
    schema_component: ClassVar[str] = "ServiceProvider"

    url: str | None = None
    uuid: str | None = None
    created: datetime | None = None
    description: str | None = None
    enable_notifications: bool | None = None
    customer: str | None = None
    customer_name: str | None = None
    customer_uuid: str | None = None
    customer_image: str | None = None
    customer_abbreviation: str | None = None
    customer_slug: str | None = None
    customer_native_name: str | None = None
    customer_country: str | None = None
    image: str | None = None
    organization_groups: tuple[JSON, ...] | None = None
    offering_count: int | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class Project(PuhuriModel):
    """A project that uses a service provider's resources (``.../projects/``).

    Schema component: ``Project``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name")
    schema_component: ClassVar[str] = "Project"

    url: str | None = None
    uuid: str | None = None
    name: str | None = None
    slug: str | None = None
    customer: str | None = None
    customer_uuid: str | None = None
    customer_name: str | None = None
    customer_slug: str | None = None
    customer_native_name: str | None = None
    customer_abbreviation: str | None = None
    description: str | None = None
    customer_display_billing_info_in_projects: bool | None = None
    created: datetime | None = None
    type: str | None = None
    type_name: str | None = None
    type_uuid: str | None = None
    backend_id: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    end_date_requested_by: str | None = None
    oecd_fos_2007_code: str | None = None
    oecd_fos_2007_label: str | None = None
    is_industry: bool | None = None
    image: str | None = None
    resources_count: int | None = None
    max_service_accounts: int | None = None
    kind: ProjectKind | str | None = None
    is_removed: bool | None = None
    termination_metadata: JSON | None = None
    staff_notes: str | None = None
    grace_period_days: int | None = None
    user_email_patterns: JSON | None = None
    user_affiliations: JSON | None = None
    user_identity_sources: JSON | None = None
    project_credit: Decimal | None = None
    marketplace_resource_count: Mapping[str, int] | None = None
    billing_price_estimate: JSON | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class ProjectPermission(PuhuriModel):
    """A user's role in a project that uses a service provider's resources.

    Listed by ``marketplace-service-providers/{uuid}/project_permissions/``.

    Schema component: ``ProjectPermissionLog``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("user_username", "project_name", "role")
    schema_component: ClassVar[str] = "ProjectPermissionLog"

    created: datetime | None = None
    expiration_time: datetime | None = None
    created_by: str | None = None
    created_by_full_name: str | None = None
    created_by_username: str | None = None
    project: str | None = None
    project_uuid: str | None = None
    project_name: str | None = None
    project_created: datetime | None = None
    project_end_date: datetime | None = None
    customer_uuid: str | None = None
    customer_name: str | None = None
    role: str | None = None
    role_name: str | None = None
    user: str | None = None
    user_full_name: str | None = None
    user_native_name: str | None = None
    user_username: str | None = None
    user_uuid: str | None = None
    user_email: str | None = None
