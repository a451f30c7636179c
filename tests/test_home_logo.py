"""The section's logo in the header (issue 26, point 10): a configured picture is served with
its digest in the address and kept a year; without one, the site's initials in a mark; a file
that is not a picture stops the start with a message that says what to fix."""

from __future__ import annotations

import pytest

from tests.conftest import make_test_app

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def app_overrides(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG)
    return {"SITE_LOGO": str(tmp_path / "logo.png")}


def test_the_logo_shows_in_the_header_and_is_kept_a_year(client):
    html = client.get("/").get_data(as_text=True)
    start = html.index('class="brand-logo" src="') + len('class="brand-logo" src="')
    src = html[start:html.index('"', start)]
    assert src.startswith("/site-logo/") and 'alt=""' in html  # the name beside it is the text
    assert "brand-mark" not in html
    response = client.get(src)
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/site-logo/0123456789abcdef").status_code == 404


def test_without_a_logo_the_header_shows_the_sites_initials(app, tmp_path):
    plain = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "plain")
    html = plain.test_client().get("/").get_data(as_text=True)
    assert '<span class="brand-mark" aria-hidden="true">CL</span>' in html
    assert "brand-logo" not in html
    assert plain.test_client().get("/site-logo/0123456789abcdef").status_code == 404


@pytest.mark.parametrize("content, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
     "SVG, XML or script are not accepted"),
    (b"Just some text.", "must be a PNG, JPEG, GIF or WebP picture"),
    (b"\x89PNG" + b"\x00" * 600_000, "larger than 512 KB"),
])
def test_a_logo_that_is_no_picture_stops_the_start_saying_why(tmp_path, content, message):
    (tmp_path / "logo.svg").write_bytes(content)
    with pytest.raises(RuntimeError, match=message):
        make_test_app("sqlite://", tmp_path / "i", SITE_LOGO=str(tmp_path / "logo.svg"))
    with pytest.raises(RuntimeError, match="cannot read"):
        make_test_app("sqlite://", tmp_path / "i", SITE_LOGO=str(tmp_path / "missing.png"))
