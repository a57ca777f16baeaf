"""Copy the browser bundles the pages load from npm's node_modules into chalicelib/web/vendor/.

The pages take no code from a CDN: Twilio's Voice JS SDK (`@twilio/voice-sdk`, pinned in
package.json) ships a browser bundle, `dist/twilio.min.js`, that defines `Twilio.Device`;
Chart.js (`chart.js`) ships `dist/chart.umd.min.js`, that defines `Chart` (the reports page);
dagre (`@dagrejs/dagre`) ships `dist/dagre.min.js`, that defines `dagre` (the flow diagram).
`./dev` runs this after `npm ci`; packaging runs it before zipping the Lambda. The vendor
folder is git-ignored: it is rebuilt from the pinned package, never edited.

    python -m devtools.vendor          # copy (only what changed)
    python -m devtools.vendor --check  # exit 1 when a bundle is missing or stale
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "chalicelib" / "web" / "vendor"


@dataclass(frozen=True)
class Bundle:
    package: str  # the npm package, as in package.json
    source: str  # the file inside the package
    target: str  # the name served at /vendor/<target>


BUNDLES = (
    Bundle("@twilio/voice-sdk", "dist/twilio.min.js", "twilio.min.js"),
    Bundle("@twilio/voice-sdk", "LICENSE.md", "twilio-voice-sdk.LICENSE.md"),
    # Chart.js's UMD bundle defines the global `Chart` (the reports page's charts).
    Bundle("chart.js", "dist/chart.umd.min.js", "chart.umd.min.js"),
    Bundle("chart.js", "LICENSE.md", "chartjs.LICENSE.md"),
    # dagre's browser bundle (graphlib inside) defines the global `dagre`: the flow page's
    # diagram layout (web/static/flow-diagram.js).
    Bundle("@dagrejs/dagre", "dist/dagre.min.js", "dagre.min.js"),
    Bundle("@dagrejs/dagre", "LICENSE", "dagre.LICENSE"),
)


class VendorError(RuntimeError):
    pass


def _source(bundle: Bundle, node_modules: Path) -> Path:
    package = node_modules / bundle.package
    if not (package / "package.json").is_file():
        raise VendorError(f"{bundle.package} is not installed in {node_modules}: run `npm ci`")
    path = package / bundle.source
    if not path.is_file():
        version = json.loads((package / "package.json").read_text())["version"]
        raise VendorError(f"{bundle.package}@{version} has no {bundle.source}")
    return path


def stale(node_modules: Path = NODE_MODULES, vendor: Path = VENDOR) -> list[str]:
    """The targets that are missing or differ from their source."""
    out = []
    for bundle in BUNDLES:
        target = vendor / bundle.target
        source = _source(bundle, node_modules)
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            out.append(bundle.target)
    return out


def copy(node_modules: Path = NODE_MODULES, vendor: Path = VENDOR) -> list[Path]:
    """Copy every bundle that is missing or stale; returns the files written."""
    vendor.mkdir(parents=True, exist_ok=True)
    written = []
    for name in stale(node_modules, vendor):
        bundle = next(b for b in BUNDLES if b.target == name)
        shutil.copyfile(_source(bundle, node_modules), vendor / name)
        written.append(vendor / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report missing or stale files")
    args = parser.parse_args(argv)
    try:
        if args.check:
            missing = stale()
            for name in missing:
                print(f"vendor: {name} is missing or stale; run python -m devtools.vendor")
            return 1 if missing else 0
        for path in copy():
            print(f"vendor: wrote {path.relative_to(ROOT)}")
    except VendorError as err:
        print(f"vendor: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
