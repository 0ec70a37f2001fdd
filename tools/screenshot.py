"""Render the README's dashboard screenshot, ``docs/img/dashboard.png`` (1280×800).

    .venv/bin/python tools/screenshot.py [--out docs/img/dashboard.png] [--scale 0.05] [--keep]

What it does, in a throw-away var directory (the real ``var/`` is never touched):

1. ``jiceng demo --no-serve --scale 0.05`` builds the demo county on an embedded database;
2. a county administrator ``readme_admin`` is created for the county;
3. ``jiceng serve`` runs on a free loopback port; Debian's Chromium (headless, through
   Playwright) signs in through the login form in Chinese and photographs the 驾驶舱.

Nothing is downloaded; the browser is ``/usr/bin/chromium`` (override with JICENG_CHROMIUM).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("JICENG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERNAME = "readme_admin"


# --- step 2 and 3: run inside the demo's Django (``--populate``) ---------------------------
def populate(password: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.config.settings")
    django.setup()
    from jiceng.accounts.models import User
    from jiceng.accounts.services import do_create_user
    from jiceng.directory.demo import DEMO_COUNTY_CODE
    from jiceng.directory.models import Area

    county = Area.objects.get(code=DEMO_COUNTY_CODE)
    if not User.objects.filter(username=USERNAME).exists():
        do_create_user(
            username=USERNAME,
            password=password,
            area_code=county.code,
            role_keys=["admin"],
            display_name="县级管理员",
            check_password=False,
        )
    print(f"county {county.code} {county.name}: demo data")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"jiceng serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}healthz", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not become healthy in {timeout:.0f}s")


def photograph(url: str, password: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            base_url=url, locale="zh-CN", viewport={"width": 1280, "height": 800}, device_scale_factor=1
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", password)
        page.click("form.login-form button[type=submit]")
        page.wait_for_url("**/dashboard/")
        page.wait_for_selector(".chart svg", timeout=15_000)
        page.wait_for_timeout(300)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "dashboard.png")
    parser.add_argument("--scale", default="0.05")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var directory")
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    password = os.environ.get("JICENG_SCREENSHOT_PASSWORD") or secrets.token_urlsafe(12)
    if args.populate:
        populate(password)
        return 0
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}")

    var = Path(tempfile.mkdtemp(prefix="jiceng-screenshot-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "JICENG_TESTING", "JICENG_TEST_DATABASE_URL", "JICENG_DEBUG"}
    }
    env.update(
        JICENG_VAR_DIR=str(var),
        JICENG_SECRET_KEY=secrets.token_urlsafe(40),
        JICENG_INSECURE_HTTP="1",
        JICENG_SCREENSHOT_PASSWORD=password,
        JICENG_JOBS_IMMEDIATE="1",
    )
    python = sys.executable
    server = None
    try:
        subprocess.run([python, str(ROOT / "tools" / "compilemessages.py")], check=True, cwd=ROOT, env=env)
        subprocess.run(
            [python, "-m", "jiceng", "demo", "--no-serve", "--scale", args.scale], check=True, cwd=ROOT, env=env
        )
        subprocess.run([python, str(Path(__file__).resolve()), "--populate"], check=True, cwd=ROOT, env=env)
        port = _free_port()
        url = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen(
            [python, "-m", "jiceng", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        _wait_healthy(url, server)
        photograph(url, password, args.out)
        print(f"wrote {args.out} (1280×800)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"kept {var}")
        else:
            shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
