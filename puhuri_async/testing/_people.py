"""The consumers' side of the fake's data: users, their SSH keys, projects and permissions."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from puhuri_async.testing._store import JSONObject, Store

__all__ = ["PeopleFactories"]

_FIRST_NAMES = (
    "Aino",
    "Eero",
    "Åsa",
    "Jonas",
    "Kristiina",
    "Lars",
    "Maria",
    "Mikael",
    "Nora",
    "Olav",
    "Päivi",
    "Ragnar",
    "Sigrid",
    "Tapio",
    "Ulla",
    "Viktor",
    "Zoë",
    "Jüri",
    "Liis",
    "Anders",
)
_LAST_NAMES = (
    "Virtanen",
    "Jääskeläinen",
    "Hansen",
    "Nielsen",
    "Johansson",
    "Tamm",
    "Korhonen",
    "Berg",
    "Lindqvist",
    "Sørensen",
    "Mäkinen",
    "Ilves",
    "Andersen",
    "Eriksson",
    "Saar",
    "Larsen",
)
_ORGANIZATIONS = (
    "University of Helsinki",
    "University of Oslo",
    "Aarhus University",
    "Tartu Ülikool",
    "KTH Royal Institute of Technology",
    "CSC - IT Center for Science",
)
_ROLES = ("PROJECT.ADMIN", "PROJECT.MANAGER", "PROJECT.MEMBER", "PROJECT.MEMBER")
#: Resource states in generation order (a project's first resource is never terminated).


class PeopleFactories(Store):
    """Factories of users, SSH keys, projects and project permissions."""

    def add_user(self, **overrides: Any) -> JSONObject:
        """A user (the ``User`` shape); ``overrides`` replace generated fields."""
        number = self._next()
        first = self._rng.choice(_FIRST_NAMES)
        last = self._rng.choice(_LAST_NAMES)
        uuid = self._uuid()
        handle = hashlib.sha1(uuid.encode(), usedforsecurity=False).hexdigest()
        user: JSONObject = {
            "url": self.url(f"users/{uuid}/"),
            "uuid": uuid,
            "username": f"{handle}@acc.researcher-access.org",
            "slug": f"user-{number}",
            "full_name": f"{first} {last}",
            "native_name": "",
            "job_title": self._rng.choice(("Researcher", "Doctoral student", "Professor", "")),
            "email": f"user{number}@example.org",
            "phone_number": "",
            "organization": self._rng.choice(_ORGANIZATIONS),
            "civil_number": None,
            "description": "",
            "is_staff": False,
            "is_active": True,
            "is_support": False,
            "registration_method": "eduteams",
            "date_joined": self._created(),
            "agreement_date": None,
            "notifications_enabled": True,
            "preferred_language": "",
            "permissions": [],
            "requested_email": None,
            "affiliations": [],
            "first_name": first,
            "last_name": last,
            "birth_date": None,
            "identity_provider_name": "MyAccessID",
            "identity_provider_label": "MyAccessID",
            "identity_source": "eduteams",
            "image": None,
            "gender": None,
            "personal_title": "",
            "place_of_birth": "",
            "country_of_residence": "",
            "nationality": "",
            "nationalities": [],
            "organization_country": "",
            "organization_type": "",
            "organization_registry_code": "",
            "eduperson_assurance": [],
            "is_identity_manager": False,
            "active_isds": [],
        }
        user.update(overrides)
        self.users.append(user)
        return self._register("users", user)

    def add_ssh_key(self, *, user: JSONObject, **overrides: Any) -> JSONObject:
        """An SSH key of ``user`` with real fingerprints of its (random) key bytes."""
        uuid = self._uuid()
        kind = self._rng.choice(("ssh-ed25519", "ssh-ed25519", "ssh-rsa"))
        blob = kind.encode() + self._rng.randbytes(32 if kind == "ssh-ed25519" else 64)
        md5 = hashlib.md5(blob, usedforsecurity=False).hexdigest()
        key: JSONObject = {
            "url": self.url(f"keys/{uuid}/"),
            "uuid": uuid,
            "name": f"{user['first_name'].lower()}-laptop",
            "public_key": f"{kind} {base64.b64encode(blob).decode()} {user['email']}",
            "fingerprint_md5": ":".join(md5[i : i + 2] for i in range(0, 32, 2)),
            "fingerprint_sha256": "SHA256:"
            + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("="),
            "fingerprint_sha512": "SHA512:"
            + base64.b64encode(hashlib.sha512(blob).digest()).decode().rstrip("="),
            "user_uuid": user["uuid"],
            "is_shared": False,
            "type": kind,
        }
        key.update(overrides)
        self.ssh_keys.append(key)
        return self._register("ssh_keys", key)

    def add_project(self, **overrides: Any) -> JSONObject:
        """A consumer project (the ``Project`` shape)."""
        number = self._next()
        uuid = self._uuid()
        customers = self.consumer_customers or [self.customer]
        customer = customers[len(self.projects) % len(customers)]
        code = self._rng.choice(("1.1", "1.2", "1.3", "1.4", "1.5"))
        project: JSONObject = {
            "url": self.url(f"projects/{uuid}/"),
            "uuid": uuid,
            "name": f"Project {number}",
            "slug": f"project-{number}",
            "customer": customer["url"],
            "customer_uuid": customer["uuid"],
            "customer_name": customer["name"],
            "customer_slug": customer["slug"],
            "customer_native_name": customer["native_name"],
            "customer_abbreviation": customer["abbreviation"],
            "description": "",
            "customer_display_billing_info_in_projects": False,
            "created": self._created(),
            "type": None,
            "type_name": None,
            "type_uuid": None,
            "backend_id": "",
            "start_date": None,
            "end_date": "2027-12-31",
            "oecd_fos_2007_code": code,
            "oecd_fos_2007_label": "Natural sciences",
            "is_industry": False,
            "image": None,
            "kind": "default",
            "is_removed": False,
            "staff_notes": "",
            "grace_period_days": None,
            "billing_price_estimate": {
                "total": "0.00",
                "current": "0.00",
                "tax": "0.00",
                "tax_current": "0.00",
            },
        }
        project.update(overrides)
        self.projects.append(project)
        return self._register("projects", project)

    def add_permission(
        self, *, user: JSONObject, project: JSONObject, role: str | None = None
    ) -> JSONObject:
        """A project permission (the ``ProjectPermissionLog`` shape) of ``user`` in ``project``."""
        role = role or self._rng.choice(_ROLES)
        permission: JSONObject = {
            "created": self._created(),
            "expiration_time": None,
            "created_by": None,
            "created_by_full_name": None,
            "created_by_username": None,
            "project": project["url"],
            "project_uuid": project["uuid"],
            "project_name": project["name"],
            "project_created": project["created"],
            "project_end_date": f"{project['end_date']}T00:00:00Z",
            "customer_uuid": project["customer_uuid"],
            "customer_name": project["customer_name"],
            "role": role,
            "role_name": role,
            "user": user["url"],
            "user_full_name": user["full_name"],
            "user_native_name": user["native_name"],
            "user_username": user["username"],
            "user_uuid": user["uuid"],
            "user_email": user["email"],
        }
        self.permissions.append(permission)
        self.touch("permissions")
        return permission
