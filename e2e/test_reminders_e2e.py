"""A licence holder's renewal reminder arrives by e-mail (a real SMTP server on loopback captures it)
and the holder opens its link in Chromium: the portal shows the reminder by licence number and code
(issue 8 §2, §9).

The demo already scanned the reminders of its licences; its send attempts found no mail server (the
e2e server mails to port 9) and were queued for retry. Here the reminder job runs again — in a
`zhifa shell` whose mail port is the capturing server — with the quiet hours switched off, and one
hour later than now so that the queued retries are due (no UI runs the job: crontask does).
"""

from __future__ import annotations

import email
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from e2e.conftest import _zhifa
from reminders.testing import SmtpSink

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

SEND = r"""
import datetime as dt
from django.utils import timezone
from reminders import services
services.delivery_settings_update(actor=None, quiet_start="00:00", quiet_end="00:00", max_attempts=5,
                                  retry_base_minutes=5)
services.reminders_scan()
# Half a day on: a demo loaded at night in Asia/Shanghai queued its reminders for the end of the quiet
# hours (the morning); an hour on they would still wait.
print(services.reminders_send(now=timezone.now() + dt.timedelta(hours=12)).as_dict())
"""


def test_a_renewal_reminder_arrives_by_smtp_and_the_holder_opens_its_link(
    browser: Browser, base_url: str, demo_env: tuple[dict[str, str], Path], zhifa_shell: Any
) -> None:
    env, log = demo_env
    sink = SmtpSink().start()
    try:
        _zhifa("shell", "-c", SEND, env={**env, "ZHIFA_EMAIL_PORT": str(sink.port)}, log=log)
    finally:
        sink.stop()
    assert sink.messages, log.read_text()[-2000:]
    bodies = []
    for _rcpt, raw in sink.messages:
        msg = email.message_from_bytes(raw)
        bodies.append(msg.get_payload(decode=True).decode(msg.get_content_charset()))
    renewal = next(b for b in bodies if "延续" in b and "/gongkai/reminders/?" in b)
    link = re.search(r"(/gongkai/reminders/\?ref=[^\s，。]+&code=[A-Z0-9]{8})", renewal)
    assert link, renewal

    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    page = context.new_page()
    try:
        page.goto(link.group(1))
        expect(page.locator("h2", has_text="您的提示")).to_be_visible()
        items = page.locator("ul.reminders li")
        expect(items.first).to_contain_text("有效期")
        expect(items.first).to_contain_text("电子邮件")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # A wrong code shows nothing of the holder's (no enumeration of licence numbers).
        page.goto(re.sub(r"code=[A-Z0-9]{8}", "code=ABCDEFGH", link.group(1)))
        expect(page.locator("[role=alert]")).to_contain_text("没有与该编号和查询码对应的提示")
        expect(page.locator("ul.reminders")).to_have_count(0)
    finally:
        context.close()
