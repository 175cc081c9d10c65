"""The public guidance pages on a phone: the typical-case library (search, an entry) and the
question form with its tracking code, without horizontal scrolling."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

PHONE = {"width": 390, "height": 844}


def no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], width


def test_on_a_phone_the_library_is_searched_and_a_question_gets_a_code(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE
    )
    page = context.new_page()
    # The demo published two entries; the search finds the interview method.
    page.goto("/gongkai/guidance/?q=约谈")
    expect(page.get_by_text("约谈促使企业主动退还违法占用的土地")).to_be_visible()
    no_horizontal_overflow(page)
    page.get_by_text("约谈促使企业主动退还违法占用的土地").click()
    expect(page.locator("h1, h2").first).to_be_visible()
    expect(page.get_by_text("首违不罚").first).to_be_visible()
    no_horizontal_overflow(page)

    page.goto("/gongkai/guidance/ask/")
    page.locator("select[name=agency]").select_option(label="信丰县自然资源局")
    page.locator("input[name=asker_name]").fill("浏览器测试咨询人")
    page.locator("textarea[name=question]").fill("临时用地到期后如何办理复垦验收？")
    page.locator("form.gform button[type=submit]").click()
    # Without a phone or e-mail the form comes back with the question kept and the rule stated.
    expect(page.locator("textarea[name=question]")).to_have_value("临时用地到期后如何办理复垦验收？")
    expect(page.get_by_text("请填写电话或电子邮箱").first).to_be_visible()
    no_horizontal_overflow(page)
    page.locator("input[name=asker_phone]").fill("13907970099")
    page.locator("form.gform button[type=submit]").click()
    code = page.locator(".code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)

    page.goto("/gongkai/mediation/")
    no_horizontal_overflow(page)
    context.close()
