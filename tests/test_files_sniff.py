"""Sniffing: the type comes from the bytes; names are for display only."""

from __future__ import annotations

import io
import zipfile

import pytest

from forum.files.demo_content import make_pdf, make_png
from forum.files.sniff import Refused, display_name, download_name, sniff


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" '
             b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
             b'document.main+xml"/></Types>', "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"spreadsheetml.sheet.main+xml", "xl/workbook.xml": b"x"})
PPTX = _zip({"[Content_Types].xml": b"presentationml.presentation.main+xml"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"x"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
PLAIN_ZIP = _zip({"readme.txt": b"hello"})
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00" \
      b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


def _sniff(tmp_path, data: bytes, name: str = "upload.bin"):
    path = tmp_path / "blob"
    path.write_bytes(data)
    return sniff(str(path), data[:8192], name)


@pytest.mark.parametrize("data,kind", [
    (make_pdf("x", []), "pdf"), (make_png(), "png"), (GIF, "gif"), (JPEG, "jpg"),
    (WEBP, "webp"), (DOCX, "docx"), (XLSX, "xlsx"), (PPTX, "pptx"), (ODT, "odt"),
    (ODS, "ods"), (PLAIN_ZIP, "zip"),
])
def test_binary_types_are_recognised_whatever_the_name(tmp_path, data, kind):
    assert _sniff(tmp_path, data, "renamed.txt").kind == kind


@pytest.mark.parametrize("name,kind,mime", [
    ("a.csv", "csv", "text/csv"), ("notes.md", "md", "text/markdown"),
    ("x.txt", "txt", "text/plain"), ("x.png", "txt", "text/plain"), ("x", "txt", "text/plain"),
])
def test_text_is_text_and_the_name_only_picks_the_label(tmp_path, name, kind, mime):
    sniffed = _sniff(tmp_path, "Zoë,present\n".encode(), name)
    assert (sniffed.kind, sniffed.content_type) == (kind, mime)


@pytest.mark.parametrize("data", [
    b"\x7fELF\x02\x01\x01" + b"\x00" * 100,  # an executable
    b"PK\x03\x04 this is not really a zip",
    b"a" * 9000 + b"\xff",  # invalid UTF-8 past the first kilobytes
    b"ok\n" * 10 + b"<ScRiPt>alert(1)</script>",
    b"",
])
def test_everything_else_is_refused(tmp_path, data):
    with pytest.raises(Refused):
        _sniff(tmp_path, data)


def test_display_names_drop_paths_and_invisible_characters():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("a\x00b\x07.pdf") == "ab.pdf"
    assert display_name("\u202egnp.exe") == "gnp.exe"
    assert display_name("   ") == "file"
    assert display_name("Résumé de réunion.pdf") == "Résumé de réunion.pdf"
    assert download_name("photo.JPEG", "jpg") == "photo.JPEG"
    assert download_name("report.csv", "pdf") == "report.csv.pdf"
