"""One round of a site agent, written for waldur_client 0.6.4.

It does what a service provider's agent does for its site: approve the orders waiting for the
provider, put failed orders back to executing, create what each executing order asks for (here
a made-up account name stands in for the site), finish the orders, give the offering's users
their accounts, report this month's usage per component and per user, and read it back. It
prints what it did as JSON, one line.

The script is kept as a ``waldur_client`` script would be: porting it to puhuri-async changes
its import line and the line that makes the client, nothing else (tests/porting checks both).
Give it ``WALDUR_API_URL``, ``WALDUR_TOKEN`` and ``SITE_OFFERING`` (the offering's name).
"""

import json
import os
import sys

from waldur_client import ComponentUsage, WaldurClient

API_URL = os.environ["WALDUR_API_URL"]
TOKEN = os.environ["WALDUR_TOKEN"]
OFFERING_NAME = os.environ["SITE_OFFERING"]
SITE_CPU_QUOTA = 100_000

client = WaldurClient(API_URL, TOKEN)

done = {"approved": [], "restarted": [], "done": [], "erred": [], "accounts": []}


def site_create(resource_uuid, limits):
    """The site's account for an allocation, or None when the site cannot host it.

    A real agent creates the account on the cluster here.
    """
    if limits.get("cpu", 0) > SITE_CPU_QUOTA:
        return None
    return "alloc-" + resource_uuid[:8]


def finish(order):
    """Create what an executing order asks for on the site, then close the order."""
    resource = order["marketplace_resource_uuid"]
    limits = {key: int(value) for key, value in (order["limits"] or {}).items()}
    if order["type"] == "Create":
        account = site_create(resource, limits)
        if account is None:
            client.marketplace_order_set_state_erred(
                order["uuid"],
                error_message="The site cannot host this allocation.",
                error_traceback=f"site: cpu limit over the quota of {SITE_CPU_QUOTA}",
            )
            done["erred"].append(order["uuid"])
            return
        client.marketplace_provider_resource_set_backend_id(resource, account)
    if limits:
        client.marketplace_provider_resource_set_limits(resource, limits)
    client.marketplace_order_set_state_done(order["uuid"])
    done["done"].append(order["uuid"])


def accounts(offering):
    """Give every user who asked for an account on the offering a username, up to OK."""
    begin = getattr(client, "marketplace_offering_user_begin_creating", None)
    for user in client.list_remote_offering_users(
        {"offering_uuid": offering["uuid"], "state": "Requested"}
    ):
        if begin is None:
            continue  # this client cannot move offering users through their states
        begin(user["uuid"])
        client.update_offering_user(user["uuid"], username="u-" + user["user_username"])
        client.marketplace_offering_user_set_ok(user["uuid"])
        done["accounts"].append(user["uuid"])


def report(offering, resource, users):
    """This month's usage of every usage component, and each OK user's share of it."""
    types = [c["type"] for c in offering["components"] if c["billing_type"] == "usage"]
    client.create_component_usages(
        usages=[
            ComponentUsage(type=kind, amount=10 * (number + 1), description="site agent")
            for number, kind in enumerate(types)
        ],
        resource_uuid=resource["uuid"],
    )
    usages = client.list_component_usages(resource["uuid"])
    month = max(u["billing_period"] for u in usages)
    current = [u for u in usages if u["billing_period"] == month]
    for usage in current:
        for share, user in enumerate(users):
            client.create_component_user_usage(
                usage["uuid"], 1 + share, user["username"], offering_user_uuid=user["uuid"]
            )
    return {u["type"]: u["usage"] for u in current}


def main():
    me = client.get_current_user()
    offering = next(
        o for o in client.list_marketplace_provider_offerings() if o["name"] == OFFERING_NAME
    )
    offering = client.get_marketplace_provider_offering(offering["uuid"])
    mine = {"offering_uuid": offering["uuid"]}

    for order in client.list_orders({**mine, "state": "pending-provider"}):
        client.marketplace_order_approve_by_provider(order["uuid"])
        done["approved"].append(order["uuid"])
    for order in client.list_orders({**mine, "state": "erred"}):
        client.marketplace_order_set_state_executing(order["uuid"])
        done["restarted"].append(order["uuid"])
    for order in client.list_orders({**mine, "state": "executing"}):
        finish(order)
    states = {uuid: client.get_order(uuid)["state"] for uuid in done["done"] + done["erred"]}

    accounts(offering)
    users = [u for u in client.list_remote_offering_users({**mine, "state": "OK"}) if u["username"]]
    reported = {}
    for resource in client.list_marketplace_provider_resources(
        state="OK", offering_uuid=offering["uuid"]
    ):
        reported[resource["uuid"]] = report(offering, resource, users[:2])
    read_back = {
        resource: sorted(
            (u["type"], str(u["usage"])) for u in client.list_component_usages(resource)
        )
        for resource in reported
    }
    print(
        json.dumps(
            {
                "me": me["username"],
                **done,
                "order_states": states,
                "reported": {r: {k: str(v) for k, v in u.items()} for r, u in reported.items()},
                "read_back": read_back,
                "user_shares": len(users[:2]),
            },
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
