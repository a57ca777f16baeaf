"""The whole test suite, as `./dev test` runs it: lint, types, then pytest.

Extra arguments go to pytest (e.g. `./dev test tests/unit -x`); with arguments, the lint
and type checks are skipped so a focused run stays quick.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(label: str, cmd: list[str]) -> int:
    print(f"\n=== {label}: {' '.join(cmd)}", flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    if argv:
        return run("pytest", [str(BIN / "pytest"), *argv])
    failures = []
    if run("ruff", [str(BIN / "ruff"), "check", "."]) != 0:
        failures.append("ruff")
    if run("mypy", [str(BIN / "mypy")]) != 0:
        failures.append("mypy")
    if run("cfn-lint", [str(BIN / "cfn-lint"), "infra/hotline.json"]) != 0:
        failures.append("cfn-lint")
    if run("pytest", [str(BIN / "pytest"), "-p", "no:cacheprovider"]) != 0:
        failures.append("pytest")
    if failures:
        print(f"\nFAILED: {', '.join(failures)}", flush=True)
        return 1
    print("\nAll checks passed.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
