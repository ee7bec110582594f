"""``python -m remission``: the command line (see :mod:`remission.cli`)."""

import sys

from remission.cli import main

if __name__ == "__main__":
    sys.exit(main())
