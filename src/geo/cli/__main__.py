"""`python -m geo.cli`, the same as the `geo` script."""

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
