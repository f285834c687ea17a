"""Offering users: create, update, delete, the state machine, and the provider's bulk username.

As in Waldur (8.x; 7.x has no offering-user states and no transition actions):

- every action first finds the offering user among those the caller sees (404), then checks the
  provider's permission (403; deleting says ``{"detail": "You do not have permission to delete
  this user."}``);
- a wrong transition is **400**, not 409: ``{"detail": "Cannot transition to CREATING from current
  state: 5. Valid states for operation: Requested, Error creating."}`` (the current state as
  Waldur's integer code);
- ``begin_creating`` (Requested, Error creating -> Creating), ``set_ok`` (any creation-flow
  state or Error deleting -> OK), ``set_error_creating`` (Requested, Creating, Pending account
  linking, Pending additional validation -> Error creating), ``set_pending_account_linking`` and
  ``set_pending_additional_validation`` (from Creating, Error creating or the other pending
  state; keep ``comment``/``comment_url`` as the service provider's comment),
  ``set_validation_complete`` (either pending state -> OK, comment cleared), ``set_deleting``
  (Requested deletion, Error deleting -> Deleting), ``set_deleted`` (Deleting -> Deleted); each
  answers 200 with no body;
- ``POST marketplace-offering-users/`` makes one (201), ``PATCH`` changes its ``username`` (200,
  the object), ``DELETE`` removes it (204);
- ``set_offerings_username`` gives a user one username on every offering of the provider that a
  project of the user uses: 201 ``{"detail": "Offering users have been set."}``; an unknown user
  is a 400 whose body is a JSON list: ``["A user with the uuid [...] is not found."]``.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from urllib.parse import urlsplit

from puhuri_async.testing._api_base import ApiBase, caller_of
from puhuri_async.testing._bodies import require_object, string_field
from puhuri_async.testing._filters import OFFERING_USER_STATES
from puhuri_async.testing._http import HttpError, Reply, Request, json_reply, validation_error
from puhuri_async.testing._listing import normalise_uuid
from puhuri_async.testing._store import JSONObject

__all__ = ["OfferingUserActions", "TRANSITIONS"]

_UUID = r"(?P<uuid>[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})"
_CODES = {state: number for number, state in enumerate(OFFERING_USER_STATES, start=1)}
_CREATION = ("Requested", "Creating", "Pending account linking", "Pending additional validation")

#: action -> (the states it starts from, the state it leads to, its name in Waldur's message).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "begin_creating": (("Requested", "Error creating"), "Creating", "CREATING"),
    "set_ok": (
        (
            "Requested",
            "Creating",
            "Pending additional validation",
            "Pending account linking",
            "Error creating",
            "Error deleting",
        ),
        "OK",
        "OK",
    ),
    "set_error_creating": (_CREATION, "Error creating", "ERROR_CREATING"),
    "set_pending_account_linking": (
        ("Creating", "Error creating", "Pending additional validation"),
        "Pending account linking",
        "PENDING_ACCOUNT_LINKING",
    ),
    "set_pending_additional_validation": (
        ("Creating", "Error creating", "Pending account linking"),
        "Pending additional validation",
        "PENDING_ADDITIONAL_VALIDATION",
    ),
    "set_validation_complete": (
        ("Pending account linking", "Pending additional validation"),
        "OK",
        "VALIDATION_COMPLETE",
    ),
    "set_deleting": (("Requested deletion", "Error deleting"), "Deleting", "DELETING"),
    "set_deleted": (("Deleting",), "Deleted", "DELETED"),
}
_COMMENTED = ("set_pending_account_linking", "set_pending_additional_validation")


class OfferingUserActions(ApiBase):
    """Offering-user writes and the provider's ``set_offerings_username``."""

    def _account(self, request: Request, uuid: str) -> JSONObject:
        account = self.seen(request, "offering_users", "offering_users", uuid)
        self.visibility.require_provider(caller_of(request), account["customer_uuid"])
        return account

    def transition(self, request: Request, uuid: str, action: str) -> Reply:
        """One of the state-machine actions (``TRANSITIONS``)."""
        account = self._account(request, uuid)
        sources, target, name = TRANSITIONS[action]
        if account["state"] not in sources:
            current = _CODES.get(account["state"], account["state"])
            raise validation_error(
                {
                    "detail": f"Cannot transition to {name} from current state: {current}. "
                    f"Valid states for operation: {', '.join(sources)}."
                }
            )
        changes: dict[str, object] = {"state": target, "modified": self.now()}
        if action in _COMMENTED:
            changes.update(self._comment(request))
        elif action == "set_validation_complete":
            changes["service_provider_comment"] = ""
            account.pop("service_provider_comment_url", None)
        account.update(changes)
        self.data.touch("offering_users")
        return Reply(200, content_type=None)

    def _comment(self, request: Request) -> dict[str, object]:
        body = require_object(request.json())
        found: dict[str, object] = {}
        errors: dict[str, list[str]] = {}
        comment = body.get("comment")
        if comment is not None:
            if not isinstance(comment, str):
                errors["comment"] = ["Not a valid string."]
            else:
                found["service_provider_comment"] = comment
        url = body.get("comment_url")
        if url is not None:
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
                errors["comment_url"] = ["Enter a valid URL."]
            else:
                found["service_provider_comment_url"] = url
        if errors:
            raise validation_error(errors)
        return found

    def update_offering_user(self, request: Request, uuid: str) -> Reply:
        account = self.seen(request, "offering_users", "offering_users", uuid)
        body = require_object(request.json())
        username: str | None = account["username"]
        if body.get("username") is not None:
            username = string_field(body, "username", max_length=100, allow_blank=True)
        elif "username" in body:
            username = None
        self.visibility.require_provider(caller_of(request), account["customer_uuid"])
        account.update(username=username, modified=self.now())
        self.data.touch("offering_users")
        return self.retrieve(request, "offering_users", account)

    def delete_offering_user(self, request: Request, uuid: str) -> Reply:
        account = self.seen(request, "offering_users", "offering_users", uuid)
        if not self.visibility.may_act_for(caller_of(request), account["customer_uuid"]):
            raise HttpError(403, {"detail": "You do not have permission to delete this user."})
        self.data.offering_users.remove(account)
        self.data._index.get("offering_users", {}).pop(account["uuid"], None)
        self.data.touch("offering_users")
        return Reply(204, content_type=None)

    def create_offering_user(self, request: Request) -> Reply:
        body = require_object(request.json())
        errors: dict[str, list[str]] = {}
        offering = self._linked(body, "offering", "marketplace-provider-offerings", errors)
        user = self._linked(body, "user", "users", errors)
        username = body.get("username")
        if username is not None:
            try:
                username = string_field(body, "username", max_length=100, allow_blank=True)
            except HttpError as exc:
                errors.update(exc.payload)
        if errors:
            raise validation_error(errors)
        assert offering is not None
        assert user is not None
        for existing in self.data.offering_users:
            if existing["offering_uuid"] == offering["uuid"] and (
                existing["user_uuid"] == user["uuid"]
            ):
                raise validation_error(
                    {"non_field_errors": ["The fields offering, user must make a unique set."]}
                )
        self.visibility.require_provider(caller_of(request), offering["customer_uuid"])
        if not offering["plugin_options"].get("service_provider_can_create_offering_user"):
            # Raised by the serializer's create(), not its validation: a bare message, a list body.
            raise HttpError(400, ["It is not allowed to create users for current offering."])
        created = self.data.add_offering_user(
            offering=offering, user=user, username=username, created=self.now()
        )
        reply = self.retrieve(request, "offering_users", created)
        reply.status = 201
        return reply

    def _linked(
        self, body: JSONObject, name: str, route: str, errors: dict[str, list[str]]
    ) -> JSONObject | None:
        """The object a hyperlink field (or its ``<name>_uuid`` twin) of ``body`` points to."""
        collection = "offerings" if name == "offering" else "users"
        value = body.get(name)
        if value is None and body.get(f"{name}_uuid") is not None:
            uuid = body[f"{name}_uuid"]
            uuid = normalise_uuid(uuid) if isinstance(uuid, str) else None
            if uuid is None:
                errors[f"{name}_uuid"] = ["Must be a valid UUID."]
                return None
            found = self.data.get(collection, uuid)
            if found is None:
                errors[f"{name}_uuid"] = ["Object does not exist."]
            return found
        if value is None:
            errors[name] = ["This field is required."]
            return None
        if not isinstance(value, str):
            errors[name] = [
                f"Incorrect type. Expected URL string, received {type(value).__name__}."
            ]
            return None
        matched = re.fullmatch(rf"/api/{route}/{_UUID}/", urlsplit(value).path)
        if matched is None:
            errors[name] = [self.hyperlink_error(value)]
            return None
        found = self.data.get(collection, normalise_uuid(matched["uuid"]) or "")
        if found is None:
            errors[name] = ["Invalid hyperlink - Object does not exist."]
        return found

    def set_offerings_username(self, request: Request, uuid: str) -> Reply:
        provider = self.service_provider(uuid)
        body = require_object(request.json())
        errors: dict[str, list[str]] = {}
        user_uuid = None
        raw = body.get("user_uuid")
        if raw is None:
            errors["user_uuid"] = ["This field is required."]
        else:
            user_uuid = normalise_uuid(raw) if isinstance(raw, str) else None
            if user_uuid is None:
                errors["user_uuid"] = ["Must be a valid UUID."]
        username = ""
        try:
            username = string_field(body, "username")
        except HttpError as exc:
            errors.update(exc.payload)
        if errors:
            raise validation_error(errors)
        assert user_uuid is not None
        user = self.data.get("users", user_uuid)
        if user is None:
            # A bare ValidationError(message): DRF answers a JSON list, not an object.
            raise HttpError(
                400, [f"A user with the uuid [{uuid_module.UUID(user_uuid)}] is not found."]
            )
        self.visibility.require_provider(caller_of(request), provider["customer_uuid"])
        projects = {p["project_uuid"] for p in self.data.permissions if p["user_uuid"] == user_uuid}
        offerings = {
            r["offering_uuid"]
            for r in self.data.resources
            if r["project_uuid"] in projects
            and r["state"] != "Terminated"
            and r["provider_uuid"] == provider["customer_uuid"]
        }
        existing = {
            account["offering_uuid"]: account
            for account in self.data.offering_users
            if account["user_uuid"] == user_uuid
        }
        now = self.now()
        for offering_uuid in sorted(offerings):
            account = existing.get(offering_uuid)
            if account is None:
                self.data.add_offering_user(
                    offering=self.data.get("offerings", offering_uuid),
                    user=user,
                    username=username,
                    created=now,
                )
            else:
                account.update(username=username, modified=now, state="OK")
        self.data.touch("offering_users")
        return json_reply(201, {"detail": "Offering users have been set."})
