"""A licence application in Chromium: submitted online on a phone, tracked with its code, taken,
accepted, granted and issued by a certified officer; the licence shows its expiry deadline.

Roles: an applicant without login; 吴昊 (officer certified for 矿产资源, so he may handle 采矿许可证).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, expect

from e2e.test_case_walk import logged_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def test_given_an_online_application_when_an_officer_grants_it_then_the_licence_has_its_expiry_deadline(
    browser: Browser, base_url: str
) -> None:
    # 1. The applicant applies on a phone, with one PDF attached, and gets a tracking code.
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto("/gongkai/service/")
    expect(page.get_by_text("不动产登记属于行政确认")).to_be_visible()
    page.goto("/gongkai/service/apply/")
    page.locator("select[name=agency]").select_option(label="信丰县自然资源局")
    page.locator("select[name=kind]").select_option(label="采矿许可证")
    page.locator("input[name=project]").fill("安西镇建筑用砂岩矿开采（浏览器测试）")
    page.locator("input[name=location]").fill("信丰县安西镇")
    page.locator("input[name=applicant_name]").fill("信丰县安西石材有限公司")
    page.locator("input[name=applicant_id_number]").fill("91360722MA35Z9Y8X7")
    page.locator("input[name=applicant_phone]").fill("13907979999")
    page.locator("input[name=attachments]").set_input_files(
        [{"name": "开采方案.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    page.get_by_role("link", name="查询办理进度").first.click()
    expect(page.locator("#app-status")).to_have_text("已接收")

    # 2. The certified officer takes it (首问负责), accepts it, grants and issues the licence.
    with logged_in(browser, base_url, "wuhao") as officer:
        officer.goto(f"/service/?q={code}")
        officer.get_by_role("link", name=code.replace("-", "")).click()
        officer.locator("#take").click()
        expect(officer.locator("#app-owner")).to_have_text("吴昊")
        officer.locator("#accept").click()
        expect(officer.locator("#app-status")).to_have_text("已受理")
        expect(officer.get_by_text("行政许可决定期限")).to_be_visible()
        until = (TODAY + dt.timedelta(days=5 * 365)).isoformat()
        officer.locator("#g-until").fill(until)
        officer.locator("#g-conditions").fill("按批准的开采方案开采，开采深度不超过50米")
        officer.locator("#grant").click()
        expect(officer.locator("#app-status")).to_have_text("准予许可")
        officer.locator("#sup-no").fill("C3607222026127001")
        officer.locator("#issue").click()
        expect(officer.locator("#app-status")).to_have_text("已颁发许可证件")
        documents = officer.locator("main").inner_text()
        assert "受理通知书" in documents and "准予行政许可决定书" in documents
        officer.locator("#licence-link").click()
        number = officer.locator("#licence-number").inner_text()
        row = officer.locator("#licence-deadlines tr", has_text="licence.expiry")
        expect(row).to_be_visible()
        assert until[:4] in row.inner_text()

    # 3. The applicant sees the licence number on the progress page; the licence is public.
    page.goto(f"/gongkai/service/track/?code={code}")
    expect(page.locator("#licence-number")).to_have_text(number)
    page.goto("/gongkai/service/licences/?q=安西")
    expect(page.get_by_text(number)).to_be_visible()
    assert "91360722MA35Z9Y8X7" not in page.content()
    context.close()
