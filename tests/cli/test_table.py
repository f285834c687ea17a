"""Table layout: UUIDs and states stay whole at any width; other columns are cut, then left out."""

from __future__ import annotations

from rich.cells import cell_len

from puhuri_async.cli._table import GAP, is_key_column, plan, render

UUID = "ab12bca56c6841458108d6b3e1f0c7aa"
HEADERS = ["uuid", "type", "state", "resource_name", "project_name", "offering_name", "created"]
ROW = [
    UUID,
    "Terminate",
    "pending-provider",
    "allocation-34 for the climate model runs",
    "Climate modelling of the Baltic Sea",
    "Supercomputer allocation 1",
    "2024-09-03 17:43:20 UTC",
]


def _lines(width: int | None, *, may_drop: bool = True, rows: list[list[str]] | None = None):
    rows = rows or [ROW]
    layout = plan(HEADERS, rows, width=width, may_drop=may_drop)
    return layout, render(HEADERS, rows, layout)


def test_key_columns() -> None:
    assert [name for name in HEADERS if is_key_column(name)] == ["uuid", "state"]
    assert is_key_column("offering_uuid")
    assert not is_key_column("uuidish")


def test_without_a_width_nothing_is_cut_or_left_out() -> None:
    layout, lines = _lines(None)
    assert layout.dropped == []
    assert lines[2].split("  ")[0] == UUID
    assert all(text in lines[2] for text in ROW)


def test_at_every_width_uuid_and_state_are_whole() -> None:
    for width in range(20, 200):
        _layout, lines = _lines(width)
        assert UUID in lines[2], width
        assert "pending-provider" in lines[2], width
        fits = cell_len(UUID) + GAP + cell_len("pending-provider")
        if width >= fits:
            assert max(cell_len(line) for line in lines) <= width, width


def test_at_80_columns_the_widest_columns_are_cut_then_the_last_ones_left_out() -> None:
    layout, lines = _lines(80)
    assert max(cell_len(line) for line in lines) <= 80
    assert layout.dropped  # 7 columns cannot fit 80 at their header widths
    assert layout.dropped == HEADERS[-len(layout.dropped) :]  # from the right
    header = lines[0].split()
    assert header[:3] == ["uuid", "type", "state"]
    assert set(lines[1]) <= {"─", " "}
    assert "…" in lines[2]  # a long name was cut, not wrapped


def test_chosen_columns_are_cut_but_never_left_out() -> None:
    layout, lines = _lines(80, may_drop=False)
    assert layout.dropped == []
    assert lines[0].split() == HEADERS
    assert UUID in lines[2]


def test_room_left_by_a_dropped_column_goes_back_to_the_others() -> None:
    layout, _ = _lines(100)
    shown = dict(zip([HEADERS[i] for i in layout.shown], layout.widths, strict=True))
    used = sum(layout.widths) + GAP * (len(layout.widths) - 1)
    assert used == 100 or all(shown[name] == cell_len(ROW[HEADERS.index(name)]) for name in shown)


def test_wide_characters_are_measured_in_cells() -> None:
    rows = [[UUID, "OK", "東京の計算資源" * 4]]
    headers = ["uuid", "state", "name"]
    layout = plan(headers, rows, width=60)
    lines = render(headers, rows, layout)
    assert all(cell_len(line) <= 60 for line in lines)
    assert lines[2].startswith(UUID)
    assert lines[2].endswith("…")


def test_bold_header_only_when_asked() -> None:
    layout = plan(["uuid"], [[UUID]], width=None)
    assert render(["uuid"], [[UUID]], layout)[0] == "uuid"
    assert render(["uuid"], [[UUID]], layout, bold=True)[0] == "\x1b[1muuid\x1b[0m"


def test_times_are_left_out_rather_than_cut() -> None:
    for width in range(60, 140):
        layout, lines = _lines(width)
        assert "created" in layout.dropped or "2024-09-03 17:43:20 UTC" in lines[2], width


def test_a_wrapping_column_continues_on_the_next_lines() -> None:
    headers, rows = ["field", "value"], [["username", "x" * 100], ["uuid", UUID]]
    layout = plan(headers, rows, width=44, wrap=[1])
    lines = render(headers, rows, layout, wrap=[1])
    assert all(cell_len(line) <= 44 for line in lines)
    value_at = lines[0].index("value")
    continued = [line[value_at:] for line in lines[2:-1]]
    assert "".join(continued) == "x" * 100  # nothing lost, nothing cut
    assert all(line[:value_at].strip() in ("", "username") for line in lines[2:-1])
    assert lines[-1].split() == ["uuid", UUID]
    narrow = plan(headers, rows, width=20, wrap=[1])  # a UUID is never broken in two
    assert render(headers, rows, narrow, wrap=[1])[-1].split() == ["uuid", UUID]
