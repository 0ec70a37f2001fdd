"""Printable bulletins (通报): one structure, rendered to Word (python-docx) and PDF (reportlab).

The PDF uses reportlab's built-in CID font ``STSong-Light`` (Adobe's Chinese simplified font
resource, resolved by any PDF viewer), so Chinese renders without shipping a font file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CJK_FONT = "STSong-Light"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)  # first row is the header


@dataclass
class Bulletin:
    title: str
    issuer: str
    period: str
    issued_on: str
    sections: list[Section] = field(default_factory=list)


def render_docx(bulletin: Bulletin) -> bytes:
    document = Document()
    heading = document.add_heading(bulletin.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = document.add_paragraph(f"{bulletin.issuer}　{bulletin.period}　{bulletin.issued_on}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in bulletin.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.table:
            table = document.add_table(rows=0, cols=len(section.table[0]))
            table.style = "Table Grid"
            for row in section.table:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(bulletin: Bulletin) -> bytes:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    title = ParagraphStyle("title", fontName=CJK_FONT, fontSize=18, leading=26, alignment=1)
    meta = ParagraphStyle("meta", fontName=CJK_FONT, fontSize=10, leading=14, alignment=1, textColor=colors.grey)
    heading = ParagraphStyle("heading", fontName=CJK_FONT, fontSize=13, leading=20, spaceBefore=8)
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    story: list = [
        Paragraph(bulletin.title, title),
        Paragraph(f"{bulletin.issuer}　{bulletin.period}　{bulletin.issued_on}", meta),
        Spacer(1, 6 * mm),
    ]
    for section in bulletin.sections:
        story.append(Paragraph(section.heading, heading))
        story.extend(Paragraph(text, body) for text in section.paragraphs)
        if section.table:
            table = Table(section.table, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
                        ("FONTSIZE", (0, 0), (-1, -1), 10),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F0F4F8")),
                        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ]
                )
            )
            story.extend([Spacer(1, 3 * mm), table])
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=bulletin.title, leftMargin=20 * mm, rightMargin=20 * mm).build(story)
    return buffer.getvalue()
