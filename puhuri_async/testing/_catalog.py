"""The provider's side of the fake's data: organisations, service providers and offerings."""

from __future__ import annotations

from collections.abc import Iterable

from puhuri_async.testing._store import JSONObject, Store

__all__ = ["BASIC_OFFERING", "SITE_AGENT_OFFERING", "CatalogFactories"]

#: Waldur's plugin names of the two offering types the fake knows.
BASIC_OFFERING = "Marketplace.Basic"
SITE_AGENT_OFFERING = "Marketplace.Slurm"

_COMPONENTS = (
    ("cpu", "CPU", "core-hours", 100_000),
    ("gpu", "GPU", "GPU-hours", 5_000),
    ("storage", "Storage", "GB", 10_000),
    ("ram", "RAM", "GB-hours", 400_000),
)


class CatalogFactories(Store):
    """Factories of customers, service providers and offerings."""

    def _new_customer(self, name: str, abbreviation: str) -> JSONObject:
        uuid = self._uuid()
        return {
            "url": self.url(f"customers/{uuid}/"),
            "uuid": uuid,
            "name": name,
            "native_name": "",
            "abbreviation": abbreviation,
            "slug": abbreviation.lower(),
        }

    def _new_service_provider(self, customer: JSONObject) -> JSONObject:
        uuid = self._uuid()
        return {
            "url": self.url(f"marketplace-service-providers/{uuid}/"),
            "uuid": uuid,
            "created": self._created(),
            "description": "Fake service provider of puhuri-async's test server.",
            "enable_notifications": False,
            "customer": customer["url"],
            "customer_name": customer["name"],
            "customer_uuid": customer["uuid"],
            "customer_abbreviation": customer["abbreviation"],
            "customer_slug": customer["slug"],
            "customer_native_name": customer["native_name"],
            "customer_country": "FI",
            "image": None,
            "organization_groups": [],
            "offering_count": 0,
        }

    def add_offering(
        self,
        *,
        name: str | None = None,
        offering_type: str = BASIC_OFFERING,
        component_types: Iterable[str] | None = None,
        limit_components: Iterable[str] = (),
    ) -> JSONObject:
        """A provider offering with components (cpu, gpu, storage, ...) and one plan.

        ``offering_type`` is Waldur's plugin name: ``Marketplace.Basic`` (the default) or
        ``Marketplace.Slurm``, the offering a site agent serves (only its orders take
        ``set_state_executing`` and ``set_state_erred``). The components named in
        ``limit_components`` are billed by limit (``billing_type`` ``limit``), the others by usage;
        ``component_types`` picks the components (cpu, gpu, storage, ram) instead of the default.
        """
        number = len(self.offerings) + 1
        uuid = self._uuid()
        plan_uuid = self._uuid()
        category_uuid = self._uuid()
        picked = _COMPONENTS[: 2 + (number % 3)] if number > 1 else _COMPONENTS[:3]
        if component_types is not None:
            wanted = list(component_types)
            picked = tuple(c for c in _COMPONENTS if c[0] in wanted)
        limited = set(limit_components)
        components = [
            {
                "uuid": self._uuid(),
                "billing_type": "limit" if ctype in limited else "usage",
                "type": ctype,
                "name": cname,
                "description": f"{cname} usage",
                "measured_unit": unit,
                "unit_factor": 1,
                "limit_period": None,
                "limit_amount": None,
                "article_code": "",
                "max_value": None,
                "min_value": None,
                "max_available_limit": None,
                "is_boolean": False,
                "default_limit": default,
                "factor": None,
                "is_builtin": False,
                "is_prepaid": False,
                "overage_component": None,
                "min_prepaid_duration": None,
                "max_prepaid_duration": None,
            }
            for ctype, cname, unit, default in picked
        ]
        name = name or f"Supercomputer allocation {number}"
        customer = self.customer
        offering: JSONObject = {
            "url": self.url(f"marketplace-provider-offerings/{uuid}/"),
            "uuid": uuid,
            "created": self._created(),
            "name": name,
            "slug": f"offering-{number}",
            "description": f"{name}: compute and storage for research projects.",
            "full_description": "",
            "endpoints": [],
            "roles": [],
            "customer": customer["url"],
            "customer_uuid": customer["uuid"],
            "customer_name": customer["name"],
            "category": self.url(f"marketplace-categories/{category_uuid}/"),
            "category_uuid": category_uuid,
            "category_title": "HPC",
            "attributes": {},
            "components": components,
            "plugin_options": {"service_provider_can_create_offering_user": True},
            "state": "Active",
            "vendor_details": "",
            "getting_started": "",
            "integration_guide": "",
            "thumbnail": None,
            "order_count": 0,
            "plans": [
                {
                    "url": self.url(f"marketplace-public-plans/{plan_uuid}/"),
                    "uuid": plan_uuid,
                    "name": f"{name} plan",
                    "description": "",
                    "article_code": "",
                    "max_amount": None,
                    "archived": False,
                    "is_active": True,
                    "unit_price": "0.0000000000",
                    "unit": "month",
                    "init_price": 0.0,
                    "switch_price": 0.0,
                    "backend_id": "",
                    "organization_groups": [],
                    "components": [],
                    "prices": {},
                    "future_prices": {},
                }
            ],
            "screenshots": [],
            "type": offering_type,
            "shared": True,
            "billable": True,
            "files": [],
            "quotas": [],
            "paused_reason": "",
            "datacite_doi": "",
            "citation_count": 0,
            "latitude": None,
            "longitude": None,
            "backend_id": "",
            "organization_groups": [],
            "tags": [],
            "image": None,
            "has_compliance_requirements": False,
            "billing_type_classification": "usage",
        }
        self.offerings.append(offering)
        self.service_provider["offering_count"] = len(self.offerings)
        return self._register("offerings", offering)
