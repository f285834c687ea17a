"""User-side models: users, their SSH keys, and their accounts on offerings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import OfferingUserState
from puhuri_async.models._fields import response_model


@response_model
class User(PuhuriModel):
    """A Puhuri Core user account (``users/``, ``users/{uuid}/``, and ``users/me/``: the
    token's own user).

    Who sees what: ``is_staff``, ``is_active``, ``is_support`` and ``description`` are sent to
    staff and support only; ``token`` and ``token_lifetime`` only to the user themself
    (``users/me/``).

    Versions: 7.x does not send ``notifications_enabled``, ``token_expires_at``,
    ``has_active_session``, ``ip_address``, ``is_identity_manager``, ``attribute_sources``,
    ``managed_isds``, ``active_isds``, nor the personal attributes ``birth_date``, ``gender``,
    ``personal_title``, ``place_of_birth``, ``country_of_residence``, ``nationality``,
    ``nationalities``, ``organization_country``, ``organization_type``,
    ``organization_registry_code`` and ``eduperson_assurance`` (they read ``None``).

    Schema component: ``User``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username")
    schema_component: ClassVar[str] = "User"

    url: str
    uuid: str
    username: str
    slug: str
    full_name: str
    native_name: str
    job_title: str
    email: str
    phone_number: str
    organization: str
    civil_number: str | None
    description: str | None
    is_staff: bool | None
    is_active: bool | None
    is_support: bool | None
    token: str | None
    token_lifetime: int | None
    token_expires_at: datetime | None
    registration_method: str
    date_joined: datetime
    agreement_date: datetime | None
    notifications_enabled: bool | None
    preferred_language: str
    permissions: tuple[JSON, ...]
    requested_email: str | None
    affiliations: JSON
    first_name: str
    last_name: str
    birth_date: date | None
    identity_provider_name: str
    identity_provider_label: str
    identity_provider_management_url: str
    identity_provider_fields: tuple[str, ...]
    image: str | None
    identity_source: str
    has_active_session: bool | None
    ip_address: str | None
    gender: int | None
    personal_title: str | None
    place_of_birth: str | None
    country_of_residence: str | None
    nationality: str | None
    nationalities: JSON
    organization_country: str | None
    organization_type: str | None
    organization_registry_code: str | None
    eduperson_assurance: JSON
    is_identity_manager: bool | None
    attribute_sources: JSON
    managed_isds: JSON
    active_isds: JSON


@response_model
class SshKey(PuhuriModel):
    """A user's public SSH key (``keys/``, ``marketplace-service-providers/{uuid}/keys/``).

    The same on 7.x and 8.x.

    Schema component: ``SshKey``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "name")
    schema_component: ClassVar[str] = "SshKey"

    url: str
    uuid: str
    name: str
    public_key: str
    fingerprint_md5: str
    fingerprint_sha256: str
    fingerprint_sha512: str
    user_uuid: str
    is_shared: bool
    type: str


@response_model
class ServiceProviderUser(PuhuriModel):
    """A user of a service provider's resources (``marketplace-service-providers/{uuid}/users/``).

    Who sees what: ``is_active`` is sent to staff and support only.

    Versions: 7.x sends only ``uuid``, ``username``, ``full_name``, ``first_name``,
    ``last_name``, ``organization``, ``email``, ``phone_number``, ``projects_count``,
    ``registration_method``, ``affiliations`` and ``is_active``; the other fields read ``None``.

    Schema component: ``MarketplaceServiceProviderUser``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "username")
    schema_component: ClassVar[str] = "MarketplaceServiceProviderUser"

    uuid: str
    username: str
    full_name: str
    first_name: str
    last_name: str
    organization: str
    email: str
    phone_number: str
    projects_count: int
    registration_method: str
    affiliations: JSON
    is_active: bool | None
    job_title: str | None
    gender: int | None
    personal_title: str | None
    place_of_birth: str | None
    country_of_residence: str | None
    nationality: str | None
    nationalities: JSON
    organization_country: str | None
    organization_type: str | None
    organization_registry_code: str | None
    eduperson_assurance: JSON
    civil_number: str | None
    birth_date: date | None
    identity_source: str | None
    active_isds: JSON


@response_model
class OfferingUser(PuhuriModel):
    """A user's account on an offering: the (user, offering, username) triplet.

    Listed, read, created and changed at ``marketplace-offering-users/``.

    Versions: 7.x has no offering-user states: it does not send ``state`` (nor the state's
    ``service_provider_comment`` and ``service_provider_comment_url``), and it sends
    ``propagation_date`` (when the username was last pushed to the offering), which 8.x
    dropped. Of the user's details 7.x sends only ``user_uuid``, ``user_username`` and
    ``user_full_name``; the other ``user_*`` fields and the consent and profile fields
    (``has_consent``, ``requires_reconsent``, ``consent_data``, ``has_compliance_checklist``,
    ``is_profile_complete``, ``missing_profile_attributes``) read ``None`` there.

    Schema component: ``OfferingUser``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "user_username", "username")
    schema_component: ClassVar[str] = "OfferingUser"
    older_fields: ClassVar[tuple[str, ...]] = ("propagation_date",)

    url: str
    uuid: str
    user: str
    offering: str
    username: str | None
    offering_uuid: str
    offering_name: str
    user_uuid: str
    user_username: str
    user_full_name: str
    user_first_name: str | None
    user_last_name: str | None
    user_email: str | None
    user_phone_number: str | None
    user_organization: str | None
    user_job_title: str | None
    user_affiliations: JSON
    user_gender: int | None
    user_personal_title: str | None
    user_place_of_birth: str | None
    user_country_of_residence: str | None
    user_nationality: str | None
    user_nationalities: JSON
    user_organization_country: str | None
    user_organization_type: str | None
    user_organization_registry_code: str | None
    user_eduperson_assurance: JSON
    user_civil_number: str | None
    user_birth_date: date | None
    user_identity_source: str | None
    user_active_isds: JSON
    created: datetime
    modified: datetime
    customer_uuid: str
    customer_name: str
    is_restricted: bool
    state: OfferingUserState | str | None
    service_provider_comment: str | None
    service_provider_comment_url: str | None
    has_consent: bool | None
    requires_reconsent: bool | None
    has_compliance_checklist: bool | None
    consent_data: Mapping[str, str] | None
    is_profile_complete: bool | None
    missing_profile_attributes: tuple[str, ...] | None
    propagation_date: datetime | None
