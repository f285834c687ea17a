"""Typed models of Puhuri Core objects, and the functions that build them.

``structure(data, Model)`` turns decoded JSON into a model or raises ``DecodeError``. Every model
keeps the JSON it came from: ``model["key"]``, ``model.get("key")``, ``"key" in model`` and
``model.to_dict()`` read it unchanged, while attributes give typed values;
``json.dumps(model, default=json_default)`` writes it. See
``puhuri_async.models.PuhuriModel`` for what an absent or ``null`` field reads.
"""

from puhuri_async.models._base import JSON, PuhuriModel, json_default
from puhuri_async.models._converter import structure, structure_many
from puhuri_async.models._enums import (
    BillingType,
    BillingUnit,
    CoreState,
    LimitPeriod,
    OfferingState,
    OfferingUserState,
    OrderState,
    OrderType,
    ProjectKind,
    ResourceState,
)
from puhuri_async.models.actions import ActionResult
from puhuri_async.models.inputs import ComponentUsage, ResourceReportRecord, UserUsage
from puhuri_async.models.offerings import Offering, OfferingComponent
from puhuri_async.models.orders import Order
from puhuri_async.models.providers import Project, ProjectPermission, ServiceProvider
from puhuri_async.models.resource_inputs import (
    ResourceEndpoint,
    backend_metadata_payload,
    endpoints_payload,
    limits_payload,
)
from puhuri_async.models.resources import PlanPeriod, PlanPeriodUsage, Resource, TeamMember
from puhuri_async.models.usage import (
    ComponentUsageRecord,
    ComponentUserUsage,
    ComponentUserUsageLimit,
)
from puhuri_async.models.users import OfferingUser, ServiceProviderUser, SshKey, User

__all__ = [
    "ActionResult",
    "BillingType",
    "BillingUnit",
    "ComponentUsage",
    "ComponentUsageRecord",
    "ComponentUserUsage",
    "ComponentUserUsageLimit",
    "CoreState",
    "JSON",
    "LimitPeriod",
    "Offering",
    "OfferingComponent",
    "OfferingState",
    "OfferingUser",
    "OfferingUserState",
    "Order",
    "OrderState",
    "OrderType",
    "PlanPeriod",
    "PlanPeriodUsage",
    "Project",
    "ProjectKind",
    "ProjectPermission",
    "PuhuriModel",
    "Resource",
    "ResourceEndpoint",
    "ResourceReportRecord",
    "ResourceState",
    "ServiceProvider",
    "ServiceProviderUser",
    "SshKey",
    "TeamMember",
    "User",
    "UserUsage",
    "backend_metadata_payload",
    "endpoints_payload",
    "json_default",
    "limits_payload",
    "structure",
    "structure_many",
]
