"""Helpers shared by the conftests and tests (conftest modules are not imported twice)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any


def observatoire_command() -> list[str]:
    """The installed `observatoire` script of this interpreter (what a user runs)."""
    script = Path(sys.executable).parent / "observatoire"
    if script.exists():
        return [str(script)]
    found = shutil.which("observatoire")
    return [found] if found else [sys.executable, "-m", "observatoire.cli"]


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An xlsx file of `sheets` (name -> rows), in that order, written with openpyxl."""
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def with_million_lines(
    workbook: bytes,
    sheet: str,
    header: list[str],
    line: list[object],
    declared: bool = True,
    count: int = 1_000_000,
) -> bytes:
    """`workbook` with the worksheet `sheet` replaced by `header` then `count` copies of
    `line`: the small xlsx that used to stop a server (rows without a reference compress
    a thousand to one: about 200 KB). `declared`: the sheet states its dimension, as
    Excel writes it; without it, only reading finds the size."""
    import re
    import zipfile
    from io import BytesIO
    from xml.sax.saxutils import escape

    def cells(values: list[object]) -> str:
        return "".join(
            f"<c><v>{v}</v></c>"
            if isinstance(v, int)
            else f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for v in values
        )

    source = zipfile.ZipFile(BytesIO(workbook))
    books = source.read("xl/workbook.xml").decode()
    rels = source.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', books)
    assert rid, sheet
    target = re.search(rf'<Relationship [^>]*Id="{rid[1]}"[^>]*Target="([^"]+)"', rels) or (
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid[1]}"', rels)
    )
    assert target, rid[1]
    part = "xl/" + target[1].removeprefix("/xl/")
    last = f"{chr(64 + len(header))}{count + 1}"
    dimension = f'<dimension ref="A1:{last}"/>' if declared else ""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != part:
                archive.writestr(info, source.read(info))
        with archive.open(part, "w") as xml:
            xml.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"{dimension}"
                f"<sheetData><row>{cells(header)}</row>".encode()
            )
            block = f"<row>{cells(line)}</row>".encode() * 10_000
            for _ in range(count // 10_000):
                xml.write(block)
            xml.write(b"</sheetData></worksheet>")
    return out.getvalue()


class CountingConnection:
    """A DuckDB connection that records the queries sent to it (set as a Cube's `con`)."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.queries: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.queries.append(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)
