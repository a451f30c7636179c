"""What a file really is, decided from its bytes — never its name or the browser's word.

Binary formats come from their magic numbers (the ``filetype`` package); zip-based office
documents are told apart by the zip's own ``mimetype`` entry (OpenDocument) or
``[Content_Types].xml`` (Office Open XML). Text is accepted only when it is valid UTF-8 with no
NUL and nothing in its first kilobytes that a browser could take for markup or script.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype


class Refused(Exception):
    """The content is not a type the library accepts; the message says why, for the form."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    kind: str  # short label and the extension a download carries: "pdf", "docx", "csv" …


BINARY = {
    "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
    "image/webp": "webp",
    # Event recordings (forum/events): played in the page, seeking by Range requests.
    "video/mp4": "mp4", "video/webm": "webm", "audio/mpeg": "mp3", "audio/mp4": "m4a",
    "audio/ogg": "ogg",
}
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML = {  # the main part's content type in [Content_Types].xml → what the document is
    "wordprocessingml.document.main": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "spreadsheetml.sheet.main": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "presentationml.presentation.main": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
TEXT = {"csv": "text/csv", "md": "text/markdown", "txt": "text/plain"}
TEXT_SCAN = 8 * 1024
# Anything a browser could render as a document or run, whatever the file is called.
MARKUP = re.compile(
    rb"<\s*(html|svg|script|body|head|iframe|object|embed|meta|!doctype)\b|<\?xml",
    re.IGNORECASE,
)
ALLOWED_LABEL = "PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint, OpenDocument, zip, CSV, " \
                "Markdown, plain text, MP4/WebM video or MP3/M4A/Ogg audio"


def sniff(path: str, head: bytes, original_name: str) -> Sniffed:
    """Decide the type of the received file at ``path`` (``head``: its first bytes)."""
    if not head:
        raise Refused("The file is empty.")
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime in BINARY:
            return Sniffed(guess.mime, BINARY[guess.mime])
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(path)
        raise Refused(f"Files of this type ({guess.extension}) are not accepted. "
                      f"Accepted: {ALLOWED_LABEL}.")
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return _sniff_text(path, head, original_name)


def _sniff_zip(path: str) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = _read_small(archive, "mimetype").decode("ascii", "replace").strip()
                if declared in ODF:
                    return Sniffed(declared, ODF[declared])
            if "[Content_Types].xml" in names:
                types = _read_small(archive, "[Content_Types].xml")
                for marker, (mime, kind) in OOXML.items():
                    if marker.encode() in types:
                        return Sniffed(mime, kind)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise Refused("The file looks like a zip archive but cannot be read.") from exc
    return Sniffed("application/zip", "zip")


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 64 * 1024) -> bytes:
    with archive.open(name) as member:
        return member.read(limit)


def _sniff_text(path: str, head: bytes, original_name: str) -> Sniffed:
    refusal = Refused(f"This file's type is not accepted. Accepted: {ALLOWED_LABEL}.")
    scan = head[:TEXT_SCAN].removeprefix(codecs.BOM_UTF8)
    if MARKUP.search(scan):
        raise Refused("Files containing HTML, SVG, XML or script are not accepted.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as stream:
        while chunk := stream.read(64 * 1024):
            if b"\x00" in chunk:
                raise refusal
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise refusal from exc
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise refusal from exc
    ext = os.path.splitext(original_name)[1].lower().lstrip(".")
    kind = ext if ext in TEXT else "txt"  # text is text: the name only picks the label
    return Sniffed(TEXT[kind], kind)


# --- names -----------------------------------------------------------------------------------

NAME_MAX = 255


def display_name(raw: str | None) -> str:
    """The name a member gave the file, safe to show: never used as a path.

    Only the last path segment is kept; control and format characters (NUL, bidi overrides
    such as U+202E) are dropped; the length is capped keeping the extension.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.strip().strip(".").strip()
    if not name:
        return "file"
    if len(name) > NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext[:20]
        name = stem[: NAME_MAX - len(ext)] + ext
    return name


def download_name(name: str, kind: str) -> str:
    """The name a download carries: ends with the sniffed type's extension."""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    same = {"jpg": {"jpg", "jpeg"}}.get(kind, {kind})
    return name if ext in same else f"{name}.{kind}"
