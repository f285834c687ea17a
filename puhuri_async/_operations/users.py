"""Rows of the users and SSH keys every token may read: ``users/``, ``keys/``."""

from __future__ import annotations

from puhuri_async._operations._spec import Kind, Operation
from puhuri_async.models import SshKey, User

__all__ = ["OPERATIONS"]

OPERATIONS = (
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
        # Waldur's SshKeyFilter: exact lookups. Its only ordering, `name`, is not unique.
        item_filters={
            "uuid": "uuid",
            "user_uuid": "user_uuid",
            "fingerprint_md5": "fingerprint_md5",
            "fingerprint_sha256": "fingerprint_sha256",
            "fingerprint_sha512": "fingerprint_sha512",
        },
        doc="""
        Every SSH key matching the filters (``user_uuid``, ``fingerprint``, ...), all pages.

        ``waldur_client`` fetched these 10 per page, one page at a time; this fetches pages of
        ``page_size`` (300 by default) concurrently.
        """,
        iter_doc="Stream the SSH keys matching the filters, with bounded memory.",
    ),
)
