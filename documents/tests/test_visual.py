"""Visual check of the penalty decision: its sample PDF rendered to PNG (pdftoppm, poppler-utils)
and compared with the committed reference pages, page by page, with a tolerance.

When a deliberate change of the layout (frame.html, the default template, fonts) moves the pages,
look at the new PNGs and regenerate the references:

    ZHIFA_REGENERATE_REFERENCE=1 .venv/bin/pytest -q documents/tests/test_visual.py

then commit documents/tests/reference/*.png.
"""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from documents import services
from documents.kinds import KINDS

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DPI = 50
# Mean absolute difference per pixel (0–255, grey). The same fonts render identically (0.0);
# the tolerance absorbs anti-aliasing of another poppler/freetype build. Dropping the two-line
# 裁量理由 paragraph gives 2.8 on page 1 and 13.4 on page 2, so a moved paragraph fails.
MAX_MEAN_DIFFERENCE = 1.5
REGENERATE = os.environ.get("ZHIFA_REGENERATE_REFERENCE") == "1"


def decision_pdf() -> bytes:
    spec = KINDS["penalty_decision"]
    context = services._full_context(
        spec,
        spec.sample,
        agency=None,
        number="某自然资罚〔2026〕1号",
        on=datetime.date(2026, 3, 5),
        code=services.PREVIEW_CODE,
    )
    context["agency_name"] = "某某县自然资源局"
    return services._render_pdf(spec, services.default_template_body("penalty_decision"), context)


def to_pngs(pdf: bytes, out: Path) -> list[Path]:
    source = out / "decision.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), str(out / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(out.glob("page-*.png"))


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (Debian poppler-utils) is not installed"
)
def test_the_decision_pdf_looks_like_the_reference(db, tmp_path, settings):
    settings.ZHIFA_PUBLIC_BASE_URL = ""
    pages = to_pngs(decision_pdf(), tmp_path)
    references = sorted(REFERENCE_DIR.glob("penalty_decision-*.png"))
    hint = (
        "If the layout changed on purpose, regenerate the references with "
        "ZHIFA_REGENERATE_REFERENCE=1 .venv/bin/pytest -q documents/tests/test_visual.py, "
        "look at them and commit documents/tests/reference/*.png."
    )
    if REGENERATE:
        for old in references:
            old.unlink()
        for index, page in enumerate(pages, start=1):
            shutil.copy(page, REFERENCE_DIR / f"penalty_decision-{index}.png")
        pytest.skip(f"references regenerated: {len(pages)} pages in {REFERENCE_DIR}")
    assert references, f"No reference PNG in {REFERENCE_DIR}. {hint}"
    assert len(pages) == len(references), (
        f"The decision has {len(pages)} pages, the reference {len(references)}. {hint}"
    )
    for index, (page, reference) in enumerate(zip(pages, references, strict=True), start=1):
        with Image.open(page) as got, Image.open(reference) as want:
            got_l, want_l = got.convert("L"), want.convert("L")
            assert got_l.size == want_l.size, f"page {index}: size {got_l.size} ≠ {want_l.size}. {hint}"
            mean = ImageStat.Stat(ImageChops.difference(got_l, want_l)).mean[0]
        assert mean <= MAX_MEAN_DIFFERENCE, (
            f"page {index} differs from {reference.name}: mean pixel difference {mean:.2f} > "
            f"{MAX_MEAN_DIFFERENCE} (0–255). Actual page kept at {page}. {hint}"
        )
