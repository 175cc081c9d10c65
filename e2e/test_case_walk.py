"""One 非法占用土地 case walked through the procedure in Chromium, from the lead to the archive.

Roles (non-administrators, no TOTP): 张伟 (officer, lead handler), 刘洋 (second certified officer),
王强 (head), 李娜 (legal reviewer, never a handler of the case).

Every step is a form of the case UI (cases:lead_new; the party, officer and facts forms of
cases:case_detail; cases:case_action), of the records UI (the evidence list) or of the review UI
(review:submit from the case page's link, review:todo → review:conclude). The documents the acts
issue (告知书, 决定书 …) are checked on the case page and the decision's PDF is opened.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from demo.cases import resident_id
from demo.data import DEMO_PASSWORD

TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the server's TIME_ZONE
TITLE = "刘某某非法占用土地建房案（浏览器测试）"
STARTED = (dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() - dt.timedelta(days=30)).isoformat()


@contextmanager
def logged_in(browser: Browser, base_url: str, username: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        expect(page).not_to_have_url(re.compile(r"/login"))
        yield page
    finally:
        context.close()


def status_is(page: Page, case_id: int, label: str) -> None:
    page.goto(f"/cases/{case_id}/")
    expect(page.locator(".page-header .badge").first).to_have_text(label)


def act(page: Page, case_id: int, action: str, fill: Callable[[Page], None] | None = None) -> None:
    """Open the action's page of the case UI, fill its form, submit; back on the case page."""
    page.goto(f"/cases/{case_id}/actions/{action}/")
    if fill is not None:
        fill(page)
    page.locator("main form.form .form-actions button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    # A refusal re-renders the action's page (with the rule and its article); success goes back.
    if not re.search(rf"/cases/{case_id}/$", page.url):
        refusals = page.locator(".errorlist, [role=alert], .alert, .notice-error").all_inner_texts()
        raise AssertionError(f"{action} refused: {refusals}")


def test_given_a_land_lead_when_officer_head_and_reviewer_work_it_then_the_case_is_archived(
    browser: Browser, base_url: str
) -> None:
    # 1. The officer registers the lead (案源登记) and its party.
    with logged_in(browser, base_url, "zhangwei") as page:
        page.goto("/cases/new/")
        page.locator("select[name=source]").select_option("patrol")
        page.locator("input[name=title]").fill(TITLE)
        page.locator("textarea[name=description]").fill(
            "巡查发现嘉定镇东门村村民刘某某未经批准占用一般耕地建设住房一栋，面积约300平方米（合0.45亩）。"
        )
        page.locator("input[name=location]").fill("信丰县嘉定镇东门村")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text("案源已登记。")).to_be_visible()
        case_id = int(re.search(r"/cases/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
        expect(page.get_by_text("非法占用土地").first).to_be_visible()
        expect(page.locator(".page-header .badge").first).to_have_text("案源登记")

        page.locator("details:has(form[action$='/parties/']) > summary").click()
        party = page.locator("form[action$='/parties/']")
        party.locator("select[name=party_type]").select_option("natural")
        party.locator("input[name=name]").fill("刘某某")
        party.locator("input[name=id_number]").fill(resident_id(57))
        party.locator("input[name=address]").fill("信丰县嘉定镇东门村三组")
        party.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text("当事人已登记。")).to_be_visible()

        # The facts the discretion standard and the documents need, on the case page.
        page.locator("#facts-edit > summary").click()
        facts = page.locator("form[action$='/facts/']")
        facts.locator("select[name=violation_code]").select_option("illegal_occupation")
        facts.locator("input[name=act_started_on]").fill(STARTED)
        facts.locator("input[name=continuing]").check()
        facts.locator("select[name=land_class]").select_option("farmland")
        facts.locator("input[name=area_m2]").fill("300")
        facts.locator("input[name=village]").fill("嘉定镇东门村")
        facts.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text("案件事实已保存。")).to_be_visible()
        expect(page.locator(".area-m2").first).to_contain_text("300")
        act(page, case_id, "check")
        status_is(page, case_id, "初步核查")

    # 2. The head assigns the two certified officers and registers the case (立案).
    with logged_in(browser, base_url, "wangqiang") as page:
        for name, role in (("张伟", "lead"), ("刘洋", "assistant")):
            page.goto(f"/cases/{case_id}/")
            page.locator("details:has(form[action$='/officers/']) > summary").click()
            assign = page.locator("form[action$='/officers/']")
            assign.locator("select[name=officer_id]").select_option(label=name)
            assign.locator("select[name=role]").select_option(role)
            assign.locator("button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            expect(page.get_by_text("已指派执法人员。")).to_be_visible()
        act(page, case_id, "register")
        status_is(page, case_id, "已立案")

    # 3. The officer investigates, lists the evidence, and reports a fine of 1.5万元 — below the
    #    standard's range, so with the written reason (减轻, Art.32); legal review is required (≥ 1万元).
    with logged_in(browser, base_url, "zhangwei") as page:
        act(page, case_id, "investigate")
        status_is(page, case_id, "调查取证")
        for kind, title, proves in (
            ("inspection_record", "现场勘验笔录及照片", "刘某某在一般耕地上建房的位置、面积"),
            ("documentary", "土地利用现状图及测量报告", "所占土地为一般耕地，面积300平方米"),
            ("party_statement", "刘某某询问笔录", "未经批准占地建房的经过"),
        ):
            page.goto(f"/cases/{case_id}/records/evidence/")
            form = page.locator("main form.form[novalidate]").last
            form.locator("select[name=kind]").select_option(kind)
            form.locator("input[name=title]").fill(title)
            form.locator("textarea[name=proves]").fill(proves)
            form.locator("input[name=source]").fill("信丰县嘉定镇东门村现场")
            form.locator("input[name=collected_by]").first.check()
            form.locator("button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            errors = page.locator("main form .errorlist")
            assert errors.count() == 0, errors.all_inner_texts()
            expect(page.get_by_text(title).first).to_be_visible()

        def report(p: Page) -> None:
            p.locator("select[name=proposed_outcome]").select_option("penalty")
            p.locator("input[name=kinds][value=fine]").check()
            p.locator("input[name=amount]").fill("15000.00")
            p.locator("textarea[name=amount_reason]").fill(
                "当事人主动拆除部分建筑、减轻危害后果，依照《行政处罚法》第三十二条减轻处罚。"
            )
            p.locator("textarea[name=report]").fill(
                "经调查，刘某某未经批准占用一般耕地300平方米建房，违反《土地管理法》第四十四条。"
            )

        act(page, case_id, "report", report)
        status_is(page, case_id, "调查终结")

        page.goto(f"/cases/{case_id}/")
        page.locator(f"a[href$='/review/cases/{case_id}/submit/']").first.click()
        page.wait_for_load_state("networkidle")
        page.locator("textarea[name=note]").fill("拟处罚款15000元，提请法制审核。")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")

    # 4. The legal reviewer — not a handler of the case — concludes the review on review:conclude.
    with logged_in(browser, base_url, "lina") as page:
        page.goto("/review/")
        row = page.locator("tr", has_text="刘某某").first
        expect(row).to_be_visible()
        row.locator("a[href*='/review/']").first.click()
        page.wait_for_load_state("networkidle")
        for radio in page.locator("input[type=radio][value=compliant]").all():
            radio.check()
        page.locator("input[type=radio][value=not_applicable]").first.check()
        page.locator("input[type=radio][name=opinion][value=pass]").check()
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".errorlist")).to_have_count(0)

        expect(page.locator(".usermenu .username")).to_have_text("李娜")
        page.goto(f"/cases/{case_id}/")
        handlers = page.locator("section[aria-labelledby=officers-title] li").all_inner_texts()
        assert any("张伟" in h for h in handlers) and any("刘洋" in h for h in handlers), handlers
        assert not any("李娜" in h for h in handlers), handlers  # the reviewer never handled the case

    # 5. Notice (事先告知), the party's statement with the hearing waived.
    with logged_in(browser, base_url, "zhangwei") as page:
        act(page, case_id, "notify", lambda p: p.locator("input[name=delivered_on]").fill(TODAY))
        status_is(page, case_id, "已告知")

        def statement(p: Page) -> None:
            p.locator("input[name=received_on]").fill(TODAY)
            p.locator("textarea[name=points]").fill("当事人称建房系自住 | 自住不改变未经批准占用耕地的事实")
            p.locator("input[name=hearing_waived]").check()

        act(page, case_id, "record_statement", statement)

    # 6. The head decides (the legal review passed, so the guard lets it through).
    with logged_in(browser, base_url, "wangqiang") as page:
        act(page, case_id, "decide")
        status_is(page, case_id, "已作出处罚决定")
        # The decision (行政处罚决定书) was issued with its number; its PDF opens for the officer.
        row = page.locator("#documents tr", has_text="行政处罚决定书").first
        expect(row).to_be_visible()
        response = page.request.get(row.locator("a[href$='.pdf']").get_attribute("href") or "")
        assert response.status == 200 and response.body()[:5] == b"%PDF-", response.status

    # 7. Delivery, execution, payment of the whole fine.
    with logged_in(browser, base_url, "zhangwei") as page:

        def delivery(p: Page) -> None:
            p.locator("input[name=method][value=in_person]").check()
            p.locator("input[name=delivered_on]").fill(TODAY)

        act(page, case_id, "deliver", delivery)
        status_is(page, case_id, "已送达")
        act(page, case_id, "execute")
        status_is(page, case_id, "执行中")

        def paid(p: Page) -> None:
            p.locator("input[name=completed_on]").fill(TODAY)
            p.locator("input[name=paid_amount]").fill("15000.00")
            p.locator("input[name=receipt_number]").fill("赣非税20260001")

        act(page, case_id, "complete_execution", paid)
        status_is(page, case_id, "执行完毕")

    # 8. The head reviews the masked decision and publishes it (事后公开, 7 working days); the public
    #    page shows the masked text only. Then closes the case (结案); the handler archives it.
    with logged_in(browser, base_url, "wangqiang") as page:
        page.goto(f"/cases/{case_id}/")
        page.locator("#publication a[href*='/gongkai/manage/']").click()
        page.wait_for_load_state("networkidle")
        masked = page.locator("textarea[name=masked_text]").input_value()
        assert resident_id(57) not in masked and "刘某" in masked, masked
        page.locator("form:has(input[name=action][value=approve]) button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        page.locator("form:has(input[name=action][value=publish]) button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        page.goto(f"/cases/{case_id}/")
        public = page.locator("#publication a[href*='/gongkai/decisions/']").get_attribute("href") or ""
        body = page.request.get(public).text()
        assert "罚款" in body and resident_id(57) not in body and "三组" not in body
        act(page, case_id, "close")
        status_is(page, case_id, "已结案")
    with logged_in(browser, base_url, "zhangwei") as page:
        # The archive package (案卷归档: ZIP with cover, index, documents, signed manifest) first.
        page.goto(f"/cases/{case_id}/records/")
        page.locator(f"form[action$='/cases/{case_id}/records/archive/'] button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(f"a[href*='/cases/{case_id}/records/archive/']").first).to_be_visible()
        act(page, case_id, "archive")
        status_is(page, case_id, "已归档")
        expect(page.get_by_text("罚款").first).to_be_visible()
