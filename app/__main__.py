"""``python -m app`` is the same as ``trotsky-map``."""

import sys

from app.cli import main

# Guarded, so that importing the module (multiprocessing's "spawn", tools) does not start the app.
if __name__ == "__main__":
    sys.exit(main())
