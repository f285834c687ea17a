"""The examples in the operations' docstrings: each parses, calls its own method, and names only
methods the client has, with arguments its signature accepts."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

import pytest

from puhuri_async import PuhuriClient
from puhuri_async._operations import OPERATIONS

#: The operations of the provider's job (issue 15): each docstring carries an example.
PROVIDER_JOB = (
    "get_order",
    "marketplace_order_set_state_executing",
    "marketplace_order_set_state_done",
    "marketplace_order_set_state_erred",
    "marketplace_order_set_backend_id",
    "get_current_user",
    "get_user",
    "get_marketplace_provider_resource",
    "marketplace_provider_resource_set_as_ok",
    "marketplace_provider_resource_set_as_erred",
    "marketplace_provider_resource_set_limits",
    "marketplace_provider_resource_set_backend_metadata",
    "marketplace_provider_resource_refresh_last_sync",
    "marketplace_provider_resource_set_end_date_by_provider",
    "marketplace_provider_resource_set_end_date",
    "marketplace_provider_resource_set_endpoints",
    "marketplace_provider_resource_set_effective_id",
    "list_marketplace_provider_offerings",
    "list_component_usages",
    "create_component_user_usage",
    "list_component_user_usages",
    "list_component_user_usage_limits",
    "list_remote_offering_users",
    "get_offering_user",
    "update_offering_user",
    "delete_offering_user",
    "marketplace_offering_user_begin_creating",
    "marketplace_offering_user_set_ok",
    "marketplace_offering_user_set_error_creating",
    "marketplace_offering_user_set_pending_account_linking",
    "marketplace_offering_user_set_pending_additional_validation",
    "marketplace_offering_user_set_validation_complete",
    "marketplace_offering_user_set_deleting",
    "marketplace_offering_user_set_deleted",
)


def example_of(name: str) -> str | None:
    """The code of the ``Example:`` block (fenced Python) of method ``name``'s docstring."""
    doc = inspect.getdoc(getattr(PuhuriClient, name)) or ""
    found = re.search(r"^Example:\n\n```python\n(.*?)\n```", doc, flags=re.M | re.S)
    return textwrap.dedent(found.group(1)).strip() if found else None


def test_every_operation_of_the_provider_s_job_is_in_the_table() -> None:
    assert set(PROVIDER_JOB) <= set(OPERATIONS)


@pytest.mark.parametrize("name", PROVIDER_JOB)
def test_the_example_parses_and_calls_real_methods(name: str) -> None:
    code = example_of(name)
    assert code, f"{name}: its docstring has no Example: block"
    tree = ast.parse("async def example(client):\n" + textwrap.indent(code, "    "))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "client"
    ]
    assert name in {call.func.attr for call in calls}, f"{name}: the example does not call it"  # type: ignore[attr-defined]
    for call in calls:
        method = getattr(PuhuriClient, call.func.attr)  # type: ignore[attr-defined]
        signature = inspect.signature(method)
        positional = [object()] * len(call.args)
        keywords = {k.arg: object() for k in call.keywords if k.arg is not None}
        signature.bind(None, *positional, **keywords)  # raises TypeError when it does not fit
