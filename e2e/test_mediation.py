"""A mediation in Chromium, from the public application to the signed agreement's PDF.

The applicant applies on the portal without login; 王强 (head) accepts and names 张伟 mediator;
张伟 records a session, the terms, one signature — the agreement is refused until both parties have
signed — then the second signature, and issues the 调解协议书, whose PDF text is checked.
"""

from __future__ import annotations

import io
import re

from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from e2e.test_case_walk import logged_in

APPLICANT = "钟某某（浏览器测试）"
RESPONDENT = "信丰县某某村民委员会（浏览器测试）"
TERM = "争议山塘的灌溉用水按两村耕地面积六四分配"


def test_given_a_public_application_when_mediated_then_the_signed_agreement_pdf_names_both_parties(
    browser: Browser, base_url: str
) -> None:
    # 1. The applicant applies on the portal (no login) and receives a tracking code.
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto("/gongkai/mediation/")
    page.locator("select[name=agency]").select_option(label="信丰县自然资源局")
    page.locator("select[name=kind]").select_option("water")
    page.locator("textarea[name=summary]").fill("两村共用的山塘灌溉用水分配发生争议，下游耕地缺水。")
    page.locator("input[name=location]").fill("信丰县嘉定镇")
    page.locator("input[name=applicant_name]").fill(APPLICANT)
    page.locator("input[name=respondent_name]").fill(RESPONDENT)
    page.locator("form.mform button[type=submit]").click()
    # The phone is required online: the form comes back with the input kept.
    expect(page.locator("input[name=applicant_name]")).to_have_value(APPLICANT)
    expect(page.locator(".errorlist").first).to_be_visible()
    page.locator("input[name=applicant_phone]").fill("13907971234")
    page.locator("form.mform button[type=submit]").click()
    code = page.locator(".code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    context.close()

    # 2. The head accepts and names the mediator.
    with logged_in(browser, base_url, "wangqiang") as page:
        page.goto("/mediation/?q=" + APPLICANT)
        page.locator("table.table tbody a").first.click()
        mediation_url = page.url
        mediator = page.locator("#accept-mediator option", has_text="张伟").first.get_attribute("value")
        assert mediator
        page.locator("#accept-mediator").select_option(mediator)
        page.locator("#accept-form button[type=submit]").click()
        expect(page.locator("#mediation-status")).to_have_text("已受理")

    # 3. The mediator records a session, the terms and the signatures, and issues the agreement.
    with logged_in(browser, base_url, "zhangwei") as page:
        page.goto(mediation_url)
        page.locator("#s-place").fill("嘉定镇人民政府会议室")
        page.locator("#s-att").fill(f"{APPLICANT}；{RESPONDENT}主任；调解人张伟")
        page.locator("#s-rec").fill("双方陈述用水历史；经调解，双方同意按耕地面积分配用水。")
        page.locator("#session-form button[type=submit]").click()
        expect(page.locator("#mediation-status")).to_have_text("调解中")
        page.locator("#a-terms").fill(f"一、{TERM}。\n二、每年三月由双方共同清淤。")
        page.locator("#a-perf").fill("自本协议生效之日起履行。")
        page.locator("#agreement-form button[type=submit]").click()
        page.locator("#sign-party").select_option(label=APPLICANT)
        page.locator("#sign-form button[type=submit]").click()
        # Only one side has signed: the agreement is refused, naming who has not.
        page.locator("#conclude-form button[type=submit]").click()
        expect(page.locator("[role=alert]").first).to_contain_text(RESPONDENT)
        expect(page.locator("#mediation-status")).to_have_text("调解中")
        page.locator("#sign-party").select_option(label=RESPONDENT)
        page.locator("#sign-form button[type=submit]").click()
        page.locator("#conclude-form button[type=submit]").click()
        expect(page.locator("#mediation-status")).to_have_text("已达成协议")

        href = page.locator("#agreement-pdf").get_attribute("href")
        assert href
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("application/pdf")
        text = "".join(
            "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split()
        )
        for expected in ("行政调解协议书", APPLICANT, RESPONDENT, TERM, "当事人签名", "调解人：张伟"):
            assert expected in text, expected

    # 4. The applicant sees the outcome with the code, without anyone's name.
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto("/gongkai/mediation/track/?code=" + code)
    expect(page.get_by_text("已达成协议")).to_be_visible()
    assert APPLICANT not in page.content()
    context.close()
