"""The words inside uploaded PDF, Word and text files are found by search once the delivery
worker has read them — never in the upload's request, within size caps, and a damaged file
costs nothing but its words."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from forum.extensions import db
from forum.files.models import SharedFile
from forum.groups.models import Visibility
from forum.search.models import FileText
from tests.factories import make_group
from tests.factories_files import add_version, make_file


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose page says ``text`` in Helvetica (the smallest valid file)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def word_file(*paragraphs: str) -> bytes:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Tabulated marmalade"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def library(world):
    return make_group(section=world.section, name="Open", slug="open",
                      visibility=Visibility.PUBLIC)


def hits(client, query: str) -> tuple[int, str]:
    html = client.get("/search", query_string={"q": query, "kind": "file"}).get_data(as_text=True)
    return html.count('<li class="hit '), html


def run_worker(app):
    """One round of ``flask deliver`` (it ends with a fresh session: reload what you hold)."""
    result = app.test_cli_runner().invoke(args=["deliver"])
    assert result.exit_code == 0, result.output


def test_the_worker_reads_pdf_word_and_text_files_then_search_finds_their_words(
        app, client, world, library):
    make_file(group=library, uploader=world.leader, data=tiny_pdf("Quarterly serendipity"),
              name="report.pdf", title="Report")
    make_file(group=library, uploader=world.leader, name="plan.docx", title="Plan",
              data=word_file("The onboarding checklist for volunteers."))
    make_file(group=library, uploader=world.leader, name="notes.txt", title="Notes",
              data="Résumé tips and a zeppelin.\n".encode())
    db.session.commit()
    assert hits(client, "serendipity")[0] == 0  # nothing read in the upload's request
    run_worker(app)
    count, html = hits(client, "serendipity")
    assert count == 1 and "<mark>serendipity</mark>" in html
    assert hits(client, "onboarding checklist")[0] == 1
    assert hits(client, "marmalade")[0] == 1  # words in a table too
    assert hits(client, "zeppelin")[0] == 1 and hits(client, "resume")[0] == 1
    run_worker(app)  # nothing left to read: the second round reads nothing again
    assert db.session.scalar(select(db.func.count()).select_from(FileText)) == 3


def test_a_new_version_is_read_again(app, client, world, library):
    f = make_file(group=library, uploader=world.leader, data=tiny_pdf("Original aardvark"),
                  name="minutes.pdf", title="Minutes")
    file_id = f.id
    db.session.commit()
    run_worker(app)
    assert hits(client, "aardvark")[0] == 1
    f = db.session.get(SharedFile, file_id)
    add_version(file=f, uploader=f.uploader, data=tiny_pdf("Revised platypus"),
                name="minutes.pdf")
    db.session.commit()
    run_worker(app)
    assert hits(client, "platypus")[0] == 1 and hits(client, "aardvark")[0] == 0


def test_damaged_and_oversized_files_keep_their_title_and_say_why(app, client, world, library):
    broken = make_file(group=library, uploader=world.leader, name="broken.pdf",
                       title="Broken pelican", data=b"%PDF-1.4\n" + b"\x00garbage" * 100).id
    big = make_file(group=library, uploader=world.leader, name="big.txt", title="Big heron",
                    data=b"words " * 5000).id
    db.session.commit()
    app.config["SEARCH_EXTRACT_MAX_BYTES"] = 10_000
    run_worker(app)
    problems = dict(db.session.execute(select(FileText.file_id, FileText.problem)).all())
    assert problems == {broken: "unreadable", big: "too large"}
    assert hits(client, "pelican")[0] == 1 and hits(client, "heron")[0] == 1
