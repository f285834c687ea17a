"""Which provider the demo works for: the one the token owns (or the one asked for)."""

from __future__ import annotations

from puhuri_async import InvalidArgumentError, PuhuriClient, ServiceProvider

__all__ = ["find_provider"]


async def find_provider(client: PuhuriClient, provider_uuid: str | None) -> tuple[str, str, str]:
    """The provider organisation's UUID, the service provider's UUID, and a name to show.

    The organisation given (``customer_uuid``); else the only service provider the token sees;
    else the only one among them whose offerings the token manages (every token sees every
    service provider, but only its own provider's offerings).
    """
    filters = {} if provider_uuid is None else {"customer_uuid": provider_uuid}
    providers = await client.list_service_providers(filters)
    if provider_uuid is None and len(providers) > 1:
        offerings = await client.list_marketplace_provider_offerings()
        managed = {str(o["customer_uuid"]) for o in offerings}
        owned = [sp for sp in providers if str(sp["customer_uuid"]) in managed]
        providers = owned if len(owned) == 1 else providers
    if len(providers) != 1:
        problem = (
            f"no service provider of organisation {provider_uuid}"
            if provider_uuid
            else "several service providers are visible to this token: give your organisation's "
            "UUID (puhuri demo --provider UUID)"
            if providers
            else "no service provider is visible to this token"
        )
        raise InvalidArgumentError("provider_uuid", problem)
    return _named(providers[0])


def _named(sp: ServiceProvider) -> tuple[str, str, str]:
    name = f"{sp.get('customer_name') or ''} (service provider {sp['uuid']})".strip()
    return str(sp["customer_uuid"]), str(sp["uuid"]), name
