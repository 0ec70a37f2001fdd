"""The ``jiceng`` command line: demo, serve, migrate, createuser, token, worker and Django's commands.

jiceng demo [--no-serve] [--reset] [--port 8000] [--scale 1.0]
jiceng serve [--host 127.0.0.1] [--port 8000] [--workers 2]
jiceng migrate
jiceng createuser --username U --password P --area CODE --role ROLE
jiceng token U
jiceng worker [--workers 2]
jiceng ingest [--url mqtt://127.0.0.1:1883] [--client-id ID] [--group jiceng-ingest]
jiceng simulate [--interval 5] [--batch] [--in-process] [--rounds N]
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
    _start_telemetry()
    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def _start_telemetry() -> list[Any]:
    """Live readings for the demo's sensors: ``jiceng ingest`` + ``jiceng simulate`` through the MQTT
    broker when one answers at ``$JICENG_MQTT_URL``, else the simulator feeding the ingest pipeline
    in-process (no broker needed). Both stop with the demo."""
    import atexit
    import socket
    import subprocess

    from jiceng.safety.monitoring.ingest import mqtt_url
    from jiceng.safety.monitoring.models import Sensor
    from jiceng.safety.monitoring.mqtt import BrokerAddress

    if not Sensor.objects.filter(is_active=True).exists():
        return []
    address = BrokerAddress.parse(mqtt_url())
    try:
        socket.create_connection((address.host, address.port), timeout=1).close()
        broker = True
    except OSError:
        broker = False
    command = [sys.executable, "-m", "jiceng"]
    if broker:
        children = [
            subprocess.Popen([*command, "ingest", "--client-id", "jiceng-demo-ingest", "--log-level", "WARNING"]),  # noqa: S603
            subprocess.Popen([*command, "simulate", "--interval", "5"]),  # noqa: S603
        ]
        print(f"Live sensor readings: jiceng simulate → MQTT {address.host}:{address.port} → jiceng ingest")
    else:
        children = [subprocess.Popen([*command, "simulate", "--in-process", "--interval", "5"])]  # noqa: S603
        print(f"No MQTT broker at {address.host}:{address.port}: live sensor readings are simulated in-process")

    def stop() -> None:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    return children


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


def _logging(level: str) -> None:
    import logging

    logging.basicConfig(level=getattr(logging, level), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for name in ("jiceng.ingest", "jiceng.simulate"):
        logging.getLogger(name).setLevel(getattr(logging, level))


def cmd_ingest(args: argparse.Namespace) -> int:
    _setup()
    _logging(args.log_level)
    from jiceng.safety.monitoring.ingest import IngestWorker

    worker = IngestWorker(
        url=args.url,
        client_id=args.client_id,
        group=args.group,
        batch_max=args.batch_max,
        flush_ms=args.flush_ms,
        stats_file=args.stats_file,
        stats_every=args.stats_every,
    )
    totals = worker.run(max_seconds=args.max_seconds)
    print(totals.as_dict())
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    _setup()
    _logging(args.log_level)
    from jiceng.safety.monitoring import simulate

    sent = simulate.run(
        interval=args.interval,
        rounds=args.rounds,
        duration=args.duration,
        batch=args.batch,
        in_process=args.in_process,
        url=args.url,
        seed=args.seed,
        excursion_rate=args.excursion_rate,
    )
    print(f"{sent} readings")
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

    ingest = sub.add_parser("ingest", help="consume sensor readings from MQTT (docs/modules/safety-monitoring.md)")
    ingest.add_argument("--url", default=None, help="broker URL (default $JICENG_MQTT_URL or mqtt://127.0.0.1:1883)")
    ingest.add_argument("--client-id", default=None, help="stable per worker: a restarted worker resumes its session")
    ingest.add_argument("--group", default="jiceng-ingest", help="shared-subscription group ('' for none)")
    ingest.add_argument("--batch-max", type=int, default=5000, help="messages per database transaction at most")
    ingest.add_argument("--flush-ms", type=int, default=50, help="longest wait before a partial batch is written")
    ingest.add_argument("--stats-file", default=None, help="write running totals (JSON) here")
    ingest.add_argument("--stats-every", type=float, default=5.0, help="seconds between stats (log and file)")
    ingest.add_argument("--max-seconds", type=float, default=None)
    ingest.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    ingest.set_defaults(func=cmd_ingest)

    simulate = sub.add_parser("simulate", help="publish realistic readings for the registered sensors")
    simulate.add_argument("--interval", type=float, default=5.0, help="seconds between rounds (one reading per sensor)")
    simulate.add_argument("--rounds", type=int, default=None)
    simulate.add_argument("--duration", type=float, default=None, help="seconds")
    simulate.add_argument("--batch", action="store_true", help="one message per gateway (jiceng/batches/<code>)")
    simulate.add_argument("--in-process", action="store_true", help="no broker: feed the ingest pipeline directly")
    simulate.add_argument("--url", default=None)
    simulate.add_argument("--seed", type=int, default=2026)
    simulate.add_argument("--excursion-rate", type=float, default=0.002, help="chance per sensor and round")
    simulate.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    simulate.set_defaults(func=cmd_simulate)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    return int(args.func(args) or 0)
