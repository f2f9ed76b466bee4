"""The register's printables: the plant plan upload, the 四色分布图 as SVG and PNG, and the
岗位风险告知卡 PDF with working QR codes."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.core.risk_register.test_register_api import LEC_YELLOW, point


def png(width: int = 800, height: int = 500) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (220, 230, 240)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def register(api, admin):
    firm = await api.enterprise(admin, name="德阳抛光制品有限公司", industries=["industrial_trade"])
    url = f"/api/v1/enterprises/{firm['id']}/risk-register/points"
    red = point(name="除尘器区域", plan_area=[[0.1, 0.1], [0.3, 0.1], [0.3, 0.3]], direct_judgements=[{"rule": "legal_breach", "note": "未设泄爆"}],
                controls=[{"kind": "emergency", "text": "发生粉尘爆炸立即切断电源，撤离人员，拨打119", "level": "company", "responsible_post": "安全科", "responsible_person": "李四"}])
    yellow = point(name="1号抛光车间", plan_x=0.6, plan_y=0.5, assessment=LEC_YELLOW)
    unplaced = point(name="成品仓库", posts=["仓管员"], assessment={"method": "ls", "inputs": {"l": 1, "s": 2}})
    points = [(await api.client.post(url, json=data, headers=admin)).json() for data in (red, yellow, unplaced)]
    return firm, points


async def test_a_plan_is_checked_and_kept(api, admin, register):
    firm, _ = register
    url = f"/api/v1/enterprises/{firm['id']}/risk-register/plant-plan"
    assert (await api.client.get(url, headers=admin)).status_code == 404
    bad = await api.client.put(url, content=b"not an image", headers={**admin, "content-type": "image/png"})
    assert bad.status_code == 400 and bad.json()["field"] == "file" and "PNG" in bad.json()["message_zh"]
    wrong_type = await api.client.put(url, content=png(), headers={**admin, "content-type": "application/pdf"})
    assert wrong_type.status_code == 400
    ok = await api.client.put(url, content=png(), headers={**admin, "content-type": "image/png"})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["width"], ok.json()["height"], ok.json()["version"]) == (800, 500, 1)
    back = await api.client.get(url, headers=admin)
    assert back.status_code == 200 and back.content == png()
    viewer = await api.as_new("viewer", region_code="510603")
    assert (await api.client.get(url, headers=viewer)).status_code == 404


async def test_the_four_colour_map_draws_points_and_areas_in_their_colours(api, admin, register):
    firm, points = register
    await api.client.put(f"/api/v1/enterprises/{firm['id']}/risk-register/plant-plan", content=png(), headers={**admin, "content-type": "image/png"})
    svg = await api.client.get(f"/api/v1/enterprises/{firm['id']}/four-colour-map.svg", headers=admin)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    text = svg.text
    assert re.search(r'<polygon points="80\.0,50\.0 240\.0,50\.0 240\.0,150\.0" fill="#d7263d"', text)  # the red area
    assert re.search(r'<circle cx="480\.0" cy="250\.0" r="[\d.]+" fill="#fbc02d"', text)  # the yellow point
    assert "data:image/png;base64," in text and "重大风险 1" in text and "一般风险 1" in text
    assert "未标注位置（1）：RP-003 成品仓库" in text
    image = Image.open(io.BytesIO((await api.client.get(f"/api/v1/enterprises/{firm['id']}/four-colour-map.png", headers=admin)).content))
    assert image.size == (800, 500 + 80)
    assert image.getpixel((480, 250))[:3] == (0xFB, 0xC0, 0x2D)  # the yellow dot's centre
    r, g, b = image.getpixel((200, 70))[:3]  # inside the red area: the plan tinted red
    assert r > g + 40 and r > b + 40
    bad = await api.client.get(f"/api/v1/enterprises/{firm['id']}/four-colour-map.gif", headers=admin)
    assert bad.status_code == 404


async def test_notice_cards_have_a_card_per_post_with_each_points_qr_code(api, admin, register):
    firm, points = register
    r = await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-notice-cards.pdf", headers=admin)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "岗位风险告知卡" in text and "岗位：抛光工" in text and "岗位：仓管员" in text
    assert "发生粉尘爆炸立即切断电源" not in text or "应急处置" in text
    assert "RP-002 1号抛光车间" in text
    a5 = await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-notice-cards.pdf", params={"post": "仓管员", "size": "A5"}, headers=admin)
    page = PdfReader(io.BytesIO(a5.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (420, 595)
    assert "成品仓库" in page.extract_text() and "抛光车间" not in page.extract_text()
    # Every point on the cards has its safety code, and the code opens the point's public page.
    code = (await api.client.get(f"/api/v1/risk-points/{points[2]['id']}/safety-code", headers=admin)).json()
    assert (await api.client.get(code["path"])).status_code == 200
    missing = await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-notice-cards.pdf", params={"post": "司机"}, headers=admin)
    assert missing.status_code == 400 and missing.json()["field"] == "post"


async def test_the_qr_code_on_a_card_decodes_to_the_points_page(api, admin, register):
    """The PDF's QR image, decoded by zxing-cpp (an independent reader), is the point's public address."""
    import zxingcpp

    firm, points = register
    pdf = await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-notice-cards.pdf", params={"post": "仓管员"}, headers=admin)
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    images = [Image.open(io.BytesIO(image.data)) for image in page.images]
    decoded = [r.text for image in images for r in zxingcpp.read_barcodes(image.convert("L").resize((image.width * 4, image.height * 4), Image.NEAREST))]
    code = (await api.client.get(f"/api/v1/risk-points/{points[2]['id']}/safety-code", headers=admin)).json()
    assert len(decoded) == 1 and decoded[0].endswith(code["path"])
    assert (await api.client.get(urlsplit(decoded[0]).path)).status_code == 200
