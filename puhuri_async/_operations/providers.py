"""Rows of the service providers and what they serve: ``marketplace-service-providers/``.

The sub-lists (``users/``, ``keys/``, ``projects/``, ``project_permissions/``) are the bulk data a
site agent syncs: every user, SSH key, project and permission of projects that use the provider's
offerings.
"""

from __future__ import annotations

from puhuri_async._operations._keys import permission_key
from puhuri_async._operations._spec import Kind, Operation
from puhuri_async._operations.users import SSH_KEY_ITEM_FILTERS
from puhuri_async.models import (
    Project,
    ProjectPermission,
    ServiceProvider,
    ServiceProviderUser,
    SshKey,
)

__all__ = ["OPERATIONS"]

_SUB = "marketplace-service-providers/{service_provider_uuid}/"

OPERATIONS = (
    Operation(
        name="list_service_providers",
        method="GET",
        path="marketplace-service-providers/",
        kind=Kind.LIST,
        model=ServiceProvider,
        operation_id="marketplace_service_providers_list",
        item_filters={"customer_uuid": "customer_uuid"},
        doc='Service providers matching the filters; ``{"customer_uuid": ...}`` gives at most one.',
        iter_doc="Stream the service providers matching the filters.",
    ),
    Operation(
        name="list_service_provider_users",
        method="GET",
        path=f"{_SUB}users/",
        kind=Kind.LIST,
        model=ServiceProviderUser,
        operation_id="marketplace_service_providers_users_list",
        # Fixed order (username, unique) that refuses o=; 7.0.7 ignores project_uuid, which
        # users do not carry. BaseUserFilter's username is exact.
        item_filters={"username": "username", "is_active": "is_active"},
        doc="Users of projects that use the provider's offerings (all pages, concurrently).",
        iter_doc="Stream the users of projects that use the provider's offerings.",
    ),
    Operation(
        name="list_service_provider_ssh_keys",
        method="GET",
        path=f"{_SUB}keys/",
        kind=Kind.LIST,
        model=SshKey,
        operation_id="marketplace_service_providers_keys_list",
        # Fixed order by name (not unique: the pages overlap, so they are read again) that
        # refuses o=; 7.0.7 applies no filter here.
        item_filters=SSH_KEY_ITEM_FILTERS,
        doc="SSH keys of the users of the provider's resources (all pages, concurrently).",
        iter_doc="Stream the SSH keys of the users of the provider's resources.",
    ),
    Operation(
        name="list_service_provider_projects",
        method="GET",
        path=f"{_SUB}projects/",
        kind=Kind.LIST,
        model=Project,
        operation_id="marketplace_service_providers_projects_list",
        # 7.0.7 applies no filter here (ProjectFilter: name icontains, name_exact exact).
        item_filters={"name": "name__icontains", "name_exact": "name"},
        doc="Projects that have the provider's resources (all pages, concurrently).",
        iter_doc="Stream the projects that have the provider's resources.",
    ),
    Operation(
        name="list_service_provider_project_permissions",
        method="GET",
        path=f"{_SUB}project_permissions/",
        kind=Kind.LIST,
        model=ProjectPermission,
        operation_id="marketplace_service_providers_project_permissions_list",
        # 7.0.7 applies no filter here (UserPermissionFilter: user by uuid, username exact).
        item_filters={"user": "user_uuid", "username": "user_username"},
        key=permission_key,
        doc="Active permissions in projects that use the provider's offerings (all pages).",
        iter_doc="Stream the permissions in projects that use the provider's offerings.",
    ),
)
