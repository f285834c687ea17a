"""The compaction of collected list items (``_compact``): shared equal strings and one shared
empty list, with nothing a reader can see changed and the shared objects out of reach."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import orjson
import pytest

import puhuri_async._compact as compact
from puhuri_async._compact import LONG, Compactor
from puhuri_async._errors import DecodeError
from puhuri_async.models import PuhuriModel, User, json_default
from puhuri_async.models._base import EMPTY_LIST, copy_json
from puhuri_async.models._converter import page_structurer
from puhuri_async.models._fields import _TABLES

ORGANIZATIONS = ["CSC - IT Center for Science", "University of Tartu", "Aalto University"]


def text(value: str) -> str:
    """``value`` as a string object of its own (as the JSON decoder makes one per value)."""
    return "".join(list(value))


def user_row(n: int) -> dict[str, Any]:
    return {
        "url": f"https://puhuri.example/api/users/{n:032x}/",
        "uuid": f"{n:032x}",
        "username": f"user-{n}@example.org",
        "organization": text(ORGANIZATIONS[n % 3]),
        "registration_method": text("eduteams"),
        "job_title": text("Researcher") if n % 2 else "",
        "is_active": True,
        "civil_number": None,
        "permissions": [],
        "affiliations": [] if n % 4 else [text("member@example.org")],
        "nationalities": [],
        "custom_tag": text("not in the model"),
    }


def page(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[User]]:
    """``rows``, their reference copy, and the lazy users made over them, compacted."""
    users = page_structurer(User, "list_users")(rows)
    assert users is not None
    return rows, users


def compacted(
    *pages: list[dict[str, Any]], compactor: Compactor | None = None
) -> tuple[list[Any], list[User]]:
    """The reference JSON of ``pages`` and the users made over them, each page compacted (by
    ``compactor``, when the test looks into it afterwards)."""
    if compactor is None:
        compactor = Compactor(lambda: None, long=0)
    reference: list[Any] = []
    users: list[User] = []
    for rows in pages:
        reference.extend(copy.deepcopy(rows))
        made = page_structurer(User, "list_users")(rows)
        assert made is not None
        compactor(rows, made)
        users.extend(made)
    return reference, users


def test_every_value_reads_as_sent() -> None:
    reference, users = compacted(
        [user_row(n) for n in range(30)], [user_row(n) for n in range(30, 60)]
    )
    for user, sent in zip(users, reference, strict=True):
        assert user.to_dict() == sent
        assert list(user.keys()) == list(sent)  # keys and their order
        assert {key: user[key] for key in user} == sent
        assert user == User.from_dict(sent)
        assert json.loads(json.dumps(user, default=json_default)) == sent
        assert orjson.loads(orjson.dumps(user.to_dict())) == sent
        assert user.organization == sent["organization"]
        assert user["custom_tag"] == "not in the model"
        assert not hasattr(User, "custom_tag")


def test_repeated_strings_are_shared_and_unique_ones_are_not_cached() -> None:
    _, users = compacted([user_row(n) for n in range(30)], [user_row(n) for n in range(30, 60)])
    first = users[0]._data
    same = [user._data for user in users if user._data["organization"] == first["organization"]]
    assert all(data["organization"] is first["organization"] for data in same)
    assert users[5]._data["custom_tag"] is users[59]._data["custom_tag"]  # a key unknown to User
    compactor = Compactor(lambda: None, long=0)
    rows, made = page([user_row(n) for n in range(30)])
    compactor(rows, made)
    assert compactor._strings is not None
    assert {"uuid", "url", "username"}.isdisjoint(compactor._strings)
    assert {"organization", "registration_method", "custom_tag"} <= compactor._strings.keys()


def test_empty_lists_are_one_shared_list_never_handed_out() -> None:
    _, users = compacted([user_row(n) for n in range(30)])
    user = users[1]
    assert user._data["permissions"] is EMPTY_LIST
    assert user._data["nationalities"] is users[2]._data["nationalities"]
    assert users[0]._data["affiliations"] == ["member@example.org"]  # not empty: its own
    for value in (
        user["nationalities"],
        user.get("nationalities"),
        user.to_dict()["nationalities"],
    ):
        assert value == []
        assert type(value) is list
    assert all(type(value) is not type(EMPTY_LIST) for value in user.values())
    assert all(type(value) is not type(EMPTY_LIST) for _, value in user.items())
    free_form = user.nationalities  # free-form JSON: the model's own list, not the shared one
    assert free_form == []
    assert free_form is not EMPTY_LIST
    free_form.append("FI")
    assert users[2].nationalities == []
    assert users[2]["nationalities"] == []
    assert user.permissions == ()  # a typed field: converted to a tuple
    copied = user.to_dict()
    copied["permissions"].append({"role": "owner"})
    assert users[2]["permissions"] == []


def test_the_shared_empty_list_refuses_every_change() -> None:
    shared = EMPTY_LIST
    changes = [
        lambda: shared.append(1),
        lambda: shared.extend([1]),
        lambda: shared.insert(0, 1),
        lambda: shared.remove(1),
        lambda: shared.pop(),
        lambda: shared.clear(),
        lambda: shared.sort(),
        lambda: shared.reverse(),
        lambda: shared.__setitem__(slice(0, 0), [1]),
        lambda: shared.__delitem__(slice(None)),
        lambda: shared.__iadd__([1]),
        lambda: shared.__imul__(2),
    ]
    for change in changes:
        with pytest.raises(TypeError, match="shared"):
            change()
    assert shared == []
    assert isinstance(shared, list)
    assert len(shared) == 0
    assert shared.__add__([1]) == [1]
    assert type(shared.__add__([1])) is list
    assert json.dumps(shared) == "[]"
    assert orjson.dumps(shared) == b"[]"
    for twin in (copy.copy(shared), copy.deepcopy(shared), pickle.loads(pickle.dumps(shared))):
        assert twin == []
        assert type(twin) is list
        twin.append(1)
    assert shared == []
    assert copy_json(shared) == []
    assert type(copy_json(shared)) is list


def test_a_deep_copy_and_a_pickle_of_a_compacted_model_are_plain() -> None:
    _, users = compacted([user_row(n) for n in range(30)])
    user = users[1]
    for twin in (copy.deepcopy(user), pickle.loads(pickle.dumps(user))):
        assert twin == user
        assert twin.to_dict() == user.to_dict()
        assert type(twin._data["permissions"]) is list
        assert twin._data["permissions"] is not EMPTY_LIST


def test_no_attribute_reads_the_shared_empty_list(model: type[PuhuriModel]) -> None:
    """Whatever its type (free-form, a tuple, a map, a scalar), no field of any model (the
    ``model`` parameter, see conftest) hands it out."""
    for name, *_ in _TABLES[model]:
        made = page_structurer(model)([{name: EMPTY_LIST}])
        assert made is not None
        try:
            value = getattr(made[0], name)
        except DecodeError:  # a field that is not a list refuses a list
            continue
        assert value is not EMPTY_LIST


def test_nulls_absent_keys_and_keys_that_differ_per_item() -> None:
    rows = [user_row(n) for n in range(30)]
    for n, row in enumerate(rows):
        if n % 5 == 0:
            row["organization"] = None
        if n % 7 == 0:
            del row["registration_method"]
            del row["permissions"]
        if n % 3 == 0:
            row["late_key"] = text("added")
            row["order"] = row.pop("uuid")  # keys in another order
    reference, users = compacted(rows)
    for user, sent in zip(users, reference, strict=True):
        assert user.to_dict() == sent
        assert list(user.keys()) == list(sent)
    assert "registration_method" not in users[0]
    assert users[0].registration_method is None
    assert "permissions" not in users[7]
    assert users[8]._data["permissions"] is EMPTY_LIST
    assert "organization" in users[5]
    assert users[5]["organization"] is None
    assert users[1]._data["registration_method"] is users[2]._data["registration_method"]


def test_values_that_are_not_strings_keep_their_type() -> None:
    """1, 1.0 and true are equal dict keys: a key whose values are not all strings or null is
    no longer shared, and nothing of its page is replaced."""
    first = [user_row(n) for n in range(30)]
    later = [user_row(n) for n in range(30, 60)]
    for n, row in enumerate(later):
        row["registration_method"] = [1, True, 1.0, "eduteams"][n % 4]
        row["organization"] = {"name": "CSC"} if n == 3 else row["organization"]
        row["custom_tag"] = ["a", "list"] if n == 4 else row["custom_tag"]
    reference, users = compacted(first, later)
    for user, sent in zip(users, reference, strict=True):
        assert user.to_dict() == sent
        assert [type(value) for value in user.values()] == [type(value) for value in sent.values()]
    assert [type(user["registration_method"]) for user in users[30:34]] == [int, bool, float, str]


def test_a_key_with_too_many_values_is_no_longer_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compact, "CACHE_SIZE", 4)
    first = [user_row(n) for n in range(30)]
    later = [{**user_row(n), "organization": text(f"org {n}")} for n in range(30, 60)]
    compactor = Compactor(lambda: None, long=0)
    reference, users = compacted(first, later, compactor=compactor)
    assert compactor._strings is not None
    assert "organization" not in compactor._strings
    assert "registration_method" in compactor._strings
    assert [user.to_dict() for user in users] == reference


def test_plain_dict_items_are_left_alone() -> None:
    """Items that are the rows themselves are the caller's to change: nothing is shared."""
    rows = [user_row(n) for n in range(30)]
    Compactor(lambda: None, long=0)(rows, rows)
    assert all(type(row["permissions"]) is list for row in rows)
    rows[1]["permissions"].append("mine")
    assert rows[2]["permissions"] == []
    copies = [user_row(n) for n in range(30)]
    Compactor(lambda: None, long=0)(copies, [User.from_dict(row) for row in copies])
    assert all(type(row["permissions"]) is list for row in copies)  # models over copies


def test_a_short_list_shares_its_empty_lists_not_its_strings() -> None:
    """Below ``long`` items (counted, or arrived when there is no count) only ``[]`` is shared."""

    def strings_shared(rows: list[dict[str, Any]]) -> bool:
        organizations = [row["organization"] for row in rows]
        return len(set(map(id, organizations))) == len(set(organizations))

    compactor = Compactor(lambda: None, long=40)
    first, users = page([user_row(n) for n in range(30)])
    compactor(first, users)
    assert first[1]["permissions"] is EMPTY_LIST
    assert not strings_shared(first)
    second, more = page([user_row(n) for n in range(30, 60)])
    compactor(second, more)  # 60 rows have come: long
    assert second[1]["permissions"] is EMPTY_LIST
    assert strings_shared(second)
    counted = Compactor(lambda: 1000, long=40)  # the count comes with page 1
    rows, made = page([user_row(n) for n in range(30)])
    counted(rows, made)
    assert rows[1]["permissions"] is EMPTY_LIST
    assert strings_shared(rows)
    limited = Compactor(lambda: 1000, limit=35, long=40)  # at most 35 will be taken
    rows, made = page([user_row(n) for n in range(30)])
    limited(rows, made)
    assert rows[1]["permissions"] is EMPTY_LIST
    assert not strings_shared(rows)
    assert LONG >= 20_000  # a bulk sync's lists keep their speed (see _compact's docs)


def test_a_key_whose_values_stop_repeating_is_given_up() -> None:
    first = [user_row(n) for n in range(30)]
    later = [{**user_row(n), "registration_method": text(f"method {n}")} for n in range(30, 60)]
    compactor = Compactor(lambda: None, long=0)
    reference, users = compacted(first, later, compactor=compactor)
    assert compactor._strings is not None
    assert "registration_method" not in compactor._strings
    assert "organization" in compactor._strings
    assert [user.to_dict() for user in users] == reference


def test_a_list_key_null_in_the_first_row_is_shared_and_a_string_one_is_not() -> None:
    rows = [user_row(n) for n in range(10)]
    rows[0]["permissions"] = None
    rows[0]["custom_tag"] = text("a string first")
    for row in rows[1:]:
        row["custom_tag"] = []
    reference, users = compacted(rows)
    for user, sent in zip(users, reference, strict=True):
        assert user.to_dict() == sent
    assert users[0]["permissions"] is None
    assert all(user._data["permissions"] is EMPTY_LIST for user in users[1:])
    assert all(user._data["custom_tag"] is not EMPTY_LIST for user in users)
    assert compact._list_keys(reference) == ["permissions", "affiliations", "nationalities"]
