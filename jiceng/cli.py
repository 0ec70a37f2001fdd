"""The ``jiceng`` command line: demo, serve, migrate, createuser, token, worker and Django's commands.

jiceng demo [--no-serve] [--reset] [--port 8000] [--scale 1.0]
jiceng serve [--host 127.0.0.1] [--port 8000] [--workers 2]
jiceng migrate
jiceng createuser --username U --password P --area CODE --role ROLE
jiceng token U
jiceng manage <any Django management command>
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

SETTINGS_MODULE = "jiceng.config.settings"


def _var_dir() -> Path:
    home = Path(os.environ.get("JICENG_HOME", Path(__file__).resolve().parent.parent))
    return Path(os.environ.get("JICENG_VAR_DIR", home / "var"))


def _ensure_local_secret() -> None:
    """Embedded (demo) installs keep a generated secret under var/ instead of requiring one."""
    if os.environ.get("JICENG_SECRET_KEY") or os.environ.get("JICENG_DEBUG"):
        return
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        return  # production: the secret must come from the environment
    var = _var_dir()
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ["JICENG_SECRET_KEY"] = key_file.read_text().strip()


def _setup(*, local_http: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if local_http:
        os.environ.setdefault("JICENG_INSECURE_HTTP", "1")
    _ensure_local_secret()
    _var_dir().mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _call(name: str, *args: Any, **kwargs: Any) -> None:
    from django.core.management import call_command

    call_command(name, *args, **kwargs)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    _call("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup(local_http=args.host in {"127.0.0.1", "localhost", "::1"})
    from jiceng.server import serve

    _call("collectstatic", interactive=False, verbosity=0)
    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _setup(local_http=True)
    from jiceng.demo import build_demo, print_logins

    if args.reset:
        _reset_embedded_database()
    _call("migrate", interactive=False, verbosity=0)
    summary = build_demo(scale=args.scale, seed=args.seed)
    print(summary.describe())
    if args.no_serve:
        print_logins(summary, url=None)
        return 0
    from jiceng.server import serve

    _call("collectstatic", interactive=False, verbosity=0)
    print_logins(summary, url=f"http://{args.host}:{args.port}/")
    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def _reset_embedded_database() -> None:
    from django.conf import settings
    from django.db import connections

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        # On PostgreSQL a reset means flushing the tables; the schema stays.
        _call("flush", interactive=False, verbosity=0)
        return
    connections.close_all()
    path = Path(db["NAME"])
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def cmd_passthrough(name: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["jiceng", name, *args.rest])
        return 0

    return run


def cmd_worker(args: argparse.Namespace) -> int:
    _setup()
    from jiceng.core.jobs.worker import run_worker

    run_worker(workers=args.workers, periodic=not args.no_periodic)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiceng manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiceng", description="Jiceng (基层): county and township administration platform."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="build the demo county and serve it")
    demo.add_argument("--no-serve", action="store_true", help="build the data and exit")
    demo.add_argument("--reset", action="store_true", help="start over from an empty database")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--workers", type=int, default=2)
    demo.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 50,000 people and 600 key enterprises")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--verbosity", type=int, default=1)
    migrate.set_defaults(func=cmd_migrate)

    for name, help_text in (
        ("createuser", "create a user with roles over an area"),
        ("token", "print a user's API token"),
    ):
        p = sub.add_parser(name, help=help_text, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=cmd_passthrough(name))

    worker = sub.add_parser("worker", help="run a background-job worker (and the periodic schedule)")
    worker.add_argument("--workers", type=int, default=2)
    worker.add_argument("--no-periodic", action="store_true", help="do not run the periodic schedule here")
    worker.set_defaults(func=cmd_worker)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    return int(args.func(args) or 0)
