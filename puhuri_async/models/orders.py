"""Orders: the requests to create, change or end a resource that providers approve."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import BillingUnit, OrderState, OrderType


@attrs.frozen(eq=False, repr=False, slots=False)
class Order(PuhuriModel):
    """An order for a resource: create, update, terminate or restore (``marketplace-orders/``).

    Schema component: ``OrderDetails``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "type", "state")
    schema_component: ClassVar[str] = "OrderDetails"

    offering: str | None = None
    offering_name: str | None = None
    offering_uuid: str | None = None
    offering_description: str | None = None
    offering_image: str | None = None
    offering_thumbnail: str | None = None
    offering_type: str | None = None
    offering_shared: bool | None = None
    offering_billable: bool | None = None
    offering_plugin_options: JSON | None = None
    provider_name: str | None = None
    provider_uuid: str | None = None
    provider_slug: str | None = None
    category_title: str | None = None
    category_uuid: str | None = None
    category_icon: str | None = None
    plan: str | None = None
    plan_unit: BillingUnit | str | None = None
    plan_name: str | None = None
    plan_uuid: str | None = None
    plan_description: str | None = None
    attributes: JSON | None = None
    limits: Mapping[str, int] | None = None
    uuid: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    resource_uuid: str | None = None
    resource_type: str | None = None
    resource_name: str | None = None
    cost: Decimal | None = None
    state: OrderState | str | None = None
    output: str | None = None
    marketplace_resource_uuid: str | None = None
    error_message: str | None = None
    error_traceback: str | None = None
    callback_url: str | None = None
    completed_at: datetime | None = None
    request_comment: str | None = None
    attachment: str | None = None
    type: OrderType | str | None = None
    start_date: date | None = None
    slug: str | None = None
    url: str | None = None
    consumer_reviewed_by: str | None = None
    consumer_reviewed_by_full_name: str | None = None
    consumer_reviewed_by_username: str | None = None
    consumer_reviewed_at: datetime | None = None
    provider_reviewed_by: str | None = None
    provider_reviewed_by_full_name: str | None = None
    provider_reviewed_by_username: str | None = None
    provider_reviewed_at: datetime | None = None
    created_by_username: str | None = None
    created_by_full_name: str | None = None
    created_by_civil_number: str | None = None
    created_by_email: str | None = None
    created_by_organization: str | None = None
    created_by_organization_registry_code: str | None = None
    customer_name: str | None = None
    customer_uuid: str | None = None
    customer_slug: str | None = None
    project_name: str | None = None
    project_uuid: str | None = None
    project_description: str | None = None
    project_slug: str | None = None
    old_plan_name: str | None = None
    new_plan_name: str | None = None
    old_plan_uuid: str | None = None
    new_plan_uuid: str | None = None
    old_cost_estimate: Decimal | None = None
    new_cost_estimate: Decimal | None = None
    can_terminate: bool | None = None
    fixed_price: Decimal | None = None
    activation_price: Decimal | None = None
    termination_comment: str | None = None
    backend_id: str | None = None
    order_subtype: str | None = None
    provider_message: str | None = None
    provider_message_url: str | None = None
    provider_message_attachment: str | None = None
    consumer_message: str | None = None
    consumer_message_attachment: str | None = None
    consumer_rejection_comment: str | None = None
    provider_rejection_comment: str | None = None
    issue: JSON | None = None
