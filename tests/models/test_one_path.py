"""The one way a model is built: the field table of ``@response_model``, applied eagerly by
``structure`` and lazily by ``structurer`` / ``page_structurer``. The lazy attributes exist as soon
as the class is defined; every field converts as cattrs' own hook for its type does (with null as
None); eager and lazy give the same values on any input; a malformed field raises ``DecodeError``
when read, naming the operation and the page URL; only declared response models are taken."""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from typing import Any, get_type_hints

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puhuri_async._errors import DecodeError
from puhuri_async.models import PuhuriModel, User, structure
from puhuri_async.models._base import copy_json
from puhuri_async.models._converter import converter, page_structurer, structurer
from puhuri_async.models._fields import LazyField, is_response_model, response_model
from puhuri_async.models._values import without_none

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


def cattrs_result(data: Any, model: type[PuhuriModel]) -> Any:
    """What cattrs' converter makes of each field's JSON value, by the field's annotation (null
    and absent as None), as a dict; or an exception when it refuses one."""
    if not isinstance(data, dict):
        return TypeError("not an object")
    values = {}
    hints = get_type_hints(model)
    for field in attrs.fields(model):
        if not field.init:
            continue
        value = data.get(field.name)
        try:
            values[field.name] = converter.structure(value, without_none(hints[field.name]) | None)
        except Exception as exc:
            return exc
    return values


def same_as_cattrs(data: Any, model: type[PuhuriModel]) -> None:
    expected = cattrs_result(data, model)
    try:
        got = structure(data, model)
    except DecodeError:
        assert isinstance(expected, Exception)
        same_lazily(data, model, None)
        return
    assert not isinstance(expected, Exception), f"cattrs refused what structure took: {expected}"
    for field in attrs.fields(model):
        if field.init:
            assert getattr(got, field.name) == expected[field.name], field.name
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
        assert values == {name: expected[name] for name in names}
    for name, error in refused.items():
        assert error.operation == "list_things"
        assert f"@ $.{name}" in str(error)
    for name, value in values.items():
        if name not in refused:
            assert read(lazy, name) is value  # cached


def test_every_response_model_has_its_lazy_attributes_from_its_definition(
    model: type[PuhuriModel],
) -> None:
    assert is_response_model(model)
    for field in attrs.fields(model):
        if field.init:
            assert type(model.__dict__[field.name]) is LazyField, field.name


def test_lazy_attributes_are_installed_when_the_class_is_defined() -> None:
    @response_model
    class Fresh(PuhuriModel):
        name: str
        size: int | None

    # Nothing has looked the class up yet: the attributes are there all the same.
    assert type(Fresh.__dict__["name"]).__name__ == "LazyField"
    assert type(Fresh.__dict__["size"]).__name__ == "LazyField"
    made = Fresh(name="made by the constructor", size=None)
    lazy = structurer(Fresh)({"name": "made later", "size": 3})
    assert made.name == "made by the constructor"
    assert lazy.name == "made later"
    assert lazy.size == 3


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


def test_response_models_take_no_defaults_validators_or_converters() -> None:
    # The JSON is the only source of a response model's values: a field that would validate,
    # convert or default on its own is refused when the class is defined, so no such rule can
    # be skipped silently by the lazy path.
    with pytest.raises(TypeError, match=r"Checked\.size: a response model field takes no value"):

        @response_model
        class Checked(PuhuriModel):
            size: int | None = attrs.field(
                default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
            )

    with pytest.raises(TypeError, match=r"Defaulted\.name"):

        @response_model
        class Defaulted(PuhuriModel):
            name: str = "anonymous"

    with pytest.raises(TypeError, match="PuhuriModel subclasses"):
        response_model(dict)  # type: ignore[type-var]


@attrs.frozen(eq=False, repr=False)
class Undeclared(PuhuriModel):
    """A PuhuriModel subclass not declared with @response_model."""

    name: str | None = None


@pytest.mark.parametrize(
    "make",
    [
        lambda: structure({"name": "x"}, Undeclared),
        lambda: structurer(Undeclared),
        lambda: page_structurer(Undeclared),
    ],
    ids=["structure", "structurer", "page_structurer"],
)
def test_only_response_models_are_structured(make: Callable[[], object]) -> None:
    with pytest.raises(TypeError, match="Undeclared is not a response model"):
        make()


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


def test_lazy_decode_errors_name_the_operation_and_the_page_url() -> None:
    url = "https://puhuri.example/api/users/?page=3&page_size=300"
    page = page_structurer(User, "list_users")
    (user,) = page([{"uuid": "ab" * 16, "username": 5}], url)  # type: ignore[misc]
    with pytest.raises(DecodeError) as caught:
        _ = user.username
    assert caught.value.operation == "list_users"
    assert caught.value.url == url
    assert str(caught.value) == (
        f"list_users: {url}: cannot decode User: expected a string, got integer 5 @ $.username"
    )
    one = structurer(User, "list_users")
    with pytest.raises(DecodeError) as by_row:
        _ = one({"username": 5}, url).username
    assert str(by_row.value) == str(caught.value)
    with pytest.raises(DecodeError) as refused:
        one(["not an object"], url)
    assert refused.value.url == url
    assert refused.value.operation == "list_users"
    # Without a URL (as the paginator calls them today), the operation alone is named.
    (bare,) = page([{"username": 5}])  # type: ignore[misc]
    with pytest.raises(DecodeError) as unnamed:
        _ = bare.username
    assert unnamed.value.url is None
    assert re.match(r"^list_users:+ cannot decode User: ", str(unnamed.value))


def test_lazy_models_pickle_and_convert_after() -> None:
    page = page_structurer(User, "list_users")
    assert page is not None
    (user,) = page([{"uuid": "ab" * 16, "username": "ann", "date_joined": "2021-08-11T15:36:45Z"}])
    again = pickle.loads(pickle.dumps(user))
    assert again == user
    assert again.username == "ann"
    assert again.date_joined == user.date_joined
    assert again.date_joined.tzinfo is not None
