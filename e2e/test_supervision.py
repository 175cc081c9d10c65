"""Supervision in Chromium: the head (王强) opens the dashboard, the ECharts charts render under the
CSP and export as PNG, a number is followed to the records behind it, and a 督办 is issued on one of
them; the addressee answers it on the order's page."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from e2e.test_case_walk import logged_in


def test_head_follows_a_number_to_its_records_and_issues_a_supervision_order(
    browser: Browser, base_url: str
) -> None:
    with logged_in(browser, base_url, "wangqiang") as page:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/supervision/")
        expect(page.get_by_role("heading", name="执法监督看板")).to_be_visible()
        # ECharts drew the charts (canvas) and can export one as a PNG image
        expect(page.locator("#chart-outcomes canvas").first).to_be_attached()
        png = page.evaluate(
            "echarts.getInstanceByDom(document.getElementById('chart-outcomes')).getDataURL({type: 'png'})"
        )
        assert png.startswith("data:image/png;base64,") and len(png) > 1000
        assert not [e for e in errors if "Content Security Policy" in e], errors
        # the legal-reviewer ratio is shown
        expect(page.get_by_role("heading", name="法制审核人员")).to_be_visible()
        # follow the first number of the outcomes chart to the cases behind it
        link = page.locator("a[data-number=outcomes]").first
        count = int(link.inner_text())
        link.click()
        page.wait_for_load_state("networkidle")
        assert "/supervision/drill/outcomes/" in page.url
        expect(page.locator("main table tbody tr")).to_have_count(min(count, 25))
        # issue a 督办 on the first case listed
        row = page.locator("main table tbody tr").first
        case_number = row.locator("td a").first.inner_text()
        row.get_by_role("link", name="下发督办").click()
        page.wait_for_load_state("networkidle")
        value = page.locator("select[name=addressee] option", has_text="张伟").first.get_attribute("value")
        page.locator("select[name=addressee]").select_option(value)
        page.locator("textarea[name=requirement]").fill("请于五个工作日内报告本案执行进展。")
        page.locator("input[name=workdays]").fill("5")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".messages")).to_contain_text("已下发")
        assert re.search(r"/supervision/orders/\d+/$", page.url)
        order_url = page.url
        expect(page.locator("main")).to_contain_text(case_number)
    # the addressee answers
    with logged_in(browser, base_url, "zhangwei") as page:
        page.goto(order_url)
        page.locator("textarea[name=response]").fill("已督促当事人缴纳罚款，执行完毕。")
        page.get_by_role("button", name="提交答复").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".page-header .badge")).to_have_text("已答复")
