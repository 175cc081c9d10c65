"""An officer takes the demo's closed-book online exam in Chromium (issue 9 §12): starts it from the
training page, sees the server's countdown, answers the questions drawn for them, hands in and sees
the score — the same score the server recorded for the attempt."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, expect

from demo.data import DEMO_PASSWORD
from demo.training import ONLINE_TITLE

READ_ATTEMPT = r"""
import json
from training.selectors import attempts_for
a = attempts_for(None).get(officer__user__username="wuhao", exam__title=TITLE)
open(OUT, "w").write(json.dumps({"id": a.pk, "status": a.status, "score": str(a.score),
    "max": str(a.max_score), "seed": a.seed, "questions": a.question_ids, "answers": a.answers}))
"""


def test_an_officer_takes_a_timed_exam_and_sees_the_score(
    browser: Browser, base_url: str, zhifa_shell: Callable[[str], None], tmp_path: Path
) -> None:
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("input[name=username]").fill("wuhao")
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        expect(page).not_to_have_url(re.compile(r"/login"))

        page.goto("/training/")
        exam = page.locator("li", has_text=ONLINE_TITLE)
        expect(exam).to_be_visible()
        exam.locator("form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page).to_have_url(re.compile(r"/training/attempts/\d+/$"))

        timer = page.locator("#exam-timer")
        expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"))
        first = timer.inner_text()
        page.wait_for_timeout(1600)
        assert timer.inner_text() != first  # the countdown runs
        minutes = int(first.split(":")[0])
        assert 28 <= minutes <= 29  # 30 minutes, counted by the server from the start

        questions = page.locator("fieldset.question")
        expect(questions).to_have_count(5)
        for i in range(5):
            q = questions.nth(i)
            q.locator("input").first.check()  # the first option (or 对 for true/false)
        page.locator("button[name=action][value=submit]").click()
        page.wait_for_load_state("networkidle")

        score = page.locator("[data-testid=score]")
        expect(score).to_be_visible()
        expect(page.locator("#exam-timer")).to_have_count(0)

        out = tmp_path / "attempt.json"
        zhifa_shell(f"OUT = {str(out)!r}\nTITLE = {ONLINE_TITLE!r}\n" + READ_ATTEMPT)
        attempt = json.loads(out.read_text())
        assert attempt["status"] == "marked" and len(attempt["answers"]) == 5
        assert attempt["seed"] is not None and len(attempt["questions"]) == 5
        expect(score).to_contain_text(f"{attempt['score']} / {attempt['max']}")
        expect(page.locator("[data-testid=attempt-status]")).to_have_text("已评分")
        # Back on the training page the exam is listed among mine, with its score.
        page.goto("/training/")
        expect(page.locator("table", has_text=ONLINE_TITLE)).to_contain_text(attempt["score"])
    finally:
        context.close()
