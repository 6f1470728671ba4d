"""A file that is a ZIP with the parts of an .xlsx but broken XML inside (a truncated download,
a hostile upload) is refused with the importer's own “not an Excel workbook” message — by all
three Excel importers (hazards/enterprises, training, the working-day calendar) — never a 500.

Found by the probe of 2026-12-01: ``xml.etree.ElementTree.ParseError`` (a ``SyntaxError``)
escaped every importer's ``except`` list."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from campaigns.calendar import services as cal
from campaigns.calendar.models import CalendarYear
from hazards import imports as hazard_imports
from training import imports as training_imports

pytestmark = pytest.mark.django_db


def _workbook(header) -> bytes:
    wb = Workbook()
    wb.active.append(header)
    wb.active.append(["x"] * len(header))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _break(content: bytes, part: str) -> bytes:
    """``content`` with the XML of ``part`` replaced by garbage."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, b"<<not xml" if info.filename == part else data)
    return out.getvalue()


PARTS = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("kind", ["hazards", "enterprises"])
def test_hazard_import_of_broken_xml_is_a_file_error(users, kind, part):
    header = [c for c, _f in hazard_imports.KINDS[kind][0]]
    result = hazard_imports.import_rows(
        kind=kind, content=_break(_workbook(header), part), user=users["office"]
    )
    assert not result.ok and not result.rows
    assert result.errors == ["该文件不是 Excel .xlsx 工作簿。"], result.errors


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("kind", ["certificates", "attendance"])
def test_training_import_of_broken_xml_is_a_file_error(users, kind, part):
    header = [c for c, _f in training_imports.KINDS[kind][0]]
    result = training_imports.import_rows(
        kind=kind, content=_break(_workbook(header), part), user=users["office"]
    )
    assert not result.rows
    assert result.errors == ["该文件不是 Excel .xlsx 工作簿。"], result.errors


@pytest.mark.parametrize("part", PARTS)
def test_calendar_import_of_broken_xml_is_a_file_error(users, part):
    content = _break(_workbook(["日期", "类型", "名称"]), part)
    with pytest.raises(ValidationError) as exc:
        cal.calendar_year_import_xlsx(year=2027, content=content, actor=users["admin"])
    assert exc.value.messages == ["该文件不是 Excel .xlsx 工作簿。"]
    assert not CalendarYear.objects.filter(year=2027).exists()
