"""Publishing, scanning and public feedback; QR codes and printable label sheets."""

from __future__ import annotations

import io
import ipaddress
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jiceng.core import audit, services
from jiceng.core.errors import DomainError, InvalidInput, PermissionRefused
from jiceng.core.models import AuditAction
from jiceng.core.publicpages.models import PageScan, PublicFeedback, PublicPage
from jiceng.core.publicpages.registry import spec_for
from jiceng.core.scope import object_area_path, user_can

TOKEN_BYTES = 24  # 32 URL-safe characters, 192 bits
FORM_SIGNER_SALT = "jiceng.publicpages.feedback"


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


# --- publishing --------------------------------------------------------------------------------


def do_publish(obj: models.Model, *, acting_user: Any, title: str = "") -> PublicPage:
    """The object's active public page, created on first use (requires change permission on it)."""
    spec = spec_for(type(obj))
    if spec is None or not spec.publishable(obj):
        raise InvalidInput(_("This kind of record cannot be published."))
    if acting_user is not None and not user_can(acting_user, obj, "change"):
        raise PermissionRefused(_("You may not publish this record."))
    content_type = ContentType.objects.get_for_model(obj)
    existing = PublicPage.objects.filter(content_type=content_type, object_id=str(obj.pk), is_active=True).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        page = PublicPage(
            token=secrets.token_urlsafe(TOKEN_BYTES),
            content_type=content_type,
            object_id=str(obj.pk),
            title=(title or spec.title(obj))[:200],
            area_path=object_area_path(obj),
            created_by=acting_user,
        )
        page.save()
        audit.record(AuditAction.CREATE, page, actor=acting_user, after=audit.snapshot(page), comment="published")
    return page


def do_revoke(page: PublicPage, *, acting_user: Any) -> PublicPage:
    """Take a page offline: its token answers 404 from now on (a new publish gets a new token)."""
    return services.do_update(page, data={"is_active": False}, acting_user=acting_user, comment="revoked")


def get_active_page(token: str) -> PublicPage | None:
    if not token or len(token) > 64:
        return None
    return PublicPage.objects.filter(token=token, is_active=True).select_related("content_type").first()


def public_rows(page: PublicPage) -> list[tuple[Any, Any]]:
    """(label, value) of the declared public fields only."""
    subject = page.subject
    spec = spec_for(type(subject)) if subject is not None else None
    if spec is None:
        return []
    return [(f.label, f.value(subject)) for f in spec.fields]


# --- scans and feedback -----------------------------------------------------------------------


def coarse_network(address: str) -> str:
    """``203.0.113.77`` → ``203.0.113.0/24``; IPv6 → its /48. Never the full address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def agent_family(user_agent: str) -> str:
    ua = user_agent.lower()
    for marker, family in (
        ("micromessenger", "wechat"),
        ("alipay", "alipay"),
        ("edg", "edge"),
        ("chrome", "chrome"),
        ("firefox", "firefox"),
        ("safari", "safari"),
    ):
        if marker in ua:
            return family
    return "other"


def record_scan(page: PublicPage, request: HttpRequest) -> None:
    PageScan.objects.create(
        page=page,
        agent_family=agent_family(request.headers.get("User-Agent", "")),
        network=coarse_network(request.META.get("REMOTE_ADDR", "")),
    )
    PublicPage.objects.filter(pk=page.pk).update(scan_count=F("scan_count") + 1)


def feedback_form_stamp() -> str:
    """A signed issue time put in the form; a submission faster than the minimum fill time is refused."""
    return signing.dumps({"t": time.time()}, salt=FORM_SIGNER_SALT)


def check_feedback(
    page: PublicPage, *, message: str, contact: str, honeypot: str, stamp: str, request: HttpRequest
) -> PublicFeedback:
    """Accept one public message after the abuse checks (no CAPTCHA): a honeypot field, a signed
    minimum fill time, a length limit and a rate limit per page and per network."""
    limits = settings.PUBLIC_FEEDBACK
    if honeypot:
        raise InvalidInput(_("The message could not be accepted."), code="rejected")
    try:
        issued = signing.loads(stamp, salt=FORM_SIGNER_SALT, max_age=limits["form_max_age_seconds"])["t"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise InvalidInput(_("The form has expired; reload the page and try again."), code="form_expired") from exc
    if time.time() - float(issued) < limits["min_fill_seconds"]:
        raise InvalidInput(_("The message could not be accepted."), code="rejected")
    message = message.strip()
    if not message or len(message) > limits["max_length"]:
        raise InvalidInput(
            _("Write a message of at most %(max)d characters.") % {"max": limits["max_length"]}, field="message"
        )
    network = coarse_network(request.META.get("REMOTE_ADDR", ""))
    for key in (f"jiceng:feedback:page:{page.pk}", f"jiceng:feedback:net:{network}"):
        if not cache.add(key, 1, timeout=limits["window_seconds"]) and cache.incr(key) > limits["per_window"]:
            raise RateLimited(_("Too many messages; please try again later."))
    return PublicFeedback.objects.create(page=page, message=message, contact=contact.strip()[:100], network=network)


# --- QR codes and labels ----------------------------------------------------------------------


def absolute_public_url(page: PublicPage, request: HttpRequest | None = None) -> str:
    base = settings.PUBLIC_BASE_URL or (request.build_absolute_uri("/")[:-1] if request is not None else "")
    return f"{base}{page.get_public_url()}"


def qr_code(url: str, kind: str) -> bytes:
    import segno

    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    else:
        code.save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def label_sheet_pdf(pages: list[PublicPage], request: HttpRequest | None = None) -> bytes:
    """An A4 sheet of QR labels (3 × 4 per page), each with its title in Chinese."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from jiceng.core.transfer.bulletins import CJK_FONT

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    columns, rows = 3, 4
    cell_w, cell_h = (width - 20 * mm) / columns, (height - 20 * mm) / rows
    for index, page in enumerate(pages):
        slot = index % (columns * rows)
        if index and slot == 0:
            sheet.showPage()
        x = 10 * mm + (slot % columns) * cell_w
        y = height - 10 * mm - (slot // columns + 1) * cell_h
        widget = QrCodeWidget(absolute_public_url(page, request))
        left, bottom, right, top = widget.getBounds()
        size = min(cell_w, cell_h) - 22 * mm
        drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, sheet, x + (cell_w - size) / 2, y + 14 * mm)
        sheet.setFont(CJK_FONT, 10)
        sheet.drawCentredString(x + cell_w / 2, y + 8 * mm, page.title[:22])
        sheet.setFont(CJK_FONT, 7)
        sheet.drawCentredString(x + cell_w / 2, y + 4 * mm, _("Scan to view"))
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()
