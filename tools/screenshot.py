"""Render the README's dashboard screenshot, ``docs/img/dashboard.png`` (1280×800).

    .venv/bin/python tools/screenshot.py [--out docs/img/dashboard.png] [--scale 0.05] [--keep]

What it does, in a throw-away var directory (the real ``var/`` is never touched):

1. ``jiceng demo --no-serve --scale 0.05`` builds the demo county on an embedded database;
2. if the demo is still thin (fewer than ``MIN_PERSONS`` people in its first county), the test
   cast's county 莘县 is filled with generated townships, villages, people, enterprises and
   grids (synthetic, checksum-valid identifiers, a fixed random seed);
3. a county administrator ``readme_admin`` is created for the county;
4. ``jiceng serve`` runs on a free loopback port; Debian's Chromium (headless, through
   Playwright) signs in through the login form in Chinese and photographs the 驾驶舱.

Nothing is downloaded; the browser is ``/usr/bin/chromium`` (override with JICENG_CHROMIUM).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
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
MIN_PERSONS = 200
SEED = 2026

# Townships added to 莘县 when the demo has none of its own (names of real towns of the
# county; codes are synthetic, after the cast's 燕店镇 100 and 古云镇 101).
TOWNSHIPS = [
    ("102", "张鲁回族镇", ["东街村", "吴堤口村", "刘楼村", "王楼村"]),
    ("103", "朝城镇", ["北街村", "南街村", "前屯村"]),
    ("104", "观城镇", ["东关村", "西关村", "范庄村"]),
    ("105", "古城镇", ["古城村", "李庄村"]),
    ("106", "大张家镇", ["大张家村", "小张家村", "马庄村"]),
    ("107", "樱桃园镇", ["樱桃园村", "孙庄村"]),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国秀英志强丽华德胜玉兰桂芳明亮海燕文博春梅红霞国庆振华淑珍子涵浩然欣怡宇轩雨桐佳琪"
ENTERPRISE_WORDS = ["恒源", "鲁信", "华泰", "金穗", "宏达", "瑞丰", "东岳", "齐鲁", "鑫源"]
ENTERPRISE_KINDS = [("农业科技有限公司", "A"), ("食品有限公司", "C"), ("建材有限公司", "C"), ("商贸有限公司", "F")]


# --- step 2 and 3: run inside the demo's Django (``--populate``) ---------------------------
def populate(password: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.config.settings")
    django.setup()
    from django.db import transaction

    from jiceng.accounts.models import User
    from jiceng.accounts.services import do_create_user
    from jiceng.directory.models import Area, Person

    county = Area.objects.filter(level="county").order_by("code").first()
    thin = county is None or Person.objects.filter(area__path__startswith=county.path).count() < MIN_PERSONS
    if thin:
        with transaction.atomic():
            county = _fill_county()
    if not User.objects.filter(username=USERNAME).exists():
        do_create_user(
            username=USERNAME,
            password=password,
            area_code=county.code,
            role_keys=["admin"],
            display_name="县级管理员",
            check_password=False,
        )
    print(f"county {county.code} {county.name}: {'generated' if thin else 'demo'} data")


def _fill_county():
    from jiceng.core import services
    from jiceng.core.testing import build_cast
    from jiceng.directory.identifiers import make_credit_code, make_id_number
    from jiceng.directory.models import Area, Enterprise, Grid, Person
    from jiceng.directory.services import do_create_area

    rng = random.Random(SEED)  # noqa: S311 (synthetic demo data, reproducible)
    cast = build_cast()
    county = cast.area("莘县")
    villages = list(Area.objects.filter(path__startswith=county.path, depth=county.depth + 2))
    for code, name, village_names in TOWNSHIPS:
        township_code = f"371522{code}000"
        township = Area.objects.filter(code=township_code).first() or do_create_area(
            data={"code": township_code, "name": name, "parent": county}, acting_user=None
        )
        for i, village_name in enumerate(village_names, start=1):
            village_code = f"371522{code}{200 + i:03d}"
            village = Area.objects.filter(code=village_code).first() or do_create_area(
                data={"code": village_code, "name": village_name, "parent": township}, acting_user=None
            )
            villages.append(village)
    taken = set(Person.objects.values_list("id_number", flat=True))
    persons = []
    for village in villages:
        for _ in range(rng.randint(25, 70)):
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 65))
            number = make_id_number("371522", birth, rng.randint(1, 999))
            if number in taken:
                continue
            taken.add(number)
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
            persons.append(Person(name=name, id_number=number, area=village, is_demo=True))
    services.do_bulk_create(Person, persons, acting_user=None, comment="README screenshot data")
    enterprises = []
    serial = 0
    for village in villages:
        for _ in range(rng.randint(1, 6)):
            serial += 1
            kind, sector = rng.choice(ENTERPRISE_KINDS)
            word = rng.choice(ENTERPRISE_WORDS)
            enterprises.append(
                Enterprise(
                    name=f"莘县{word}{kind}（{serial}）",
                    credit_code=make_credit_code("91", f"{SEED:04d}{serial:04d}"),
                    sector=sector,
                    area=village,
                    is_key=rng.random() < 0.2,
                    is_demo=True,
                )
            )
    services.do_bulk_create(Enterprise, enterprises, acting_user=None, comment="README screenshot data")
    grids = [
        Grid(name=f"{village.name}第{n}网格", code=f"{village.code}-{n}", area=village, households=rng.randint(80, 260))
        for village in villages
        for n in range(1, rng.randint(2, 4))
    ]
    services.do_bulk_create(Grid, grids, acting_user=None, comment="README screenshot data")
    return county


# --- steps 1 and 4: orchestration ----------------------------------------------------------
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
