"""Rows of offering users: a user's account name on the provider's offerings.

``POST marketplace-offering-users/`` creates one (user, offering, username) triplet;
``POST marketplace-service-providers/{uuid}/set_offerings_username/`` sets the username of a user
on every offering of the provider the user's projects use. The list, one read, ``PATCH`` and
``DELETE`` of ``marketplace-offering-users/{uuid}/``, and the eight state transitions a site
walks an account through (Requested -> Creating -> OK, the pending and error states, Deleting
-> Deleted).

A wrong transition is a 400 (Waldur's state machine raises a validation error, not 409). No
transition is retried once it may have reached the server. What servers differ in: 7.0.7 has
no offering-user states at all (no ``state`` field, no filter by it, no transition routes: 404),
so ``since`` on the transitions is the oldest version known to have them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from puhuri_async._arguments import non_empty_str, optional_str, preview, uuid_arg
from puhuri_async._errors import InvalidArgumentError
from puhuri_async._operations._spec import Kind, Operation, Param
from puhuri_async.models import ActionResult, OfferingUser

__all__ = ["OPERATIONS", "comment_url_arg", "username_arg"]

#: The schema's limit on an offering user's username.
USERNAME_MAX_LENGTH = 100

_STATE_MACHINE = (
    "not retried once sent: it moves the offering user through its state machine, so a repeat "
    "would answer 400 and hide whether the first one took effect"
)


def username_arg(value: Any, argument: str) -> str:
    """An offering user's username: non-blank, at most 100 characters (the schema's limit)."""
    return non_empty_str(value, argument, max_length=USERNAME_MAX_LENGTH)


def comment_url_arg(value: Any, argument: str) -> str | None:
    """``None``, or an absolute ``http(s)://`` URL (what the server's URL field accepts)."""
    if value is None:
        return None
    text = non_empty_str(value, argument).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidArgumentError(argument, f"must be an http(s) URL, got {preview(value)}")
    return text


def _transition(action: str, doc: str, *, commented: bool = False) -> Operation:
    """The row of the offering-user transition ``action`` (``marketplace_offering_user_...``)."""
    params: tuple[Param, ...] = ()
    if commented:
        params = (
            Param("comment", "str | None", optional_str, default="None"),
            Param("comment_url", "str | None", comment_url_arg, default="None"),
        )
    return Operation(
        name=f"marketplace_offering_user_{action}",
        method="POST",
        path=f"marketplace-offering-users/{{offering_user_uuid}}/{action}/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id=f"marketplace_offering_users_{action}",
        idempotent=False,
        why=_STATE_MACHINE,
        sends_body=commented,
        params=params,
        since="8.0.5",  # 7.0.7 has no offering-user states (404)
        doc=doc,
    )


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
    Operation(
        name="list_remote_offering_users",
        method="GET",
        path="marketplace-offering-users/",
        kind=Kind.LIST,
        model=OfferingUser,
        operation_id="marketplace_offering_users_list",
        # The default order, `username`, ties (many accounts have an empty one): on 7.0.7 one
        # approval made 1,322 accounts of which pages gave 1,319 distinct; `o=created` was stable.
        ordering="created",
        item_filters={"user_uuid": "user_uuid"},  # an exact lookup on the account's user
        doc="""
        Every offering user (account) matching the filters, all pages.

        Filters: ``offering_uuid``, ``user_uuid``, ``state`` (one or a list: ``"Requested"``,
        ``"Creating"``, ``"OK"``...; 7.0.7 has no states and ignores it), ``is_restricted``...
        A provider sees the accounts on its offerings, a user their own.

        Example::

            requested = await client.list_remote_offering_users(
                {"offering_uuid": offering_uuid, "state": "Requested"}
            )
        """,
        iter_doc="Stream the offering users matching the filters, with bounded memory.",
    ),
    Operation(
        name="get_offering_user",
        method="GET",
        path="marketplace-offering-users/{offering_user_uuid}/",
        kind=Kind.GET,
        model=OfferingUser,
        operation_id="marketplace_offering_users_retrieve",
        doc="""
        The offering user ``offering_user_uuid``: user, offering, ``username``, ``state``.

        Example::

            account = await client.get_offering_user(offering_user_uuid)
            print(account.username, account.state)
        """,
    ),
    Operation(
        name="update_offering_user",
        method="PATCH",
        path="marketplace-offering-users/{offering_user_uuid}/",
        kind=Kind.ACTION,
        model=OfferingUser,
        operation_id="marketplace_offering_users_partial_update",
        idempotent=True,
        why=(
            "a PATCH sets the username to the value given, so sending it twice leaves the same "
            "account as sending it once"
        ),
        params=(Param("username", "str", username_arg),),
        doc="""
        Rename the offering user: set its ``username`` (at most 100 characters).

        Answers the updated offering user.

        Example::

            account = await client.update_offering_user(offering_user_uuid, "jdoe_lumi")
        """,
    ),
    Operation(
        name="delete_offering_user",
        method="DELETE",
        path="marketplace-offering-users/{offering_user_uuid}/",
        kind=Kind.ACTION,
        model=None,
        operation_id="marketplace_offering_users_destroy",
        idempotent=False,
        why=(
            "a repeat after the first one took effect answers 404 and would hide that it did "
            "(OutcomeUnknownError instead)"
        ),
        sends_body=False,
        handwritten=True,
        doc="Delete an offering user, given by UUID or by API URL (204, so ``None``).",
    ),
    _transition(
        "begin_creating",
        """
        Start creating the account on the site: ``Requested`` or ``Error creating`` ->
        ``Creating``.

        A wrong state is the server's 400 (``ValidationError``). The server answers with no body
        (the result reads as ``{}``). Not retried once sent. Servers before 8.0 lack it.

        Example::

            await client.marketplace_offering_user_begin_creating(offering_user_uuid)
        """,
    ),
    _transition(
        "set_ok",
        """
        The account exists and works: any creation state (or ``Error deleting``) -> ``OK``.

        A wrong state is the server's 400. Not retried once sent. Servers before 8.0 lack it.

        Example::

            await client.marketplace_offering_user_set_ok(offering_user_uuid)
        """,
    ),
    _transition(
        "set_error_creating",
        """
        Creating the account failed: ``Requested``, ``Creating`` or a pending state ->
        ``Error creating``.

        A wrong state is the server's 400. Not retried once sent. Servers before 8.0 lack it.

        Example::

            await client.marketplace_offering_user_set_error_creating(offering_user_uuid)
        """,
    ),
    _transition(
        "set_pending_account_linking",
        """
        The user must link an existing site account first: -> ``Pending account linking``.

        ``comment`` (and ``comment_url``, an http(s) link) tell the user what to do; they are
        kept as the provider's comment. From ``Creating``, ``Error creating`` or the other
        pending state; a wrong state is the server's 400. Not retried once sent.

        Example::

            await client.marketplace_offering_user_set_pending_account_linking(
                offering_user_uuid,
                comment="Link your university account",
                comment_url="https://id.example.org/link",
            )
        """,
        commented=True,
    ),
    _transition(
        "set_pending_additional_validation",
        """
        The site needs more checks before the account: -> ``Pending additional validation``.

        ``comment`` and ``comment_url`` as for ``set_pending_account_linking``. A wrong state
        is the server's 400. Not retried once sent.

        Example::

            await client.marketplace_offering_user_set_pending_additional_validation(
                offering_user_uuid, comment="Waiting for the PI's approval"
            )
        """,
        commented=True,
    ),
    _transition(
        "set_validation_complete",
        """
        The pending checks are done: a pending state -> ``OK`` (the comment is cleared).

        A wrong state is the server's 400. Not retried once sent.

        Example::

            await client.marketplace_offering_user_set_validation_complete(offering_user_uuid)
        """,
    ),
    _transition(
        "set_deleting",
        """
        Start removing the account from the site: ``Requested deletion`` or ``Error deleting``
        -> ``Deleting``.

        A wrong state is the server's 400. Not retried once sent.

        Example::

            await client.marketplace_offering_user_set_deleting(offering_user_uuid)
        """,
    ),
    _transition(
        "set_deleted",
        """
        The account is gone from the site: ``Deleting`` -> ``Deleted``.

        A wrong state is the server's 400. Not retried once sent.

        Example::

            await client.marketplace_offering_user_set_deleted(offering_user_uuid)
        """,
    ),
)
