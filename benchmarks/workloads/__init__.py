"""The workloads of issues 6 and 16, in the order they run (those sharing a server together)."""

from types import ModuleType

from benchmarks.workloads import (
    bulk,
    latency,
    scaling,
    small_gets,
    ssh_keys,
    streaming,
    sweep,
    sync_facade,
)

WORKLOADS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (bulk, ssh_keys, sweep, latency, small_gets, sync_facade, streaming, scaling)
}
