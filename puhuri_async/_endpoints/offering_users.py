"""Offering users: ``POST marketplace-offering-users/`` creates a user's account on an offering,
``DELETE marketplace-offering-users/{uuid}/`` removes one.

Hand-written: the offering, the user and the offering user are given by UUID or by API URL, and
a URL must be on the client's API origin. Their rows (``create_remote_offering_user``,
``delete_offering_user``) give the method, path and idempotency.
"""

from __future__ import annotations

from typing import Any

from puhuri_async._arguments import non_empty_str, uuid_or_url_arg
from puhuri_async._endpoints._base import EndpointMixin, path_of, structure_for
from puhuri_async.models import OfferingUser

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

        Args:
            offering: UUID or API URL of the offering.
            user: UUID or API URL of the user.
            username: The account name (at most 100 characters); ``None``: the server's choice.

        Returns:
            The new ``OfferingUser``.

        Raises:
            InvalidArgumentError: A malformed UUID, a URL off the API origin or a bad username,
                before any request is sent.
            OutcomeUnknownError: The answer was lost after the request may have reached the
                server; it is not sent again.
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
        response = await self._send(operation, body)
        return structure_for(
            response.data, model=OfferingUser, operation=operation, response=response
        )

    async def delete_offering_user(self, offering_user: str) -> None:
        """Delete an offering user, given by UUID or by API URL (204, so ``None``).

        ``offering_user`` is its UUID or its URL (``marketplace-offering-users/<uuid>/`` on the
        client's API origin), as ``waldur_client`` takes it. Not retried once sent: a repeat
        after the first one took effect answers 404 and would hide that it did
        (``OutcomeUnknownError`` instead).

        Example:

        ```python
        await client.delete_offering_user(offering_user_uuid)
        ```
        """
        name = "delete_offering_user"
        url = uuid_or_url_arg(
            offering_user,
            "offering_user",
            base_url=self._transport.base_url,
            collection="marketplace-offering-users",
        )
        uuid = url.rstrip("/").rsplit("/", 1)[-1]
        await self._send(name, None, path=path_of(name, (uuid,)))
