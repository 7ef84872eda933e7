"""``python -m app`` is the same as ``trotsky-map``."""

import sys

from app.cli import main

# Guarded: a helper process (multiprocessing's "spawn") imports this module again under another name.
if __name__ == "__main__":
    sys.exit(main())
