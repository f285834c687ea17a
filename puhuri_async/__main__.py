"""``python -m puhuri_async``: the ``puhuri`` command line, e.g. ``python -m puhuri_async demo``."""

from puhuri_async.cli import main

if __name__ == "__main__":
    main()
