"""Real-browser test: Debian's Chromium (headless) against pytest-django's live server.

The scenario a township cadre lives through: sign in through the form, open the person list
(only the own township's people), filter by name through HTMX (no page reload), read the
Chinese labels in a real CJK font, switch to a phone-width screen. Then the sibling
township's cadre proves that none of those records can be seen (list, and 404 on a direct
detail URL). Under the Content-Security-Policy no page may log a violation.

Locally the test is skipped when Chromium (or Playwright) is missing; under ``CI=true`` a
missing browser or font fails it instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (building the cast) are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

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
IN_CI = os.environ.get("CI", "").lower() == "true"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"

# (name, birth date, serial, village) — the township 燕店镇 and its sibling 古云镇.
OWN_PERSONS = [
    ("张建国", "19680312", 11, "东村"),
    ("李秀英", "19750704", 22, "东村"),
    ("王志强", "19890215", 31, "西村"),
]
SIBLING_PERSONS = [("赵德胜", "19700101", 41, "南村"), ("孙丽华", "19820909", 52, "南村")]


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def people(transactional_db):
    from jiceng.core.testing import build_cast, make_id_number
    from jiceng.directory.services import do_create_person

    cast = build_cast()
    created = {}
    for name, birth, serial, village in OWN_PERSONS + SIBLING_PERSONS:
        created[name] = do_create_person(
            data={"name": name, "id_number": make_id_number(birth, serial), "area": cast.area(village)},
            acting_user=None,
        )
    return created


class PageWatch:
    """Collect console errors and CSP violations of one page."""

    def __init__(self, page) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.csp: list[str] = []
        self.failed_assets: list[str] = []
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            self.console_errors.append(text)

    def _response(self, response) -> None:
        # A page answering 404 is what some steps expect; a missing stylesheet or script is a bug.
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_assets.append(f"{response.status} {response.url}")

    def assert_clean(self) -> None:
        assert self.csp == [], f"CSP violations: {self.csp}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.failed_assets == [], f"assets that failed to load: {self.failed_assets}"


def new_page(browser, base_url: str, **context_options):
    # Cadres' browsers ask for Chinese; the test browser must say so too.
    options = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 800}, **context_options}
    context = browser.new_context(base_url=base_url, **options)
    page = context.new_page()
    return page, PageWatch(page)


def sign_in(page, username: str) -> None:
    from jiceng.core.testing import PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url("**/dashboard/")


def rendered_font_families(page, selector: str) -> list[str]:
    """The platform fonts Chromium really used to draw the node (DevTools CSS domain)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no node matches {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in fonts if f.get("glyphCount", 0) > 0]


def test_township_cadre_sees_only_own_township(browser, live_server, people):
    from playwright.sync_api import expect

    persons = people
    OUTPUT.mkdir(exist_ok=True)
    page, watch = new_page(browser, live_server.url)

    sign_in(page, "township_staff")
    # The dashboard (驾驶舱) draws its ECharts chart from the local bundle.
    page.wait_for_selector(".chart svg", timeout=10_000)
    assert page.evaluate("typeof window.echarts") == "object"

    page.goto("/directory/persons/")
    table = page.locator("#object-table")
    for name, *_ in OWN_PERSONS:
        assert table.get_by_role("link", name=name).count() == 1, name
    for name, *_ in SIBLING_PERSONS:
        assert table.get_by_text(name).count() == 0, name
    assert table.locator("tbody tr").count() == len(OWN_PERSONS)

    # Chinese labels, drawn with a real CJK font (not tofu boxes, not a Latin fallback).
    assert page.locator("h1").inner_text().strip() == "人员"
    assert page.locator("#object-table thead").inner_text().count("身份证号") == 1
    assert page.evaluate("""document.fonts.check('16px "Noto Sans CJK SC"', '人员')""")
    families = rendered_font_families(page, "h1")
    assert any("CJK" in family for family in families), f"h1 drawn with {families}"

    # Filter by name through HTMX: the table is swapped in place, the page is not reloaded.
    page.evaluate("window.__notReloaded = true")
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true"):
        page.fill("form.filters input[name=q]", "建国")
    expect(table.locator("tbody tr")).to_have_count(1)
    assert page.evaluate("window.__notReloaded === true")
    assert table.locator("tbody tr").inner_text().startswith("张建国")
    assert "q=" in page.url  # the filtered list has its own address (hx-push-url)
    page.screenshot(path=str(OUTPUT / "person-list.png"), full_page=True)

    # Detail page with its history tab (the creation is audited).
    page.get_by_role("link", name="张建国").click()
    page.wait_for_url(f"**/directory/persons/{persons['张建国'].pk}/")
    page.get_by_role("link", name="历史记录").click()
    assert page.locator("table.table tbody tr").count() >= 1
    watch.assert_clean()

    # English is the second language, one click away; the choice sticks across pages.
    with page.expect_navigation():
        page.select_option(".lang-form select", "en")
    assert page.locator("h1").inner_text().strip() == "张建国"
    page.goto("/directory/persons/")
    assert page.locator("h1").inner_text().strip() == "Persons"
    assert "resident id number" in page.locator("#object-table thead").inner_text().lower()

    # Phone width (390 px): no sideways scrolling, the menu folds behind a button.
    phone, phone_watch = new_page(browser, live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    sign_in(phone, "township_staff")
    phone.goto("/directory/persons/")
    assert phone.locator("#nav").is_hidden()
    phone.click("[data-toggle=nav]")
    assert phone.locator("#nav").is_visible()
    phone.click("[data-toggle=nav]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(OUTPUT / "person-list-phone.png"), full_page=True)
    phone_watch.assert_clean()
    phone.context.close()
    page.context.close()


def test_sibling_township_sees_nothing_of_the_first(browser, live_server, people):
    persons = people
    page, watch = new_page(browser, live_server.url)
    sign_in(page, "outsider")

    page.goto("/directory/persons/")
    table = page.locator("#object-table")
    for name, *_ in SIBLING_PERSONS:
        assert table.get_by_role("link", name=name).count() == 1, name
    body = page.locator("body").inner_text()
    for name, *_ in OWN_PERSONS:
        assert name not in body

    # Searching for a first-township name finds nothing either.
    page.goto("/directory/persons/?q=张建国")
    assert table.locator("tbody tr td.empty").count() == 1

    for name, *_ in OWN_PERSONS:
        response = page.goto(f"/directory/persons/{persons[name].pk}/")
        assert response is not None and response.status == 404, name
        assert name not in page.locator("body").inner_text()
    response = page.goto(f"/directory/persons/{persons['张建国'].pk}/history/")
    assert response is not None and response.status == 404
    watch.assert_clean()
    page.context.close()


def test_api_docs_load_under_the_csp(browser, live_server, people):
    page, watch = new_page(browser, live_server.url)
    sign_in(page, "county_admin")
    response = page.goto("/api/docs/")
    assert response is not None and response.status == 200
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.locator(".swagger-ui .opblock").count() > 5
    watch.assert_clean()
    page.context.close()
