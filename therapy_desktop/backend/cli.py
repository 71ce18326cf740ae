"""`therapy-desktop-backend`: run the clinic backend and manage its users and tokens.

    serve [--host H] [--port P]     run the HTTP service (port 0: any free port, printed)
    migrate                         bring the database schema to the newest revision
    create-user NAME                add a person who may start sessions
    issue-token NAME [--days N]     a new bearer token for NAME (printed as the last line)
    revoke-token TOKEN | --id ID | --user NAME

Settings come from the environment or a `.env` file in the working directory (see settings.py).
"""

from __future__ import annotations

import argparse
import logging
import re
import socket
import sys
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from therapy_desktop.backend import migrate, tokens
from therapy_desktop.backend.db import make_engine, session_factory
from therapy_desktop.backend.logs import configure_logging
from therapy_desktop.backend.models import User
from therapy_desktop.backend.settings import BackendSettings

log = logging.getLogger(__name__)

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")


class CommandFailed(Exception):
    """A sentence for the operator; the command exits 1."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(logging.DEBUG if args.verbose else logging.INFO)
    try:
        settings = BackendSettings()
    except ValueError as exc:  # pydantic's ValidationError names the variable and the rule
        print(f"therapy-desktop-backend: error: the settings are not valid: {exc}", file=sys.stderr)
        return 2
    command: Callable[[argparse.Namespace, BackendSettings], None] = args.run
    try:
        command(args, settings)
    except CommandFailed as exc:
        print(f"therapy-desktop-backend: error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        print(f"therapy-desktop-backend: error: the database at {where} failed ({type(exc).__name__}). "
              "Check DATABASE_URL, and run `therapy-desktop-backend migrate` if it is new.", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="therapy-desktop-backend", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0: any free port)")
    serve.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (else put it behind a TLS proxy)")
    serve.add_argument("--ssl-keyfile", help="the certificate's private key")
    serve.set_defaults(run=_serve)

    commands.add_parser("migrate", help="bring the schema to the newest revision").set_defaults(run=_migrate)

    create = commands.add_parser("create-user", help="add a person")
    create.add_argument("name")
    create.set_defaults(run=_create_user)

    issue = commands.add_parser("issue-token", help="a new bearer token for a person (last line of output)")
    issue.add_argument("name")
    issue.add_argument("--days", type=float, default=30.0, help="how long it is valid (default 30)")
    issue.set_defaults(run=_issue_token)

    revoke = commands.add_parser("revoke-token", help="revoke a token, by itself or its id, or all of a person's")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("token", nargs="?", help="the token itself")
    which.add_argument("--id", dest="token_id", help="the token id printed by issue-token")
    which.add_argument("--user", help="revoke every token of this person")
    revoke.set_defaults(run=_revoke_token)
    return parser


def _engine(settings: BackendSettings) -> Engine:
    return make_engine(settings.database_url)


def _secret(settings: BackendSettings, engine: Engine) -> str:
    if settings.backend_token_secret is not None:
        return settings.backend_token_secret.get_secret_value()
    secret = migrate.stored_signing_secret(engine)
    if not secret:
        raise CommandFailed("there is no token-signing secret yet: run `therapy-desktop-backend migrate` first.")
    return secret


def _require_current_schema(engine: Engine) -> None:
    current, head = migrate.schema_revision(engine), migrate.head_revision()
    if current != head:
        raise CommandFailed(f"the database schema is at revision {current or 'none'}, this version needs {head}: "
                            "run `therapy-desktop-backend migrate` first.")


def _migrate(args: argparse.Namespace, settings: BackendSettings) -> None:
    logging.getLogger("alembic").setLevel(logging.INFO)
    migrate.upgrade(settings.database_url)
    engine = _engine(settings)
    print(f"schema at revision {migrate.schema_revision(engine)}")
    if settings.backend_token_secret is None and migrate.ensure_signing_secret(engine):
        print("generated the token-signing secret and stored it in the database")


def _create_user(args: argparse.Namespace, settings: BackendSettings) -> None:
    if not USER_NAME.match(args.name):
        raise CommandFailed("a user name is 1-80 letters, digits and . _ @ - (starting with a letter or digit).")
    engine = _engine(settings)
    _require_current_schema(engine)
    with session_factory(engine)() as db:
        db.add(User(name=args.name))
        try:
            db.commit()
        except IntegrityError:
            raise CommandFailed(f"a user named {args.name!r} already exists.") from None
    print(f"created user {args.name}")


def _user(db: object, name: str) -> User:
    user = db.scalar(select(User).where(User.name == name))  # type: ignore[attr-defined]
    if user is None:
        raise CommandFailed(f"there is no user named {name!r}: create them with `create-user {name}`.")
    return user


def _issue_token(args: argparse.Namespace, settings: BackendSettings) -> None:
    if not 0 < args.days <= 3650:
        raise CommandFailed("--days must be more than 0 and at most 3650.")
    engine = _engine(settings)
    _require_current_schema(engine)
    secret = _secret(settings, engine)
    with session_factory(engine)() as db:
        issued = tokens.issue_token(db, secret, _user(db, args.name), days=args.days)
    print(f"token id {issued.token_id} for {args.name}, valid until {issued.expires_at.isoformat()}")
    print(issued.token)


def _revoke_token(args: argparse.Namespace, settings: BackendSettings) -> None:
    engine = _engine(settings)
    _require_current_schema(engine)
    with session_factory(engine)() as db:
        if args.user:
            count = tokens.revoke_user_tokens(db, _user(db, args.user).id)
            print(f"revoked {count} token(s) of {args.user}")
            return
        token_id = args.token_id or tokens.parse_token_id(args.token or "")
        if not token_id:
            raise CommandFailed("that is not a token from this backend; pass the token, --id ID or --user NAME.")
        if not tokens.revoke_token(db, token_id):
            raise CommandFailed(f"no active token has the id {token_id}.")
    print(f"revoked token {token_id}")


def _serve(args: argparse.Namespace, settings: BackendSettings) -> None:
    import uvicorn

    from therapy_desktop.backend.app import BackendNotReady, create_app

    engine = _engine(settings)
    _require_current_schema(engine)
    try:
        app = create_app(settings, engine=engine)
    except BackendNotReady as exc:
        raise CommandFailed(str(exc)) from None
    # Bind here, so port 0 works and the real address is printed before the first request.
    try:
        sock = socket.create_server((args.host, args.port), family=_family(args.host), reuse_port=False)
    except OSError as exc:
        raise CommandFailed(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}.") from None
    host, port = sock.getsockname()[:2]
    scheme = "https" if args.ssl_certfile else "http"
    print(f"listening on {scheme}://{_url_host(host)}:{port}", flush=True)
    config = uvicorn.Config(app, log_config=None, access_log=True, proxy_headers=True,
                            ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
                            limit_concurrency=200, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


if __name__ == "__main__":
    raise SystemExit(main())
