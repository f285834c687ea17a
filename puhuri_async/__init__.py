"""puhuri-async: an asyncio-native client for Puhuri Core, with a synchronous facade."""

from puhuri_async._version import __version__

__all__ = ["__version__"]
