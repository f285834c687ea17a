"""Service providers and what they serve: ``marketplace-service-providers/`` and its sub-lists.

The sub-lists (``users/``, ``keys/``, ``projects/``, ``project_permissions/``) are the bulk data a
site agent syncs: every user, SSH key, project and permission of projects that use the provider's
offerings.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from puhuri_async._pagination import Paginator
from puhuri_async._validation import uuid_arg
from puhuri_async.endpoints._base import EndpointMixin, Progress
from puhuri_async.models import (
    Project,
    ProjectPermission,
    ServiceProvider,
    ServiceProviderUser,
    SshKey,
)

__all__ = ["ServiceProvidersEndpoints"]

_SUB = "marketplace-service-providers/{service_provider_uuid}/"


def permission_key(row: dict[str, Any]) -> Hashable | None:
    """A permission's identity: it has no ``uuid``, but one user holds a role in a project once.

    Only strings make an identity: a malformed row (a list for a uuid) is not deduplicated (it
    must not break the set of seen keys); reading its fields then raises the ``DecodeError``.
    The identity is one string, not a tuple: a bulk fetch keeps 20,000 of them in its set of
    seen keys, and strings, unlike tuples, are no work for the garbage collector. It encodes
    (user, project, role) without ambiguity: two 32-character uuids (the usual case) follow an
    "=", other lengths are written before each uuid (so the key starts with a digit), and the
    role is marked "+" (or "-" for null).
    """
    user = row.get("user_uuid")
    project = row.get("project_uuid")
    role = row.get("role_name", _ABSENT)
    if role is _ABSENT:
        role = row.get("role")
    if not (isinstance(user, str) and isinstance(project, str)):
        return None
    if role is None:
        role = "-"
    elif isinstance(role, str):
        role = "+" + role
    else:
        return None
    if len(user) == 32 and len(project) == 32:
        return f"={user}{project}{role}"
    return f"{len(user)}:{user}{len(project)}:{project}{role}"


_ABSENT: Any = object()


class ServiceProvidersEndpoints(EndpointMixin):
    """Service providers (``customer_uuid`` finds an organisation's) and their sub-lists."""

    async def list_service_providers(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[ServiceProvider]:
        """Service providers matching the filters; ``{"customer_uuid": ...}`` gives at most one."""
        return await self._paginate(
            "marketplace-service-providers/",
            ServiceProvider,
            operation="list_service_providers",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        ).collect()

    def iter_service_providers(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[ServiceProvider]:
        """Stream the service providers matching the filters."""
        return self._paginate(
            "marketplace-service-providers/",
            ServiceProvider,
            operation="iter_service_providers",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )

    def _sub_list(
        self,
        name: str,
        model: type[Any],
        operation: str,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None,
        filter_kwargs: Mapping[str, Any],
        *,
        extra_params: Any,
        limit: int | None,
        progress: Progress | None,
        strict: bool = False,
    ) -> Paginator[Any]:
        """One of the provider's sub-lists, ``name`` being ``users``, ``keys`` ..."""
        uuid = uuid_arg(service_provider_uuid, "service_provider_uuid")
        template = f"{_SUB}{name}/"
        return self._paginate(
            template,
            model,
            operation=operation,
            filters=filters,
            keywords=filter_kwargs,
            path=template.format(service_provider_uuid=uuid),
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
            key=permission_key if name == "project_permissions" else None,
        )

    async def list_service_provider_users(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[ServiceProviderUser]:
        """Users of projects that use the provider's offerings (all pages, concurrently)."""
        paginator: Paginator[ServiceProviderUser] = self._sub_list(
            "users",
            ServiceProviderUser,
            "list_service_provider_users",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        )
        return await paginator.collect()

    def iter_service_provider_users(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[ServiceProviderUser]:
        """Stream the users of projects that use the provider's offerings."""
        return self._sub_list(
            "users",
            ServiceProviderUser,
            "iter_service_provider_users",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )

    async def list_service_provider_ssh_keys(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[SshKey]:
        """SSH keys of the users of the provider's resources (all pages, concurrently)."""
        paginator: Paginator[SshKey] = self._sub_list(
            "keys",
            SshKey,
            "list_service_provider_ssh_keys",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        )
        return await paginator.collect()

    def iter_service_provider_ssh_keys(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[SshKey]:
        """Stream the SSH keys of the users of the provider's resources."""
        return self._sub_list(
            "keys",
            SshKey,
            "iter_service_provider_ssh_keys",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )

    async def list_service_provider_projects(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[Project]:
        """Projects that have the provider's resources (all pages, concurrently)."""
        paginator: Paginator[Project] = self._sub_list(
            "projects",
            Project,
            "list_service_provider_projects",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        )
        return await paginator.collect()

    def iter_service_provider_projects(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[Project]:
        """Stream the projects that have the provider's resources."""
        return self._sub_list(
            "projects",
            Project,
            "iter_service_provider_projects",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )

    async def list_service_provider_project_permissions(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[ProjectPermission]:
        """Active permissions in projects that use the provider's offerings (all pages)."""
        paginator: Paginator[ProjectPermission] = self._sub_list(
            "project_permissions",
            ProjectPermission,
            "list_service_provider_project_permissions",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        )
        return await paginator.collect()

    def iter_service_provider_project_permissions(
        self,
        service_provider_uuid: str,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[ProjectPermission]:
        """Stream the permissions in projects that use the provider's offerings."""
        return self._sub_list(
            "project_permissions",
            ProjectPermission,
            "iter_service_provider_project_permissions",
            service_provider_uuid,
            filters,
            filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )
