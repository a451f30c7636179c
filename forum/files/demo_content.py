"""Small, valid files generated in code, for the demo library and the tests.

No binary fixtures in the repository: a PDF written by hand (with a correct cross-reference
table), a PNG built with zlib and struct, a CSV of meeting attendance.
"""

from __future__ import annotations

import struct
import zlib


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF showing ``title`` and ``lines`` in Helvetica."""
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 18 Tf 72 740 Td ({esc(title)}) Tj ET"]
    for i, line in enumerate(lines):
        body.append(f"BT /F1 11 Tf 72 {710 - 16 * i} Td ({esc(line)}) Tj ET")
    stream = "\n".join(body).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def make_png(width: int = 64, height: int = 40, rgb=(11, 92, 173)) -> bytes:
    """A PNG: a coloured band above a light one (RGB, 8 bits, no interlace)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = bytearray()
    for y in range(height):
        colour = bytes(rgb) if y < height // 2 else b"\xf5\xf7\xf9"
        rows += b"\x00" + colour * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def make_attendance_csv(meetings: list[str], people: list[str]) -> bytes:
    lines = ["name," + ",".join(meetings)]
    for i, person in enumerate(people):
        marks = ["present" if (i + j) % 3 else "apologies" for j in range(len(meetings))]
        lines.append(f"{person}," + ",".join(marks))
    return ("\n".join(lines) + "\n").encode("utf-8")
