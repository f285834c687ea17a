"""Allocations in the fake's data: resources with their plan periods, orders, offering users.

Field meanings follow Waldur, not their names: a resource's and an order's ``resource_uuid`` is
the backend (plugin) resource, None for the Basic and site-agent offerings a Puhuri provider runs;
the marketplace resource is ``marketplace_resource_uuid`` on orders. ``provider_uuid`` is the
provider's organisation (customer), not the service provider object.
"""

from __future__ import annotations

from typing import Any

from puhuri_async.testing._store import JSONObject, Store

__all__ = ["AllocationFactories"]


class AllocationFactories(Store):
    """Factories of resources, orders and offering users."""

    def add_resource(
        self, *, project: JSONObject, offering: JSONObject, state: str = "OK", **overrides: Any
    ) -> JSONObject:
        """A resource (allocation) of ``offering`` in ``project``, with one open plan period."""
        number = self._next()
        uuid = self._uuid()
        plan = offering["plans"][0]
        created = self._created()
        limits = {c["type"]: c["default_limit"] for c in offering["components"]}
        limit_types = [c["type"] for c in offering["components"] if c["billing_type"] == "limit"]
        resource: JSONObject = {
            "offering": offering["url"],
            "offering_name": offering["name"],
            "offering_uuid": offering["uuid"],
            "offering_description": offering["description"],
            "offering_type": offering["type"],
            "offering_shared": offering["shared"],
            "offering_billable": offering["billable"],
            "provider_name": offering["customer_name"],
            "provider_uuid": offering["customer_uuid"],
            "provider_slug": self.customer["slug"],
            "category_title": offering["category_title"],
            "category_uuid": offering["category_uuid"],
            "plan": plan["url"],
            "plan_unit": plan["unit"],
            "plan_name": plan["name"],
            "plan_uuid": plan["uuid"],
            "plan_description": plan["description"],
            "attributes": {"name": f"allocation-{number}"},
            "limits": limits,
            "uuid": uuid,
            "created": created,
            "modified": created,
            "url": self.url(f"marketplace-resources/{uuid}/"),
            "scope": "",
            "description": "",
            "state": state,
            "resource_uuid": None,
            "backend_id": "",
            "effective_id": "",
            "resource_type": offering["type"],
            "project": project["url"],
            "project_uuid": project["uuid"],
            "project_name": project["name"],
            "project_description": project["description"],
            "project_end_date": project["end_date"],
            "customer_uuid": project["customer_uuid"],
            "customer_name": project["customer_name"],
            "offering_slug": offering["slug"],
            "offering_backend_id": "",
            "backend_metadata": {},
            "is_usage_based": True,
            "is_limit_based": bool(limit_types),
            "name": f"allocation-{number}",
            "slug": f"allocation-{number}",
            "current_usages": {},
            "can_terminate": state in ("OK", "Erred"),
            "report": [],
            "end_date": None,
            "username": None,
            "limit_usage": {},
            "downscaled": False,
            "restrict_member_access": False,
            "paused": False,
            "endpoints": [],
            "error_message": "",
            "error_traceback": "",
            "options": None,
            "available_actions": [],
            "last_sync": created,
            "order_in_progress": None,
            "creation_order": None,
            "project_slug": project["slug"],
            "customer_slug": project["customer_slug"],
            "user_requires_reconsent": False,
            "renewal_date": None,
            "offering_state": offering["state"],
            "offering_components": offering["components"],
        }
        resource.update(overrides)
        self.resources.append(resource)
        self.plan_periods[uuid] = [
            {
                "uuid": self._uuid(),
                "plan_name": plan["name"],
                "plan_uuid": plan["uuid"],
                "start": created,
                "end": None,
                "components": [],
            }
        ]
        self.touch("plan_periods")
        return self._register("resources", resource)

    def add_order(
        self,
        *,
        resource: JSONObject,
        state: str = "pending-provider",
        order_type: str = "Create",
        **overrides: Any,
    ) -> JSONObject:
        """An order (the ``OrderDetails`` shape) for ``resource``."""
        uuid = self._uuid()
        offering = self.get("offerings", resource["offering_uuid"]) or {}
        project = self.get("projects", resource["project_uuid"]) or {}
        creator = self.users[len(self.orders) % len(self.users)] if self.users else None
        created = self._created()
        finished = state in ("done", "erred", "canceled", "rejected")
        order: JSONObject = {
            "offering": resource["offering"],
            "offering_name": resource["offering_name"],
            "offering_uuid": resource["offering_uuid"],
            "offering_description": resource["offering_description"],
            "offering_type": resource["offering_type"],
            "offering_shared": resource["offering_shared"],
            "offering_billable": resource["offering_billable"],
            "provider_name": resource["provider_name"],
            "provider_uuid": resource["provider_uuid"],
            "provider_slug": resource["provider_slug"],
            "category_title": resource["category_title"],
            "category_uuid": resource["category_uuid"],
            "plan": resource["plan"],
            "plan_unit": resource["plan_unit"],
            "plan_name": resource["plan_name"],
            "plan_uuid": resource["plan_uuid"],
            "plan_description": resource["plan_description"],
            "attributes": {"name": resource["name"]},
            "limits": dict(resource["limits"]),
            "uuid": uuid,
            "created": created,
            "modified": created,
            "resource_uuid": None,
            "resource_type": resource["resource_type"],
            "resource_name": resource["name"],
            "cost": "0.00",
            "state": state,
            "output": "",
            "marketplace_resource_uuid": resource["uuid"],
            "error_message": "Backend failure." if state == "erred" else "",
            "error_traceback": "",
            "callback_url": None,
            "completed_at": created if finished else None,
            "request_comment": None,
            "attachment": None,
            "type": order_type,
            "start_date": None,
            "slug": f"order-{uuid[:8]}",
            "url": self.url(f"marketplace-orders/{uuid}/"),
            "consumer_reviewed_by": None,
            "consumer_reviewed_by_full_name": None,
            "consumer_reviewed_by_username": None,
            "consumer_reviewed_at": None,
            "provider_reviewed_by": None,
            "provider_reviewed_by_full_name": None,
            "provider_reviewed_by_username": None,
            "provider_reviewed_at": None,
            "created_by_username": creator["username"] if creator else "",
            "created_by_full_name": creator["full_name"] if creator else "",
            "created_by_civil_number": None,
            "created_by_email": creator["email"] if creator else None,
            "created_by_organization": None,
            "created_by_organization_registry_code": None,
            "customer_name": resource["customer_name"],
            "customer_uuid": resource["customer_uuid"],
            "customer_slug": resource["customer_slug"],
            "project_name": resource["project_name"],
            "project_uuid": resource["project_uuid"],
            "project_description": project.get("description", ""),
            "project_slug": resource["project_slug"],
            "old_plan_name": None,
            "new_plan_name": None,
            "old_plan_uuid": None,
            "new_plan_uuid": None,
            "old_cost_estimate": 0.0,
            "new_cost_estimate": None,
            "can_terminate": False,
            "fixed_price": 0.0,
            "activation_price": 0.0,
            "termination_comment": None,
            "backend_id": "",
            "order_subtype": None,
            "provider_message": "",
            "provider_message_attachment": None,
            "consumer_message": "",
            "consumer_message_attachment": None,
            "consumer_rejection_comment": "",
            "provider_rejection_comment": "",
            "issue": None,
        }
        order.update(overrides)
        self.orders.append(order)
        if offering:
            offering["order_count"] = offering.get("order_count", 0) + 1
        return self._register("orders", order)

    def add_offering_user(
        self,
        *,
        offering: JSONObject | None,
        user: JSONObject | None,
        username: str | None,
        created: str | None = None,
    ) -> JSONObject:
        """An offering user: ``user``'s account (``username``) on ``offering``."""
        if offering is None or user is None:
            raise ValueError("add_offering_user needs an existing offering and user")
        uuid = self._uuid()
        created = created or self._created()
        offering_user: JSONObject = {
            "url": self.url(f"marketplace-offering-users/{uuid}/"),
            "uuid": uuid,
            "user": user["url"],
            "offering": offering["url"],
            "username": username,
            "offering_uuid": offering["uuid"],
            "offering_name": offering["name"],
            "user_uuid": user["uuid"],
            "user_username": user["username"],
            "user_full_name": user["full_name"],
            "user_first_name": user["first_name"],
            "user_last_name": user["last_name"],
            "user_email": user["email"],
            "user_phone_number": user["phone_number"],
            "user_organization": user["organization"],
            "user_job_title": user["job_title"],
            "user_affiliations": user["affiliations"],
            "user_gender": user["gender"],
            "user_personal_title": user["personal_title"],
            "user_place_of_birth": user["place_of_birth"],
            "user_country_of_residence": user["country_of_residence"],
            "user_nationality": user["nationality"],
            "user_nationalities": user["nationalities"],
            "user_organization_country": user["organization_country"],
            "user_organization_type": user["organization_type"],
            "user_organization_registry_code": user["organization_registry_code"],
            "user_eduperson_assurance": user["eduperson_assurance"],
            "user_civil_number": user["civil_number"],
            "user_birth_date": user["birth_date"],
            "user_identity_source": user["identity_source"],
            "user_active_isds": user["active_isds"],
            "created": created,
            "modified": created,
            "customer_uuid": offering["customer_uuid"],
            "customer_name": offering["customer_name"],
            "is_restricted": False,
            "state": "OK" if username else "Requested",
            "service_provider_comment": "",
            "has_consent": True,
            "requires_reconsent": False,
            "has_compliance_checklist": False,
            "consent_data": None,
            "is_profile_complete": True,
            "missing_profile_attributes": [],
        }
        self.offering_users.append(offering_user)
        return self._register("offering_users", offering_user)
