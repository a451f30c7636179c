"""Markdown → sanitized HTML: the only producer of HTML the templates trust.

Three layers keep a post from ever executing: markdown-it-py in CommonMark mode with raw HTML
off (so only the renderer's own tags exist, and it refuses ``javascript:``/``data:`` links),
then bleach against the allow-list below, then the Content-Security-Policy. Rendering happens
once, when text is written; the HTML is stored beside its source. bleach is deprecated upstream:
all sanitizing stays in this module so it can be swapped for nh3 without touching anything else.
"""

from __future__ import annotations

import re

import bleach
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel", "class"],
    "img": ["src", "alt", "title"],
    "th": ["style"],
    "td": ["style"],
    "ol": ["start"],
    "code": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Table alignment comes as style="text-align:…"; only those declarations survive bleach's
# CSS sanitizer, and the CSP refuses inline style anyway, so it is also mapped to nothing harmful.
_css = None
try:  # bleach's CSS sanitizer needs tinycss2; without it, style attributes are dropped
    from bleach.css_sanitizer import CSSSanitizer

    _css = CSSSanitizer(allowed_css_properties=["text-align"])
except ImportError:  # pragma: no cover - depends on an optional extra
    ALLOWED_ATTRIBUTES = {k: [a for a in v if a != "style"] for k, v in ALLOWED_ATTRIBUTES.items()}


def _new_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])

    def link_open(renderer, tokens, idx, options, env):
        tokens[idx].attrSet("rel", LINK_REL)
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


_parser = _new_parser()
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    **({"css_sanitizer": _css} if _css else {}),
)


def render(source: str) -> str:
    """Render Markdown to HTML that is safe to show as it is."""
    return sanitize(_parser.render(source))


def sanitize(html: str) -> str:
    """The second guard: whatever came in, only allow-listed tags, attributes and protocols out."""
    cleaned = _cleaner.clean(html)
    # Every link says it is user content, even one that slipped past the renderer's rule.
    return re.sub(r"<a (?![^>]*\brel=)", f'<a rel="{LINK_REL}" ', cleaned)


def render_markup(source: str) -> Markup:
    return Markup(render(source))


def plain_text(html: str, limit: int | None = None) -> str:
    """Text of stored HTML for excerpts, feeds and mail."""
    text = bleach.clean(html, tags=set(), strip=True)
    text = re.sub(r"\s+", " ", text).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
