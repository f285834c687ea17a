"""The fixed vocabularies of the schema, as ``StrEnum``.

Model fields of these types read ``Enum | str``: a value this version knows becomes its member
(which compares equal to the plain string), a value a newer server introduces stays a plain
``str``. An unknown value is never an error.
"""

from __future__ import annotations

from enum import StrEnum


class OrderState(StrEnum):
    """``OrderState``: where an order is in its approval and execution."""

    PENDING_CONSUMER = "pending-consumer"
    PENDING_PROVIDER = "pending-provider"
    PENDING_PROJECT = "pending-project"
    PENDING_START_DATE = "pending-start-date"
    EXECUTING = "executing"
    DONE = "done"
    ERRED = "erred"
    CANCELED = "canceled"
    REJECTED = "rejected"


class OrderType(StrEnum):
    """``RequestTypes``: what an order asks for."""

    CREATE = "Create"
    UPDATE = "Update"
    TERMINATE = "Terminate"
    RESTORE = "Restore"


class ResourceState(StrEnum):
    """``ResourceState``: the state of a resource allocation."""

    CREATING = "Creating"
    OK = "OK"
    ERRED = "Erred"
    UPDATING = "Updating"
    TERMINATING = "Terminating"
    TERMINATED = "Terminated"


class OfferingState(StrEnum):
    """``OfferingState``: whether an offering can be ordered."""

    DRAFT = "Draft"
    ACTIVE = "Active"
    PAUSED = "Paused"
    ARCHIVED = "Archived"
    UNAVAILABLE = "Unavailable"


class OfferingUserState(StrEnum):
    """``OfferingUserState``: the life of a user's account on an offering."""

    REQUESTED = "Requested"
    CREATING = "Creating"
    PENDING_ACCOUNT_LINKING = "Pending account linking"
    PENDING_ADDITIONAL_VALIDATION = "Pending additional validation"
    OK = "OK"
    REQUESTED_DELETION = "Requested deletion"
    DELETING = "Deleting"
    DELETED = "Deleted"
    ERROR_CREATING = "Error creating"
    ERROR_DELETING = "Error deleting"


class BillingType(StrEnum):
    """``BillingTypeEnum``: how an offering component is billed."""

    FIXED = "fixed"
    USAGE = "usage"
    LIMIT = "limit"
    ONE = "one"
    FEW = "few"


class BillingUnit(StrEnum):
    """``BillingUnit``: the period a plan's price is for."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_MONTH = "half_month"
    DAY = "day"
    HOUR = "hour"
    QUANTITY = "quantity"


class LimitPeriod(StrEnum):
    """``LimitPeriodEnum``: the period a component's limit applies to."""

    MONTH = "month"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    TOTAL = "total"


class ProjectKind(StrEnum):
    """``KindEnum``: the kind of a project."""

    DEFAULT = "default"
    COURSE = "course"
    PUBLIC = "public"


class CoreState(StrEnum):
    """``CoreStates``: the state of a back-end object (an offering's scope)."""

    CREATION_SCHEDULED = "CREATION_SCHEDULED"
    CREATING = "CREATING"
    UPDATE_SCHEDULED = "UPDATE_SCHEDULED"
    UPDATING = "UPDATING"
    DELETION_SCHEDULED = "DELETION_SCHEDULED"
    DELETING = "DELETING"
    OK = "OK"
    ERRED = "ERRED"
