"""Behaviours of a real Waldur Mastermind that a client must survive, each switched on alone.

They are off by default (the fake then answers as the schema says); ``Quirks.real`` turns
every one on. Each is a fact measured on, or read in the source of, a real server:

- ``unstable_ties``: ``keys/`` and the provider's ``keys/`` are ordered by ``name`` only, and
  Postgres gives rows with equal names in any order it likes for each LIMIT/OFFSET query, so
  pages overlap and skip (of 691 keys, 140 came twice and 140 never) while ``X-Result-Count``
  stays right. The fake orders those lists by name and, for each page, shuffles every run of
  equal names with a generator seeded by ``tie_seed`` and the page asked for: deterministic,
  and as wrong as the real thing. ``marketplace-offering-users/`` is ordered by ``username``
  alike (many are empty), so it gets the same treatment.
- ``schema_nulls``: nulls the schema does not admit. A limit-billed component with no usage yet
  shows ``"limit_usage": {"storage": null}``; a resource of an offering with no limit-billed
  component shows ``"limit_usage": null``.
- ``basic_orders_complete``: approving an order of a ``Marketplace.Basic`` offering completes it
  at once, as Waldur's Basic processor does: the order is ``done`` and a created resource
  ``OK`` when the answer comes, and (when the offering lets the provider create offering users)
  every member of the project gets an offering user with an empty username. Off, the order stays
  ``executing`` (as for the site-agent offerings), the state the provider's agent then finishes.
- ``all_providers_listed``: ``marketplace-service-providers/`` lists every service provider to
  every token (the real server does), not only the fake's own provider.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Quirks"]


@dataclass(frozen=True)
class Quirks:
    """Which real-server behaviours the fake shows (see the module documentation)."""

    unstable_ties: bool = False
    tie_seed: int = 0
    schema_nulls: bool = False
    basic_orders_complete: bool = False
    all_providers_listed: bool = False

    @classmethod
    def real(cls, *, tie_seed: int = 0) -> Quirks:
        """Every behaviour on."""
        return cls(
            unstable_ties=True,
            tie_seed=tie_seed,
            schema_nulls=True,
            basic_orders_complete=True,
            all_providers_listed=True,
        )
