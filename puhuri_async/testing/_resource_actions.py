"""The provider's resource actions (``marketplace-provider-resources/{uuid}/...``).

A resource outside the provider's (the caller's) offerings is 404; a caller who sees it but is not
the provider is 403. As in Waldur:

- ``set_backend_id``: ``{"status": "Resource backend_id has been changed."}`` (or ``... is not
  changed.``); ``submit_report``: ``{"status": "Report is submitted"}``;
- ``set_as_ok`` (8.x): ``OK`` from ``Creating``, ``Updating``, ``Terminating`` or ``Erred``,
  clearing the error; already ``OK``: nothing changes; from ``Terminated`` Waldur's state machine
  refuses and the server answers 500 (its HTML page). 200 with no body;
- ``set_as_erred``: ``Erred`` from any state, keeping ``error_message``/``error_traceback`` when
  given (8.x; on 7.x the action is staff-only and takes no body). 200 with no body;
- ``set_limits`` (8.x): replaces ``limits``; ``{"status": "The resource limits are updated"}``;
- ``set_backend_metadata``: ``{"status": "The backend metadata is updated"}``;
- ``refresh_last_sync`` (8.x): ``last_sync`` is now; 200 with no body;
- ``set_end_date_by_provider``: ``end_date`` (a date at least 7 days ahead, or null); 200 with
  no body;
- 8.1: ``set_end_date`` (the same), ``set_endpoints`` (replaces ``endpoints``),
  ``set_effective_id``; each answers ``{"status": ...}`` (the wording is the fake's).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from puhuri_async.testing._api_base import ApiBase, caller_of
from puhuri_async.testing._bodies import list_field, require_object, string_field
from puhuri_async.testing._http import HttpError, Reply, Request, json_reply, validation_error
from puhuri_async.testing._store import JSONObject
from puhuri_async.testing._visibility import denied

__all__ = ["ResourceActions", "server_error"]

_SERVER_ERROR = (
    b'\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n'
    b"</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"
)
_DATE_ERROR = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."


def server_error() -> Reply:
    """Django's answer to an exception a view did not handle (DEBUG off)."""
    return Reply(500, _SERVER_ERROR, content_type="text/html; charset=utf-8")


class ResourceActions(ApiBase):
    """Actions a provider (or its agent) takes on its resources."""

    def _resource(self, request: Request, uuid: str) -> JSONObject:
        resource = self.seen(request, "provider_resources", "resources", uuid)
        self.visibility.require_provider(caller_of(request), resource["provider_uuid"])
        return resource

    def _changed(self, resource: JSONObject, **fields: Any) -> None:
        resource.update(fields, modified=self.now())
        self.data.touch("resources")

    def set_backend_id(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        if "backend_id" not in body:
            return server_error()  # the field is optional and the view reads it: a KeyError
        backend_id = string_field(body, "backend_id", max_length=255, allow_blank=True)
        if resource["backend_id"] == backend_id:
            return json_reply(200, {"status": "Resource backend_id is not changed."})
        self._changed(resource, backend_id=backend_id)
        return json_reply(200, {"status": "Resource backend_id has been changed."})

    def submit_report(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        report = list_field(body, "report")
        if not report:
            raise validation_error({"report": ["This list may not be empty."]})
        sections = string_entries(report, "report", ("header", "body"))
        self._changed(resource, report=sections)
        return json_reply(200, {"status": "Report is submitted"})

    def set_as_ok(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        if resource["state"] == "Terminated":
            return server_error()  # django-fsm's TransitionNotAllowed, not handled by the view
        if resource["state"] != "OK":
            self._changed(resource, state="OK", error_message="", error_traceback="")
        return Reply(200, content_type=None)

    def set_as_erred(self, request: Request, uuid: str) -> Reply:
        if self.profile.staff_only_set_as_erred:
            if not caller_of(request).is_staff:
                raise denied()  # a view-level check: before the object is looked up
            resource = self.seen(request, "provider_resources", "resources", uuid)
        else:
            resource = self._resource(request, uuid)
        body = require_object(request.json())
        fields: dict[str, Any] = {"state": "Erred"}
        for name in ("error_message", "error_traceback"):
            if self.profile.drops("provider_resources.set_as_erred", name):
                continue
            value = body.get(name)
            if value is not None and not isinstance(value, str):
                raise validation_error({name: ["Not a valid string."]})
            if value:
                fields[name] = value
        self._changed(resource, **fields)
        return Reply(200, content_type=None)

    def set_limits(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        if "limits" not in body:
            raise validation_error({"limits": ["This field is required."]})
        limits = body["limits"]
        if not isinstance(limits, dict):
            kind = type(limits).__name__
            raise validation_error(
                {"limits": [f'Expected a dictionary of items but got type "{kind}".']}
            )
        errors = {
            str(name): ["A valid integer is required."]
            for name, value in limits.items()
            if isinstance(value, bool) or not isinstance(value, int)
        }
        if errors:
            raise validation_error({"limits": errors})
        self._changed(resource, limits=dict(limits))
        return json_reply(200, {"status": "The resource limits are updated"})

    def set_backend_metadata(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        if "backend_metadata" not in body:
            raise validation_error({"backend_metadata": ["This field is required."]})
        if body["backend_metadata"] is None:
            raise validation_error({"backend_metadata": ["This field may not be null."]})
        self._changed(resource, backend_metadata=body["backend_metadata"])
        return json_reply(200, {"status": "The backend metadata is updated"})

    def refresh_last_sync(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        resource["last_sync"] = self.now()
        self.data.touch("resources")
        return Reply(200, content_type=None)

    def set_end_date_by_provider(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        end_date = body.get("end_date")
        if end_date is not None:
            parsed = _parse_date(end_date)
            if parsed is None:
                raise validation_error({"end_date": [_DATE_ERROR]})
            if parsed < self.clock().date() + timedelta(days=7):
                raise validation_error({"end_date": ["Please set at least 7 days in advance."]})
            end_date = parsed.isoformat()
        self._changed(resource, end_date=end_date)
        return Reply(200, content_type=None)

    def set_end_date(self, request: Request, uuid: str) -> Reply:
        self.set_end_date_by_provider(request, uuid)
        return json_reply(200, {"status": "Resource end date has been set."})

    def set_endpoints(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        entries = string_entries(list_field(body, "endpoints"), "endpoints", ("name", "url"))
        endpoints = [{"uuid": self.data.new_uuid(), **entry} for entry in entries]
        self._changed(resource, endpoints=endpoints)
        return json_reply(200, {"status": "Resource endpoints have been set."})

    def set_effective_id(self, request: Request, uuid: str) -> Reply:
        resource = self._resource(request, uuid)
        body = require_object(request.json())
        effective_id = string_field(body, "effective_id", allow_blank=True)
        self._changed(resource, effective_id=effective_id)
        return json_reply(200, {"status": "Resource effective_id has been set."})


def string_entries(entries: list[Any], name: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """A list of objects of required string ``fields``; DRF's per-item errors under ``name``."""
    errors: list[dict[str, list[str]]] = []
    checked = []
    for entry in entries:
        entry_errors: dict[str, list[str]] = {}
        if not isinstance(entry, dict):
            kind = type(entry).__name__
            errors.append(
                {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
            )
            continue
        values = {}
        for field in fields:
            try:
                values[field] = string_field(entry, field)
            except HttpError as exc:
                entry_errors.update(exc.payload)
        errors.append(entry_errors)
        checked.append(values)
    if any(errors):
        raise validation_error({name: errors})
    return checked


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
