"""A party answers the follow-up questionnaire (回访意见表) on a phone, without login, through the
signed link of its QR code; a second answer through the same link is refused (issue 8 §4, §9).

The link is taken in `zhifa shell` (followups.services.questionnaire_url of a demo follow-up not
answered yet) — the party would scan it from the printed questionnaire.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}

LINK = r"""
from followups import selectors, services
f = selectors.followups_filtered(actor=None).exclude(status="answered").order_by("pk").first()
if f is None:
    from cases.selectors import visible_cases
    case = visible_cases(None).order_by("pk").first()
    f = services.followup_for_decision(actor=None, case_id=case.pk)
open(OUT, "w").write(services.questionnaire_url(f))
"""


def test_a_party_answers_the_questionnaire_on_a_phone(
    browser: Browser, base_url: str, zhifa_shell: Any, tmp_path: Path
) -> None:
    out = tmp_path / "link.txt"
    zhifa_shell(f"OUT = {str(out)!r}\n" + LINK)
    link = out.read_text()
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.locator("h1")).to_contain_text("回访意见表")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # Sent incomplete: the page says what is missing and keeps what was written.
        page.get_by_label("满意", exact=True).check()
        page.locator("textarea[name=opinion]").fill("希望进一步简化办事流程。")
        page.locator("form.cform button[type=submit]").tap()
        expect(page.locator(".errorlist").first).to_be_visible()
        expect(page.locator("textarea[name=opinion]")).to_have_value("希望进一步简化办事流程。")
        page.get_by_label("已整改", exact=True).check()
        page.get_by_label("存在一些问题", exact=True).check()
        page.locator("textarea[name=conduct_opinion]").fill("现场等候时间较长。")
        page.locator("form.cform button[type=submit]").tap()
        expect(page.locator("[role=status]")).to_contain_text("您的意见已收到")
        # The same link again: one answer each.
        page.goto(link)
        expect(page.locator("[role=alert]")).to_contain_text("每份只能提交一次")
        # A forged link is refused.
        page.goto(link.rstrip("/")[:-4] + "abcd/")
        expect(page.locator("[role=alert]")).to_contain_text("链接无效")
    finally:
        context.close()
