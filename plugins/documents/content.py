"""What a rendered document holds, between the facts and the PDF (``plugins/documents/pdf``).

The issuing side (``service.py``) fills a :class:`DocumentContent` from a document type (data, one
file per type) and the system's records; the renderer turns it into an A4 PDF following the national
安全生产执法文书 式样. Keeping this the only contract between the two lets either change alone: the
renderer knows nothing of inspections or hazards, the issuing side nothing of PDF layout.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class FieldLine(msgspec.Struct, kw_only=True, frozen=True):
    """One labelled field of the body, in the 式样's order (``被检查单位：××有限公司``)."""

    label: str
    value: str
    # ``full``: label and value on a line of their own; ``half``: two such fields share a line.
    width: Literal["full", "half"] = "full"


class Paragraph(msgspec.Struct, kw_only=True, frozen=True, tag="paragraph"):
    """Running text (the 式样's fixed wording with the facts filled in)."""

    text: str


class Fields(msgspec.Struct, kw_only=True, frozen=True, tag="fields"):
    fields: list[FieldLine]


class Table(msgspec.Struct, kw_only=True, frozen=True, tag="table"):
    """A table such as the findings (序号, 隐患描述, 依据, 整改期限); cells wrap, rows split across pages."""

    columns: list[str]
    rows: list[list[str]]
    # Relative column widths (same length as ``columns``); equal when empty.
    widths: list[float] = msgspec.field(default_factory=list)
    caption: str = ""


Block = Paragraph | Fields | Table


class SignatureBox(msgspec.Struct, kw_only=True, frozen=True):
    """A place to sign: filled with the captured image, or left blank and listed as awaited."""

    label: str  # e.g. 检查人员（签名）, 被检查单位现场负责人（签名）
    name: str = ""
    image: bytes | None = None  # PNG or JPEG as captured on the tablet
    signed_at: datetime | None = None
    extra: str = ""  # e.g. 执法证号 12345678


class Photo(msgspec.Struct, kw_only=True, frozen=True):
    """A photo for the attached photo page(s); embedded downscaled by the renderer."""

    image: bytes  # JPEG or PNG
    caption: str = ""


class DocumentContent(msgspec.Struct, kw_only=True, frozen=True):
    """Everything the renderer needs; nothing it must look up."""

    authority: str  # the issuing authority's full name, the header line (××县应急管理局)
    title: str  # 现场检查记录
    number: str  # 德应急检记〔2026〕12号
    blocks: list[Block]
    signatures: list[SignatureBox] = msgspec.field(default_factory=list)
    photos: list[Photo] = msgspec.field(default_factory=list)
    closing: str = ""  # text after the body, e.g. how to appeal (复议/诉讼) and the authority's seal line
    issued_at: datetime | None = None  # printed as 年 月 日 under the seal line
    voided_reason: str | None = None  # set: every page is stamped 作废 with the reason
    awaiting: list[str] = msgspec.field(default_factory=list)  # e.g. ["被检查单位现场负责人签名"]: printed as 待签
    copies_note: str = ""  # e.g. 本文书一式两份，一份交被检查单位，一份存档。


class CaseFileEntry(msgspec.Struct, kw_only=True, frozen=True):
    """One line of the 卷内目录 (the case file's index page)."""

    number: str  # 文号 or "" for non-documents (photos, JSON)
    title: str
    date: str  # YYYY-MM-DD
    pages: str = ""  # e.g. "1-3"
    note: str = ""


class CaseFileCover(msgspec.Struct, kw_only=True, frozen=True):
    """The 案卷首页 and 卷内目录 put on top of a case file."""

    authority: str
    case_title: str  # e.g. ××有限公司安全生产执法检查案卷
    case_number: str  # the inspection's first document number or its id
    enterprise: str
    opened: str  # YYYY-MM-DD
    closed: str  # YYYY-MM-DD or ""
    entries: list[CaseFileEntry]
