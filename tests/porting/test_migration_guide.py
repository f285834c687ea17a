"""The migration guide maps every waldur_client call a service provider makes, and the site
agent's, to methods that exist: the guide's tables are read and each name is looked up."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import waldur_client

from puhuri_async import SyncPuhuriClient

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "migrating-from-waldur-client.md"


def words(text: str) -> list[str]:
    return text.split()


#: What a service provider calls in waldur_client 0.6.4 (not its consumer or OpenStack calls).
PROVIDER_CALLS = words("""
get_current_user get_user list_users list_ssh_keys count_users
list_orders get_order marketplace_order_approve_by_provider marketplace_order_reject_by_provider
marketplace_order_cancel marketplace_order_set_state_executing marketplace_order_set_state_done
marketplace_order_set_state_erred marketplace_provider_offering_list_orders
marketplace_provider_offering_get_order
list_marketplace_provider_resources filter_marketplace_provider_resources
count_marketplace_provider_resources get_marketplace_provider_resource
marketplace_provider_resource_set_backend_id marketplace_provider_resource_submit_report
marketplace_provider_resource_get_team marketplace_provider_resource_get_plan_periods
marketplace_provider_resource_set_as_ok marketplace_provider_resource_set_as_erred
marketplace_provider_resource_set_limits marketplace_provider_resource_set_backend_metadata
marketplace_provider_resource_refresh_last_sync update_marketplace_provider_resource
get_marketplace_resource
list_marketplace_provider_offerings get_marketplace_provider_offering activate_offering
create_offering_component update_offering_component list_marketplace_public_offerings
get_marketplace_public_offering
create_component_usages list_component_usages create_component_user_usage
list_component_user_usage_limits create_component_user_usage_limit
list_slurm_allocation_user_usage
list_remote_offering_users create_remote_offering_user delete_offering_user
set_offerings_username
list_service_providers list_service_provider_users list_service_provider_ssh_keys
list_service_provider_projects list_service_provider_project_permissions
list_projects list_customers get_roles get_offering_permissions list_robot_account
create_robot_account update_robot_account delete_robot_account
marketplace_robot_account_set_state_ok list_event_subscriptions get_event_subscription
create_event_subscription delete_event_subscription
""")
#: The distinct calls of waldur-site-agent's core (waldur_site_agent/, its testing kit left out).
SITE_AGENT_CALLS = words("""
backend_resource_requests_retrieve backend_resource_requests_set_done
backend_resource_requests_set_erred backend_resource_requests_start_processing
backend_resources_create backend_resources_list component_user_usage_limits_list
event_subscriptions_create_queue event_subscriptions_destroy marketplace_component_usages_list
marketplace_component_usages_set_usage marketplace_component_usages_set_user_usage
marketplace_component_usages_set_user_usages marketplace_component_user_usages_list
marketplace_offering_users_begin_creating marketplace_offering_users_list
marketplace_offering_users_partial_update marketplace_offering_users_set_error_creating
marketplace_offering_users_set_pending_account_linking
marketplace_offering_users_set_pending_additional_validation
marketplace_offering_users_set_validation_complete marketplace_orders_approve_by_provider
marketplace_orders_list marketplace_orders_reject_by_provider marketplace_orders_retrieve
marketplace_orders_set_backend_id marketplace_orders_set_state_done
marketplace_orders_set_state_erred marketplace_plans_retrieve
marketplace_provider_offerings_check_unique_backend_id
marketplace_provider_offerings_create_offering_component
marketplace_provider_offerings_list_course_accounts_list
marketplace_provider_offerings_list_project_service_accounts_list
marketplace_provider_offerings_retrieve marketplace_provider_offerings_update_offering_component
marketplace_provider_offerings_user_attribute_config_retrieve
marketplace_provider_resources_list marketplace_provider_resources_refresh_last_sync
marketplace_provider_resources_retrieve marketplace_provider_resources_set_as_erred
marketplace_provider_resources_set_as_ok marketplace_provider_resources_set_backend_id
marketplace_provider_resources_set_backend_metadata marketplace_provider_resources_set_endpoints
marketplace_provider_resources_set_limits
marketplace_provider_resources_set_membership_sync_statuses
marketplace_provider_resources_team_list marketplace_resource_api_keys_list
marketplace_resource_api_keys_report_created marketplace_resource_api_keys_set_erred
marketplace_resource_api_keys_set_key marketplace_resources_list
marketplace_service_providers_keys_list marketplace_service_providers_list
marketplace_service_providers_projects_list marketplace_site_agent_identities_create
marketplace_site_agent_identities_list marketplace_site_agent_identities_register_event_subscription
marketplace_site_agent_identities_register_service marketplace_site_agent_identities_update
marketplace_site_agent_services_register_processor
marketplace_slurm_periodic_usage_policies_report_command_result projects_list users_me_retrieve
version_retrieve
""")
_CODE = re.compile(r"`([^`]+)`")
_NAME = re.compile(r"(?<![\w.\"'])(?:client\.)?([a-z_][a-z0-9_]*)\(")
BUILTINS = {"len", "list", "dict"}
DOORS = {"request", "paginate"}


def tables() -> dict[str, list[tuple[str, str]]]:
    """The guide's two-or-more-column tables, by the text of their first header cell."""
    found: dict[str, list[tuple[str, str]]] = {}
    header = ""
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = ""
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not header:
            header = cells[0]
            found.setdefault(header, [])
        elif not set(cells[0]) <= set("-: "):
            found[header].append((cells[0], cells[1]))
    return found


def called(cell: str) -> list[str]:
    """The names of the calls in a cell: ``name(...)`` and ``client.name(...)`` spans."""
    return [
        name for span in _CODE.findall(cell) for name in _NAME.findall(span) if name not in BUILTINS
    ]


def expanded(cell: str) -> list[str]:
    """The names of a cell, with ``..._suffix`` read after the name before it."""
    names: list[str] = []
    for span in _CODE.findall(cell):
        if (span.startswith("..._") and names) or re.fullmatch(r"[a-z_][a-z0-9_]*", span):
            names.append(span)
    return names


def mentioned(target: str, names: list[str]) -> bool:
    last = ""
    for name in names:
        if name.startswith("..."):
            stem = name[3:]
            cuts = [i for i, ch in enumerate(last) if ch == "_"]
            if any(last[:i] + stem == target for i in cuts):
                return True
            continue
        last = name
        if name == target:
            return True
    return False


def provider_rows() -> list[tuple[str, str]]:
    rows = tables()
    return [row for header, found in rows.items() if "waldur_client" in header for row in found]


def test_every_provider_call_of_waldur_client_is_in_the_guide() -> None:
    rows = provider_rows()
    left = {name for cell, _ in rows for name in called(cell)}
    assert set(PROVIDER_CALLS) <= left, sorted(set(PROVIDER_CALLS) - left)
    for name in left:
        assert callable(getattr(waldur_client.WaldurClient, name, None)), name


def test_each_mapping_names_methods_that_exist() -> None:
    for old, new in provider_rows():
        names = called(new)
        if new.startswith("the same"):
            names += called(old)
        assert names, (old, new)
        for name in names:
            assert name in DOORS or callable(getattr(SyncPuhuriClient, name, None)), (old, name)


def _parameters(function: Callable[..., Any]) -> list[str]:
    found = inspect.signature(function).parameters.values()
    return [p.name for p in found if p.name != "self" and p.kind is not p.VAR_KEYWORD]


def test_the_same_means_the_same_parameters_in_the_same_order() -> None:
    same = [called(old) for old, new in provider_rows() if new.startswith("the same")]
    assert len(same) > 30
    for names in same:
        for name in names:
            theirs = _parameters(getattr(waldur_client.WaldurClient, name))
            ours = _parameters(getattr(SyncPuhuriClient, name))
            assert ours[: len(theirs)] == theirs, name


def test_every_call_of_the_site_agent_is_in_the_guide() -> None:
    assert len(set(SITE_AGENT_CALLS)) == 65
    rows = tables()["site agent (`waldur-api-client`)"]
    names = [name for cell, _ in rows for name in expanded(cell)]
    for target in SITE_AGENT_CALLS:
        assert mentioned(target, names), target
    for _, new in rows:
        for name in called(new):
            assert name in DOORS or callable(getattr(SyncPuhuriClient, name, None)), name
