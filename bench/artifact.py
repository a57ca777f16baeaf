"""The deployment artifact: its size and its cold import. Prints its figures; asserts nothing.

    .venv/bin/python -m bench.artifact [--stage dev] [--dir dist/dev] [--runs 7]

Uses the artifact in --dir when one is there (`./dev package dev` writes dist/dev/), else
builds it with the code `./dev package` runs. Then it unpacks it into an empty folder and,
N times, imports `app` in a fresh `python -I -S` that sees only the artifact and the
standard library (as on Lambda: the function's folder, then the layer's), with the
bytecode the package ships.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.package import APP_ZIP, Artifact, build  # noqa: E402
from tests.artifact.harness import unpack  # noqa: E402

IMPORT = ("import sys, time; sys.path[:0] = sys.argv[1:]; t = time.perf_counter(); "
          "import app; print(json.dumps([time.perf_counter() - t, len(sys.modules)]))")


def cold_imports(roots: list[Path], runs: int) -> list[tuple[float, int]]:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-I", "-S", "-c", "import json; " + IMPORT,
                              *map(str, roots)], capture_output=True, text=True, check=True,
                             cwd=roots[0], env={"PATH": "/usr/bin:/bin"}).stdout
        seconds, modules = json.loads(out.strip().splitlines()[-1])
        samples.append((float(seconds), int(modules)))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--dir", type=Path, help="a built artifact (default: dist/<stage>)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    folder = (args.dir or ROOT / "dist" / args.stage).resolve()
    if (folder / APP_ZIP).is_file():
        artifact = Artifact(args.stage, folder, 0.0)
        print(f"artifact: {folder} (already built)")
    else:
        artifact = build(args.stage, folder, log=lambda line: print(f"package: {line}"))
    for line in artifact.summary():
        print(f"artifact: {line}")
    with tempfile.TemporaryDirectory(prefix="hotline-artifact-") as tmp:
        roots = unpack(artifact, Path(tmp) / "unpacked")
        samples = cold_imports(roots, args.runs)
    times = sorted(seconds * 1000 for seconds, _ in samples)
    print(f"cold import of app from the artifact (python -I -S, {args.runs} runs): "
          f"median {statistics.median(times):.0f} ms, min {times[0]:.0f} ms, "
          f"max {times[-1]:.0f} ms, {samples[0][1]} modules loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
