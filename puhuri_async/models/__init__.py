"""Typed models of Puhuri Core objects, and the one function that builds them.

``structure(data, Model)`` turns decoded JSON into a model or raises ``DecodeError``. Every model
keeps the JSON it came from: ``model["key"]``, ``model.get("key")``, ``"key" in model`` and
``model.to_dict()`` read it unchanged, while attributes give typed values. See
:class:`~puhuri_async.models.PuhuriModel` for how absent and ``null`` fields differ.
"""

from puhuri_async.models._base import JSON, PuhuriModel
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
from puhuri_async.models.inputs import ComponentUsage, ResourceReportRecord
from puhuri_async.models.offerings import Offering, OfferingComponent
from puhuri_async.models.orders import Order
from puhuri_async.models.providers import Project, ProjectPermission, ServiceProvider
from puhuri_async.models.resources import PlanPeriod, PlanPeriodUsage, Resource, TeamMember
from puhuri_async.models.users import OfferingUser, ServiceProviderUser, SshKey, User

__all__ = [
    "ActionResult",
    "BillingType",
    "BillingUnit",
    "ComponentUsage",
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
    "ResourceReportRecord",
    "ResourceState",
    "ServiceProvider",
    "ServiceProviderUser",
    "SshKey",
    "TeamMember",
    "User",
    "structure",
    "structure_many",
]
