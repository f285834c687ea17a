"""Orders: the requests to create, change or end a resource that providers approve."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._enums import BillingUnit, OrderState, OrderType
from puhuri_async.models._fields import response_model


@response_model
class Order(PuhuriModel):
    """An order for a resource: create, update, terminate or restore (``marketplace-orders/``).

    ``marketplace_resource_uuid`` is the marketplace resource the order is for (what
    ``marketplace-provider-resources/`` lists); ``resource_uuid`` is the back-end resource
    behind it, ``None`` for Basic offerings. (The ``resource_uuid`` *filter* of the order list
    matches the marketplace resource.)

    Who sees what: ``error_traceback`` is sent to staff and support only. The fields of a
    related object that is not there are left out (``consumer_reviewed_by*`` and
    ``provider_reviewed_by*`` before a review, ``old_plan_*`` outside plan changes).

    Versions: 7.x does not send ``url``, ``slug``, ``start_date``, ``completed_at``,
    ``request_comment``, ``attachment``, ``order_subtype``, ``provider_slug``, the reviewers'
    usernames (``consumer_reviewed_by_username``, ``provider_reviewed_by_username``), the
    creator's ``created_by_username``, ``created_by_email``, ``created_by_organization`` and
    ``created_by_organization_registry_code``, nor the messages and rejection comments
    (``provider_message*``, ``consumer_message*``, ``provider_rejection_comment``,
    ``consumer_rejection_comment``); they read ``None``. It sends
    ``offering_terms_of_service``, which 8.x dropped.

    Schema component: ``OrderDetails``.
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid", "type", "state")
    schema_component: ClassVar[str] = "OrderDetails"
    older_fields: ClassVar[tuple[str, ...]] = ("offering_terms_of_service",)

    offering: str
    offering_name: str
    offering_uuid: str
    offering_description: str
    offering_image: str | None
    offering_thumbnail: str | None
    offering_type: str
    offering_shared: bool
    offering_billable: bool
    offering_plugin_options: JSON
    provider_name: str
    provider_uuid: str
    provider_slug: str | None
    category_title: str
    category_uuid: str
    category_icon: str | None
    plan: str
    plan_unit: BillingUnit | str | None
    plan_name: str | None
    plan_uuid: str | None
    plan_description: str | None
    attributes: JSON
    limits: Mapping[str, int]
    uuid: str
    created: datetime
    modified: datetime
    resource_uuid: str | None
    resource_type: str | None
    resource_name: str
    cost: Decimal | None
    state: OrderState | str
    output: str
    marketplace_resource_uuid: str
    error_message: str
    error_traceback: str | None
    callback_url: str | None
    completed_at: datetime | None
    request_comment: str | None
    attachment: str | None
    type: OrderType | str
    start_date: date | None
    slug: str | None
    url: str | None
    consumer_reviewed_by: str | None
    consumer_reviewed_by_full_name: str | None
    consumer_reviewed_by_username: str | None
    consumer_reviewed_at: datetime | None
    provider_reviewed_by: str | None
    provider_reviewed_by_full_name: str | None
    provider_reviewed_by_username: str | None
    provider_reviewed_at: datetime | None
    created_by_username: str | None
    created_by_full_name: str
    created_by_civil_number: str | None
    created_by_email: str | None
    created_by_organization: str | None
    created_by_organization_registry_code: str | None
    customer_name: str
    customer_uuid: str
    customer_slug: str
    project_name: str
    project_uuid: str
    project_description: str
    project_slug: str
    old_plan_name: str | None
    new_plan_name: str | None
    old_plan_uuid: str | None
    new_plan_uuid: str | None
    old_cost_estimate: Decimal | None
    new_cost_estimate: Decimal | None
    can_terminate: bool
    fixed_price: Decimal
    activation_price: Decimal
    termination_comment: str | None
    backend_id: str
    order_subtype: str | None
    provider_message: str | None
    provider_message_url: str | None
    provider_message_attachment: str | None
    consumer_message: str | None
    consumer_message_attachment: str | None
    consumer_rejection_comment: str | None
    provider_rejection_comment: str | None
    issue: JSON
    offering_terms_of_service: str | None
