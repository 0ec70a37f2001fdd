"""Notification channels: in-app (the inbox row itself), email, and an HTTP webhook for SMS gateways.

A channel is an object with ``name``, ``default_enabled(user)`` and ``send(notification)``;
``register_channel`` adds one (e.g. a WeCom bot). ``send`` raises on failure; the caller
records the outcome per channel on the notification.

Webhook: ``ALERTS_WEBHOOK_URL`` (setting, or env ``JICENG_ALERTS_WEBHOOK_URL``) receives a JSON
POST signed with HMAC-SHA256 over the body using ``ALERTS_WEBHOOK_SECRET`` (env
``JICENG_ALERTS_WEBHOOK_SECRET``), header ``X-Jiceng-Signature: sha256=<hex>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

SIGNATURE_HEADER = "X-Jiceng-Signature"


class Channel:
    name = ""

    def default_enabled(self, user: Any) -> bool:
        return False

    def send(self, notification: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class InAppChannel(Channel):
    """The ``Notification`` row is the in-app message; nothing more to deliver."""

    name = "in_app"

    def default_enabled(self, user: Any) -> bool:
        return True

    def send(self, notification: Any) -> None:
        return None


def message_text(notification: Any) -> tuple[str, str]:
    alert = notification.alert
    subject = f"[{alert.get_severity_display()}] {alert.rule} · {alert.subject_repr}"
    raised = timezone.localtime(alert.raised_at).strftime("%Y-%m-%d %H:%M")
    body = f"{alert.explanation}\n\n{alert.subject_repr} · {raised} · {notification.event}"
    return subject[:200], body


class EmailChannel(Channel):
    """Django's email backend; on by default for users with an email address."""

    name = "email"

    def default_enabled(self, user: Any) -> bool:
        return bool(getattr(user, "email", ""))

    def send(self, notification: Any) -> None:
        address = getattr(notification.user, "email", "")
        if not address:
            raise ValueError("user has no email address")
        subject, body = message_text(notification)
        send_mail(subject, body, None, [address], fail_silently=False)


def webhook_url() -> str:
    return str(getattr(settings, "ALERTS_WEBHOOK_URL", "") or os.environ.get("JICENG_ALERTS_WEBHOOK_URL", ""))


def webhook_secret() -> str:
    return str(getattr(settings, "ALERTS_WEBHOOK_SECRET", "") or os.environ.get("JICENG_ALERTS_WEBHOOK_SECRET", ""))


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_payload(notification: Any) -> dict[str, Any]:
    alert = notification.alert
    user = notification.user
    return {
        "event": notification.event,
        "notification": notification.pk,
        "alert": {
            "id": alert.pk,
            "rule": alert.rule,
            "severity": alert.severity,
            "state": alert.state,
            "explanation": alert.explanation,
            "subject": alert.subject_repr,
            "area_path": alert.area_path,
            "raised_at": alert.raised_at.isoformat(),
        },
        "recipient": {
            "username": user.get_username(),
            "phone": getattr(user, "phone", "") or getattr(user, "mobile", "") or "",
        },
    }


class WebhookChannel(Channel):
    """POST JSON to an SMS gateway (opt-in per user: text messages cost money)."""

    name = "webhook"
    timeout = 5

    def send(self, notification: Any) -> None:
        url = webhook_url()
        if not url.startswith(("http://", "https://")):
            raise ValueError("ALERTS_WEBHOOK_URL is not set to an http(s) URL")
        body = json.dumps(webhook_payload(notification), ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: sign(body, webhook_secret())},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if response.status >= 300:
                raise ValueError(f"webhook answered {response.status}")


_channels: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    _channels[channel.name] = channel
    return channel


def channels() -> dict[str, Channel]:
    return dict(_channels)


for _channel in (InAppChannel(), EmailChannel(), WebhookChannel()):
    register_channel(_channel)
