"""The public portal in Chromium: search (a two-character query), a decision page, the annual
report's charts drawn by ECharts under the site's CSP."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect


def _page(browser: Browser, base_url: str, **kw: object) -> Page:
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **kw)
    return context.new_page()


def test_search_two_characters_and_open_a_decision(browser: Browser, base_url: str) -> None:
    page = _page(browser, base_url)
    page.goto("/gongkai/")
    page.locator("header nav").get_by_role("link", name="搜索").click()
    page.locator("input#q").fill("耕地")
    page.locator("form[role=search] button").click()
    expect(page.locator("p[role=status]")).to_contain_text("件决定符合条件")
    marks = page.locator("ol.results mark")
    expect(marks.first).to_have_text("耕地")
    # narrow by year, then open the first decision
    page.locator("select#year").select_option(index=1)
    page.locator("form[role=search] button").click()
    page.locator("ol.results li a").first.click()
    expect(page.locator("h1")).to_contain_text("决定书")
    expect(page.locator(".decision-text")).to_be_visible()
    body = page.locator(".decision-text").inner_text()
    assert "某" in body
    assert not re.search(r"\d{17}[\dXx]", body)  # no identity number survives masking
    page.context.close()


def test_annual_report_draws_its_charts(browser: Browser, base_url: str) -> None:
    page = _page(browser, base_url)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/gongkai/annual/")
    page.locator("main li a").first.click()
    expect(page.locator("h1")).to_contain_text("年度行政执法统计")
    expect(page.locator("#chart-outcomes[data-drawn='1'] svg")).to_have_count(1)
    expect(page.locator("#chart-kinds svg")).to_have_count(1)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()
    page.context.close()
