"""``puhuri provider-offerings``: the offerings of the providers the token manages."""

from __future__ import annotations

from puhuri_async import Offering
from puhuri_async.cli._commands._common import group
from puhuri_async.cli._commands._rows import ListFilter, ListRow, add_gets, add_lists, get_row
from puhuri_async.cli._commands.offerings import OFFERING_COLUMNS, OFFERING_FIELDS

__all__ = ["provider_offerings"]


@group("provider-offerings")
def provider_offerings() -> None:
    """The provider's offerings (marketplace-provider-offerings/)."""


LISTS = [
    ListRow(
        "list_marketplace_provider_offerings",
        "offerings",
        Offering,
        OFFERING_COLUMNS,
        help="List the offerings of the providers the token manages.\n\n"
        "Such as: puhuri provider-offerings list --state Active",
        filters=[
            ListFilter("--customer", "customer_uuid", "Of this provider organisation only."),
            ListFilter(
                "--state",
                "state",
                "Draft, Active, Paused, Archived (repeatable).",
                metavar="STATE",
                multiple=True,
            ),
            ListFilter(
                "--type",
                "type",
                "Marketplace.Slurm, Marketplace.Basic... (repeatable).",
                metavar="TYPE",
                multiple=True,
            ),
        ],
    )
]
add_lists(provider_offerings, LISTS)
GETS = [
    get_row(
        "get_marketplace_provider_offering",
        "offering",
        fields=OFFERING_FIELDS,
        columns=OFFERING_COLUMNS,
    )
]
add_gets(provider_offerings, GETS)
