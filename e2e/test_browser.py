"""Log in as a demo officer in Chromium and see the to-do home in Chinese; the login page on a phone."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from demo.data import DEMO_PASSWORD, E2E_OFFICER

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/")  # the home redirects to the login page
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def test_given_a_demo_officer_when_logging_in_then_the_todo_home_shows_in_chinese(page: Page) -> None:
    log_in(page, E2E_OFFICER, DEMO_PASSWORD)

    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
    expect(page.get_by_text("待办").first).to_be_visible()
    # The demo gives this officer deadlines, one of them overdue: the home lists them.
    expect(page.get_by_text("超期").first).to_be_visible()
    body = page.locator("body").inner_text()
    assert len(CJK.findall(body)) > 20, body


def test_given_a_375px_phone_when_opening_the_login_page_then_it_fits_without_sideways_scrolling(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 375, "height": 740},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    try:
        page.goto("/")  # the home redirects to the login page
        username = page.locator("input[name=username]")
        expect(username).to_be_visible()
        expect(page.locator("form button[type=submit]").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box = username.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert CJK.search(page.locator("body").inner_text())
    finally:
        context.close()


def test_given_the_logged_in_home_when_captured_on_a_desktop_then_the_readme_screenshot_is_written(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, E2E_OFFICER, DEMO_PASSWORD)
        expect(page.get_by_text("待办").first).to_be_visible()
        # Only refresh the committed picture on request: `ZHIFA_UPDATE_SCREENSHOT=1 ./run test e2e`.
        target = (
            ROOT / "docs" / "screenshot.png"
            if os.environ.get("ZHIFA_UPDATE_SCREENSHOT")
            else tmp_path / "s.png"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        context.close()
