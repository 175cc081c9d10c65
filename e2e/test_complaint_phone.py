"""A complainant on an iPhone-sized screen sends a report from the portal, writes the tracking code
down, opens the tracking page with it and sees the status (issue 7 §6, §8).

Written to be reliable, after a first version was removed as flaky. What makes a browser test of
this form flaky, and what this one does instead:

- Racing the POST: reading the page or navigating away right after the tap, while the form's POST
  and its redirect to the "received" page are still in flight, either reads the old page or aborts
  the submission ("navigation interrupted"). Here the test waits for the POST's own response
  (`expect_response`), then for the next page's heading and a code of the right shape; there is
  no sleep.
- Time under load: the POST stores the attachment, appends to the ledger and starts three
  deadlines in one SQLite transaction on a machine that other test runs keep at load 10–25; it
  can take longer than `expect()`'s 5-second default, which then fails at random. The waits after a
  navigation get a generous ceiling (they return as soon as the condition holds).
- The agency list starts on a placeholder ("—") when there are several agencies: the agency is
  chosen by its label; a refused submission fails with the form's own messages, not a timeout.
- Dates: the server stamps `received_on` with `timezone.localdate()` in Asia/Shanghai, so a test
  comparing it with the machine's `date.today()` (UTC) fails every day between 16:00 and 24:00 UTC.
  Here "today" is taken in Asia/Shanghai just before and just after the submission (either is
  accepted, for a submission across midnight).
- Shared server: all e2e tests share one demo server, and the form allows 5 submissions per
  address and hour. This test submits once and looks the code up twice.
- Ambiguous locators: the portal header and the page body both link to the complaint pages; the
  locators are scoped (header nav, the form's own submit button, fields by name).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, Response, expect

# iPhone 13/14 viewport, in Chromium (Playwright's "iPhone" descriptors default to WebKit).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
AGENCY = "信丰县自然资源局"  # the demo's county bureau
POST_TIMEOUT_MS = 60_000
PAGE_TIMEOUT_MS = 30_000
CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
# A 1x1 PNG: the form checks attachments by their content.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
    b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def _the_post(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/gongkai/complaints/new/")


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_a_complainant_submits_and_tracks_a_report_on_a_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    page = context.new_page()
    try:
        page.goto("/gongkai/")
        page.locator("header nav").get_by_role("link", name="投诉举报", exact=True).tap()
        expect(page.locator("h1")).to_have_text("投诉或举报违法行为", timeout=PAGE_TIMEOUT_MS)
        _no_horizontal_scroll(page)

        form = page.locator("form.cform")
        # The agency list starts on a placeholder ("—") unless there is one agency: choose it.
        agency_name = AGENCY
        form.locator("select[name=agency]").select_option(label=agency_name)
        form.locator("input[name=category][value=violation]").check()
        form.locator("textarea[name=description]").fill(
            "本月以来每天夜间有人在大塘埠镇东村河道内用挖掘机采砂，运砂车辆从村道经过。"
        )
        form.locator("input[name=location]").fill("大塘埠镇东村河道")
        form.locator("input[name=attachments]").set_input_files(
            {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}
        )
        form.locator("input[name=contact_name]").fill("测试举报人")
        form.locator("input[name=contact_phone]").fill("13900001111")
        before = dt.datetime.now(SHANGHAI).date()
        # Wait for the answer to the POST itself (storing the attachment, the ledger act and the
        # deadlines can take seconds on a loaded machine: longer than expect()'s 5 s default).
        with page.expect_response(_the_post, timeout=POST_TIMEOUT_MS) as posted:
            form.locator("button[type=submit]").tap()
        if posted.value.status != 302:  # refused: say why, from the form's own messages
            page.wait_for_load_state()
            errors = page.locator("[role=alert]").all_inner_texts()
            raise AssertionError(f"the complaint was refused ({posted.value.status}): {errors}")

        # The "received" page, reached through the redirect after the POST.
        expect(page.locator("h1")).to_have_text("投诉举报已收到", timeout=POST_TIMEOUT_MS)
        code_box = page.locator("p.code")
        expect(code_box).to_have_text(CODE, timeout=PAGE_TIMEOUT_MS)
        after = dt.datetime.now(SHANGHAI).date()
        code = code_box.inner_text().strip()
        _no_horizontal_scroll(page)

        # The link on that page opens the tracking page with the code.
        page.get_by_role("link", name="查看办理进度").tap()
        expect(page.locator("h2").first).to_have_text(f"查询码 {code}", timeout=PAGE_TIMEOUT_MS)
        _check_status(page, agency_name, {before.isoformat(), after.isoformat()})
        _no_horizontal_scroll(page)

        # Later, with the code written down (typed in lower case, without dashes): the same status.
        page.goto("/gongkai/")
        page.locator("header nav").get_by_role("link", name="查询投诉办理进度", exact=True).tap()
        expect(page.locator("h1")).to_have_text("投诉举报查询", timeout=PAGE_TIMEOUT_MS)
        page.locator("form.search input[name=code]").fill(code.replace("-", "").lower())
        page.locator("form.search button[type=submit]").tap()
        expect(page.locator("h2").first).to_have_text(f"查询码 {code}", timeout=PAGE_TIMEOUT_MS)
        _check_status(page, agency_name, {before.isoformat(), after.isoformat()})
        # The tracking page shows neither the complainant nor what was written.
        body = page.locator("main").inner_text()
        assert "测试举报人" not in body and "13900001111" not in body and "挖掘机" not in body
    finally:
        context.close()


def _check_status(page: Page, agency_name: str, days: set[str]) -> None:
    rows = page.locator("main table tr")
    expect(rows.filter(has_text="状态").locator("td")).to_have_text("已收到")
    expect(rows.filter(has_text="类别").locator("td")).to_have_text("违法行为举报")
    expect(rows.filter(has_text="机关").locator("td")).to_have_text(agency_name)
    received = rows.filter(has_text="收到日期").locator("td").inner_text().strip()
    assert received in days, (received, days)
