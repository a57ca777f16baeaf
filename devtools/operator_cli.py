"""`./dev operator create <stage> --email …`: the first operator login of a stage.

Run once per deployed stage, with AWS credentials that may write the stage's tables
(``hotline-<stage>-users`` and ``-emails``). The password comes from
``HOTLINE_OPERATOR_PASSWORD`` or, when that is unset, from a prompt (asked twice). A
stage that already has an operator is refused unless ``--force`` (which adds another).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Mapping, Sequence

PASSWORD_ENV = "HOTLINE_OPERATOR_PASSWORD"


def stage_settings(stage: str, environ: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """Settings that reach the stage's tables only: no secret, no public URL needed."""
    from chalicelib.config import Secrets, Settings

    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return Settings(
        stage=stage, public_base_url="https://operator-cli.invalid",
        table_prefix=environ.get("HOTLINE_TABLE_PREFIX") or f"hotline-{stage}",
        aws_region=region, dynamodb_endpoint=environ.get("AWS_ENDPOINT_URL_DYNAMODB") or None,
        secrets=Secrets({}), twilio_api_base=None, jwt_ttl_seconds=3600,
        reservation_timeout_seconds=15, dynamodb_timeout_seconds=5.0,
        dynamodb_max_retries=3, http_timeout_seconds=4.0, allow_loopback_http=False)


def read_password(environ: Mapping[str, str]) -> str:
    given = environ.get(PASSWORD_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise SystemExit(f"set {PASSWORD_ENV}, or run this in a terminal to be asked")
    first = getpass.getpass("Operator password (10+ characters): ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("the two passwords differ; nothing was created")
    return first


def accounts(stage: str, environ: Mapping[str, str]):  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo import base
    from chalicelib.adapters.dynamo.tables import import_all_models
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.adapters.security import PasswordHasher
    from chalicelib.services.operator.accounts import OperatorAccounts

    settings = stage_settings(stage, environ)
    import_all_models()
    base.bind(settings)
    return OperatorAccounts(TenantRepository(settings), PasswordHasher())


def create(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    from chalicelib.domain.errors import HotlineError

    env = os.environ if environ is None else environ
    try:
        made = accounts(args.stage, env).create(args.email, read_password(env), args.name,
                                                force=args.force)
    except HotlineError as exc:
        print(f"Not created: {exc.message}", file=sys.stderr)
        return 1
    print(f"Operator login  {made.email}  (user {made.user_id}) on stage {args.stage}. "
          "Log in at <your stage's URL>/login; it opens the operator console.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="./dev operator",
                                     description="The platform operator's logins")
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("create", help="create a stage's operator login (once)")
    made.add_argument("stage", help="the stage whose tables to write, e.g. dev or prod")
    made.add_argument("--email", required=True)
    made.add_argument("--name", default="Operator")
    made.add_argument("--force", action="store_true",
                      help="add another operator even though the stage has one")
    made.set_defaults(run=create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
