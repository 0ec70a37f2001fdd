"""Simplified Chinese by default, English when the user chooses it."""

import pytest


@pytest.fixture(autouse=True)
def _compiled_messages():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, str(root / "tools" / "compilemessages.py")], check=True, capture_output=True)


@pytest.mark.django_db
def test_login_page_is_chinese_even_for_an_english_browser(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-CN"' in html
    assert "登录" in html


@pytest.mark.django_db
def test_language_switch_to_english_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in html
    assert "Sign in" in html
