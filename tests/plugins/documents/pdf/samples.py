"""Documents built directly (no database) for the renderer's tests, images made with Pillow, and
reading a PDF back: its text (pypdf), its fonts, page 1 as pixels (pdftoppm)."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pypdf
from PIL import Image, ImageDraw

from plugins.documents.content import (
    DocumentContent,
    FieldLine,
    Fields,
    Paragraph,
    Photo,
    SignatureBox,
    Table,
)

AUTHORITY = "德阳市广汉市应急管理局"
NUMBER = "广应急检记〔2026〕12号"
ISSUED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
SIGNED = datetime(2026, 3, 2, 1, 10, tzinfo=UTC)
FIELDS = [
    FieldLine(label="被检查单位", value="广汉市第一化工有限公司"),
    FieldLine(label="统一社会信用代码", value="91510681MA6BQXH17U"),
    FieldLine(label="地址", value="四川省德阳市广汉市向阳镇工业园区化工大道88号"),
    FieldLine(label="法定代表人（负责人）", value="王安全", width="half"),
    FieldLine(label="联系电话", value="0838-5212345", width="half"),
    FieldLine(label="现场负责人", value="李主任"),
    FieldLine(label="检查场所", value="2号危化品库房"),
    FieldLine(label="检查时间", value="2026年3月2日8时00分至9时10分"),
]
OPENING = ("我们是德阳市广汉市应急管理局的行政执法人员张三、李四，证件号码分别为51068100001、51068100002，"
           "这是我们的执法证件（出示证件）。现依法对你单位进行现场检查，请予以配合。")
CLOSING = "如果不服本指令，可以依法在60日内向广汉市人民政府申请行政复议，或者在6个月内依法向广汉市人民法院提起行政诉讼，但本指令不停止执行，法律另有规定的除外。"
COPIES = "本文书一式两份，一份交被检查单位，一份存档。"
COLUMNS = ["序号", "检查项目", "存在的问题", "依据"]


def signature_png(seed: int = 1, size: tuple[int, int] = (600, 200)) -> bytes:
    """A handwriting-like stroke on a transparent background, as the tablet's signature pad saves it."""
    rng = random.Random(seed)
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    points = [(20 + i * (size[0] - 40) // 7, rng.randint(30, size[1] - 30)) for i in range(8)]
    ImageDraw.Draw(image).line(points, fill=(10, 10, 60, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_jpeg(seed: int = 1, size: tuple[int, int] = (1600, 1200), quality: int = 85, exif_orientation: int | None = None) -> bytes:
    """A photo-like JPEG: a gradient with a coloured block (position and colour from ``seed``)."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    w, h = size
    x, y = rng.randint(0, w // 2), rng.randint(0, h // 2)
    ImageDraw.Draw(image).rectangle([x, y, x + w // 3, y + h // 3], fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_orientation is not None:
        exif[0x0112] = exif_orientation
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes() if exif_orientation is not None else b"")
    return out.getvalue()


def finding_rows(count: int) -> list[list[str]]:
    return [[str(n), f"第{n}项：危险化学品储存场所安全设施、安全标志和操作规程符合要求",
             "安全警示标志缺失，操作规程未上墙" if n % 40 == 3 else "", f"《危险化学品安全管理条例》第{20 + n % 30}条"]
            for n in range(1, count + 1)]


def record(**changes: object) -> DocumentContent:
    """A 现场检查记录 with every kind of block, two signed boxes and one awaited, two photos."""
    base: dict[str, object] = dict(
        authority=AUTHORITY, title="现场检查记录", number=NUMBER,
        blocks=[
            Fields(fields=FIELDS),
            Paragraph(text=OPENING),
            Paragraph(text="检查情况：依据《危化品储存综合检查表》对你单位进行了现场检查，共检查6项，发现问题1项，具体如下："),
            Table(columns=COLUMNS, rows=finding_rows(6), widths=[0.6, 3, 3, 3]),
        ],
        signatures=[
            SignatureBox(label="检查人员（签名）", name="张三", image=signature_png(1), signed_at=SIGNED, extra="执法证号：51068100001"),
            SignatureBox(label="检查人员（签名）", name="李四", image=signature_png(2), signed_at=SIGNED, extra="执法证号：51068100002"),
            SignatureBox(label="被检查单位现场负责人（签名）", name="李主任"),
        ],
        photos=[Photo(image=photo_jpeg(1), caption="2号库房东侧警示标志缺失"), Photo(image=photo_jpeg(2), caption="操作规程未上墙")],
        closing=CLOSING, issued_at=ISSUED, awaiting=["被检查单位现场负责人（签名）"], copies_note=COPIES,
    )
    base.update(changes)
    return DocumentContent(**base)  # type: ignore[arg-type]


# --- reading a PDF back -------------------------------------------------------------------------------


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


_FURNITURE = re.compile(r"^(第 \d+ 页 共 \d+ 页|待签：.*)$")


def body_text(pdf: bytes) -> str:
    """All pages' text without what is drawn on each page (footer) or over page 1 (the 待签 note)."""
    return "\n".join(line for text in page_texts(pdf) for line in text.splitlines() if not _FURNITURE.match(line.strip()))


def flat(text: str) -> str:
    """Without whitespace: wrapping puts line breaks anywhere in a value."""
    return re.sub(r"\s+", "", text)


def fonts_of(pdf: bytes) -> list[dict[str, object]]:
    """Every font resource of every page: its BaseFont, Subtype and which font file it embeds (if any)."""
    found = []
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get_object().get("/Font") or {}
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            descendants = font.get("/DescendantFonts")
            if descriptor is None and descendants:
                descriptor = descendants.get_object()[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            files = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
            found.append({"base": str(font.get("/BaseFont")), "subtype": str(font.get("/Subtype")), "files": files})
    return found


PDFTOPPM = shutil.which("pdftoppm")


def page_png(pdf: bytes, work: Path, page: int = 1, dpi: int = 60) -> Path:
    """Page ``page`` rasterised by poppler's pdftoppm."""
    source = work / "doc.pdf"
    source.write_bytes(pdf)
    prefix = work / f"page{page}"
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page), str(source), str(prefix)],
                   check=True, capture_output=True, timeout=60)
    return prefix.with_suffix(".png")


def dark_share(png: Path, region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)) -> float:
    """Share of dark pixels (ink) in a region given as fractions of the page (left, top, right, bottom)."""
    with Image.open(png) as image:
        grey = image.convert("L")
        w, h = grey.size
        box = grey.crop((int(region[0] * w), int(region[1] * h), int(region[2] * w), int(region[3] * h)))
        histogram = box.histogram()
        return sum(histogram[:128]) / max(1, box.size[0] * box.size[1])


def red_share(png: Path) -> float:
    """Share of reddish pixels (the 作废 stamp, even translucent; the 待签 note)."""
    with Image.open(png) as image:
        data = image.convert("RGB").tobytes()
    red = sum(1 for i in range(0, len(data), 3) if data[i] - max(data[i + 1], data[i + 2]) > 50)
    return red / (len(data) // 3)
