"""Structuring the seed's examples, and what a model offers: both faces, absent vs null, errors."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from puhuri_async._errors import DecodeError, PuhuriError
from puhuri_async.models import (
    Offering,
    OfferingComponent,
    OfferingUser,
    Order,
    OrderState,
    OrderType,
    PlanPeriod,
    PlanPeriodUsage,
    Project,
    PuhuriModel,
    Resource,
    ResourceState,
    ServiceProvider,
    SshKey,
    TeamMember,
    User,
    structure,
    structure_many,
)

# The examples of tests/fixtures/seed/sp-allocation-lifecycle.md, as the server sent them.
SEED_USER: dict[str, Any] = {
    "affiliations": [],
    "agreement_date": None,
    "civil_number": None,
    "competence": "",
    "customer_permissions": [],
    "date_joined": "2021-06-23T07:59:59.511681Z",
    "description": "",
    "email": "arto.tuomi@csc.fi",
    "first_name": "PUHURI",
    "full_name": "PUHURI Test User 100",
    "is_active": True,
    "is_staff": False,
    "is_support": False,
    "job_title": "",
    "last_name": "Test User 100",
    "native_name": "",
    "organization": "",
    "phone_number": "",
    "preferred_language": "",
    "project_permissions": [
        {
            "customer_name": "IT CENTER FOR SCIENCE LTD",
            "pk": 9,
            "project_name": "Project from CSC",
            "project_uuid": "c3be1c35f36448068cb57e278b788318",
            "role": "manager",
            "url": "https://puhuri-core-beta.neic.no/api/project-permissions/9/",
        }
    ],
    "registration_method": "eduteams",
    "requested_email": None,
    "url": "https://puhuri-core-beta.neic.no/api/users/f8347a45f2f4409ea6be2034edc5e91b/",
    "username": "01cfb7d6b76d400d12b8c8e0e33e36c5ef4562c1@acc.researcher-access.org",
    "uuid": "f8347a45f2f4409ea6be2034edc5e91b",
}
SEED_KEY = {
    "fingerprint": "...",
    "is_shared": False,
    "name": "new key",
    "public_key": "ssh-ed25519 AAAA... user@host",
    "type": "ssh-ed25519",
    "url": "https://puhuri.example/api/keys/8ae5c9bdbafd44c78250bc98c9783fad/",
    "user_uuid": "31165878c7a04a4197f282924c1a2418",
    "uuid": "8ae5c9bdbafd44c78250bc98c9783fad",
}
SEED_RESOURCE_FIELDS = {  # list_marketplace_resources(fields=[...]): only the selected fields
    "limits": {"cpu_k_hours": 1000, "gb_k_hours": 3000, "gpu_k_hours": 1000},
    "name": "Sample resource",
    "offering": "https://puhuri-core-beta.neic.no/api/marketplace-provider-offerings/cf4eb9c29fc74af4ade667fcb53633d5/",
    "plan": "https://puhuri-core-beta.neic.no/api/marketplace-public-plans/1537de6e94f9427cafb74cb63fa21c72/",
    "project": "https://puhuri-core-beta.neic.no/api/projects/8a158ebf1abf4c74a431b9c65a0d7829/",
    "state": "Creating",
    "url": "https://puhuri-core-beta.neic.no/api/marketplace-resources/a1916bd53fd04b1ab1a4e700c926607b/",
}
SEED_TEAM = [
    {
        "email": "CSC_api_user@example.com",
        "expiration_time": None,
        "full_name": "Integration user (CSC)",
        "permission": "https://puhuri-core-beta.neic.no/api/project-permissions/10/",
        "role": "admin",
        "url": "https://puhuri-core-beta.neic.no/api/users/bb235c67dcb44470a45d4e0f94e0ed00/",
        "username": "CSC_api_user",
        "uuid": "bb235c67dcb44470a45d4e0f94e0ed00",
    },
    {
        "email": "ETAIS_api_user@example.com",
        "expiration_time": None,
        "full_name": "Integration user (ETAIS)",
        "permission": "https://puhuri-core-beta.neic.no/api/project-permissions/3/",
        "role": "member",
        "url": "https://puhuri-core-beta.neic.no/api/users/0cc72de4ebb840d98fef133e4433ec9a/",
        "username": "ETAIS_api_user",
        "uuid": "0cc72de4ebb840d98fef133e4433ec9a",
    },
]
SEED_PLAN_PERIODS = [
    {
        "components": [
            {
                "created": "2021-08-11T15:36:45.562440Z",
                "date": "2021-08-11T15:37:30.556830Z",
                "description": "Usage",
                "measured_unit": "units",
                "name": "CPU",
                "type": "cpu",
                "usage": 10,
                "uuid": "080066bebf9547d5ad3279f7c353b023",
            },
            {
                "created": "2021-08-11T15:36:45.842385Z",
                "date": "2021-08-11T15:37:30.556830Z",
                "description": "Usage",
                "measured_unit": "units",
                "name": "GPU",
                "type": "gpu",
                "usage": "10.50",
                "uuid": "e8d745049bff4410b60f517e56daf421",
            },
        ],
        "end": None,
        "plan_name": "sample-plan",
        "plan_uuid": "9f7b1d113f464214bb195db38c217cf9",
        "start": "2021-08-11T15:20:25.762775Z",
        "uuid": "fb36ce56e53b43e59b3d963354d0467c",
    }
]
SEED_OFFERING_USER = {
    "created": "2021-08-12T15:22:18.993586Z",
    "offering": "http://localhost:8000/api/marketplace-provider-offerings/d47ca5bce71144579df29da3c290027e/",
    "offering_name": "Remote offering (really)",
    "offering_uuid": "d47ca5bce71144579df29da3c290027e",
    "user": "http://localhost:8000/api/users/db157a5cf7f247eba161cd90eba9ac63/",
    "user_uuid": "db157a5cf7f247eba161cd90eba9ac63",
    "username": "abc",
}
SEED_SERVICE_PROVIDER = {
    "created": "2021-09-24T13:42:05.448269Z",
    "customer": "https://puhuri-core-beta.neic.no/api/customers/ad3fec96141a41e2958a9836a5bc1dae/",
    "customer_abbreviation": "LUMI",
    "customer_country": "FI",
    "customer_image": None,
    "customer_name": "Large Unified Modern Infrastructure",
    "customer_native_name": "",
    "customer_uuid": "ad3fec96141a41e2958a9836a5bc1dae",
    "description": "",
    "division": None,
    "enable_notifications": False,
    "image": None,
    "url": "https://puhuri-core-beta.neic.no/api/marketplace-service-providers/08904a1c2e704f208e5146bef93e3220/",
    "uuid": "08904a1c2e704f208e5146bef93e3220",
}
OFFERING = {
    "uuid": "cf4eb9c29fc74af4ade667fcb53633d5",
    "name": "LUMI CPU",
    "state": "Active",
    "components": [
        {"type": "cpu_k_hours", "name": "CPU", "billing_type": "usage", "limit_period": None},
        {"type": "gpu_k_hours", "name": "GPU", "billing_type": "limit", "limit_period": ""},
    ],
}
ORDER = {
    "uuid": "5d2f0b6c6d8a4b5e9a4c1f2e3d4c5b6a",
    "type": "Terminate",
    "state": "executing",
    "cost": "12.3400",
    "created": "2024-02-29T23:59:59+02:00",
    "start_date": "2024-03-01",
    "resource_uuid": "a1916bd53fd04b1ab1a4e700c926607b",
}


def test_seed_user_both_faces() -> None:
    user = structure(SEED_USER, User)
    assert user.uuid == "f8347a45f2f4409ea6be2034edc5e91b"
    assert user["uuid"] == user.uuid
    assert user.date_joined == datetime(2021, 6, 23, 7, 59, 59, 511681, tzinfo=UTC)
    assert user["date_joined"] == "2021-06-23T07:59:59.511681Z"  # mapping access: as sent
    assert user.is_active is True
    assert user.agreement_date is None
    assert user.to_dict() == SEED_USER


def test_fields_the_server_adds_are_kept() -> None:
    user = structure(SEED_USER, User)
    # Not in the 8.0.5 schema, sent by the server of the seed document.
    assert user["project_permissions"][0]["role"] == "manager"
    assert "customer_permissions" in user
    assert not hasattr(user, "customer_permissions")
    assert user.to_dict()["competence"] == ""


def test_seed_examples_round_trip() -> None:
    cases: list[tuple[Any, type[PuhuriModel]]] = [
        (SEED_KEY, SshKey),
        (SEED_RESOURCE_FIELDS, Resource),
        (SEED_OFFERING_USER, OfferingUser),
        (SEED_SERVICE_PROVIDER, ServiceProvider),
        (OFFERING, Offering),
        (ORDER, Order),
    ]
    for data, model in cases:
        assert structure(data, model).to_dict() == data
    assert [m.to_dict() for m in structure_many(SEED_TEAM, TeamMember)] == SEED_TEAM
    assert [m.to_dict() for m in structure_many(SEED_PLAN_PERIODS, PlanPeriod)] == SEED_PLAN_PERIODS


def test_seed_offering_components_by_key_and_by_attribute() -> None:
    offering = structure(OFFERING, Offering)
    # The seed's own line: component types read through mapping access.
    component_types = [component["type"] for component in offering["components"]]
    assert component_types == ["cpu_k_hours", "gpu_k_hours"]
    assert offering.components is not None
    assert all(isinstance(c, OfferingComponent) for c in offering.components)
    assert [c.type for c in offering.components] == component_types
    assert offering.components[0]["billing_type"] == "usage"
    assert offering.components[1].limit_period == ""  # the schema's BlankEnum, kept as ""


def test_seed_plan_period_usages() -> None:
    (period,) = structure_many(SEED_PLAN_PERIODS, PlanPeriod)
    assert period.end is None
    assert "end" in period
    assert period.components is not None
    cpu, gpu = period.components
    assert isinstance(cpu, PlanPeriodUsage)
    assert cpu.usage == Decimal(10)
    assert isinstance(cpu.usage, Decimal)
    assert gpu.usage == Decimal("10.50")
    assert cpu.date == datetime(2021, 8, 11, 15, 37, 30, 556830, tzinfo=UTC)


def test_seed_orders_index_access() -> None:
    orders = structure_many([ORDER], Order)
    assert orders[0]["uuid"] == ORDER["uuid"]  # the seed's `orders[0]['uuid']`


def test_selected_fields_are_not_invented() -> None:
    resource = structure(SEED_RESOURCE_FIELDS, Resource)
    assert resource.state is ResourceState.CREATING
    assert resource.limits == {"cpu_k_hours": 1000, "gb_k_hours": 3000, "gpu_k_hours": 1000}
    assert "uuid" not in resource
    assert resource.uuid is None
    with pytest.raises(KeyError):
        resource["uuid"]
    assert resource.get("uuid") is None
    assert resource.get("uuid", "absent") == "absent"
    assert set(resource.keys()) == set(SEED_RESOURCE_FIELDS)
    assert "uuid" not in resource.to_dict()


def test_null_is_present_and_reads_none() -> None:
    resource = structure({"end_date": None}, Resource)
    assert "end_date" in resource
    assert resource["end_date"] is None
    assert resource.end_date is None
    assert resource.get("end_date", "absent") is None


def test_typed_values() -> None:
    order = structure(ORDER, Order)
    assert order.type is OrderType.TERMINATE
    assert order.state is OrderState.EXECUTING
    assert order.state == "executing"  # a StrEnum compares equal to its string
    assert order.cost == Decimal("12.3400")
    assert order.created == datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone(timedelta(hours=2)))
    assert order.start_date == date(2024, 3, 1)


def test_unknown_enum_value_is_kept_as_string() -> None:
    order = structure({"state": "pending-audit", "type": "Migrate"}, Order)
    assert order.state == "pending-audit"
    assert type(order.state) is str
    assert order.type == "Migrate"


def test_timestamp_without_offset_is_utc() -> None:
    assert structure({"created": "2021-08-11T15:36:45"}, Order).created == datetime(
        2021, 8, 11, 15, 36, 45, tzinfo=UTC
    )


def test_json_numbers_become_exact_decimals() -> None:
    resource = structure({"current_usages": {"cpu": 0.1, "gpu": 3}}, Resource)
    assert resource.current_usages == {"cpu": Decimal("0.1"), "gpu": Decimal(3)}


def test_nested_order_in_a_resource() -> None:
    resource = structure({"uuid": "a" * 32, "order_in_progress": ORDER}, Resource)
    assert isinstance(resource.order_in_progress, Order)
    assert resource.order_in_progress.state is OrderState.EXECUTING
    assert resource.to_dict() == {"uuid": "a" * 32, "order_in_progress": ORDER}


def test_what_you_read_is_a_copy() -> None:
    data = copy.deepcopy(SEED_USER)
    user = structure(data, User)
    user["project_permissions"][0]["role"] = "changed"
    user.to_dict()["project_permissions"].clear()
    data["uuid"] = "changed-by-the-caller"
    assert user.to_dict() == SEED_USER
    assert user.uuid == SEED_USER["uuid"]


def test_models_are_frozen() -> None:
    user = structure(SEED_USER, User)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        user.username = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        user["username"] = "other"  # type: ignore[index]


def test_mapping_protocol() -> None:
    key = structure(SEED_KEY, SshKey)
    assert dict(key) == SEED_KEY
    assert list(key) == list(SEED_KEY)
    assert len(key) == len(SEED_KEY)
    assert dict(key.items()) == SEED_KEY
    assert list(key.values()) == list(SEED_KEY.values())


def test_equality_and_hash_by_content() -> None:
    a = structure(SEED_KEY, SshKey)
    b = structure(copy.deepcopy(SEED_KEY), SshKey)
    c = structure({**SEED_KEY, "name": "other"}, SshKey)
    assert a == b
    assert hash(a) == hash(b)
    assert a != c
    assert a != SEED_KEY  # a model is not a dict
    assert structure({"uuid": "x"}, User) != structure({"uuid": "x"}, ServiceProvider)
    assert len({a, b, c}) == 2


def test_repr_is_short_and_identifying() -> None:
    text = repr(structure(SEED_USER, User))
    assert text.startswith("User(uuid='f8347a45f2f4409ea6be2034edc5e91b', username='01cfb7")
    assert "arto.tuomi" not in text
    assert f"<{len(SEED_USER)} fields>" in text
    assert repr(structure({}, Order)) == "Order()"
    assert repr(structure({"uuid": "u", "type": "Create", "state": "done"}, Order)) == (
        "Order(uuid='u', type='Create', state='done')"
    )


def test_pickle_round_trip() -> None:
    period = structure(SEED_PLAN_PERIODS[0], PlanPeriod)
    again = pickle.loads(pickle.dumps(period))
    assert again == period
    assert again.components == period.components
    assert again.to_dict() == SEED_PLAN_PERIODS[0]


def test_from_dict() -> None:
    assert Project.from_dict({"uuid": "p", "end_date": "2025-12-31"}).end_date == date(2025, 12, 31)
    with pytest.raises(DecodeError):
        Project.from_dict({"end_date": "tomorrow"})


@pytest.mark.parametrize(
    ("data", "cls", "fragment"),
    [
        ([], User, "expected an object, got an array @ $"),
        ("user", User, "expected an object, got string 'user' @ $"),
        (None, User, "expected an object, got null @ $"),
        ({"uuid": 5}, User, "expected a string, got integer 5 @ $.uuid"),
        ({"is_active": "true"}, User, "expected a boolean, got string 'true' @ $.is_active"),
        (
            {"token_lifetime": True},
            User,
            "expected an integer, got boolean true @ $.token_lifetime",
        ),
        ({"token_lifetime": 1.0}, User, "expected an integer, got number 1.0 @ $.token_lifetime"),
        ({"date_joined": "yesterday"}, User, "ISO 8601 timestamp, got string 'yesterday'"),
        ({"birth_date": 19900101}, User, "@ $.birth_date"),
        ({"identity_provider_fields": "abc"}, User, "expected an array, got string 'abc'"),
        ({"cost": "12,50"}, Order, "expected a decimal number, got string '12,50' @ $.cost"),
        ({"cost": "NaN"}, Order, "finite decimal"),
        ({"state": 3}, Order, "expected a string (OrderState), got integer 3 @ $.state"),
        ({"limits": {"cpu": "many"}}, Resource, "@ $.limits['cpu']"),
        ({"limits": []}, Resource, "expected an object, got an array @ $.limits"),
        ({"offering_components": [{}, {"type": 1}]}, Resource, "$.offering_components[1].type"),
        ({"components": [{"usage": []}]}, PlanPeriod, "@ $.components[0].usage"),
        ({"order_in_progress": {"created": 1}}, Resource, "$.order_in_progress.created"),
        ({"latitude": "north"}, Offering, "expected a number, got string 'north' @ $.latitude"),
    ],
)
def test_malformed_input_raises_decode_error(data: Any, cls: type, fragment: str) -> None:
    with pytest.raises(DecodeError) as caught:
        structure(data, cls)
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"cannot decode {cls.__name__}: ")
    assert isinstance(caught.value, PuhuriError)


def test_every_bad_field_is_named() -> None:
    with pytest.raises(DecodeError) as caught:
        structure({"uuid": 1, "username": 2, "email": 3}, User)
    for field in ("uuid", "username", "email"):
        assert f"@ $.{field}" in str(caught.value)


def test_many_bad_fields_are_summarised() -> None:
    with pytest.raises(DecodeError, match=r"; and 3 more$"):
        structure(
            dict.fromkeys(
                ("uuid", "url", "slug", "email", "username", "description", "job_title", "token"),
                1,
            ),
            User,
        )


def test_structure_many() -> None:
    assert structure_many([], User) == []
    keys = structure_many([SEED_KEY, SEED_KEY], SshKey)
    assert keys == [structure(SEED_KEY, SshKey)] * 2
    with pytest.raises(DecodeError, match=r"cannot decode a list of User: expected an array"):
        structure_many({"results": []}, User)
    with pytest.raises(DecodeError, match=r"item 2 of a list of SshKey: .* @ \$\.uuid"):
        structure_many([SEED_KEY, SEED_KEY, {"name": None, "uuid": 7}, {"name": 1}], SshKey)
