"""Rows of the users and SSH keys every token may read: ``users/``, ``keys/``, ``users/me/``.

Who sees what (measured on 7.0.7): ``users/me/`` works for every role; a provider owner's
``users/`` hides ``is_active``, ``is_staff`` and ``is_support`` (the models then read ``None``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from puhuri_async._operations._spec import Kind, Operation
from puhuri_async.models import SshKey, User

__all__ = ["OPERATIONS"]


#: Waldur's ``SshKeyFilter`` (``keys/`` and a provider's ``keys/`` both use it), as
#: ``item_filters``: filter name -> the item field and lookup it is checked with.
SSH_KEY_ITEM_FILTERS: Final[Mapping[str, str]] = {
    "uuid": "uuid",
    "user_uuid": "user_uuid",
    "fingerprint_md5": "fingerprint_md5",
    "fingerprint_sha256": "fingerprint_sha256",
    "fingerprint_sha512": "fingerprint_sha512",
    "is_shared": "is_shared",
    "name": "name__icontains",
    "name_exact": "name",
}

OPERATIONS = (
    Operation(
        name="get_current_user",
        method="GET",
        path="users/me/",
        kind=Kind.GET,
        model=User,
        operation_id="users_me_retrieve",
        doc="""
        The user the token belongs to (``users/me/``): who the client acts as.

        Every role may read it; a site agent uses it to check its token at start-up.

        Example::

            me = await client.get_current_user()
            print(me.username, me.is_staff)
        """,
    ),
    Operation(
        name="get_user",
        method="GET",
        path="users/{user_uuid}/",
        kind=Kind.GET,
        model=User,
        operation_id="users_retrieve",
        doc="""
        The user ``user_uuid``, as the token may see it.

        ``waldur_client`` also took a name here; this takes a UUID only (a name raises
        ``InvalidArgumentError``): find a user by name with ``list_users(username=...)``. A user
        the token cannot see raises ``NotFoundError``.

        Example::

            user = await client.get_user(user_uuid)
            print(user.full_name, user.email)
        """,
    ),
    Operation(
        name="list_users",
        method="GET",
        path="users/",
        kind=Kind.LIST,
        model=User,
        operation_id="users_list",
        # No ordering is sent: the default one, username, is unique already (the User model's
        # username is unique=True; measured: 2,010 of 2,010 distinct in pages).
        item_filters={"username": "username"},  # lookup "exact" in Waldur's UserFilter
        doc="""
        Every user matching the filters (all pages, fetched concurrently).

        Filters (``username``, ``email``, ``is_active``, ...) are given as a dict, as keywords, or
        both; a name ``users/`` does not accept raises ``InvalidArgumentError`` before any
        request. ``extra_params`` passes parameters through unchecked; ``limit`` stops after that
        many users; ``progress(done, total)`` is called as pages arrive.
        """,
        iter_doc="""
        Stream the users matching the filters (``async for user in client.iter_users()``).

        Pages are prefetched concurrently in bounded windows, so memory stays flat however many
        users there are. ``strict=True`` raises ``CountDriftError`` if the total changes while
        iterating (otherwise a ``CountDriftWarning`` is issued and ``.drift`` describes it).
        """,
    ),
    Operation(
        name="list_ssh_keys",
        method="GET",
        path="keys/",
        kind=Kind.LIST,
        model=SshKey,
        operation_id="keys_list",
        # Its only ordering, `name`, is not unique.
        item_filters=SSH_KEY_ITEM_FILTERS,
        doc="""
        Every SSH key matching the filters (``user_uuid``, ``fingerprint``, ...), all pages.

        ``waldur_client`` fetched these 10 per page, one page at a time; this fetches pages of
        ``page_size`` (300 by default) concurrently.
        """,
        iter_doc="Stream the SSH keys matching the filters, with bounded memory.",
    ),
)
