import io
import zipfile

import pytest

from jiceng.core.testing import PASSWORD
from jiceng.core.transfer.bulletins import Bulletin, Section, render_docx, render_pdf

BULLETIN = Bulletin(
    title="关于人员登记情况的通报",
    issuer="莘县",
    period="2026-11",
    issued_on="2026-11-22",
    sections=[Section("总体情况", ["全县登记人员 9 人。"], [["区划", "人员"], ["燕店镇", "5"], ["古云镇", "4"]])],
)


def test_docx_contains_the_chinese_text():
    content = render_docx(BULLETIN)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "关于人员登记情况的通报" in xml and "古云镇" in xml


def test_pdf_uses_the_cjk_font_and_holds_the_title():
    content = render_pdf(BULLETIN)
    assert content.startswith(b"%PDF")
    assert b"STSong-Light" in content
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "关于人员登记情况的通报" in text.replace(" ", "")


@pytest.mark.django_db
def test_directory_bulletin_downloads_for_scoped_users(cast, client):
    client.login(username="township_staff", password=PASSWORD)
    response = client.get("/directory/bulletin.docx")
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "燕店镇" in xml and "古云镇" not in xml
    assert client.get("/directory/bulletin.pdf")["Content-Type"] == "application/pdf"
