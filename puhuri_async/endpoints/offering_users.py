"""Offering users: a user's account name on the provider's offerings.

``POST marketplace-offering-users/`` creates one (user, offering, username) triplet;
``POST marketplace-service-providers/{uuid}/set_offerings_username/`` sets the username of a user
on every offering of the provider the user's projects use.
"""

from __future__ import annotations

from typing import Any

from puhuri_async._validation import non_empty_str, uuid_arg, uuid_or_url_arg
from puhuri_async.endpoints._base import EndpointMixin, structure_for
from puhuri_async.models import ActionResult, OfferingUser

__all__ = ["OfferingUsersEndpoints"]

#: The schema's limit on an offering user's username.
USERNAME_MAX_LENGTH = 100


class OfferingUsersEndpoints(EndpointMixin):
    """Granting users access to the provider's offerings under a username."""

    async def create_remote_offering_user(
        self, offering: str, user: str, username: str | None = None
    ) -> OfferingUser:
        """Give ``user`` an account on ``offering``, named ``username`` (server's choice if None).

        ``offering`` and ``user`` are UUIDs or API URLs; a UUID is sent as the absolute URL
        (``marketplace-provider-offerings/<uuid>/``, ``users/<uuid>/``), and a URL must be on
        the client's API origin. Not retried once sent: a second POST would fail as a duplicate
        and hide whether the first succeeded (``OutcomeUnknownError`` instead).
        """
        base = self._transport.base_url
        body: dict[str, Any] = {
            "offering": uuid_or_url_arg(
                offering, "offering", base_url=base, collection="marketplace-provider-offerings"
            ),
            "user": uuid_or_url_arg(user, "user", base_url=base, collection="users"),
        }
        if username is not None:
            body["username"] = non_empty_str(username, "username", max_length=USERNAME_MAX_LENGTH)
        operation = "create_remote_offering_user"
        response = await self._transport.request(
            "POST",
            "marketplace-offering-users/",
            operation=operation,
            json=body,
            idempotent=False,
        )
        return structure_for(
            response.data, model=OfferingUser, operation=operation, response=response
        )

    async def set_offerings_username(
        self, service_provider_uuid: str, user_uuid: str, username: str
    ) -> ActionResult:
        """Set ``username`` as the user's account name on every offering of the provider.

        Creates the offering users that are missing and renames the others (201).
        """
        path = (
            "marketplace-service-providers/"
            f"{uuid_arg(service_provider_uuid, 'service_provider_uuid')}/set_offerings_username/"
        )
        body = {
            "user_uuid": uuid_arg(user_uuid, "user_uuid"),
            "username": non_empty_str(username, "username"),
        }
        # Idempotent: it sets the username to a value, so sending it twice leaves the same
        # accounts as sending it once; it may be retried after a 502 or a timeout.
        return await self._action(
            path, operation="set_offerings_username", json=body, idempotent=True
        )
