"""Build the deployment artifact for one stage, with no AWS credentials.

    ./dev package dev                 # into dist/dev/
    python -m devtools.package prod --out /tmp/hotline-prod

What comes out (the folder `aws cloudformation package` then uploads):
- `deployment.zip`: app.py, chalicelib/ (pages, static files and the vendored browser
  bundles under chalicelib/web/vendor/ included), and the default flows from `flows/` in
  `chalicelib/bundled_flows/`, where `provisioning.default_flows_dir()` finds them.
- `layer-deployment.zip`: the runtime dependencies (requirements.txt), resolved by
  Chalice's packager as manylinux x86_64 wheels for CPython 3.11 (Chalice's automatic
  layer, shared by every function).
- `sam.json`: Chalice's template merged with `infra/hotline.json`; the Stage parameter
  defaults to the stage built, every function gets PUBLIC_BASE_URL from the
  `PublicBaseUrl` parameter, and the error alarm watches the API function itself.

Every .py in both zips gets its bytecode beside it (`__pycache__/*.cpython-311.pyc`,
unchecked-hash, PEP 552), so a cold start on Lambda's read-only disk compiles nothing.
Nothing dev-only ships: Chalice packages app.py, chalicelib/ and requirements.txt only,
and this build drops whatever __pycache__ the working tree had.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import marshal
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MERGE_TEMPLATE = ROOT / "infra" / "hotline.json"
FLOWS = ROOT / "flows"
BUNDLED_FLOWS = "chalicelib/bundled_flows"
LAMBDA_PYTHON = (3, 11)
UNZIPPED_LIMIT = 250 * 1024 * 1024  # Lambda: function and layers together, unzipped
APP_ZIP, LAYER_ZIP, TEMPLATE = "deployment.zip", "layer-deployment.zip", "sam.json"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed entry times: the same tree gives the same zip
_FILE_MODE = 0o100644 << 16  # world-readable: Lambda's runtime user is not the owner


class PackageError(RuntimeError):
    """The artifact could not be built; the message says why."""


@dataclass(frozen=True)
class Artifact:
    """A built stage: its folder, and the files in it."""

    stage: str
    out_dir: Path
    build_seconds: float

    @property
    def app_zip(self) -> Path:
        return self.out_dir / APP_ZIP

    @property
    def layer_zip(self) -> Path | None:
        path = self.out_dir / LAYER_ZIP
        return path if path.is_file() else None

    @property
    def template(self) -> Path:
        return self.out_dir / TEMPLATE

    @property
    def zips(self) -> list[Path]:
        return [self.app_zip] + ([self.layer_zip] if self.layer_zip else [])

    def unzipped_bytes(self) -> int:
        total = 0
        for path in self.zips:
            with zipfile.ZipFile(path) as zf:
                total += sum(info.file_size for info in zf.infolist())
        return total

    def summary(self) -> list[str]:
        lines = [f"{path.name}: {_mib(path.stat().st_size)} zipped" for path in self.zips]
        lines.append(f"unzipped, function and layer: {_mib(self.unzipped_bytes())} "
                     f"(Lambda allows {_mib(UNZIPPED_LIMIT)})")
        lines.append(f"template: {self.template}")
        if self.build_seconds:
            lines.append(f"built in {self.build_seconds:.1f} s")
        return lines


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def prepare_web_assets() -> None:
    """Hook run before zipping: copy the npm browser bundles into chalicelib/web/vendor/."""
    from devtools import vendor

    try:
        vendor.copy()
    except vendor.VendorError as exc:
        raise PackageError(f"browser bundles: {exc}") from exc


def build(stage: str, out_dir: Path, *, log: Callable[[str], None] = print) -> Artifact:
    """Build the artifact of ``stage`` into ``out_dir`` (created or overwritten)."""
    if sys.version_info[:2] != LAMBDA_PYTHON:
        raise PackageError(f"packaging needs Python {'.'.join(map(str, LAMBDA_PYTHON))} (the "
                           f"Lambda runtime), this is {sys.version.split()[0]}")
    started = time.perf_counter()
    prepare_web_assets()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (APP_ZIP, LAYER_ZIP, TEMPLATE):
        (out_dir / name).unlink(missing_ok=True)
    log(f"chalice package --stage {stage} --merge-template infra/hotline.json {out_dir}")
    _chalice_package(stage, out_dir)
    compiled = _rewrite(out_dir / APP_ZIP, extra=_flow_files())
    if (out_dir / LAYER_ZIP).is_file():
        compiled += _rewrite(out_dir / LAYER_ZIP)
    log(f"compiled {compiled} modules for CPython {sys.version_info[0]}.{sys.version_info[1]}")
    _finish_template(out_dir / TEMPLATE, stage)
    artifact = Artifact(stage, out_dir, time.perf_counter() - started)
    if artifact.unzipped_bytes() > UNZIPPED_LIMIT:
        raise PackageError(f"the package unzips to {_mib(artifact.unzipped_bytes())}, over "
                           f"Lambda's {_mib(UNZIPPED_LIMIT)}")
    return artifact


def _chalice_package(stage: str, out_dir: Path) -> None:
    env = dict(os.environ)
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # read by Chalice; nothing is called
    cmd = [str(BIN / "chalice"), "package", "--stage", stage,
           "--merge-template", str(MERGE_TEMPLATE), str(out_dir)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (out_dir / APP_ZIP).is_file():
        raise PackageError(f"chalice package failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")


def _flow_files() -> dict[str, bytes]:
    flows = {f"{BUNDLED_FLOWS}/{path.name}": path.read_bytes()
             for path in sorted(FLOWS.glob("*.json"))}
    if not flows:
        raise PackageError(f"no default flows in {FLOWS}")
    return flows


def _entries(path: Path, extra: dict[str, bytes]) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir() or "__pycache__/" in info.filename or info.filename.endswith(".pyc"):
                continue
            yield info, zf.read(info)
    for name, data in extra.items():
        yield zipfile.ZipInfo(name, _EPOCH), data


def _rewrite(path: Path, extra: dict[str, bytes] | None = None) -> int:
    """Rewrite a zip without stale bytecode, with ``extra`` files and fresh bytecode."""
    tmp = path.with_suffix(".tmp")
    compiled = 0
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in _entries(path, extra or {}):
            _write(out, info.filename, data, _readable(info.external_attr))
            pyc = _pyc(info.filename, data) if info.filename.endswith(".py") else None
            if pyc is not None:
                _write(out, _pyc_name(info.filename), pyc, _FILE_MODE)
                compiled += 1
    tmp.replace(path)
    return compiled


def _readable(external_attr: int) -> int:
    """The entry's Unix mode, made world-readable (Lambda's runtime user owns nothing)."""
    if external_attr >> 16 == 0:
        return _FILE_MODE
    return external_attr | (0o444 << 16)


def _write(out: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, _EPOCH)
    info.external_attr = mode
    info.compress_type = zipfile.ZIP_DEFLATED
    out.writestr(info, data)


def _pyc_name(name: str) -> str:
    folder, _, module = name.rpartition("/")
    tag = sys.implementation.cache_tag
    cached = f"__pycache__/{module[:-3]}.{tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def _pyc(name: str, source: bytes) -> bytes | None:
    """PEP 552 unchecked-hash bytecode: used as is, whatever the file times on Lambda.
    A file that is not Python 3.11 source (a template some packages ship) gets none."""
    try:
        code = compile(source, name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    flags = (0b01).to_bytes(4, "little")  # hash-based, source not checked
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + \
        marshal.dumps(code)


def _finish_template(path: Path, stage: str) -> None:
    template: dict[str, Any] = json.loads(path.read_text())
    params = template.setdefault("Parameters", {})
    params["Stage"]["Default"] = stage
    params["PublicBaseUrl"] = {
        "Type": "String", "Default": "",
        "Description": "The URL Twilio calls, API Gateway stage included "
                       "(https://abc.execute-api.us-east-1.amazonaws.com/api)"}
    resources = template["Resources"]
    for resource in resources.values():
        if resource.get("Type") == "AWS::Serverless::Function":
            variables = resource["Properties"].setdefault("Environment", {}) \
                .setdefault("Variables", {})
            variables.setdefault("PUBLIC_BASE_URL", {"Ref": "PublicBaseUrl"})
    alarm = resources.get("ApiErrorsAlarm")
    if alarm and "APIHandler" in resources:
        alarm["Properties"]["Dimensions"] = [{"Name": "FunctionName",
                                              "Value": {"Ref": "APIHandler"}}]
    path.write_text(json.dumps(template, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Hotline's deployment artifact.")
    parser.add_argument("stage", help="a stage of .chalice/config.json (dev, prod)")
    parser.add_argument("--out", type=Path, help="output folder (default: dist/<stage>)")
    args = parser.parse_args(argv)
    stages = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]
    if args.stage not in stages:
        print(f"package: no stage {args.stage!r} in .chalice/config.json "
              f"(stages: {', '.join(stages)})", file=sys.stderr)
        return 2
    out = (args.out or ROOT / "dist" / args.stage).resolve()
    try:
        artifact = build(args.stage, out, log=lambda line: print(f"package: {line}", flush=True))
    except PackageError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 1
    for line in artifact.summary():
        print(f"package: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
