"""The generated fill functions and lazy attributes: used for every response model, equal to
cattrs' own result on any input (eagerly with ``structure``, attribute by attribute with
``structurer``), falling back to cattrs for models they do not handle; ``structurer`` keeps the
JSON and reports a malformed field when it is read."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from cattrs.gen import make_dict_structure_fn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puhuri_async._errors import DecodeError
from puhuri_async.models import PuhuriModel, User, _converter, structure
from puhuri_async.models._base import copy_json
from puhuri_async.models._converter import converter, page_structurer, structurer

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["2021-08-11", "2021-08-11T15:36:45Z", "12.50", "OK", "erred"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


def objects_for(model: type[PuhuriModel]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects keyed mostly by the model's fields, with values of any JSON type."""
    names = [field.name for field in attrs.fields(model) if field.init]
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=5), values, max_size=10)


@attrs.frozen(eq=False, repr=False)
class Checked(PuhuriModel):
    """A model with a validator: beyond what the generator handles."""

    size: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )


@attrs.frozen(eq=False, repr=False)
class Required(PuhuriModel):
    """A model with a field that has no default."""

    name: str


def cattrs_result(data: Any, model: type[PuhuriModel]) -> Any:
    """cattrs' own structuring with the same converter (an exception when it refuses)."""
    own = make_dict_structure_fn(model, converter, _cattrs_forbid_extra_keys=False)
    try:
        return own(data, model)
    except Exception as exc:
        return exc


def same_as_cattrs(data: Any, model: type[PuhuriModel]) -> None:
    expected = cattrs_result(data, model)
    try:
        got = structure(data, model)
    except DecodeError:
        assert isinstance(expected, Exception)
        same_lazily(data, model, None)
        return
    assert not isinstance(expected, Exception), f"cattrs refused what the fill took: {expected}"
    for field in attrs.fields(model):
        if field.init:
            assert getattr(got, field.name) == getattr(expected, field.name), field.name
    assert got.to_dict() == data
    same_lazily(data, model, expected)


def read(thing: Any, name: str) -> Any:
    """``getattr(thing, name)``, or the ``DecodeError`` it raised."""
    try:
        return getattr(thing, name)
    except DecodeError as exc:
        return exc


def same_lazily(data: Any, model: type[PuhuriModel], expected: Any) -> None:
    """The lazy model of ``data``: the same values as cattrs', or (if cattrs refused ``data``)
    a ``DecodeError`` at once (not an object) or on reading at least one attribute."""
    make = structurer(model, "list_things")
    if not isinstance(data, dict):
        assert expected is None
        with pytest.raises(DecodeError, match=rf"^list_things:+ cannot decode {model.__name__}: "):
            make(data)
        return
    lazy = make(copy_json(data))
    assert lazy.to_dict() == data
    names = [field.name for field in attrs.fields(model) if field.init]
    values = {name: read(lazy, name) for name in names}
    refused = {name: v for name, v in values.items() if isinstance(v, DecodeError)}
    if expected is None:
        assert refused, "cattrs refused what every lazy attribute took"
    else:
        assert values == {name: getattr(expected, name) for name in names}
    for name, error in refused.items():
        assert error.operation == "list_things"
        assert f"@ $.{name}" in str(error)
    for name, value in values.items():
        if name not in refused:
            assert read(lazy, name) is value  # cached


def test_every_response_model_has_a_generated_fill(model: type[PuhuriModel]) -> None:
    structurer(model)
    assert model in _converter._LAZY


def test_same_as_cattrs_on_the_schema_example(
    model: type[PuhuriModel], schema_example: Callable[[str], dict[str, Any]]
) -> None:
    example = schema_example(model.schema_component)
    same_as_cattrs(example, model)
    same_as_cattrs({}, model)
    same_as_cattrs(dict.fromkeys(example), model)  # every field null


@SETTINGS
@given(data=st.data())
def test_same_as_cattrs_on_arbitrary_objects(model: type[PuhuriModel], data: st.DataObject) -> None:
    same_as_cattrs(data.draw(objects_for(model)), model)


def test_structurer_keeps_the_object_and_structure_copies() -> None:
    row = {"uuid": "fb36ce56e53b43e59b3d963354d0467c", "username": "alice", "is_active": True}
    kept = structurer(User)(row)
    copied = structure(row, User)
    assert kept._data is row
    assert copied._data is not row
    assert kept == copied
    assert kept.username == "alice"
    assert kept.is_active is True
    assert kept.__dict__ == {"username": "alice", "is_active": True}  # converted when read
    assert len(copied.__dict__) == len(attrs.fields(User)) - 1  # every field, at once


@pytest.mark.parametrize(
    "bad",
    [
        {"username": 5},
        {"is_active": "yes"},
        {"date_joined": "soon"},
        {"permissions": "all"},
    ],
)
def test_structurer_raises_what_structure_raises_when_the_field_is_read(bad: Any) -> None:
    with pytest.raises(DecodeError) as from_structure:
        structure(bad, User)
    user = structurer(User, "list_users")(bad)
    assert user.to_dict() == bad
    (name,) = bad
    with pytest.raises(DecodeError) as from_structurer:
        getattr(user, name)
    assert from_structurer.value.operation == "list_users"
    assert from_structurer.value._message == str(from_structure.value)
    assert "list_users" in str(from_structurer.value)


@pytest.mark.parametrize("bad", [["not", "an", "object"], None, "user"])
def test_structurer_refuses_what_is_not_an_object_at_once(bad: Any) -> None:
    with pytest.raises(DecodeError) as from_structure:
        structure(bad, User)
    with pytest.raises(DecodeError) as from_structurer:
        structurer(User)(bad)
    assert str(from_structurer.value) == str(from_structure.value)


def test_a_model_made_by_its_constructor_reads_its_own_values() -> None:
    structurer(User)  # the lazy attributes are installed
    user = User(username="carol", is_active=False)
    assert user.username == "carol"
    assert user.is_active is False
    assert user.email is None


def test_a_dict_subclass_is_taken_and_copied() -> None:
    class Row(dict[str, Any]):
        pass

    row = Row(username="bob")
    user = structurer(User)(row)
    assert user.username == "bob"
    assert type(user._data) is dict


def test_a_model_made_before_its_lazy_attributes_were_installed() -> None:
    @attrs.frozen(eq=False, repr=False)
    class Early(PuhuriModel):
        name: str | None = None

    early = Early(name="made first")  # stored in the slot, as attrs does
    assert type(Early.__dict__["name"]).__name__ == "member_descriptor"
    lazy = structurer(Early)({"name": "made later"})
    assert type(Early.__dict__["name"]).__name__ == "LazyField"
    assert early.name == "made first"
    assert lazy.name == "made later"


@pytest.mark.parametrize("other", [Checked, Required], ids=["validator", "required"])
def test_models_beyond_the_generator_use_cattrs(other: type[PuhuriModel]) -> None:
    structurer(other)
    assert other not in _converter._LAZY


def test_cattrs_fallback_keeps_validation() -> None:
    assert structure({"size": 3}, Checked).size == 3
    assert structurer(Checked)({"size": 4}).size == 4
    with pytest.raises(DecodeError, match="size"):
        structure({"size": -1}, Checked)
    with pytest.raises(DecodeError, match="size"):
        structurer(Checked)({"size": -1})
    assert structure({"name": "x"}, Required).name == "x"
    with pytest.raises(DecodeError, match="name"):
        structurer(Required)({})


def test_page_structurer_makes_what_structurer_makes() -> None:
    rows = [
        {"uuid": f"{n:032x}", "username": f"user-{n}", "is_active": n % 2 == 0} for n in range(5)
    ]
    rows.append({"username": 5})  # malformed: refused when read, as structurer's would be
    page = page_structurer(User, "list_users")
    assert page is not None
    models = page(rows)
    assert models is not None
    one = structurer(User, "list_users")
    for model, row in zip(models, rows, strict=True):
        assert type(model) is User
        assert model._data is row
        assert model == one(dict(row))
        assert model.__dict__ == {}  # nothing converted yet
    assert [m.username for m in models[:5]] == [f"user-{n}" for n in range(5)]
    with pytest.raises(DecodeError) as caught:
        _ = models[5].username
    assert caught.value.operation == "list_users"


@pytest.mark.parametrize("odd", [["not an object"], None, "user"])
def test_page_structurer_leaves_odd_pages_to_structurer(odd: Any) -> None:
    class Row(dict[str, Any]):
        pass

    page = page_structurer(User)
    assert page is not None
    assert page([{"username": "a"}, odd]) is None
    assert page([{"username": "a"}, Row(username="b")]) is None
    assert page([]) == []


def test_page_structurer_is_none_for_models_cattrs_fills() -> None:
    assert page_structurer(Checked) is None


def test_lazy_models_pickle_and_convert_after() -> None:
    page = page_structurer(User, "list_users")
    assert page is not None
    (user,) = page([{"uuid": "ab" * 16, "username": "ann", "date_joined": "2021-08-11T15:36:45Z"}])
    again = pickle.loads(pickle.dumps(user))
    assert again == user
    assert again.username == "ann"
    assert again.date_joined == user.date_joined
    assert again.date_joined.tzinfo is not None
