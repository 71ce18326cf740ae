"""The frozen app's entry point: the same as `python -m therapy_desktop`."""

from __future__ import annotations

import sys

from therapy_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
