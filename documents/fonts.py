"""The serif face of the rendered documents, prepared once so that each render subsets a small font.

WeasyPrint embeds a subset of every font a document uses, and HarfBuzz's subsetter works over the
whole font: Noto Serif CJK SC has 65,535 glyphs, so every render spent ~20 ms per face (regular and
bold: ~40 % of a decision's render) walking glyphs it never uses. `prepare()` cuts, once per
machine, each Noto Serif CJK SC face (DEPENDENCIES.md §3.3) down to the characters of GB 2312 (6,763
hanzi, symbols, full-width forms) plus ASCII and general punctuation — about 8,000 glyphs, with the
layout features kept — and installs them under the family name "Zhifa Serif SC" in the user's font
directory, which fontconfig scans. The documents' CSS names that family before Noto Serif CJK SC,
so a character outside GB 2312 (a rare name such as 𠮷) still comes from the full Noto face: the
text of every document stays complete, only the common case gets faster (benchmarks/RESULTS.md).

The agency's licensed fonts (仿宋_GB2312, 方正小标宋) stay first in the CSS when installed.
`zhifa fonts` (run by `./run install|demo|test`) prepares them; without them documents render the
same text from the full Noto faces, only slower.
"""

from __future__ import annotations

import os
from pathlib import Path

FAMILY = "Zhifa Serif SC"
SOURCES = {  # style → (Noto Serif CJK collection file name, weight class)
    "Regular": ("NotoSerifCJK-Regular.ttc", 400),
    "Bold": ("NotoSerifCJK-Bold.ttc", 700),
}
SEARCH_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/opentype"),
    Path("/usr/local/share/fonts"),
)


def font_dir() -> Path:
    """Where the prepared faces go: `$XDG_DATA_HOME/fonts/zhifa` (fontconfig's default user dir)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fonts" / "zhifa"


def charset() -> str:
    """GB 2312 (both levels, its symbols), printable ASCII, CJK and general punctuation, full-width forms."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for start, end in (
        (0x20, 0x7F),
        (0xA0, 0x100),
        (0x2000, 0x2070),
        (0x2460, 0x24FF),
        (0x3000, 0x3040),
        (0xFF00, 0xFFF0),
    ):
        chars.update(chr(c) for c in range(start, end))
    chars.update("〇×÷°±≤≥≠㎡")
    return "".join(sorted(chars))


def _source(file_name: str) -> Path | None:
    for directory in SEARCH_DIRS:
        candidate = directory / file_name
        if candidate.exists():
            return candidate
    return None


def _sc_index(collection: Path) -> int | None:
    from fontTools.ttLib import TTCollection

    fonts = TTCollection(str(collection), lazy=True).fonts
    for index, font in enumerate(fonts):
        if font["name"].getDebugName(1) == "Noto Serif CJK SC":
            return index
    return None


def _subset(collection: Path, index: int, style: str, out: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(collection), fontNumber=index, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms, punctuation width and the rest, as in Noto
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=charset())
    subsetter.subset(font)
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    names = {
        1: FAMILY,
        2: style,
        3: f"zhifa:{postscript}",
        4: f"{FAMILY} {style}",
        6: postscript,
        16: FAMILY,
        17: style,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (US)
        table.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        cff[cff.fontNames[0]].FamilyName = FAMILY
        cff[cff.fontNames[0]].FullName = f"{FAMILY} {style}"
    tmp = out.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(out)  # a reader never sees half a font


def target(style: str) -> Path:
    """The prepared face of `style` (present or not)."""
    return font_dir() / f"{FAMILY.replace(' ', '')}-{style}.otf"


def prepared() -> list[Path]:
    """The prepared faces present on this machine."""
    return [target(style) for style in SOURCES if target(style).exists()]


def prepare(*, force: bool = False) -> list[str]:
    """Prepare the faces that are missing (or all with `force`); returns what was done, one line each."""
    font_dir().mkdir(parents=True, exist_ok=True)
    done = []
    for style, (file_name, _weight) in SOURCES.items():
        path = target(style)
        if path.exists() and not force:
            done.append(f"{path}: present")
            continue
        source = _source(file_name)
        index = _sc_index(source) if source else None
        if source is None or index is None:
            done.append(
                f"{file_name}: not installed (apt-get install fonts-noto-cjk); documents use the full faces"
            )
            continue
        _subset(source, index, style, path)
        done.append(f"{path}: prepared from {source} (face {index})")
    return done
