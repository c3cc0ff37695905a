"""``python -m generator``: the ``kb`` command, where the script is not on PATH."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a spawned worker (Windows, macOS) imports the main module again
    sys.exit(main())
