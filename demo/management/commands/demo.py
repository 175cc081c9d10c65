"""`zhifa demo`: load the sample county bureau through the domains' own services, then print logins.

Idempotent: what exists already (by agency code, department name, username, certificate number,
deadline title) is left alone, so running it again only prints the logins. Every write goes through
the owning app's service and so lands in the ledger; the actor is the system (None).
"""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from demo import data


class Command(BaseCommand):
    help = "Load the demo county natural-resources bureau (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--totp",
            metavar="USERNAME",
            help="Only print the current one-time code of a demo administrator, then stop.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even under production settings (never do this on a real deployment).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["totp"]:
            self.print_totp(options["totp"])
            return
        if getattr(settings, "SESSION_COOKIE_SECURE", False) and not options["force"]:
            raise CommandError(
                _(
                    "These are production settings: the demo's passwords are public, so it is not loaded "
                    "here. Use the development settings (the default of `zhifa`)."
                )
            )
        today = timezone.localdate()
        loader = DemoLoader(today=today, out=self.stdout.write)
        loader.load()
        self.print_logins(loader)

    # --- output ---------------------------------------------------------------------------------
    def print_totp(self, username: str) -> None:
        from django_otp.oath import TOTP

        secret = data.DEMO_TOTP_SECRETS_B32.get(username)
        if secret is None:
            raise CommandError(
                _("%(user)s is not a demo administrator (choose one of: %(users)s).")
                % {"user": username, "users": ", ".join(data.DEMO_TOTP_SECRETS_B32)}
            )
        totp = TOTP(b32decode(secret))
        self.stdout.write(f"{totp.token():06d}")

    def print_logins(self, loader: DemoLoader) -> None:
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(_("Demo loaded: %(agency)s (sample data).") % {"agency": data.COUNTY["name"]}))
        w(_("Password of every demo login: %(password)s") % {"password": data.DEMO_PASSWORD})
        w("")
        login, name, role = _("login"), _("name"), _("role")
        w(f"  {login:<12} {name:<6} {role}")
        for username, role in data.LOGINS:
            person = next(o for o in data.OFFICERS if o[0] == username)
            agency = {"county": data.COUNTY, "city": data.CITY, "province": data.PROVINCE}[person[2]]["name"]
            w(f"  {username:<12} {person[1]:<6} {_(role)} · {agency}")
        w("")
        w(
            _(
                "The three administrators log in with a one-time code (TOTP). Add the secret to an "
                "authenticator app, or print the current code with `zhifa demo --totp USERNAME`:"
            )
        )
        for username, url in loader.totp_urls.items():
            w(f"  {username:<12} {data.DEMO_TOTP_SECRETS_B32[username]}  {url}")
        w("")
        for line in loader.notes:
            w(line)


# Roles in data.LOGINS, marked here so that makemessages finds them.
_ROLE_LABELS = [
    gettext_noop("enforcement officer"),
    gettext_noop("legal reviewer"),
    gettext_noop("agency head"),
    gettext_noop("supervisor (city bureau)"),
    gettext_noop("system administrator (TOTP)"),
    gettext_noop("security administrator (TOTP)"),
    gettext_noop("audit administrator (TOTP)"),
]


class DemoLoader:
    """Creates what is missing, through the services; remembers what to print."""

    def __init__(self, *, today: dt.date, out: Any) -> None:
        self.today = today
        self.out = out
        self.notes: list[str] = []
        self.totp_urls: dict[str, str] = {}
        self.agencies: dict[str, Any] = {}
        self.departments: dict[tuple[str, str], Any] = {}
        self.officers: dict[str, Any] = {}

    def load(self) -> None:
        with transaction.atomic():
            self.load_org()
            self.load_mfa()
        self.load_catalog()
        self.load_calendar()
        self.load_cases()
        self.load_deadlines()
        self.load_extras()

    # --- organisation -----------------------------------------------------------------------------
    def load_org(self) -> None:
        from org.models import Agency, Certificate, Department, LegalQualification, Officer
        from org.services import agencies, certificates, officers

        parent = None
        for key, spec in (("province", data.PROVINCE), ("city", data.CITY), ("county", data.COUNTY)):
            agency = Agency.objects.filter(code=spec["code"]).first()
            if agency is None:
                agency = agencies.agency_create(actor=None, parent=parent, **spec)
            self.agencies[key] = parent = agency

        for key, name, kind in data.DEPARTMENTS:
            agency = self.agencies[key]
            dept = Department.objects.filter(agency=agency, name=name).first()
            if dept is None:
                dept = agencies.department_create(actor=None, agency=agency, name=name, kind=kind)
            self.departments[(key, name)] = dept

        for n, (username, name, key, dept_name, title, roles, fields, state) in enumerate(data.OFFICERS, 1):
            agency = self.agencies[key]
            officer = Officer.objects.filter(user__username=username).first()
            if officer is None:
                officer = officers.officer_create(
                    actor=None,
                    agency=agency,
                    name=name,
                    username=username,
                    password=data.DEMO_PASSWORD,
                    email=f"{username}@{data.MAIL_DOMAIN}",
                    department=self.departments[(key, dept_name)],
                    title=title,
                    phone=f"1397972{n:04d}",
                )
            held = set(officer.role_assignments.values_list("role", flat=True))
            for role in roles:
                if role not in held:
                    officers.role_grant(actor=None, officer=officer, role=role)
            self.officers[username] = officer
            if fields and state:
                number = f"{data.CERTIFICATE_PREFIX}{agency.region_code}{n:04d}"
                if not Certificate.objects.filter(number=number).exists():
                    issued, expires = self.certificate_dates(state)
                    cert = certificates.certificate_issue(
                        actor=None,
                        officer=officer,
                        number=number,
                        issuing_body=data.CERTIFICATE_ISSUER,
                        field_codes=fields,
                        issued_on=issued,
                        expires_on=expires,
                    )
                    if state == "suspended":
                        certificates.certificate_suspend(
                            actor=None,
                            certificate=cert,
                            reason="示例：执法过错责任调查期间暂扣执法证。",
                        )

        for username, (number, obtained) in data.LEGAL_QUALIFICATIONS.items():
            if not LegalQualification.objects.filter(certificate_number=number).exists():
                certificates.qualification_record(
                    actor=None,
                    officer=self.officers[username],
                    certificate_number=number,
                    obtained_on=dt.date.fromisoformat(obtained),
                )

    def certificate_dates(self, state: str) -> tuple[dt.date, dt.date]:
        t = self.today
        if state == "expired":
            return t - dt.timedelta(days=5 * 365 + 20), t - dt.timedelta(days=20)
        if state.startswith("soon"):
            days = int(state[4:])
            return t - dt.timedelta(days=5 * 365 - days), t + dt.timedelta(days=days)
        return t - dt.timedelta(days=2 * 365), t + dt.timedelta(days=3 * 365)

    # --- TOTP for the three administrators -------------------------------------------------------------
    def load_mfa(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from core.services.ledger import ledger_append
        from org.mfa import DEVICE_NAME, otpauth_url

        for username, secret in data.DEMO_TOTP_SECRETS_B32.items():
            user = self.officers[username].user
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(
                    user=user, name=DEVICE_NAME, confirmed=True, key=b32decode(secret).hex()
                )
                ledger_append(
                    actor=None,
                    act="auth.mfa_enrolled",
                    obj=user,
                    payload={"device": device.persistent_id, "by": "zhifa demo"},
                )
            self.totp_urls[username] = otpauth_url(device)

    # --- catalog, calendar, deadlines ----------------------------------------------------------------
    def load_catalog(self) -> None:
        from catalog.services import catalog_load_demo

        summary = catalog_load_demo(actor=None, agency=self.agencies["county"])
        labels = {
            "provisions": _("legal provisions"),
            "powers": _("power-list items"),
            "standards": _("discretion standard rows"),
        }
        counts = [
            f"{labels.get(k, k)} {v['rows']}"
            for k, v in summary.items()
            if isinstance(v, dict) and "rows" in v
        ]
        self.notes.append(_("Catalog: %(counts)s.") % {"counts": ", ".join(counts)})

    def load_calendar(self) -> None:
        from django.core.checks import WARNING, run_checks

        from core.services.calendar import calendar_snapshot

        calendar_snapshot()  # computes the provisional years ahead (2027) if not held yet
        # The calendar health warning (next year's official calendar missing) is a system check.
        for message in run_checks(include_deployment_checks=False):
            if message.level >= WARNING and (message.id or "").startswith("core."):
                self.notes.append(f"{message.id}: {message.msg}")

    def load_cases(self) -> None:
        from demo.cases import load_cases

        created = load_cases(agency=self.agencies["county"], officers=self.officers, today=self.today)
        if created:
            self.notes.append(_("Cases: %(count)s sample penalty cases created.") % {"count": created})

    # Later domains each bring a module `demo/<name>.py` with `load(loader) -> str | None` (a note to print).
    EXTRA_MODULES = (
        "service", "reminders", "followups", "guidance", "mediation",
        "supervision", "training", "legal", "exchange", "publicity", "complaints",
    )

    def load_extras(self) -> None:
        import importlib
        import importlib.util

        for name in self.EXTRA_MODULES:
            if importlib.util.find_spec(f"demo.{name}") is None:
                continue
            note = importlib.import_module(f"demo.{name}").load(self)
            if note:
                self.notes.append(note)

    def load_deadlines(self) -> None:
        from core.models import Deadline
        from core.services.clock import deadline_start, deadlines_scan

        county = self.agencies["county"]
        for username, title, basis, unit, amount, offset, kind in data.DEADLINES:
            if Deadline.objects.filter(agency_id=county.pk, title=title).exists():
                continue
            deadline_start(
                actor=None,
                subject=county,
                agency_id=county.pk,
                kind=kind,
                title=title,
                legal_basis=basis,
                unit=unit,
                amount=amount,
                start_date=self.today + dt.timedelta(days=offset),
                responsible=self.officers[username].user,
                warn_days=3,
            )
        result = deadlines_scan(today=self.today)
        live = Deadline.objects.filter(agency_id=county.pk)
        self.notes.append(
            _(
                "Deadlines: %(open)s open, %(soon)s due soon, %(overdue)s overdue; the scan raised "
                "%(alerts)s new alerts."
            )
            % {
                "open": live.filter(status=Deadline.Status.OPEN).count(),
                "soon": live.filter(status=Deadline.Status.DUE_SOON).count(),
                "overdue": live.filter(status=Deadline.Status.OVERDUE).count(),
                "alerts": result.alerts,
            }
        )
