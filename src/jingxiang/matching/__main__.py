"""Entry point for ``python -m jingxiang.matching``."""

import sys

from jingxiang.matching.cli import main

if __name__ == "__main__":
    sys.exit(main())
