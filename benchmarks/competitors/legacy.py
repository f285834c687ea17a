"""python-waldur-client 0.6.4: synchronous, requests-based, one list at a time.

Called as its users call it: ``WaldurClient(api_url, token)`` then ``list_users()`` (200 per
page), ``list_service_provider_project_permissions(uuid)`` (200 per page) and ``list_ssh_keys()``
(the server's default page size, 10), each following the ``Link`` header page after page.
"""

from __future__ import annotations

from waldur_client import WaldurClient  # type: ignore[import-untyped,unused-ignore]

from benchmarks.harness import Server


def bulk(server: Server) -> int:
    client = WaldurClient(server.url, server.token)
    users = client.list_users()
    permissions = client.list_service_provider_project_permissions(server.service_provider)
    return len(users) + len(permissions)


def ssh_keys(server: Server) -> int:
    return len(WaldurClient(server.url, server.token).list_ssh_keys())
