"""脱敏 — remove personal data from a decision's text before it is published (LEGAL.md §8).

Pure functions, no database. `mask(text, party)` returns the masked text and one `Finding` per
replaced span (kind, span in the *original* text, original → replacement, source), which the
reviewer sees side by side before approving. `residual_findings(text, party)` re-runs the hard
detectors (numbers and the party's own data) over a text that should already be clean; the
publication services refuse to approve a text for which it finds anything.

What is masked (natural persons, 行政处罚法 Art.50; 法释〔2016〕19号):
- resident identity numbers: 18 digits (GB 11643 checksum via python-stdnum, birth date) and the
  old 15-digit form (region + yymmdd + 3), in full-width digits or split by spaces or dashes;
- mobile numbers (1[3-9] + 9 digits, optionally +86), landlines (0 + area code, 7–8 digits,
  extension), bank accounts (16–19 digits with a Luhn check, or any 8–30 digits after 账号, 开户行…);
- any other run of 15 or more digits (a safety net: an identity number with a typo is still one);
- home addresses: the party's own, and addresses after 住址/家住/户籍地… or down to a house number;
  the part up to the county is kept (as courts publish), the rest becomes ``***``;
- names of natural persons: the party's (per configuration) and third persons found after cues
  (证人, 村民, 其妻…) or before ``，男/，女`` — best effort, every one listed for the reviewer — become
  surname + 某 (张三 → 张某, 欧阳娜娜 → 欧阳某; 张某甲, 张某乙 when two share a surname);
- vehicle plate numbers.
What stays: unified social credit codes (public), organisation names given in the party data,
dates, amounts, document numbers.

Detection runs on a copy normalised character by character (full-width → half-width, so spans
stay aligned); replacement happens in the original text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from stdnum import luhn
from stdnum.cn import ric, uscc

# --- kinds and results ---------------------------------------------------------------------------

ID_NUMBER = "id_number"
MOBILE = "mobile"
LANDLINE = "landline"
BANK_ACCOUNT = "bank_account"
LONG_NUMBER = "long_number"
ADDRESS = "address"
NAME = "name"
PLATE = "plate"

KIND_LABELS = {
    ID_NUMBER: "身份证号码",
    MOBILE: "手机号码",
    LANDLINE: "固定电话",
    BANK_ACCOUNT: "银行账号",
    LONG_NUMBER: "长数字串",
    ADDRESS: "住址",
    NAME: "自然人姓名",
    PLATE: "车牌号码",
}

# Findings of these kinds are certain enough to block an approval when still present.
HARD_KINDS = frozenset({ID_NUMBER, MOBILE, LANDLINE, BANK_ACCOUNT, LONG_NUMBER})


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    original: str
    replacement: str
    source: str  # "pattern" | "party" | "cue"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MaskResult:
    text: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PartyData:
    """What the case knows about its parties. Organisations' names stay visible."""

    persons: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    bank_accounts: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> PartyData:
        data = data or {}

        def strs(key: str) -> tuple[str, ...]:
            value = data.get(key) or ()
            if isinstance(value, str):
                value = (value,)
            return tuple(str(v).strip() for v in value if str(v).strip())

        return cls(
            persons=strs("persons"),
            organisations=strs("organisations"),
            id_numbers=strs("id_numbers"),
            addresses=strs("addresses"),
            phones=strs("phones"),
            bank_accounts=strs("bank_accounts"),
        )

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class MaskingConfig:
    pseudonymise_party_names: bool = True  # 当事人 (natural person) → surname + 某
    mask_plates: bool = True


DEFAULT_CONFIG = MaskingConfig()

# --- normalisation -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Full-width ASCII → half-width, ideographic space → space; always the same length."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif ch in "\u3000\u00a0\u2002\u2003\u2009\t":
            out.append(" ")
        elif ch in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63":
            out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def _digits(value: str) -> str:
    return re.sub(r"[^0-9X]", "", normalise(value).upper())


# --- numbers ------------------------------------------------------------------------------------

_RUN = re.compile(r"(?<![0-9])\+?[0-9](?:[ \-]{0,2}[0-9])*[Xx]?")
_GROUP = re.compile(r"[0-9]+[Xx]?")
_PAREN_LANDLINE = re.compile(r"\(0[0-9]{2,3}\) ?[0-9]{3,4}[ \-]?[0-9]{3,4}(?:(?:-|转|ext\.?) ?[0-9]{1,5})?")
_EXTENSION = re.compile(r" ?(?:转|ext\.? ?)[0-9]{1,5}")

_PHONE_CUES = ("电话", "手机", "座机", "联系方式", "传真", "tel", "Tel", "TEL", "号码")
_BANK_CUES = ("账号", "帐号", "账户", "帐户", "卡号", "开户行", "开户银行", "银行")
_USCC_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")


def _birth_date_ok(year: int, month: int, day: int) -> bool:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1890, 1, 1) <= born <= datetime.date.today()


def id18_checksum_ok(number: str) -> bool:
    number = number.upper()
    return (
        len(number) == 18
        and number[:17].isdigit()
        and (number[17].isdigit() or number[17] == "X")
        and ric.calc_check_digit(number) == number[17]
    )


def id18_plausible(number: str) -> bool:
    """Region's first digit 1–8 and a real birth date (the region code itself only warns)."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[0] not in "12345678":
        return False
    return _birth_date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id18_valid(number: str) -> bool:
    return id18_checksum_ok(number) and id18_plausible(number)


def id15_plausible(number: str) -> bool:
    if len(number) != 15 or not number.isdigit() or number[0] not in "12345678":
        return False
    return _birth_date_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def _has_cue(norm: str, start: int, cues: Iterable[str], window: int = 16) -> bool:
    before = norm[max(0, start - window) : start]
    return any(cue in before for cue in cues)


def _classify(groups: list[str], norm: str, start: int) -> tuple[str, str] | None:
    """(kind, note) for one candidate number made of `groups`, "keep" for a USCC, None if none."""
    d = "".join(groups).upper()
    has_x = d.endswith("X")
    if len(d) == 18:
        checksum = id18_checksum_ok(d)
        plausible = id18_plausible(d)
        # A number that is a valid identity number is masked even after a USCC cue: templates say
        # "身份证件号码（统一社会信用代码）" for either, and a leak is worse than over-masking.
        if uscc.is_valid(d) and not (checksum and plausible):
            return ("keep", "unified social credit code")
        if checksum and plausible:
            return (ID_NUMBER, "18位，校验码正确")
        if plausible:
            return (ID_NUMBER, "18位，校验码不符，仍按身份证号码处理")
    if has_x:
        return (LONG_NUMBER, "") if len(d) >= 15 else None
    if len(d) == 15 and id15_plausible(d):
        return (ID_NUMBER, "15位旧号码")
    if _MOBILE.fullmatch(d):
        return (MOBILE, "")
    if d.startswith("0") and not d.startswith("00"):
        if (
            len(groups) in (2, 3)
            and 3 <= len(groups[0]) <= 4
            and 7 <= len(groups[1]) <= 8
            and (len(groups) == 2 or 1 <= len(groups[2]) <= 5)
        ):
            return (LANDLINE, "")
        if len(groups) == 1 and 10 <= len(d) <= 12:
            return (LANDLINE, "")
    if 7 <= len(d) <= 8 and d[0] != "0" and _has_cue(norm, start, _PHONE_CUES):
        return (LANDLINE, "无区号")
    if 8 <= len(d) <= 30 and _has_cue(norm, start, _BANK_CUES, window=24):
        return (BANK_ACCOUNT, "账号提示词后")
    if 16 <= len(d) <= 19 and luhn.is_valid(d):
        return (BANK_ACCOUNT, "Luhn 校验通过")
    if len(d) >= 15:
        return (LONG_NUMBER, "15位以上数字串")
    return None


def _number_findings(original: str, norm: str) -> list[tuple[Finding, bool]]:
    """Numbers in the text; the bool marks protected spans (USCC) that nothing else may mask."""
    found: list[tuple[Finding, bool]] = []
    taken: list[tuple[int, int]] = []
    for m in _USCC_TOKEN.finditer(norm):
        code = m.group().upper()
        lettered = bool(re.search(r"[A-Z]", code[:-1]))  # not an identity number in any case
        if (uscc.is_valid(code) or lettered) and not id18_valid(code):
            taken.append(m.span())
            found.append((_finding("keep", m.start(), m.end(), original, "pattern", "USCC"), True))
    for m in _PAREN_LANDLINE.finditer(norm):
        taken.append(m.span())
        found.append((_finding(LANDLINE, m.start(), m.end(), original, "pattern", "带区号"), False))
    for m in _RUN.finditer(norm):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        run_start = m.start() + (1 if norm[m.start()] == "+" else 0)
        groups = [(g.group(), g.start()) for g in _GROUP.finditer(norm, run_start, m.end())]
        n = len(groups)
        # best[i]: (covered digits, -segments, segments) for groups[i:]
        best: list[tuple[int, int, list[tuple[int, int, str, str]]]] = [(0, 0, [])] * (n + 1)
        for i in range(n - 1, -1, -1):
            choice = (best[i + 1][0], best[i + 1][1], best[i + 1][2])
            for j in range(i + 1, min(n, i + 8) + 1):
                parts = [g for g, _ in groups[i:j]]
                if any(p[-1] in "Xx" for p in parts[:-1]):
                    break
                cls = _classify(parts, norm, groups[i][1])
                if cls is None:
                    continue
                covered = sum(len(p) for p in parts) + best[j][0]
                cand = (covered, best[j][1] - 1, [(i, j, cls[0], cls[1]), *best[j][2]])
                if cand[:2] > choice[:2]:
                    choice = cand
            best[i] = choice
        for i, j, kind, note in best[0][2]:
            start = groups[i][1]
            end = groups[j - 1][1] + len(groups[j - 1][0])
            if kind == "keep":
                found.append((_finding(kind, start, end, original, "pattern", note), True))
                continue
            if i == 0 and m.start() < run_start:
                start = m.start()  # the "+" of +86
            if kind == LANDLINE:
                ext = _EXTENSION.match(norm, end)
                if ext:
                    end = ext.end()
            found.append((_finding(kind, start, end, original, "pattern", note), False))
    return found


_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• ]?[A-HJ-NP-Z0-9]{5,6}"
)

# --- addresses ------------------------------------------------------------------------------------

_STOP = "，。；;,：:（）()、\n！？!?“”\"'《》"
_ADDRESS_CUE = re.compile(
    r"(?:家庭住址|住址|家住|现住址|现住|住所地|住所|户籍所在地|户籍地|居住地|经常居住地|联系地址|通讯地址|地址"
    r"|(?<=[，,、 ])住(?=[^" + _STOP + r"]{0,10}(?:省|市|县|区|镇|乡|村)))"
    r"[:：为是在于]?\s?"
)
_PLACE_UNIT = re.compile(
    r"省|自治区|市|州|盟|县|区|旗|镇|乡|街道|村|社区|组|路|街|巷|弄|胡同|小区|号|栋|幢|单元|室|楼"
)
_HOUSE_NUMBER = re.compile(r"[0-9一二三四五六七八九十]+(?:号|栋|幢|单元|室|户)(?:[0-9]+(?:号|室|户))?")
_ADMIN_UNIT = re.compile(r"省|自治区|市|州|县|区|旗|镇|乡|街道|村|社区|路|街|巷")
# Characters that end an address on its left (在新密市… / 位于新密市…).
_ADDRESS_LEFT_STOP = set(_STOP) | set(" 在于住位至到的及和与从向往")
_KEEP_PREFIX = re.compile(
    r"^(?:[^省市县区旗镇乡村组路街巷号\s]{1,8}?(?:省|自治区))?"
    r"(?:[^省市县区旗镇乡村组路街巷号\s]{1,8}?(?:市|自治州|盟|地区))?"
    r"(?:[^省市县区旗镇乡村组路街巷号\s]{1,8}?(?:县|区|旗|市))?"
)


def _address_replacement(original: str) -> str:
    prefix = _KEEP_PREFIX.match(original)
    kept = prefix.group() if prefix else ""
    if len(kept) >= len(original):
        kept = ""
    return kept + "***"


def _address_findings(original: str, norm: str, party: PartyData) -> list[Finding]:
    found: list[Finding] = []
    for address in party.addresses:
        for variant in _address_variants(normalise(address)):
            for start in _find_all(norm, variant):
                found.append(_finding(ADDRESS, start, start + len(variant), original, "party"))
    for cue in _ADDRESS_CUE.finditer(norm):
        start = cue.end()
        end = start
        while end < len(norm) and end - start < 60 and norm[end] not in _STOP:
            end += 1
        if end - start >= 4 and _PLACE_UNIT.search(norm, start, end):
            found.append(_finding(ADDRESS, start, end, original, "pattern", "住址提示词后"))
    for m in _HOUSE_NUMBER.finditer(norm):  # a linear scan: no backtracking on long texts
        start = m.start()
        while start > 0 and m.start() - start < 30 and norm[start - 1] not in _ADDRESS_LEFT_STOP:
            start -= 1
        if len(_ADMIN_UNIT.findall(norm, start, m.start())) >= 2:
            found.append(_finding(ADDRESS, start, m.end(), original, "pattern", "门牌号级地址"))
    return found


def _address_variants(address: str) -> list[str]:
    """The address as given, and without its province / city, as decisions often shorten it."""
    variants = [address]
    rest = address
    for unit in (
        r"^.{1,8}?(?:省|自治区)",
        r"^.{1,8}?(?:市|自治州|盟)",
        r"^.{1,8}?(?:县|区|旗|市)",
        r"^.{1,8}?(?:镇|乡|街道)",
    ):
        m = re.match(unit, rest)
        if m and len(rest) - m.end() >= 4:
            rest = rest[m.end() :]
            variants.append(rest)
    return [v for v in variants if len(v) >= 4]


# --- names ----------------------------------------------------------------------------------------

COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 公冶 太史 申屠 "
    "闻人 万俟 端木 百里 呼延 南宫 西门 独孤 东郭 拓跋 完颜 赫连 单于 司空 左丘 濮阳 淳于 仲孙"
).split()
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝于"
)
# Characters that end a name found after a cue (证人李四称… — not 李四称).
_NAME_STOP = set(
    "共一告看见发表确承认介证称说讲在于和与及系是家向将均也都已为因对所之处作指提反陈签到当等的了被把从自亦即则同曾未不没等亲陪带现"
)
_FUNCTION_CHARS = set("于和向与及系是在称为将对由把被给同跟让经其")
_THIRD_PERSON_CUES = (
    "见证人 证人 村民 居民 群众 邻居 其妻 其夫 其子 其女 其父 其母 其兄 其弟 其姐 其妹 "
    "妻子 丈夫 儿子 女儿 父亲 母亲 被害人 受害人 举报人 投诉人 委托代理人 代理人 "
    "承租人 出租人 租户 雇工 工人 司机 亲属 户主 村组长 组长 村主任 "
    "监护人 担保人 联系人 收款人 负责人 施工人 包工头 实际使用人"
).split()
_CUE_RE = re.compile("(?:" + "|".join(sorted(_THIRD_PERSON_CUES, key=len, reverse=True)) + r")[:：]?\s?")
_GENDER_RE = re.compile(
    r"[，,]\s?[男女](?=[，,、。；;\s（(]|$)|[（(](?=手机|电话|联系电话|身份证|公民身份|住址|家住)"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PSEUDO_SUFFIXES = "甲乙丙丁戊己庚辛壬癸"


def surname_of(name: str) -> str:
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def pseudonym(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某."""
    return surname_of(name) + "某"


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.fullmatch(ch))


def _name_at(norm: str, pos: int) -> str | None:
    """A plausible name starting at `pos` (surname + one or two characters), or None."""
    for compound in COMPOUND_SURNAMES:
        if norm.startswith(compound, pos):
            surname_len = len(compound)
            break
    else:
        if pos >= len(norm) or norm[pos] not in SURNAMES:
            return None
        surname_len = 1
    given = ""
    for k in range(2):
        i = pos + surname_len + k
        if i >= len(norm) or not _is_cjk(norm[i]) or norm[i] in _NAME_STOP:
            break
        given += norm[i]
    if not given or given.startswith("某"):
        return None
    return norm[pos : pos + surname_len] + given


def _name_before(norm: str, end: int) -> str | None:
    """A plausible name ending at `end` (before ，男 / ，女)."""
    candidates = []
    for length in (4, 3, 2):
        start = end - length
        if start < 0:
            continue
        chunk = norm[start:end]
        if not all(_is_cjk(c) for c in chunk) or "某" in chunk[1:]:
            continue
        compound = any(chunk.startswith(c) and len(chunk) > len(c) for c in COMPOUND_SURNAMES)
        if length == 4 and not compound:
            continue
        if compound or (chunk[0] in SURNAMES and length <= 3):
            candidates.append(chunk)
    for chunk in candidates:  # longest first, unless it starts with a function word (于张三)
        if len(chunk) == 3 and chunk[0] in _FUNCTION_CHARS and len(candidates) > 1:
            continue
        return chunk
    return None


def third_person_names(norm: str) -> list[tuple[str, str]]:
    """(name, cue) of natural persons named in the text — best effort, for the reviewer."""
    names: list[tuple[str, str]] = []
    for cue in _CUE_RE.finditer(norm):
        pos = cue.end()
        for _ in range(6):  # 证人李四、王五和赵六
            name = _name_at(norm, pos)
            if not name:
                break
            names.append((name, cue.group().rstrip(":： ")))
            pos += len(name)
            paren = re.match(r"[（(][^）)]{0,40}[）)]", norm[pos : pos + 42])
            if paren:  # 证人李四（身份证号…）、王五
                pos += paren.end()
            sep = re.match(r"[、和及与,，]", norm[pos : pos + 1])
            if not sep:
                break
            pos += 1
    for m in _GENDER_RE.finditer(norm):
        name = _name_before(norm, m.start())
        if name:
            names.append((name, "性别"))
    return names


# --- assembly -------------------------------------------------------------------------------------


def _find_all(haystack: str, needle: str) -> Iterable[int]:
    if not needle:
        return
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + len(needle))


def _number_replacement(original: str) -> str:
    return re.sub(r"[0-9０-９XxＸｘ]", "*", original)


def _finding(kind: str, start: int, end: int, original: str, source: str, note: str = "") -> Finding:
    text = original[start:end]
    if kind == ADDRESS:
        replacement = _address_replacement(text)
    elif kind in (NAME, "keep"):
        replacement = text  # names are replaced once the pseudonyms are known
    elif kind == PLATE:
        replacement = text[:2] + "*" * (len(text) - 2)
    else:
        replacement = _number_replacement(text)
    return Finding(kind, start, end, text, replacement, source, note)


def _party_number_findings(original: str, norm: str, party: PartyData) -> list[Finding]:
    found = []
    for values, kind in (
        (party.id_numbers, ID_NUMBER),
        (party.phones, MOBILE),
        (party.bank_accounts, BANK_ACCOUNT),
    ):
        for value in values:
            digits = _digits(value)
            if len(digits) < 6:
                continue
            pattern = r"(?<![0-9])" + r"[ \-]{0,2}".join(re.escape(c) for c in digits) + r"(?![0-9])"
            for m in re.finditer(pattern, norm, flags=re.IGNORECASE):
                real_kind = kind
                if kind == MOBILE and not _MOBILE.fullmatch(digits):
                    real_kind = LANDLINE
                found.append(_finding(real_kind, m.start(), m.end(), original, "party", "当事人信息"))
    return found


_KIND_PRIORITY = {
    ID_NUMBER: 0,
    BANK_ACCOUNT: 1,
    MOBILE: 2,
    LANDLINE: 3,
    LONG_NUMBER: 4,
    PLATE: 5,
    ADDRESS: 6,
    NAME: 7,
}


def _merge(findings: list[Finding], original: str) -> list[Finding]:
    """Overlapping findings become one covering their union (nothing half-masked)."""
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), _KIND_PRIORITY.get(f.kind, 9)))
    merged: list[Finding] = []
    for f in ordered:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            if f.end <= last.end:
                continue
            kind = last.kind if (last.end - last.start) >= (f.end - f.start) else f.kind
            merged[-1] = _finding(kind, last.start, f.end, original, last.source, last.note or f.note)
            continue
        merged.append(f)
    return merged


def detect(
    text: str, party: PartyData | None = None, config: MaskingConfig = DEFAULT_CONFIG
) -> list[Finding]:
    """Every span of personal data in `text`, merged, in order, with its replacement."""
    party = party or PartyData()
    norm = normalise(text)
    protected: list[tuple[int, int]] = []
    findings: list[Finding] = []
    for f, is_protected in _number_findings(text, norm):
        if is_protected:
            protected.append((f.start, f.end))
        else:
            findings.append(f)
    findings += _party_number_findings(text, norm, party)
    for org in party.organisations:
        org_norm = normalise(org)
        protected += [(s, s + len(org_norm)) for s in _find_all(norm, org_norm)]
    findings += _address_findings(text, norm, party)
    if config.mask_plates:
        findings += [_finding(PLATE, m.start(), m.end(), text, "pattern") for m in _PLATE.finditer(norm)]

    # Names: the party's natural persons (by configuration) and third persons from cues.
    names: dict[str, str] = {}  # name -> source
    if config.pseudonymise_party_names:
        for person in party.persons:
            names.setdefault(normalise(person), "party")
    for name, _cue in third_person_names(norm):
        if name not in {normalise(o) for o in party.organisations}:
            names.setdefault(name, "cue")
    name_findings: list[Finding] = []
    for name, source in names.items():
        for start in _find_all(norm, name):
            end = start + len(name)
            if any(s <= start and end <= e for s, e in protected):
                continue
            name_findings.append(
                _finding(NAME, start, end, text, source, "第三人" if source == "cue" else "")
            )
    pseudonyms = _pseudonyms([f.original for f in sorted(name_findings, key=lambda f: f.start)])
    findings += [
        Finding(f.kind, f.start, f.end, f.original, pseudonyms[normalise(f.original)], f.source, f.note)
        for f in name_findings
    ]

    findings = [f for f in findings if not any(s <= f.start and f.end <= e for s, e in protected)]
    return _merge(findings, text)


def _pseudonyms(names_in_order: Sequence[str]) -> dict[str, str]:
    distinct: list[str] = []
    for name in names_in_order:
        if normalise(name) not in distinct:
            distinct.append(normalise(name))
    by_pseudonym: dict[str, list[str]] = {}
    for name in distinct:
        by_pseudonym.setdefault(pseudonym(name), []).append(name)
    result: dict[str, str] = {}
    for pseudo, members in by_pseudonym.items():
        if len(members) == 1:
            result[members[0]] = pseudo
        else:
            for i, name in enumerate(members):
                result[name] = pseudo + _PSEUDO_SUFFIXES[i % len(_PSEUDO_SUFFIXES)]
    return result


def apply(text: str, findings: Sequence[Finding]) -> str:
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        out.append(text[pos : f.start])
        out.append(f.replacement)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def mask(
    text: str, party: PartyData | Mapping[str, Any] | None = None, config: MaskingConfig = DEFAULT_CONFIG
) -> MaskResult:
    """The masked text and what was masked (spans refer to `text`)."""
    if not isinstance(party, PartyData):
        party = PartyData.from_dict(party)
    findings = detect(text, party, config)
    return MaskResult(apply(text, findings), tuple(findings))


def residual_findings(
    text: str, party: PartyData | Mapping[str, Any] | None = None, config: MaskingConfig = DEFAULT_CONFIG
) -> list[Finding]:
    """Personal data still in a text that should be clean: numbers and the party's own data.

    Names found only by cue are left out (too uncertain to block a reviewer's approval).
    """
    if not isinstance(party, PartyData):
        party = PartyData.from_dict(party)
    found = detect(text, party, config)
    return [f for f in found if f.kind in HARD_KINDS or f.source == "party"]


__all__ = [
    "DEFAULT_CONFIG",
    "HARD_KINDS",
    "KIND_LABELS",
    "Finding",
    "MaskResult",
    "MaskingConfig",
    "PartyData",
    "apply",
    "detect",
    "id18_valid",
    "mask",
    "normalise",
    "pseudonym",
    "residual_findings",
    "third_person_names",
]
