"""render_case_cover: the 案卷首页 and the 卷内目录 read back."""

from __future__ import annotations

from plugins.documents.content import CaseFileCover, CaseFileEntry
from plugins.documents.pdf import render_case_cover
from tests.plugins.documents.pdf.samples import AUTHORITY, flat, page_texts


def cover(entries: int, closed: str = "2026-03-20") -> CaseFileCover:
    return CaseFileCover(
        authority=AUTHORITY, case_title="广汉市第一化工有限公司安全生产执法检查案卷", case_number="广应急检记〔2026〕12号",
        enterprise="广汉市第一化工有限公司", opened="2026-03-02", closed=closed,
        entries=[CaseFileEntry(number=f"广应急责改〔2026〕{n}号" if n % 3 else "", title=f"第{n}件：责令限期整改指令书",
                               date="2026-03-02", pages=f"{n}-{n + 1}", note="复印件" if n == 2 else "") for n in range(1, entries + 1)],
    )


def test_the_cover_page_names_the_case() -> None:
    pages = page_texts(render_case_cover(cover(5)))
    first = flat(pages[0])
    for part in (AUTHORITY, "案卷首页", "广汉市第一化工有限公司安全生产执法检查案卷", "案卷编号：广应急检记〔2026〕12号",
                 "被检查单位：广汉市第一化工有限公司", "起始日期：2026-03-02", "结案日期：2026-03-20", "保管期限：", "卷内文件：5件"):
        assert part in first, part
    assert "结案日期：（尚未结案）" in flat(page_texts(render_case_cover(cover(1, closed="")))[0])


def test_the_index_lists_every_entry_with_its_header_on_each_page() -> None:
    entries = cover(70).entries
    pages = page_texts(render_case_cover(cover(70)))
    assert len(pages) >= 3
    index_pages = pages[1:]
    assert "卷内目录" in index_pages[0]
    for text in index_pages:
        assert "序号 文号 题名 日期 页号 备注" in text
    text = flat("".join(index_pages))
    for n, entry in enumerate(entries, start=1):
        assert flat(f"{n}{entry.number}{entry.title}{entry.date}{entry.pages}{entry.note}") in text, n
