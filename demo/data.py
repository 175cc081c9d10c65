"""The demo's sample organisation: a county natural-resources bureau under its city and province.

Every name, number and person here is sample data for trying the platform out (示例数据), not a
record of a real agency. Plain data, no Django imports: the browser tests read the logins from here.
"""

from __future__ import annotations

# One password for every demo login (passes the password validators). Demo only: `zhifa demo`
# refuses to run under production settings.
DEMO_PASSWORD = "Ziyuan#Demo2026"

# The three administrators must use TOTP. The demo gives each a confirmed TOTP device with this
# fixed secret (base32; add it to any authenticator app, or use `zhifa demo --totp USERNAME`).
DEMO_TOTP_SECRETS_B32 = {
    "sysadmin": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "secadmin": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
    "auditadmin": "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
}

E2E_OFFICER = "zhangwei"

PROVINCE = {
    "code": "ZRZY-360000",
    "name": "江西省自然资源厅",
    "short_name": "赣自然资",
    "level": "province",
    "region_code": "360000",
    "address": "南昌市红谷滩区卧龙路999号（示例）",
    "phone": "0791-00000000",
}
CITY = {
    "code": "ZRZY-360700",
    "name": "赣州市自然资源局",
    "short_name": "赣市自然资",
    "level": "city",
    "region_code": "360700",
    "address": "赣州市章贡区长征大道（示例）",
    "phone": "0797-00000000",
}
COUNTY = {
    "code": "ZRZY-360722",
    "name": "信丰县自然资源局",
    "short_name": "信自然资",
    "level": "county",
    "region_code": "360722",
    "address": "信丰县嘉定镇人民路（示例）",
    "phone": "0797-3300000",
}

# (agency key, name, kind) — kinds are org.models.DepartmentKind values.
DEPARTMENTS = [
    ("county", "执法监察大队", "enforcement_brigade"),
    ("county", "法规科", "legal_affairs"),
    ("county", "行政审批科", "approval"),
    ("county", "办公室", "office"),
    ("county", "国土空间规划股", "business"),
    ("city", "执法监督科", "legal_affairs"),
    ("province", "执法监督处", "legal_affairs"),
]

# Certificate expiry relative to the day the demo is loaded:
#   "ok" ≈ 3 years ahead, "soon10"/"soon25" within 30 days, "expired" 20 days ago,
#   "suspended" valid dates but suspended, None = no certificate.
OFFICERS = [
    # username, name, agency, department, title, roles, certificate fields, certificate state
    (
        "wangqiang",
        "王强",
        "county",
        "办公室",
        "局长",
        ["head", "officer"],
        ["land", "mineral", "planning"],
        "ok",
    ),
    ("zhangwei", "张伟", "county", "执法监察大队", "大队长", ["officer"], ["land", "mineral"], "ok"),
    ("liuyang", "刘洋", "county", "执法监察大队", "副大队长", ["officer"], ["land"], "ok"),
    ("chenjing", "陈静", "county", "执法监察大队", "科员", ["officer"], ["land", "planning"], "soon25"),
    (
        "yangfan",
        "杨帆",
        "county",
        "执法监察大队",
        "科员",
        ["officer"],
        ["mineral", "geological_environment"],
        "soon10",
    ),
    ("huanglei", "黄磊", "county", "执法监察大队", "科员", ["officer"], ["land"], "expired"),
    ("zhoujie", "周杰", "county", "执法监察大队", "科员", ["officer"], ["land"], "suspended"),
    ("wuhao", "吴昊", "county", "执法监察大队", "科员", ["officer"], ["mineral"], "ok"),
    ("xuli", "徐丽", "county", "执法监察大队", "科员", ["officer"], ["surveying", "land"], "ok"),
    ("maqiang", "马强", "county", "执法监察大队", "科员", ["officer"], ["land", "forestry"], "ok"),
    ("zhuting", "朱婷", "county", "国土空间规划股", "股长", ["officer"], ["planning"], "ok"),
    ("linfeng", "林峰", "county", "国土空间规划股", "科员", ["officer"], ["planning", "land"], "ok"),
    ("hejun", "何军", "county", "行政审批科", "科长", ["officer"], ["land"], "ok"),
    ("lina", "李娜", "county", "法规科", "科长", ["legal_reviewer"], ["land"], "ok"),
    ("guoyu", "郭宇", "county", "法规科", "科员", ["legal_reviewer"], ["land", "mineral"], "ok"),
    ("sysadmin", "高明", "county", "办公室", "系统管理员", ["system_admin"], [], None),
    ("secadmin", "罗敏", "county", "办公室", "安全管理员", ["security_admin"], [], None),
    ("auditadmin", "梁欣", "county", "办公室", "安全审计员", ["audit_admin"], [], None),
    ("zhaomin", "赵敏", "city", "执法监督科", "科长", ["supervisor", "officer"], ["land", "mineral"], "ok"),
    ("qianhong", "钱红", "province", "执法监督处", "处长", ["supervisor"], ["land"], "ok"),
]

# 法律职业资格 (A 证) of the legal reviewers.
LEGAL_QUALIFICATIONS = {"lina": ("A20183607220011", "2018-03-01"), "guoyu": ("A20203607220027", "2020-03-01")}

CERTIFICATE_ISSUER = "江西省人民政府（示例）"
CERTIFICATE_PREFIX = "赣ZF"  # + region code + sequence: 赣ZF3607220002
MAIL_DOMAIN = "demo.zhifa.example"

# One login per role, printed by `zhifa demo` and listed in the README.
LOGINS = [
    ("zhangwei", "enforcement officer"),
    ("lina", "legal reviewer"),
    ("wangqiang", "agency head"),
    ("zhaomin", "supervisor (city bureau)"),
    ("sysadmin", "system administrator (TOTP)"),
    ("secadmin", "security administrator (TOTP)"),
    ("auditadmin", "audit administrator (TOTP)"),
]

# Sample deadlines on the county bureau (days relative to the demo day, in calendar days of the
# start date; the clock computes the due date). (responsible, title, legal basis, unit, amount,
# start offset, kind)
DEADLINES = [
    (
        "zhangwei",
        "陈述申辩期限：信丰县某建材厂非法占用土地案（示例）",
        "《行政处罚法》第四十五条、《自然资源行政处罚办法》第三十三条",
        "calendar_days",
        5,
        -9,
        "statement",
    ),
    (
        "zhangwei",
        "听证申请期限：某村民委员会非法转让土地案（示例）",
        "《行政处罚法》第六十四条",
        "calendar_days",
        5,
        -3,
        "hearing_request",
    ),
    (
        "zhangwei",
        "违法线索核查：嘉定镇疑似违法占地图斑（示例）",
        "《自然资源违法行为立案查处工作规程（试行）》",
        "workdays",
        10,
        -5,
        "lead_check",
    ),
    (
        "liuyang",
        "行政处罚决定期限：某采石场无证采矿案（示例）",
        "《行政处罚法》第六十条",
        "calendar_days",
        90,
        -60,
        "decision",
    ),
    (
        "hejun",
        "行政许可审查期限：建设用地规划许可申请（示例）",
        "《行政许可法》第四十二条",
        "workdays",
        20,
        -12,
        "licence_review",
    ),
    (
        "chenjing",
        "整改复查：大塘埠镇违法建筑限期拆除（示例）",
        "《土地管理法》第七十七条",
        "calendar_days",
        30,
        -20,
        "rectification",
    ),
]
