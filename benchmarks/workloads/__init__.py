"""The workloads of issue 6, in the order they run (those sharing a server run together)."""

from types import ModuleType

from benchmarks.workloads import bulk, small_gets, ssh_keys, streaming, sweep, sync_facade

WORKLOADS: dict[str, ModuleType] = {
    module.NAME: module for module in (bulk, ssh_keys, sweep, small_gets, sync_facade, streaming)
}
