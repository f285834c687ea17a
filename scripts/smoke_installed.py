"""Smoke test of an installed puhuri-async (run by tests/test_packaging.py in a bare virtualenv).

Imports the package, checks the version the CLI reports, and makes a tiny end-to-end call against
the embedded fake, with nothing but the wheel and its runtime dependencies installed.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path


def main() -> None:
    import puhuri_async
    from puhuri_async import PuhuriClient, SyncPuhuriClient
    from puhuri_async.testing import FakeData, FakePuhuri

    here = Path(puhuri_async.__file__).resolve()
    assert "site-packages" in here.parts, f"not the installed package: {here}"
    assert (here.parent / "py.typed").exists(), "py.typed is missing"

    puhuri = shutil.which("puhuri", path=str(Path(sys.executable).parent))
    assert puhuri is not None, "the puhuri command is not installed"
    out = subprocess.run([puhuri, "--version"], capture_output=True, text=True, check=True)
    assert puhuri_async.__version__ in out.stdout, out.stdout

    fake = FakePuhuri(FakeData.generate(users=12, seed=5))

    async def run() -> int:
        async with PuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client:
            return len(await client.list_users())

    assert asyncio.run(run()) == 12
    with fake.serve() as api_url, SyncPuhuriClient(api_url, "test-token") as client:
        assert len(client.list_ssh_keys()) == len(fake.data.ssh_keys)
    print(f"puhuri-async {puhuri_async.__version__}: installed wheel works")


if __name__ == "__main__":
    main()
