"""An officer on a phone uploads a photo and a body-camera video to a site-inspection record
(现场检查（勘验）笔录) and sees their SHA-256 digests (issue 5 §7).

The record is made in `zhifa shell` (records.services.record_create, on an open demo case that
张伟 handles with 刘洋); the upload itself goes through the records page in Chromium with a
phone-sized viewport and touch, using the chunked, resumable upload script.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, expect

from demo.data import DEMO_PASSWORD

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}

MAKE_RECORD = r"""
import json
from django.utils import timezone
from org.selectors import visible_officers
from cases.selectors import visible_cases, case_officer_ids
from records.services import record_create
zw = visible_officers(None).get(user__username="zhangwei")
ly = visible_officers(None).get(user__username="liuyang")
SHUT = ["closed", "archived", "declined", "transferred", "lead", "preliminary_check"]
case = next(c for c in visible_cases(None).exclude(status__in=SHUT).order_by("pk")
            if {zw.pk, ly.pk} <= set(case_officer_ids(case=c)))
record = record_create(actor=zw.user, case=case, kind="inspection", action="investigate",
    started_at=timezone.now() - timezone.timedelta(hours=1), place="嘉定镇东门村现场",
    officer_ids=[zw.pk, ly.pk], signature="signed",
    content={"persons_present": [{"name": "刘某某", "role": "当事人"}],
             "findings": "现场新建住房一栋，约300平方米。"})
open(OUT, "w").write(json.dumps({"case": case.pk, "record": record.pk}))
"""


def _media(tmp: Path) -> tuple[Path, Path]:
    photo = tmp / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + random.Random(1).randbytes(200_000))
    video = tmp / "执法记录仪.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 12 + random.Random(2).randbytes(3_000_000))
    return photo, video


def test_officer_uploads_photo_and_video_to_a_site_inspection_record_from_a_phone(
    browser: Browser, base_url: str, zhifa_shell: Callable[[str], None], tmp_path: Path
) -> None:
    out = tmp_path / "ids.json"
    zhifa_shell(f"OUT = {str(out)!r}\n" + MAKE_RECORD)
    ids = json.loads(out.read_text())
    photo, video = _media(tmp_path)
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("input[name=username]").fill("zhangwei")
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        expect(page).not_to_have_url(re.compile(r"/login"))

        page.goto(f"/cases/{ids['case']}/records/{ids['record']}/")
        expect(page.locator("h1")).to_contain_text("现场检查")
        assert page.evaluate("window.innerWidth") <= 400
        # Nothing wider than the phone's screen (long digests wrap).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        form = page.locator("form[data-chunked-upload]")
        file_input = form.locator("input[type=file]")
        expect(file_input).to_have_attribute("capture", "environment")  # the phone's camera
        for path in (photo, video):
            file_input.set_input_files(str(path))
            page.wait_for_load_state("load")  # images of the files already attached are in place
            with page.expect_navigation():  # the script uploads in chunks, then reloads the page
                form.locator("button[type=submit]").click()
            page.wait_for_load_state("networkidle")
        for path in (photo, video):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            row = page.locator("li", has_text=path.name)
            expect(row).to_be_visible()
            expect(row.locator("code")).to_have_text(digest)
        page.screenshot(path=str(Path(os.environ.get("ZHIFA_E2E_SHOTS", tmp_path)) / "records-phone.png"))
    finally:
        context.close()
