"""The site's own favicon, linked from every page, and text inputs that can be seen."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_every_page_links_our_svg_favicon_and_it_is_served(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    r = client.get(href)
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = r.get_data(as_text=True)
    assert svg.lstrip().startswith("<svg") and "<title>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_text_inputs_have_a_thick_high_contrast_edge():
    css = (STATIC / "css" / "forum.css").read_text()
    rule = re.search(r"input\[type=text\][^{]*\{([^}]*)\}", css).group(1)
    border = re.search(r"border:\s*(\d+)px solid ([^;]+);", rule)
    assert int(border.group(1)) >= 2
    colour = border.group(2).strip()
    if colour.startswith("var("):
        name = colour[4:-1]
        colour = re.search(re.escape(name) + r":\s*(#[0-9a-fA-F]{6})", css).group(1)
    contrast = (1.05) / (_luminance(colour) + 0.05)  # against the white field
    assert contrast >= 4.5, contrast
    for kind in ("email", "password", "search", "url", "date", "number", "tel", "time"):
        assert f"input[type={kind}]" in css
