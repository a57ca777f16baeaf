"""The ``hotline`` command line for developers: ``hotline flows validate|simulate|schema``
and ``hotline staffing``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from devtools import flows_cli, staffing_cli

    parser = argparse.ArgumentParser(prog="hotline", description="Hotline developer tools")
    commands = parser.add_subparsers(dest="command", required=True)
    flows_cli.register(commands)
    staffing_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
