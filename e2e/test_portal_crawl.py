"""The whole public portal over the demo data, crawled: no response ever contains a demo party's
identity number, phone or address, a complainant's contact, nor an officer's private phone.

Starts at /gongkai/ and follows every internal link (pages, open-data files, annual-report PDF and
XLSX, decision pages, verification pages) breadth-first; PDFs are read through their extracted
text, XLSX through their shared strings. Officer pages (login) are not part of the portal: a link
that leads to the login is recorded and not followed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import deque
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from demo.cases import demo_cases
from demo.complaints import COMPLAINANTS

TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
HREF = re.compile(r"""(?:href|src)="([^"#]+)""")
PUBLIC_PREFIXES = ("/gongkai/", "/v/", "/verify/", "/static/")
MAX_PAGES = 3000


def _secrets() -> dict[str, str]:
    """What must never appear: value → what it is. Natural persons only: an organisation's unified
    social credit code and registered address are public registration data (LEGAL.md §8 masks the
    personal data of natural persons), and the masking keeps them on purpose."""
    out: dict[str, str] = {}
    for case in demo_cases(TODAY):
        if case.party_type != "natural":
            continue
        out[case.id_number] = f"identity number of {case.party_name}"
        out[case.address] = f"address of {case.party_name}"
        out[case.address.removeprefix("信丰县")] = f"address of {case.party_name}"
    for _cat, _desc, _loc, name, phone in COMPLAINANTS:
        out[phone] = f"phone of complainant {name}"
        out[name] = f"name of complainant {name}"
        out[f"demo{phone[-4:]}@example.cn"] = f"e-mail of complainant {name}"
    return out


def _text(content_type: str, body: bytes) -> str:
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", errors="replace")


def _fetch(url: str) -> tuple[int, str, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read(), r.geturl()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read(), url


def test_no_personal_data_anywhere_on_the_portal(base_url: str) -> None:
    secrets = _secrets()
    assert len(secrets) > 20
    seen: set[str] = set()
    queue = deque(["/gongkai/"])
    visited: list[tuple[str, int]] = []
    leaks: list[str] = []
    kinds = {"decision": 0, "pdf": 0, "xlsx": 0, "csv": 0, "atom": 0}
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        status, ctype, body, final = _fetch(base_url + path)
        visited.append((path, status))
        if "/login" in urllib.parse.urlparse(final).path:
            continue
        if path.startswith("/static/"):
            continue
        text = _text(ctype, body)
        compact = re.sub(r"\s+", "", text)
        for secret, what in secrets.items():
            if secret in text or secret in compact:
                leaks.append(f"{path}: {what} ({secret})")
        if "/decisions/" in path and path.count("/") > 3:
            kinds["decision"] += 1
        for key, marker in (("pdf", "pdf"), ("xlsx", "spreadsheetml"), ("csv", "csv"), ("atom", "atom")):
            if marker in ctype:
                kinds[key] += 1
        if not ctype.startswith("text/html"):
            continue
        for href in HREF.findall(text):
            href = href.replace("&amp;", "&")
            parsed = urllib.parse.urlparse(urllib.parse.urljoin(path, href))
            if parsed.netloc and parsed.netloc != urllib.parse.urlparse(base_url).netloc:
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if target.startswith(PUBLIC_PREFIXES) and target not in seen:
                queue.append(target)
    errors = [(p, s) for p, s in visited if s >= 500]
    assert not errors, errors
    assert not leaks, "\n".join(leaks[:50])
    # the crawl did reach every kind of public output
    assert kinds["decision"] >= 3 and kinds["pdf"] >= 1 and kinds["xlsx"] >= 1, kinds
    assert kinds["csv"] == 1 and kinds["atom"] == 1, kinds
    assert len(visited) > 60, len(visited)
