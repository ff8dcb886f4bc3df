"""From an ETABS workbook to a DXF drawing: the two-storey frame of docs/import.md written as an XLSX
(one sheet per table, as ETABS exports to Excel), imported, drawn, read back entity by entity with
ezdxf, and rendered to PNG with ezdxf's matplotlib back end for a look."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import ezdxf
import openpyxl
import pytest
from ezdxf.addons.drawing import matplotlib as dxf_matplotlib

from beamline import Client
from beamline.errors import ValidationError

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "examples" / "etabs-two-storey.csv"


def workbook() -> bytes:
    """The example's tables as sheets: the title in A1, then the header, the units, the rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = None
    for row in csv.reader(io.StringIO(EXAMPLE.read_text())):
        if row and row[0].startswith("TABLE:"):
            title = row[0].split(":", 1)[1].strip()
            # Excel limits sheet names to 31 characters; ETABS shortens them the same way.
            sheet = book.create_sheet(title[:31])
            sheet.append([row[0]])
        elif row and sheet is not None:
            sheet.append([float(v) if v.replace(".", "", 1).lstrip("-").isdigit() else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def texts(doc) -> list[str]:
    return [e.plain_text() for e in doc.modelspace().query("TEXT")]


def test_an_etabs_workbook_is_imported_drawn_read_back_and_rendered(server, token, tmp_path):
    with Client(server.url, token=token) as client:
        imported = client.import_members("etabs", workbook())
        members = imported["members"]
        assert [g["members"] for g in imported["groups"]][0] == ["Story1/B1-B2", "Story1/B3-B4"]
        assert len(members) == 6
        designs = [client.design_member(m)["result"] for m in members]
        dxf = client.drawing(members)
    path = tmp_path / "frame.dxf"
    path.write_bytes(dxf)
    doc = ezdxf.readfile(path)
    layers = {layer.dxf.name for layer in doc.layers}
    assert {"BEAM-CONCRETE", "BEAM-BARS-TOP", "BEAM-BARS-BOTTOM", "BEAM-STIRRUPS", "BEAM-DIMENSIONS",
            "BEAM-MARKS", "BEAM-SECTIONS", "BEAM-SCHEDULE"} <= layers
    found = texts(doc)
    for result in designs:
        for bar in result["bars"]:
            # ezdxf reads AutoCAD's %%c as the diameter sign.
            assert f"{bar['mark']} {bar['text'].replace('φ', 'Ø')}" in found, bar
        for span in result["spans"]:
            assert f"{span['length']:.0f}" in found
            assert f"clear {span['clear_span']:.0f}" in found
    # Every bar of every section is a circle of its diameter on the bar layers.
    circles = doc.modelspace().query("CIRCLE")
    diameters = {round(2 * c.dxf.radius) for c in circles}
    assert diameters <= {b["dia"] for r in designs for b in r["bars"]}
    # The elevation is to scale: each member's concrete outline is as long as its spans plus the
    # supports' half widths at its ends.
    lines = doc.modelspace().query('LINE[layer=="BEAM-CONCRETE"]')
    longest = max(abs(l.dxf.end.x - l.dxf.start.x) for l in lines)
    assert longest == pytest.approx(12000 + 450, abs=0.01)
    # For a look: test-artifacts/ at the project root, beside the page's screenshots.
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    png = artifacts / "drawing-frame.png"
    dxf_matplotlib.qsave(doc.modelspace(), str(png), bg="#FFFFFF", size_inches=(16, 20), dpi=50)
    assert png.stat().st_size > 10_000


def test_an_unreadable_table_is_a_validation_error_naming_its_cell(server, token):
    text = EXAMPLE.read_text().replace(",-33.000,", ",lots,", 1)
    with Client(server.url, token=token) as client:
        with pytest.raises(ValidationError) as e:
            client.import_members("etabs", text.encode())
    assert e.value.errors[0]["field"] == "forces, line 4, column 13 (M3)"
