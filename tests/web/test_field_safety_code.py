"""扫安全码 in the field app: a photo of a code on a sign opens its enterprise; a pasted address
works too; a code outside the inspector's scope, an unknown code and a photo without a code are
each said plainly."""

from __future__ import annotations

import io

from PIL import Image

from core.safety_codes.qr import qr_png
from tests.web.conftest import new_context
from tests.web.field import go, login


def _code(field_server, enterprise_id: str) -> str:
    """The enterprise's 安全码 address, as printed on its sign."""
    with field_server.api("root") as admin:
        path = admin.get(f"/api/v1/enterprises/{enterprise_id}/safety-code").json()["path"]
    return f"{field_server.base}{path}"


def _photo_of_sign(tmp_path, url: str) -> str:
    """A 'photo' with the code in a corner of a larger grey picture, as a phone would take it."""
    code = Image.open(io.BytesIO(qr_png(url, scale=6))).convert("RGB")
    photo = Image.new("RGB", (1800, 1200), (170, 172, 168))
    photo.paste(code, (1100, 500))
    path = tmp_path / "sign.jpg"
    photo.save(path, format="JPEG", quality=88)
    return str(path)


def test_a_photo_of_a_code_opens_its_enterprise_and_other_codes_are_refused_plainly(browser, field_server, shots, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = field_server.world
    context = new_context(browser)
    page = context.new_page()
    login(page, field_server)
    page.wait_for_selector("[data-assignment]")

    go(page, "enterprises")
    page.click("[data-scan-link]")
    page.wait_for_selector("aj-scan")
    shots(page, "scan")
    page.set_input_files("[data-scan-photo]", _photo_of_sign(tmp_path, _code(field_server, world.enterprise_id)))
    page.wait_for_function(f"location.hash === '#/enterprise/{world.enterprise_id}'", timeout=30000)
    page.wait_for_selector("aj-enterprise")
    assert "广汉市红星化工有限公司" in page.inner_text("aj-enterprise")
    shots(page, "scanned-enterprise")

    # The fire enterprise is insp2's: its code names nothing for insp1 (the same answer as an unknown code).
    go(page, "scan")
    page.fill("[data-scan-text]", _code(field_server, world.other_enterprise_id))
    page.click("[data-scan-form] button[type=submit]")
    page.wait_for_selector("[data-scan-message].error")
    assert "不在您的检查范围内" in page.inner_text("[data-scan-message]")
    assert page.evaluate("location.hash") == "#/scan"

    page.fill("[data-scan-text]", "https://example.com/not-a-code")
    page.click("[data-scan-form] button[type=submit]")
    page.wait_for_function("document.querySelector('[data-scan-message]').textContent.includes('不是安检平台的安全码')")

    blank = tmp_path / "blank.png"
    Image.new("RGB", (800, 600), (200, 200, 200)).save(blank)
    page.set_input_files("[data-scan-photo]", str(blank))
    page.wait_for_function("document.querySelector('[data-scan-message]').textContent.includes('没有找到二维码')")
    shots(page, "no-code-in-photo")

    context.set_offline(True)
    page.fill("[data-scan-text]", _code(field_server, world.enterprise_id))
    page.click("[data-scan-form] button[type=submit]")
    page.wait_for_function("document.querySelector('[data-scan-message]').textContent.includes('离线时无法识别安全码')")
    context.close()
