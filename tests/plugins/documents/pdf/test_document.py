"""render_document: every field, number, cell, name and note comes back out of the PDF's text."""

from __future__ import annotations

import msgspec

from plugins.documents.content import FieldLine, Fields, Paragraph, SignatureBox, Table
from plugins.documents.pdf import render_document
from tests.plugins.documents.pdf.samples import (
    AUTHORITY,
    CLOSING,
    COLUMNS,
    COPIES,
    FIELDS,
    NUMBER,
    OPENING,
    body_text,
    finding_rows,
    flat,
    page_texts,
    reader,
    record,
)


def test_a_record_reads_back_field_by_field() -> None:
    pdf = render_document(record())
    assert pdf.startswith(b"%PDF-")
    pages = page_texts(pdf)
    first = pages[0]
    lines = [line.strip() for line in first.splitlines()]
    assert lines[0] == AUTHORITY
    assert lines[1] == "现场检查记录"
    assert lines[2] == NUMBER
    text = flat(body_text(pdf))
    for field in FIELDS:
        assert flat(f"{field.label}：{field.value}") in text, field
    assert flat(OPENING) in text
    for cell in [*COLUMNS, *(c for row in finding_rows(6) for c in row)]:
        assert flat(cell) in text, cell
    for name in ("姓名：张三", "执法证号：51068100001", "姓名：李四", "执法证号：51068100002", "姓名：李主任", "检查人员（签名）", "被检查单位现场负责人（签名）"):
        assert name in text
    assert flat(CLOSING) in text
    assert flat(COPIES) in text
    assert "2026年3月2日" in text  # issued and signed at 10:00 / 09:10 Shanghai time
    assert "照片1：2号库房东侧警示标志缺失" in text and "照片2：操作规程未上墙" in text and "现场照片" in text


def test_the_body_keeps_the_order_of_the_form() -> None:
    text = flat(body_text(render_document(record())))
    order = ["现场检查记录", NUMBER, "被检查单位：", "统一社会信用代码", OPENING[:10], "序号", CLOSING[:10], "检查人员（签名）",
             "被检查单位现场负责人（签名）", AUTHORITY + "2026年3月2日", COPIES[:6], "现场照片"]
    positions = [text.index(flat(part), text.index("现场检查记录")) for part in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))


def test_half_fields_share_a_line() -> None:
    first = page_texts(render_document(record()))[0]
    line = next(line for line in first.splitlines() if "法定代表人" in line)
    assert "联系电话：0838-5212345" in line and "王安全" in line


def test_every_page_is_numbered_of_the_total() -> None:
    pages = page_texts(render_document(record()))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text


def test_two_photos_to_an_attached_page() -> None:
    photos = record().photos
    five = render_document(record(photos=[*photos, *photos, photos[0]]))
    pages = page_texts(five)
    photo_pages = [p for p in pages if "现场照片" in p]
    assert len(photo_pages) == 3
    assert [sum(f"照片{n}" in p for n in range(1, 6)) for p in photo_pages] == [2, 2, 1]
    without = page_texts(render_document(record(photos=[])))
    assert not any("现场照片" in p for p in without)


def test_awaited_signatures_are_noted_on_page_one_and_in_their_box() -> None:
    pages = page_texts(render_document(record()))
    assert "待签：被检查单位现场负责人（签名）" in pages[0]
    assert "待签" in flat("".join(pages)).split("被检查单位现场负责人（签名）")[-1]  # in the box itself
    signed = msgspec.structs.replace(record(), awaiting=[])
    signed_text = flat("".join(page_texts(render_document(signed))))
    assert "待签" not in signed_text


def test_a_per_inspector_box_is_matched_by_label_and_name() -> None:
    boxes = [SignatureBox(label="执法人员（签名）", name="张三"), SignatureBox(label="执法人员（签名）", name="李四")]
    pdf = render_document(record(signatures=boxes, awaiting=["执法人员（签名）：李四"]))
    assert "待签：执法人员（签名）：李四" in page_texts(pdf)[0]
    text = flat(body_text(pdf))
    boxes_part = text[text.index("执法人员（签名）"):]
    zhang, li = boxes_part.index("姓名：张三"), boxes_part.index("姓名：李四")
    assert "待签" not in boxes_part[:zhang]  # 张三's box: blank, to sign on paper
    assert boxes_part[zhang:li].count("待签") == 1  # 李四's box, printed between its label and his name


def test_a_voided_document_is_stamped_on_every_page_with_its_reason() -> None:
    reason = "文书内容有误，已重新制作"
    pdf = render_document(record(voided_reason=reason, awaiting=[]))
    pages = page_texts(pdf)
    assert len(pages) >= 2
    for text in pages:
        assert "作废" in text
        assert flat(f"作废原因：{reason}") in flat(text)
    assert "作废" not in "".join(page_texts(render_document(record())))


def test_metadata_names_the_document() -> None:
    meta = reader(render_document(record())).metadata
    assert meta.title == f"现场检查记录 {NUMBER}"
    assert meta.author == AUTHORITY


def test_the_same_content_renders_to_the_same_bytes() -> None:
    assert render_document(record()) == render_document(record())


def test_long_values_and_paragraphs_continue_on_the_next_page() -> None:
    long_value = "".join(f"第{n}处：库房通风、照明、防爆电气设施检查记录；" for n in range(1, 120))
    paragraph = "本次检查发现的问题已当场告知被检查单位负责人。" * 90
    content = record(blocks=[Fields(fields=[FieldLine(label="检查情况", value=long_value)]), Paragraph(text=paragraph)], photos=[])
    pdf = render_document(content)
    assert len(page_texts(pdf)) >= 3
    text = flat(body_text(pdf))
    assert flat(long_value) in text
    assert flat(paragraph) in text


def test_odd_inputs_still_render() -> None:
    """Empty strings, a table without rows or with ragged rows, control characters, a huge unbreakable
    token, characters outside the font: a PDF every time, and nothing of the printable text lost."""
    token = "A" * 700
    content = record(
        authority="", title="", number="", closing="", copies_note="", issued_at=None, photos=[], signatures=[], awaiting=[],
        blocks=[
            Fields(fields=[FieldLine(label="", value=""), FieldLine(label="标签", value="a\tb\r\nc\x00d\x1b", width="half")]),
            Paragraph(text=""), Paragraph(text=token),
            Table(columns=[], rows=[]),
            Table(columns=["甲", "乙"], rows=[["1"], ["1", "2", "3", "4"]], widths=[0, -1]),
            Table(columns=["甲"], rows=[["x"]], widths=[float("nan")]),
        ],
    )
    pdf = render_document(content)
    text = flat(body_text(pdf))
    assert token in text
    assert "标签：ab" in text and "cd" in text
    assert "234" in text  # surplus cells go into the last column, never dropped


def test_tables_keep_every_cell_with_a_caption() -> None:
    rows = finding_rows(3)
    pdf = render_document(record(blocks=[Table(columns=COLUMNS, rows=rows, caption="发现的问题")], photos=[]))
    text = flat("".join(page_texts(pdf)))
    assert "发现的问题" in text
    assert all(flat(cell) in text for row in rows for cell in row)


def test_documents_render_side_by_side_on_threads() -> None:
    """The server renders on worker threads: concurrent renders give each its own, whole document."""
    from concurrent.futures import ThreadPoolExecutor

    contents = [record(number=f"广应急检记〔2026〕{n}号", photos=[]) for n in range(1, 9)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(pool.map(render_document, contents))
    for n, pdf in enumerate(pdfs, start=1):
        assert page_texts(pdf)[0].splitlines()[2].strip() == f"广应急检记〔2026〕{n}号"
        assert pdf == render_document(contents[n - 1])
