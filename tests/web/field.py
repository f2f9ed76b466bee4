"""What an inspector does in the field app, as playwright steps the scenarios share."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.web.conftest import FieldServer

# Three failed items of the hazchem checklist: a major one (A12), a general one (B03) and a number
# outside its range (D05: oxygen 18 % where 19.5–21 % is required).
FAILED = {"A12": "fail", "B03": "fail"}
NUMBERS = {"C04": "45", "D02": "0.2", "D03": "0.1", "D05": "18", "E04": "20"}


class Watch:
    """Collects the page's uncaught errors, so a scenario fails on any of them."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self) -> None:
        assert not self.errors, f"errors in the page: {self.errors}"


def open_app(page: Any, server: FieldServer) -> None:
    page.goto(server.app_url)
    page.wait_for_selector("body[data-ready]")


def login(page: Any, server: FieldServer, username: str = "insp1", password: str = PASSWORD) -> None:
    open_app(page, server)
    page.wait_for_selector("aj-login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-submit]")
    page.wait_for_selector("aj-shell")


def go(page: Any, route: str) -> None:
    page.evaluate("route => { location.hash = '#/' + route }", route)
    tag = {"enterprise": "aj-enterprise", "hazard": "aj-hazard", "inspect": "aj-inspection"}.get(route.split("/")[0], f"aj-{route.split('/')[0]}")
    page.wait_for_selector(f"{tag}[data-ready='1']")


def wait_controlled(page: Any) -> None:
    """The service worker controls the page: the app's files are cached for offline starts."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=30000)


def offline_reload(page: Any, context: Any) -> None:
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready]")


def entry_state(page: Any, record_id: str) -> str | None:
    return page.get_attribute(f"[data-entry='{record_id}']", "data-state")


def wait_entry_state(page: Any, record_id: str, *states: str, timeout: float = 30000) -> None:
    go(page, "outbox")
    page.wait_for_function(
        "([id, states]) => { const e = document.querySelector(`[data-entry='${id}']`); return e && states.includes(e.dataset.state); }",
        arg=[record_id, list(states)], timeout=timeout,
    )


def start_inspection(page: Any, enterprise_id: str) -> str:
    """From the enterprise card, with the hazchem checklist; returns the draft (submission) id."""
    go(page, f"enterprise/{enterprise_id}")
    page.click("[data-checklist^='hazchem.enterprise_general@']")
    page.wait_for_selector("aj-inspection[data-ready='1']")
    return page.evaluate("location.hash.split('/')[2]")


def saved(page: Any) -> None:
    """Every change so far is written to IndexedDB."""
    page.wait_for_function("document.querySelector('aj-inspection')?.dataset.dirty !== '1'")


def item(code: str) -> str:
    return f"#item-{code}"


def attach(page: Any, selector: str, photo: str) -> None:
    """Feed a photo to the camera input of the ``<aj-photos>`` at ``selector``; wait until it is kept."""
    picker = page.locator(selector).first
    before = int(picker.get_attribute("data-count") or "0")
    picker.locator("input[type=file]").set_input_files(photo)
    page.wait_for_function(
        "([sel, n]) => { const p = document.querySelector(sel); return p && p.dataset.busy === '0' && Number(p.dataset.count) > n; }",
        arg=[selector, before], timeout=20000,
    )


def sign(page: Any, role: str) -> None:
    """Draw a signature with the mouse."""
    canvas = page.locator(f"aj-signature[data-role='{role}'] canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    wave = 18 if role == "inspector" else 34  # two people, two signatures
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 24):
        page.mouse.move(x + i * 12, y + (wave if i % 2 else -wave), steps=2)
    page.mouse.up()
    page.wait_for_selector(f"aj-signature[data-role='{role}'][data-signed='1']")


def photo_required_codes(page: Any, sections: str) -> list[str]:
    """Items marked 须拍照 in the given sections (by the screen, as an inspector sees them)."""
    return page.evaluate(
        "sections => [...document.querySelectorAll('article.item')].filter(a => a.querySelector('.badge.photo')"
        " && sections.includes(a.closest('[data-section]').dataset.section)).map(a => a.dataset.code)",
        sections,
    )


def answer_sections(page: Any, sections: str, photo: str) -> None:
    """Every pass/fail item of ``sections`` passed, a photo on each item that needs one."""
    for section in sections:
        page.click(f"[data-pass-rest='{section}']")
    for code in photo_required_codes(page, sections):
        attach(page, f"{item(code)} aj-photos[data-target='answer']", photo)


def fail_item(page: Any, code: str, description: str, **hazard: str) -> None:
    page.click(f"{item(code)} [data-set-result='fail']")
    page.wait_for_selector(f"{item(code)}.failed [data-hazard-form]")
    page.fill(f"{item(code)} [data-hz='description']", description)
    for name, value in hazard.items():
        page.fill(f"{item(code)} [data-hz='{name}']", value)


def fill_first_half(page: Any, photo: str) -> None:
    """Sections A and B, with the major failed item A12 (photo, plan) and the general B03."""
    answer_sections(page, "AB", photo)
    fail_item(page, "A12", "罐区可燃气体检测报警器2台故障未修复，爆炸危险区域内使用非防爆照明灯具", responsible_person="刘安全",
              rectification_plan="停用罐区动火作业；3日内更换报警器并检定；非防爆灯具全部更换为防爆型")
    attach(page, f"{item('A12')} aj-photos[data-target='evidence']", photo)
    fail_item(page, "B03", "2名新入职操作工未经三级安全教育即上岗", location="合成车间")
    saved(page)


def fill_second_half(page: Any, photo: str) -> None:
    """Sections C–G with the numbers (D05 out of range: a third failed item), notes, both signatures."""
    answer_sections(page, "CDEFG", photo)
    for code, value in NUMBERS.items():
        page.fill(f"{item(code)} [data-value]", value)
    page.wait_for_selector(f"{item('D05')}.failed [data-hazard-form]")
    page.fill(f"{item('D05')} [data-hz='description']", "受限空间作业前氧含量检测值18%，低于19.5%仍准备进入作业")
    page.fill("[data-notes]", "现场检查发现隐患3项，其中重大隐患1项，已当场告知企业。")
    page.fill("[data-sig-name='inspector']", "张检查")
    sign(page, "inspector")
    page.fill("[data-sig-name='enterprise']", "刘安全")
    sign(page, "enterprise")
    saved(page)


def finish(page: Any) -> None:
    page.click("[data-finish]")
    page.wait_for_selector("aj-outbox[data-ready='1']")


def queue_offline_inspection(page: Any, context: Any, server: FieldServer, photo: str) -> str:
    """Log in, pull, go offline and make the full inspection of the world's assignment; its id."""
    login(page, server)
    page.wait_for_selector(f"[data-assignment='{server.world.assignment_id}']")
    wait_controlled(page)
    context.set_offline(True)
    page.click(f"[data-assignment='{server.world.assignment_id}'] [data-start]")
    page.wait_for_selector("aj-inspection[data-ready='1']")
    draft_id = page.evaluate("location.hash.split('/')[2]")
    fill_first_half(page, photo)
    fill_second_half(page, photo)
    finish(page)
    assert entry_state(page, draft_id) == "waiting"
    return draft_id
