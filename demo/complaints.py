"""Demo complaints of the county bureau: a report (received), a conduct complaint (accepted), and an
inquiry answered — the answer names the complainant and their phone, which the public tracking page
shows masked."""

from __future__ import annotations

from typing import Any

COMPLAINANTS = [
    (
        "violation",
        "嘉定镇东村三组有人在基本农田上挖塘养鱼，已挖了两天。",
        "嘉定镇东村三组",
        "赖建国",
        "13907970001",
    ),
    ("conduct", "执法人员到现场检查时未出示执法证件。", "大塘埠镇", "钟秀英", "13907970002"),
    ("other", "想咨询宅基地审批需要哪些材料。", "", "曾志明", "13907970003"),
]


def load(loader: Any) -> str | None:
    from complaints import selectors, services

    agency = loader.agencies["county"]
    if selectors.visible_complaints(None).filter(agency=agency).exists():
        return None
    officer = loader.officers["zhangwei"].user
    made = []
    for category, description, location, name, phone in COMPLAINANTS:
        made.append(
            services.complaint_submit(
                actor=None,
                agency_id=agency.pk,
                category=category,
                description=description,
                location=location,
                contact_name=name,
                contact_phone=phone,
                contact_email=f"demo{phone[-4:]}@example.cn",
            )
        )
    services.complaint_accept(actor=officer, complaint=made[1])
    services.complaint_accept(actor=officer, complaint=made[2])
    services.complaint_reply(
        actor=officer,
        complaint=made[2],
        text=(
            "曾志明您好：宅基地审批需提交申请表、身份证明、户口簿和村民小组意见，"
            "我局已于电话13907970003告知您办理地点。"
        ),
    )
    codes = "、".join(c.tracking_code for c in made)
    return f"投诉举报：3 件示例（跟踪码 {codes}）。"
