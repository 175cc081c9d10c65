"""Import and export of provisions, the power list and discretion standards (XLSX / CSV).

An import is all-or-nothing: every row is checked, every bad row is reported with its line number
and the reason in Chinese, and nothing is written unless every row is good. Writes go through the
same services as the screens, so each change is a ledger act. CSV is UTF-8 with a BOM (Excel
opens it); GB18030 files from older Excel are read too.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import policies
from catalog.models import (
    Dimension,
    DiscretionStandard,
    ItemCategory,
    LandClass,
    LegalProvision,
    PenaltyKind,
    PowerItem,
    VersionStatus,
    land_class_name,
    land_class_value,
)
from catalog.services import discretion as discretion_services
from catalog.services import power as power_services
from catalog.services.common import plain
from catalog.services.tiers import fmt
from core.errors import DomainError, ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
KINDS = ("provisions", "powers", "standards")

PROVISION_COLUMNS = ["法律名称", "条", "款", "项", "条文", "生效日期", "失效日期"]
POWER_COLUMNS = [
    "编码",
    "名称",
    "类别",
    "执法依据",
    "责任科室",
    "职责",
    "追责情形",
    "执法领域",
    "办理时限",
    "受理条件",
    "申请材料",
    "办理流程",
    "承诺时限",
    "办理地点",
    "咨询电话",
    "生效日期",
]
POWER_FIELD_OF = {
    "职责": "duties",
    "追责情形": "accountability",
    "执法领域": "field_code",
    "办理时限": "time_limit",
    "受理条件": "guide_conditions",
    "申请材料": "guide_materials",
    "办理流程": "guide_steps",
    "承诺时限": "guide_time_limit",
    "办理地点": "guide_office",
    "咨询电话": "guide_phone",
}
STANDARD_COLUMNS = [
    "基准编码",
    "违法行为",
    "权责事项编码",
    "适用区域",
    "生效日期",
    "失效日期",
    "示例数据",
    "依据",
    "计量维度",
    "地类范围",
    "法定处罚方式",
    "法定下限",
    "法定上限",
    "推荐点位",
    "阶次",
    "顺序",
    "阶次地类",
    "区间下限",
    "区间上限",
    "处罚方式",
    "处罚下限",
    "处罚上限",
    "说明",
]
REQUIRED = {
    "provisions": ["法律名称", "条"],
    "powers": ["编码", "名称", "类别"],
    "standards": ["基准编码", "违法行为", "生效日期", "计量维度", "阶次", "处罚方式", "处罚下限", "处罚上限"],
}
COLUMNS = {"provisions": PROVISION_COLUMNS, "powers": POWER_COLUMNS, "standards": STANDARD_COLUMNS}

KIND_ALIASES: dict[str, str] = {}
for _value, _label in [
    ("penalty", "处罚"),
    ("licensing", "许可"),
    ("compulsion", "强制"),
    ("inspection", "检查"),
    ("levy", "征收"),
    ("confirmation", "确认"),
    ("adjudication", "裁决"),
    ("other", "其他"),
]:
    KIND_ALIASES.update({_value: _value, _label: _value, "行政" + _label: _value})
KIND_LABEL = {
    "penalty": "行政处罚",
    "licensing": "行政许可",
    "compulsion": "行政强制",
    "inspection": "行政检查",
    "levy": "行政征收",
    "confirmation": "行政确认",
    "adjudication": "行政裁决",
    "other": "其他",
}
DIMENSION_ALIASES = {
    "面积(平方米)": Dimension.AREA_M2,
    "平方米": Dimension.AREA_M2,
    "area_m2": Dimension.AREA_M2,
    "面积(亩)": Dimension.AREA_MU,
    "亩": Dimension.AREA_MU,
    "area_mu": Dimension.AREA_MU,
    "违法所得": Dimension.ILLEGAL_INCOME,
    "illegal_income": Dimension.ILLEGAL_INCOME,
    "无": Dimension.NONE,
    "none": Dimension.NONE,
}
DIMENSION_LABEL = {
    Dimension.AREA_M2: "面积(平方米)",
    Dimension.AREA_MU: "面积(亩)",
    Dimension.ILLEGAL_INCOME: "违法所得",
    Dimension.NONE: "无",
}
PENALTY_ALIASES = {
    "每平方米": PenaltyKind.PER_M2,
    "per_m2": PenaltyKind.PER_M2,
    "违法所得百分比": PenaltyKind.PERCENT_OF_INCOME,
    "percent_of_income": PenaltyKind.PERCENT_OF_INCOME,
    "费用倍数": PenaltyKind.MULTIPLE_OF_FEE,
    "multiple_of_fee": PenaltyKind.MULTIPLE_OF_FEE,
    "固定金额": PenaltyKind.FIXED,
    "fixed": PenaltyKind.FIXED,
}
PENALTY_LABEL = {
    PenaltyKind.PER_M2: "每平方米",
    PenaltyKind.PERCENT_OF_INCOME: "违法所得百分比",
    PenaltyKind.MULTIPLE_OF_FEE: "费用倍数",
    PenaltyKind.FIXED: "固定金额",
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportRejected(ValidationFailed):
    """The file was refused as a whole; `report.errors` lists every bad row."""

    code = "catalog.import_rejected"

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            _(
                "Nothing was imported: %(n)s problem(s) found. Correct every listed line and import the "
                "whole file again."
            )
            % {"n": len(report.errors)},
            field_errors={"file": [str(e) for e in report.errors]},
        )


# ---------------------------------------------------------------- reading files


def _refuse(kind: str, message: str, line: int = 1) -> ImportRejected:
    return ImportRejected(ImportReport(kind=kind, errors=[RowError(line, message)]))


def read_table(*, kind: str, filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each non-empty data row; line 1 is the header."""
    if len(content) > MAX_BYTES:
        raise _refuse(
            kind,
            _("The file is %(size)s MB; at most %(max)s MB can be imported. Split it into smaller files.")
            % {"size": round(len(content) / 1048576, 1), "max": MAX_BYTES // 1048576},
        )
    if not content:
        raise _refuse(kind, _("The file is empty."))
    lower = filename.lower()
    if content[:4] == b"PK\x03\x04" or lower.endswith(".xlsx"):
        rows = _xlsx_rows(kind, content)
    elif lower.endswith(".csv") or lower.endswith(".txt") or not lower:
        rows = _csv_rows(kind, content)
    else:
        raise _refuse(kind, _("Only .xlsx and .csv files can be imported."))
    header_cells: list[str] | None = None
    table: list[tuple[int, dict[str, str]]] = []
    for line, cells in rows:
        texts = [unescape_cell(_cell_text(c)) for c in cells]
        if header_cells is None:
            if not any(texts):
                continue
            header_cells = [t.strip() for t in texts]
            missing = [c for c in REQUIRED[kind] if c not in header_cells]
            if missing:
                raise _refuse(
                    kind,
                    _("Missing column(s): %(cols)s. The first row must name the columns: %(all)s.")
                    % {"cols": "、".join(missing), "all": "、".join(COLUMNS[kind])},
                    line,
                )
            continue
        if not any(texts):
            continue
        if len(table) >= MAX_ROWS:
            raise _refuse(kind, _("More than %(max)s rows; split the file.") % {"max": MAX_ROWS}, line)
        table.append(
            (line, {h: (texts[i].strip() if i < len(texts) else "") for i, h in enumerate(header_cells) if h})
        )
    if header_cells is None:
        raise _refuse(kind, _("The file has no header row."))
    return table


# Cells a spreadsheet would evaluate as a formula (CSV / formula injection, OWASP): on export such a
# cell gets a leading apostrophe, on import one apostrophe is removed again. Text that already starts
# with apostrophes before such a character gets one more, so the mapping is reversible and an
# export → import round trip returns every value unchanged.
FORMULA_START = frozenset("=+-@\t\r")


def escape_cell(text: str) -> str:
    """`=SUM(A1)` → `'=SUM(A1)`; `'=x` → `''=x`; any other text unchanged."""
    rest = text.lstrip("'")
    return "'" + text if rest[:1] in FORMULA_START and rest else text


def unescape_cell(text: str) -> str:
    """The inverse of `escape_cell`: drop one leading apostrophe before a formula character."""
    rest = text.lstrip("'")
    return text[1:] if text.startswith("'") and rest and rest[0] in FORMULA_START else text


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(kind: str, content: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _refuse(
            kind,
            _(
                "The file is not a readable .xlsx workbook (%(why)s); save it again from "
                "Excel as .xlsx or as CSV UTF-8."
            )
            % {"why": type(exc).__name__},
        ) from None
    sheet = workbook.worksheets[0]
    if (sheet.max_row or 0) > MAX_ROWS + 50:
        raise _refuse(kind, _("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
    rows = list(enumerate(sheet.iter_rows(values_only=True), start=1))
    workbook.close()
    return iter(rows)


def _csv_rows(kind: str, content: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise _refuse(kind, _("The file is not UTF-8 or GB18030 text."))
    if "\x00" in text:
        raise _refuse(kind, _("The file is not a text CSV file; save it from Excel as CSV UTF-8."))
    try:
        return iter(list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1)))
    except csv.Error as exc:
        raise _refuse(kind, _("The CSV file is malformed: %(why)s") % {"why": exc}) from None


# ---------------------------------------------------------------- cell parsers


class CellError(Exception):
    pass


def _int(row: Mapping[str, str], col: str, *, default: int | None = None) -> int:
    text = row.get(col, "")
    if not text:
        if default is None:
            raise CellError(_("column “%(col)s” is empty") % {"col": col})
        return default
    try:
        return int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise CellError(
            _("column “%(col)s”: “%(value)s” is not a whole number") % {"col": col, "value": text}
        ) from None


def _dec(row: Mapping[str, str], col: str, *, required: bool = True) -> Decimal | None:
    text = row.get(col, "").replace(",", "")
    if not text:
        if required:
            raise CellError(_("column “%(col)s” is empty") % {"col": col})
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(
            _("column “%(col)s”: “%(value)s” is not a number") % {"col": col, "value": text}
        ) from None
    if not value.is_finite() or value < 0:
        raise CellError(
            _("column “%(col)s”: “%(value)s” must be a number of zero or more") % {"col": col, "value": text}
        )
    return value


def _date(row: Mapping[str, str], col: str, *, required: bool = False) -> datetime.date | None:
    text = row.get(col, "")
    if not text:
        if required:
            raise CellError(_("column “%(col)s” is empty") % {"col": col})
        return None
    try:
        return datetime.date.fromisoformat(text.replace("/", "-")[:10])
    except ValueError:
        raise CellError(
            _("column “%(col)s”: “%(value)s” is not a date (write it as 2024-05-01)")
            % {"col": col, "value": text}
        ) from None


def _choice(row: Mapping[str, str], col: str, aliases: Mapping[str, str], what: str) -> str:
    text = row.get(col, "").replace("（", "(").replace("）", ")")
    if text not in aliases:
        known = "、".join(sorted({k for k in aliases if not k.isascii()}))
        raise CellError(
            _("column “%(col)s”: unknown %(what)s “%(value)s”; use one of %(known)s")
            % {"col": col, "what": what, "value": row.get(col, ""), "known": known}
        )
    return aliases[text]


def _list(text: str) -> list[str]:
    for sep in ("；", ";", "，", ",", "、", "|"):
        text = text.replace(sep, "\n")
    return [t.strip() for t in text.split("\n") if t.strip()]


def _land_classes(row: Mapping[str, str], col: str) -> list[str]:
    """Land classes given by their Chinese name (永久基本农田、耕地、其他, what agencies write), their
    label or their stored value (basic_farmland …) → stored values."""
    values = _list(row.get(col, ""))
    unknown = [v for v in values if land_class_value(v) is None]
    if unknown:
        known = "、".join(land_class_name(c) for c in LandClass.values)
        raise CellError(
            _("column “%(col)s”: unknown land class %(values)s; use %(known)s")
            % {"col": col, "values": "、".join(unknown), "known": known}
        )
    return [value for v in values if (value := land_class_value(v))]


def _bool(row: Mapping[str, str], col: str) -> bool:
    return row.get(col, "").strip().lower() in {"是", "1", "true", "yes", "y", "示例"}


# ---------------------------------------------------------------- import


def catalog_import(
    *,
    actor: Any,
    agency: Any,
    kind: str,
    filename: str,
    content: bytes,
    effective_from: datetime.date | None = None,
) -> ImportReport:
    """Import one file of `kind` (provisions / powers / standards) into `agency`'s catalog.

    All-or-nothing: raises ImportRejected listing every bad row (line number and reason) and writes
    nothing; otherwise returns the counts of created, updated and unchanged entries.
    """
    if kind not in KINDS:
        raise ValidationFailed(_("Unknown import kind."), code="catalog.bad_kind")
    policies.ensure_edit_agency(actor, agency)
    table = read_table(kind=kind, filename=filename, content=content)
    report = ImportReport(kind=kind, rows=len(table))
    start = effective_from or timezone.localdate()
    handler: Callable[[Any, Any, list[tuple[int, dict[str, str]]], ImportReport, datetime.date], None] = {
        "provisions": _import_provisions,
        "powers": _import_powers,
        "standards": _import_standards,
    }[kind]
    try:
        with transaction.atomic():
            handler(actor, agency, table, report, start)
            if report.errors:
                raise ImportRejected(report)
    except ImportRejected:
        report.errors.sort(key=lambda e: e.line)
        raise
    return report


def _import_provisions(
    actor: Any,
    agency: Any,
    table: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    start: datetime.date,
) -> None:
    seen: dict[tuple[str, int, int, int], int] = {}
    parsed = []
    for line, row in table:
        try:
            law = row.get("法律名称", "").strip("《》 ")
            if not law:
                raise CellError(_("column “%(col)s” is empty") % {"col": "法律名称"})
            key = (law, _int(row, "条"), _int(row, "款", default=0), _int(row, "项", default=0))
            if key[1] < 1:
                raise CellError(_("column “%(col)s” must be 1 or more") % {"col": "条"})
            dates = (_date(row, "生效日期"), _date(row, "失效日期"))
        except CellError as exc:
            report.errors.append(RowError(line, str(exc)))
            continue
        if key in seen:
            report.errors.append(RowError(line, _("duplicate of line %(other)s") % {"other": seen[key]}))
            continue
        seen[key] = line
        parsed.append((line, key, row.get("条文", ""), dates))
    if report.errors:
        return
    for line, (law, art, para, item), text, (since, until) in parsed:
        before = LegalProvision.objects.filter(law_name=law, article=art, paragraph=para, item=item).first()
        old = None if before is None else (before.text, before.effective_from, before.effective_until)
        try:
            power_services.provision_save(
                actor=actor,
                law_name=law,
                article=art,
                paragraph=para,
                item=item,
                text=text,
                effective_from=since,
                effective_until=until,
            )
        except DomainError as exc:
            report.errors.append(RowError(line, exc.message))
            continue
        if old is None:
            report.created += 1
        elif old == (text, since, until):
            report.unchanged += 1
        else:
            report.updated += 1


def _power_content(row: Mapping[str, str]) -> dict[str, Any]:
    content: dict[str, Any] = {
        "name": row.get("名称", ""),
        "kind": _choice(row, "类别", KIND_ALIASES, _("category")),
    }
    for col, name in POWER_FIELD_OF.items():
        content[name] = row.get(col, "")
    if not content["name"]:
        raise CellError(_("column “%(col)s” is empty") % {"col": "名称"})
    return content


def _department_model() -> Any:
    # org.Department reached through our own foreign key, not by importing org.models.
    return PowerItem._meta.get_field("department").related_model


def _import_powers(
    actor: Any,
    agency: Any,
    table: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    start: datetime.date,
) -> None:
    seen: dict[str, int] = {}
    parsed = []
    departments = {d.name: d for d in _department_model()._default_manager.filter(agency=agency)}
    for line, row in table:
        code = row.get("编码", "")
        problems = []
        try:
            if not code:
                raise CellError(_("column “%(col)s” is empty") % {"col": "编码"})
            content = _power_content(row)
            valid_from = _date(row, "生效日期") or start
        except CellError as exc:
            problems.append(str(exc))
            content, valid_from = {}, start
        bases = []
        for ref in _list(row.get("执法依据", "")):
            provision = power_services.provision_find(ref)
            if provision is None:
                if power_services.parse_reference(ref) is None:
                    problems.append(
                        _("legal basis “%(ref)s” is not written as 法律名称第N条[第N款][第N项]")
                        % {"ref": ref}
                    )
                else:
                    problems.append(
                        _("unknown provision “%(ref)s”; import it in the provisions file first")
                        % {"ref": ref}
                    )
            else:
                bases.append(provision)
        dept_name = row.get("责任科室", "")
        department = departments.get(dept_name) if dept_name else None
        if dept_name and department is None:
            problems.append(_("unknown department “%(name)s” in this agency") % {"name": dept_name})
        if code in seen:
            problems.append(
                _("duplicate code %(code)s (also on line %(other)s)") % {"code": code, "other": seen[code]}
            )
        elif code:
            seen[code] = line
        if problems:
            report.errors.extend(RowError(line, p) for p in problems)
            continue
        parsed.append((line, code, content, bases, department, valid_from))
    if report.errors:
        return
    for line, code, content, bases, department, valid_from in parsed:
        try:
            _write_power(actor, agency, report, code, content, bases, department, valid_from)
        except DomainError as exc:
            report.errors.append(RowError(line, exc.message))


def _write_power(
    actor: Any,
    agency: Any,
    report: ImportReport,
    code: str,
    content: dict[str, Any],
    bases: list[LegalProvision],
    department: Any,
    valid_from: datetime.date,
) -> None:
    latest = PowerItem.objects.filter(agency=agency, code=code).order_by("-version").first()
    if latest is None:
        item = power_services.power_item_create(
            actor=actor, agency=agency, code=code, content=content, legal_bases=bases, department=department
        )
        power_services.power_item_publish(actor=actor, item=item, valid_from=valid_from)
        report.created += 1
        return
    same = (
        all(getattr(latest, k) == v for k, v in content.items())
        and {p.pk for p in latest.legal_bases.all()} == {p.pk for p in bases}
        and latest.department_id == (department.pk if department else None)
    )
    if same and latest.status != VersionStatus.DRAFT:
        report.unchanged += 1
        return
    item = power_services.power_item_revise(
        actor=actor, item=latest, content=content, legal_bases=bases, department=department
    )
    power_services.power_item_publish(actor=actor, item=item, valid_from=valid_from)
    report.updated += 1


def _standard_fields(row: Mapping[str, str]) -> dict[str, Any]:
    legal_kind = row.get("法定处罚方式", "")
    return {
        "code": row.get("基准编码", ""),
        "violation_name": row.get("违法行为", ""),
        "power_code": row.get("权责事项编码", ""),
        "region": row.get("适用区域", ""),
        "effective_from": _date(row, "生效日期", required=True),
        "effective_until": _date(row, "失效日期"),
        "is_sample": _bool(row, "示例数据"),
        "basis": row.get("依据", ""),
        "dimension": _choice(row, "计量维度", DIMENSION_ALIASES, _("quantity")),
        "land_classes": _land_classes(row, "地类范围"),
        "legal_kind": _choice(row, "法定处罚方式", PENALTY_ALIASES, _("penalty kind")) if legal_kind else "",
        "legal_min": _dec(row, "法定下限", required=False),
        "legal_max": _dec(row, "法定上限", required=False),
        "recommended_point": _dec(row, "推荐点位", required=False) or Decimal("0.5"),
    }


def _tier(row: Mapping[str, str], line: int, index: int) -> dict[str, Any]:
    if not row.get("阶次"):
        raise CellError(_("column “%(col)s” is empty") % {"col": "阶次"})
    return {
        "name": row["阶次"],
        "order": _int(row, "顺序", default=index),
        "land_classes": _land_classes(row, "阶次地类"),
        "range_min": _dec(row, "区间下限", required=False) or Decimal(0),
        "range_max": _dec(row, "区间上限", required=False),
        "penalty_kind": _choice(row, "处罚方式", PENALTY_ALIASES, _("penalty kind")),
        "penalty_min": _dec(row, "处罚下限"),
        "penalty_max": _dec(row, "处罚上限"),
        "description": row.get("说明", ""),
        "line": line,
    }


def _import_standards(
    actor: Any,
    agency: Any,
    table: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    start: datetime.date,
) -> None:
    groups: dict[str, dict[str, Any]] = {}
    for line, row in table:
        code = row.get("基准编码", "")
        if not code:
            report.errors.append(RowError(line, _("column “%(col)s” is empty") % {"col": "基准编码"}))
            continue
        group = groups.setdefault(code, {"line": line, "fields": None, "tiers": [], "bad": False})
        try:
            if group["fields"] is None:
                fields = _standard_fields(row)
                group["fields"] = fields
                if not fields["violation_name"]:
                    raise CellError(_("column “%(col)s” is empty") % {"col": "违法行为"})
            group["tiers"].append(_tier(row, line, len(group["tiers"])))
        except CellError as exc:
            report.errors.append(RowError(line, str(exc)))
            group["bad"] = True
    for code, group in groups.items():
        if group["bad"] or group["fields"] is None:
            continue
        for message in discretion_services.standard_errors(group["fields"], group["tiers"]):
            report.errors.append(
                RowError(group["line"], _("standard %(code)s: %(msg)s") % {"code": code, "msg": message})
            )
    if report.errors:
        return
    for code, group in groups.items():
        try:
            _write_standard(actor, agency, report, code, group["fields"], group["tiers"])
        except DomainError as exc:
            report.errors.append(RowError(group["line"], exc.message))


def _comparable(fields: Mapping[str, Any], tiers: Sequence[Mapping[str, Any]]) -> Any:
    keys = [k for k in discretion_services.STANDARD_FIELDS if k != "code"]
    tier_keys = discretion_services.TIER_FIELDS
    return (
        {k: plain(fields.get(k)) for k in keys},
        sorted((tuple(plain(t.get(k)) for k in tier_keys) for t in tiers), key=str),
    )


def _write_standard(
    actor: Any,
    agency: Any,
    report: ImportReport,
    code: str,
    fields: dict[str, Any],
    tiers: list[dict[str, Any]],
) -> None:
    latest = DiscretionStandard.objects.filter(agency=agency, code=code).order_by("-version").first()
    if latest is not None:
        current = (
            {k: getattr(latest, k) for k in discretion_services.STANDARD_FIELDS},
            [{k: getattr(t, k) for k in discretion_services.TIER_FIELDS} for t in latest.tiers.all()],
        )
        if _comparable(*current) == _comparable(fields, tiers) and latest.status != VersionStatus.DRAFT:
            report.unchanged += 1
            return
        if latest.status == VersionStatus.DRAFT:
            standard = discretion_services.discretion_standard_update(
                actor=actor, standard=latest, fields=fields, tiers=tiers
            )
            discretion_services.discretion_standard_publish(actor=actor, standard=standard)
            report.updated += 1
            return
    standard = discretion_services.discretion_standard_create(
        actor=actor, agency=agency, fields=fields, tiers=tiers
    )
    discretion_services.discretion_standard_publish(actor=actor, standard=standard)
    if latest is None:
        report.created += 1
    else:
        report.updated += 1


# ---------------------------------------------------------------- export


def export_rows(
    *, kind: str, agency: Any, on: datetime.date | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the current catalog in the import format (export → import round-trips)."""
    day = on or timezone.localdate()
    if kind == "provisions":
        rows = [
            [
                p.law_name,
                str(p.article),
                str(p.paragraph or ""),
                str(p.item or ""),
                p.text,
                plain(p.effective_from) or "",
                plain(p.effective_until) or "",
            ]
            for p in LegalProvision.objects.all()
        ]
        return PROVISION_COLUMNS, rows
    if kind == "powers":
        rows = []
        for item in _current(
            PowerItem.objects.filter(agency=agency)
            .prefetch_related("legal_bases")
            .select_related("department"),
            day,
            "valid_from",
            "valid_until",
        ):
            rows.append(
                [
                    item.code,
                    item.name,
                    KIND_LABEL[item.kind],
                    "；".join(p.reference for p in item.legal_bases.all()),
                    item.department.name if item.department else "",
                    *[str(getattr(item, f)) for f in POWER_FIELD_OF.values()],
                    plain(item.valid_from) or "",
                ]
            )
        return POWER_COLUMNS, rows
    if kind == "standards":
        rows = []
        for std in _current(
            DiscretionStandard.objects.filter(agency=agency).prefetch_related("tiers"),
            day,
            "effective_from",
            "effective_until",
        ):
            head = [
                std.code,
                std.violation_name,
                std.power_code,
                std.region,
                plain(std.effective_from),
                plain(std.effective_until) or "",
                "是" if std.is_sample else "否",
                std.basis,
                DIMENSION_LABEL[Dimension(std.dimension)],
                "、".join(std.land_class_names),
                PENALTY_LABEL[PenaltyKind(std.legal_kind)] if std.legal_kind else "",
                _num(std.legal_min),
                _num(std.legal_max),
                _num(std.recommended_point),
            ]
            for tier in std.tiers.all():
                rows.append(
                    [
                        *head,
                        tier.name,
                        str(tier.order),
                        "、".join(tier.land_class_names),
                        _num(tier.range_min),
                        _num(tier.range_max),
                        PENALTY_LABEL[PenaltyKind(tier.penalty_kind)],
                        _num(tier.penalty_min),
                        _num(tier.penalty_max),
                        tier.description,
                    ]
                )
        return STANDARD_COLUMNS, rows
    raise ValidationFailed(_("Unknown export kind."), code="catalog.bad_kind")


def _num(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def _current(queryset: Any, day: datetime.date, start: str, end: str) -> list[Any]:
    """The version of each code in force on `day` (else its latest published version)."""
    best: dict[str, Any] = {}
    for row in queryset.exclude(status=VersionStatus.DRAFT).order_by("code", "version"):
        since, until = getattr(row, start), getattr(row, end)
        if (since is None or since <= day) and (until is None or day < until):
            best[row.code] = row
        else:
            best.setdefault(row.code, row)
    return [best[c] for c in sorted(best)]


def export_file(*, kind: str, agency: Any, fmt_name: str = "xlsx") -> tuple[bytes, str]:
    """(bytes, content type) of the export: XLSX, or CSV in UTF-8 with a BOM so Excel opens it."""
    header, raw_rows = export_rows(kind=kind, agency=agency)
    rows = [[escape_cell(cell) for cell in row] for row in raw_rows]
    if fmt_name == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = {"provisions": "执法依据", "powers": "权责清单", "standards": "裁量基准"}[kind]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


__all__ = [
    "ImportRejected",
    "ImportReport",
    "ItemCategory",
    "RowError",
    "catalog_import",
    "export_file",
    "export_rows",
]
