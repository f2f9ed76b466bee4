"""How ``AnjianSerifSC-Regular.ttf`` beside this file was made (run by hand, not at install or run time).

Source: Noto Serif CJK SC Regular 2.001 (SIL Open Font License 1.1), taken from Debian's
``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc``, face 2).

Why a derived file rather than the original: the PDF renderer (reportlab) embeds TrueType (``glyf``)
outlines only, and subsets them per document quickly; the original is a 26 MB OpenType collection
with CFF outlines. So this script keeps the characters Chinese enforcement documents use — all of
GB 2312 (6763 hanzi and its symbols), ASCII and Latin-1, general and CJK punctuation, full-width
forms, circled numbers, units (℃ ㎡), check boxes, a few hundred frequent name and place hanzi outside
GB 2312, and every character of anjian's own data files — converts the cubic CFF outlines to
quadratic TrueType ones (``cu2qu``, error ≤ 1/1000 em), drops hinting and layout tables, and renames
the family (the OFL forbids a Modified Version to keep Reserved Font Names; it is called
"Anjian Serif SC"). Result: ~7,800 glyphs, ~2.8 MB. ``OFL.txt`` beside it is its licence.

    apt-get install fonts-noto-cjk && pip install fonttools
    python plugins/documents/pdf/fontdata/build_font.py [path/to/NotoSerifCJK-Regular.ttc]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FACE = "Noto Serif CJK SC"
HERE = Path(__file__).resolve().parent
OUT = HERE / "AnjianSerifSC-Regular.ttf"
ROOT = HERE.parents[3]
FAMILY = "Anjian Serif SC"
PS_NAME = "AnjianSerifSC-Regular"

RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF),  # ASCII, Latin-1
    (0x2010, 0x2027), (0x2030, 0x2033), (0x203B, 0x203B),  # dashes, quotes, …, ‰, ′ ″, ※
    (0x2103, 0x2103), (0x2116, 0x2116), (0x2160, 0x216B), (0x2170, 0x2179), (0x2190, 0x2193),  # ℃ № Ⅰ-Ⅻ ⅰ-ⅹ arrows
    (0x2460, 0x249B),  # ①-⑳ ⑴-⒇ ⒈-⒛
    (0x25A0, 0x25CF), (0x2605, 0x2606), (0x2610, 0x2612), (0x2713, 0x2714), (0x2717, 0x2718),  # □■○● ★☆ ☐☑☒ ✓ ✗
    (0x3000, 0x303F), (0x3220, 0x3229), (0x3380, 0x33DF),  # CJK punctuation, ㈠-㈩, ㎡ ㎏ …
    (0xFF01, 0xFF65), (0xFFE0, 0xFFE6),  # full-width forms
]
# Frequent in people's, companies' and places' names but outside GB 2312 (those already in it are skipped).
NAME_HANZI = (
    "堃喆赟昇珺玥婕旻晔曌镕祎炜玮琦琪瑄瑜璟璐珩珏琨瑾瑛琰珂玟玎珣琬琛瑭瓒昊晟昕昱暄暐翀翊芃芊茜菁蓁蔚霈霖靓雯雱"
    "颢颉骞鑫钰铖锟锴锦镝阚邝邬鄞鄢酆郄郇皓皞祺禛禹秭稷筠粲绮缇羿翕翥耘胤臻舸苡茗荀荟莘莹菡萱葳蒨蓉蔺蕙蕤薇藜虓"
    "衎袆裕覃讷诩谌谞赜逯遒邰郦垚垟堉塬墒奭娓娉婧婵媖嫣宬尧屾岑岚峣崟嵘巍彧徕恺惇戬扆斌旸晞晗晖晷暎曦杺柘栢桠梓"
    "棣楙榆樾橦檀歆毓沄泓泠洢浛淏淯渼湉溍滢潆澍濛瀚灏炅炟炫烨焓焜煊煜熠燊燚犇犟玘玙玚玠玹珅珈珉珖珞珮琇琋琤琭"
    "瑀瑗瑢瑧瑨瑱璁璇璋璘璞璠璨璩甡畯疃皛睿瞻硕磊禄禧秾稔竑笃筱箐篁粼絜纭纾绚缙缜罡羲翃翙翯耀聿脩芮苒苓荃莜莼"
    "萁萩葆蒽蓥蔻蕊蕾薏蘅虢蜚衿觐诒诜谯豪贲贽赉赓跞轫辕逄遹邗郗鄣醍铄铧铮锃锜锬镛闿阆陟隽雎雩霁靖鞅頔颀飏馥驷"
    "骅骐骥鸾鹍鹏麒黉泾浉沚埇瀍猇硚鄠峄嵛崮崂岙垭坳圩埕埭塅墩壆漈溆澧澥涠涪泸沣湓滘濠浈洺浠淇淠渑漯潢溧峪嵊"
)


def gb2312() -> set[int]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def project_characters() -> set[int]:
    """Every character of anjian's data (document types, checklists, regions): its fixed wording prints."""
    chars: set[int] = set()
    for folder in ("plugins", "checklists", "core/data"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".yaml", ".yml", ".csv", ".json"} and path.is_file():
                chars.update(ord(c) for c in path.read_text(encoding="utf-8") if ord(c) >= 0x80)
    return chars


def wanted() -> set[int]:
    chars = gb2312() | {ord(c) for c in NAME_HANZI} | project_characters()
    for first, last in RANGES:
        chars.update(range(first, last + 1))
    return chars


def to_truetype(font: TTFont) -> None:
    """CFF (cubic) outlines → glyf (quadratic), in place."""
    glyphs = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\0\1\0\0"


def rename(font: TTFont) -> None:
    names = font["name"]
    names.names = [n for n in names.names if n.nameID not in (1, 3, 4, 6, 7, 10, 11, 16, 17)]
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(f"{FAMILY} Regular; derived from Noto Serif CJK SC 2.001", 3, 3, 1, 0x409)
    names.setName(FAMILY, 4, 3, 1, 0x409)
    names.setName(PS_NAME, 6, 3, 1, 0x409)
    names.setName(
        "Subset of Noto Serif CJK SC 2.001 (GB 2312, punctuation, common name hanzi) with TrueType outlines, "
        "made for anjian's enforcement-document PDFs; see build_font.py.", 10, 3, 1, 0x409)


def main() -> int:
    collection = TTCollection(sys.argv[1] if len(sys.argv) > 1 else str(SOURCE))
    font = next(f for f in collection.fonts if f["name"].getDebugName(4) == FACE)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.drop_tables += ["VORG", "vhea", "vmtx", "GSUB", "GPOS", "BASE", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted())
    subsetter.subset(font)
    to_truetype(font)
    rename(font)
    font.save(str(OUT))
    print(f"{OUT}: {len(font.getGlyphOrder())} glyphs, {OUT.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
