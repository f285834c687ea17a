"""User-side models: users, their SSH keys, and their accounts on offerings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

import attrs

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import OfferingUserState


@attrs.frozen(eq=False, repr=False, slots=False)
class User(PuhuriModel):
    """A Puhuri Core user account (``users/``).

    Schema component: ``User``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username")
    schema_component: ClassVar[str] = "User"

    url: str | None = None
    uuid: str | None = None
    username: str | None = None
    slug: str | None = None
    full_name: str | None = None
    native_name: str | None = None
    job_title: str | None = None
    email: str | None = None
    phone_number: str | None = None
    organization: str | None = None
    civil_number: str | None = None
    description: str | None = None
    is_staff: bool | None = None
    is_active: bool | None = None
    is_support: bool | None = None
    token: str | None = None
    token_lifetime: int | None = None
    token_expires_at: datetime | None = None
    registration_method: str | None = None
    date_joined: datetime | None = None
    agreement_date: datetime | None = None
    notifications_enabled: bool | None = None
    preferred_language: str | None = None
    permissions: tuple[JSON, ...] | None = None
    requested_email: str | None = None
    affiliations: JSON | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    identity_provider_name: str | None = None
    identity_provider_label: str | None = None
    identity_provider_management_url: str | None = None
    identity_provider_fields: tuple[str, ...] | None = None
    image: str | None = None
    identity_source: str | None = None
    has_active_session: bool | None = None
    ip_address: str | None = None
    gender: int | None = None
    personal_title: str | None = None
    place_of_birth: str | None = None
    country_of_residence: str | None = None
    nationality: str | None = None
    nationalities: JSON | None = None
    organization_country: str | None = None
    organization_type: str | None = None
    organization_registry_code: str | None = None
    eduperson_assurance: JSON | None = None
    is_identity_manager: bool | None = None
    attribute_sources: JSON | None = None
    managed_isds: JSON | None = None
    active_isds: JSON | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class SshKey(PuhuriModel):
    """A user's public SSH key (``keys/``).

    Schema component: ``SshKey``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name")
    schema_component: ClassVar[str] = "SshKey"

    url: str | None = None
    uuid: str | None = None
    name: str | None = None
    public_key: str | None = None
    fingerprint_md5: str | None = None
    fingerprint_sha256: str | None = None
    fingerprint_sha512: str | None = None
    user_uuid: str | None = None
    is_shared: bool | None = None
    type: str | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class ServiceProviderUser(PuhuriModel):
    """A user of a service provider's resources (``marketplace-service-providers/{uuid}/users/``).

    Schema component: ``MarketplaceServiceProviderUser``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username")
    schema_component: ClassVar[str] = "MarketplaceServiceProviderUser"

    uuid: str | None = None
    username: str | None = None
    full_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    organization: str | None = None
    email: str | None = None
    phone_number: str | None = None
    projects_count: int | None = None
    registration_method: str | None = None
    affiliations: JSON | None = None
    is_active: bool | None = None
    job_title: str | None = None
    gender: int | None = None
    personal_title: str | None = None
    place_of_birth: str | None = None
    country_of_residence: str | None = None
    nationality: str | None = None
    nationalities: JSON | None = None
    organization_country: str | None = None
    organization_type: str | None = None
    organization_registry_code: str | None = None
    eduperson_assurance: JSON | None = None
    civil_number: str | None = None
    birth_date: date | None = None
    identity_source: str | None = None
    active_isds: JSON | None = None


@attrs.frozen(eq=False, repr=False, slots=False)
class OfferingUser(PuhuriModel):
    """A user's account on an offering: the (user, offering, username) triplet.

    Listed and created at ``marketplace-offering-users/``.

    Schema component: ``OfferingUser``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "user_username", "username")
    schema_component: ClassVar[str] = "OfferingUser"

    url: str | None = None
    uuid: str | None = None
    user: str | None = None
    offering: str | None = None
    username: str | None = None
    offering_uuid: str | None = None
    offering_name: str | None = None
    user_uuid: str | None = None
    user_username: str | None = None
    user_full_name: str | None = None
    user_first_name: str | None = None
    user_last_name: str | None = None
    user_email: str | None = None
    user_phone_number: str | None = None
    user_organization: str | None = None
    user_job_title: str | None = None
    user_affiliations: JSON | None = None
    user_gender: int | None = None
    user_personal_title: str | None = None
    user_place_of_birth: str | None = None
    user_country_of_residence: str | None = None
    user_nationality: str | None = None
    user_nationalities: JSON | None = None
    user_organization_country: str | None = None
    user_organization_type: str | None = None
    user_organization_registry_code: str | None = None
    user_eduperson_assurance: JSON | None = None
    user_civil_number: str | None = None
    user_birth_date: date | None = None
    user_identity_source: str | None = None
    user_active_isds: JSON | None = None
    created: datetime | None = None
    modified: datetime | None = None
    customer_uuid: str | None = None
    customer_name: str | None = None
    is_restricted: bool | None = None
    state: OfferingUserState | str | None = None
    service_provider_comment: str | None = None
    service_provider_comment_url: str | None = None
    has_consent: bool | None = None
    requires_reconsent: bool | None = None
    has_compliance_checklist: bool | None = None
    consent_data: Mapping[str, str] | None = None
    is_profile_complete: bool | None = None
    missing_profile_attributes: tuple[str, ...] | None = None
