"""The identity of a project permission, by which a list of them is deduplicated."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from puhuri_async._operations import permission_key

_parts = st.text(max_size=40) | st.text(alphabet="0123456789abcdef:=+-", min_size=30, max_size=34)
_roles = st.none() | st.text(max_size=12) | st.sampled_from(["PROJECT.ADMIN", "+", "-", ""])


@settings(max_examples=300, deadline=None)
@given(
    first=st.tuples(_parts, _parts, _roles),
    second=st.tuples(_parts, _parts, _roles),
)
def test_permission_keys_are_equal_exactly_when_the_triples_are(
    first: tuple[str, str, str | None], second: tuple[str, str, str | None]
) -> None:
    def key(user: str, project: str, role: str | None) -> object:
        return permission_key({"user_uuid": user, "project_uuid": project, "role_name": role})

    assert (key(*first) == key(*second)) == (first == second)


def test_permission_key_of_malformed_or_legacy_rows() -> None:
    user, project = "a" * 32, "b" * 32
    assert permission_key({"user_uuid": user, "project_uuid": project, "role": "X"}) == (
        permission_key({"user_uuid": user, "project_uuid": project, "role_name": "X"})
    )
    # A present null role_name is the role, even if a legacy "role" is there too.
    with_null = permission_key(
        {"user_uuid": user, "project_uuid": project, "role_name": None, "role": "X"}
    )
    assert with_null == permission_key({"user_uuid": user, "project_uuid": project})
    assert with_null != permission_key({"user_uuid": user, "project_uuid": project, "role": "X"})
    for bad in (
        {"user_uuid": [], "project_uuid": project},
        {"user_uuid": user},
        {"user_uuid": user, "project_uuid": project, "role_name": 5},
    ):
        assert permission_key(bad) is None


def test_the_two_encodings_never_meet() -> None:
    """A short-uuid permission whose role spells out two 32-character uuids and a role."""
    role = "d" * 22 + "e" * 32 + "+" + "ADMIN"
    short = ("abc", "xy", role)
    spelled = f"3:abc2:xy+{role}"
    assert spelled[64] == "+"
    long = (spelled[:32], spelled[32:64], spelled[65:])
    keys = {
        permission_key({"user_uuid": u, "project_uuid": p, "role_name": r})
        for u, p, r in (short, long)
    }
    assert len(keys) == 2


_row_values = (
    st.none()
    | st.integers()
    | st.lists(st.none(), max_size=1)
    | st.text(alphabet="0123456789abcdef", min_size=31, max_size=33)
    | st.sampled_from(["PROJECT.ADMIN", "", "+"])
)
_rows = st.lists(
    st.dictionaries(
        st.sampled_from(["user_uuid", "project_uuid", "role_name", "role", "uuid"]), _row_values
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(rows=_rows)
def test_a_page_is_keyed_as_its_rows_are(rows: list[dict[str, object]]) -> None:
    """The page form gives each row's own key, or declines (and the rows are keyed one by one)."""
    page = permission_key.many(rows)
    if page is not None:
        assert page == [permission_key(row) for row in rows]


def test_the_usual_page_is_keyed_at_once() -> None:
    rows = [
        {"user_uuid": f"{i:032x}", "project_uuid": "b" * 32, "role_name": "PROJECT.MEMBER"}
        for i in range(3)
    ]
    assert permission_key.many(rows) == [permission_key(row) for row in rows]
    assert permission_key.many([*rows, {"user_uuid": "a" * 32, "project_uuid": "b" * 32}]) is None


def test_a_page_of_legacy_rows_is_keyed_at_once() -> None:
    """Waldur 7.x sends ``role`` and no ``role_name`` (measured on 7.0.7)."""
    rows = [
        {"user_uuid": f"{i:032x}", "project_uuid": "b" * 32, "role": "manager"} for i in range(3)
    ]
    assert permission_key.many(rows) == [permission_key(row) for row in rows]
    mixed = [*rows, {"user_uuid": "a" * 32, "project_uuid": "b" * 32, "role_name": "manager"}]
    assert permission_key.many(mixed) is None
