"""The one place the package version is defined (read by the build and by the User-Agent)."""

__version__ = "0.1.0.dev0"
