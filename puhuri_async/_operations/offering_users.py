"""Rows of offering users: a user's account name on the provider's offerings.

``POST marketplace-offering-users/`` creates one (user, offering, username) triplet;
``POST marketplace-service-providers/{uuid}/set_offerings_username/`` sets the username of a user
on every offering of the provider the user's projects use.
"""

from __future__ import annotations

from puhuri_async._arguments import non_empty_str, uuid_arg
from puhuri_async._operations._spec import Kind, Operation, Param
from puhuri_async.models import ActionResult, OfferingUser

__all__ = ["OPERATIONS"]

OPERATIONS = (
    Operation(
        name="create_remote_offering_user",
        method="POST",
        path="marketplace-offering-users/",
        kind=Kind.ACTION,
        model=OfferingUser,
        operation_id="marketplace_offering_users_create",
        idempotent=False,
        why=(
            "a second POST would fail as a duplicate and hide whether the first succeeded "
            "(OutcomeUnknownError instead)"
        ),
        handwritten=True,
        doc=(
            "Give ``user`` an account on ``offering``, named ``username`` "
            "(server's choice if None)."
        ),
    ),
    Operation(
        name="set_offerings_username",
        method="POST",
        path="marketplace-service-providers/{service_provider_uuid}/set_offerings_username/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_service_providers_set_offerings_username",
        idempotent=True,
        why=(
            "it sets the username to a value, so sending it twice leaves the same accounts as "
            "sending it once"
        ),
        params=(Param("user_uuid", "str", uuid_arg), Param("username", "str", non_empty_str)),
        doc="""
        Set ``username`` as the user's account name on every offering of the provider.

        Creates the offering users that are missing and renames the others (201).
        """,
    ),
)
