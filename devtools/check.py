"""The whole test suite, as `./dev test` runs it: lint, types, the deployment package
(built as `./dev package dev` builds it, its merged template checked by cfn-lint), then
pytest, whose artifact test (tests/artifact/) runs that very package.

Extra arguments go to pytest (e.g. `./dev test tests/unit -x`); with arguments, the lint
and type checks are skipped so a focused run stays quick.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
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
    package_dir = Path(tempfile.mkdtemp(prefix="hotline-package-"))
    try:
        started = time.monotonic()
        built = run("package", [sys.executable, "-m", "devtools.package", "dev",
                                "--out", str(package_dir)]) == 0
        print(f"package: {time.monotonic() - started:.1f} s", flush=True)
        if not built:
            failures.append("package")
        template = package_dir / "sam.json" if built else Path("infra/hotline.json")
        if run("cfn-lint", [str(BIN / "cfn-lint"), str(template)]) != 0:
            failures.append("cfn-lint")
        # the artifact test runs the package just built (or fails at once if it was not)
        os.environ["HOTLINE_ARTIFACT_DIR"] = str(package_dir)
        if run("pytest", [str(BIN / "pytest"), "-p", "no:cacheprovider"]) != 0:
            failures.append("pytest")
    finally:
        shutil.rmtree(package_dir, ignore_errors=True)
    if failures:
        print(f"\nFAILED: {', '.join(failures)}", flush=True)
        return 1
    print("\nAll checks passed.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
