"""Markdown → sanitized HTML: the only producer of HTML the templates trust.

Three layers keep a post from ever executing: markdown-it-py in CommonMark mode with raw HTML
off (so only the renderer's own tags exist, and it refuses ``javascript:``/``data:`` links),
then nh3 (the Python binding of the Rust sanitizer ammonia) against the allow-list below, then
the Content-Security-Policy. Rendering happens once, when text is written; the HTML is stored
beside its source. All sanitizing stays in this module.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote, urljoin

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "class"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
    "code": {"class"},
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Table alignment comes as style="text-align:…"; only that declaration survives, and the CSP
# refuses inline style anyway.
ALLOWED_CSS = frozenset({"text-align"})
# nh3 writes rel itself on every link (link_rel) and refuses to also let it through from input.
_NH3_ATTRIBUTES = {tag: names - {"rel"} for tag, names in ALLOWED_ATTRIBUTES.items()}


# @mentions: "@" at the start or after a non-word character, then a username (letters, digits,
# marks, and . _ - inside). Trailing dots/hyphens end a sentence, not a name.
MENTION = re.compile(r"(?<![\w@/])@([^\W_](?:[\w.\-]{0,38}[^\W_])?)")
MENTION_URL = "/members/{}"


def mention_candidates(source: str) -> set[str]:
    """Usernames that look mentioned in Markdown source (callers check which exist)."""
    return {m.group(1) for m in MENTION.finditer(source)}


def _mention_rule(state, silent: bool) -> bool:
    """Inline rule: ``@name`` becomes a profile link when ``env["mentions"]`` knows the name.

    Running as an inline rule keeps mentions out of code spans, code blocks and link text."""
    known = state.env.get("mentions") if isinstance(state.env, dict) else None
    if not known or state.src[state.pos] != "@" or state.linkLevel > 0:
        return False
    if state.pos > 0 and (state.src[state.pos - 1].isalnum() or state.src[state.pos - 1] in "_@/"):
        return False
    match = MENTION.match(state.src, state.pos)
    if not match or match.group(1).casefold() not in known:
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": MENTION_URL.format(quote(match.group(1))), "class": "mention"}
        state.push("text", "", 0).content = match.group(0)
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _new_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    # Bare URLs become links (linkify-it-py), only with their scheme: fuzzy links would turn
    # "setup.py" or "README.md" into links to Paraguay and Moldova, and fuzzy e-mail would
    # hand every address in a post to harvesters. Code spans, code blocks and link text stay
    # as they are; the links get rel like any other and pass the same sanitizer.
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    md.inline.ruler.before("emphasis", "mention", _mention_rule)

    def link_open(renderer, tokens, idx, options, env):
        tokens[idx].attrSet("rel", LINK_REL)
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


_parser = _new_parser()


def render(source: str, mentions: set[str] | None = None) -> str:
    """Render Markdown to HTML that is safe to show as it is.

    ``mentions``: case-folded usernames that exist; ``@name`` for those becomes a profile link."""
    env = {"mentions": {m.casefold() for m in mentions}} if mentions else {}
    return sanitize(_parser.render(source, env))


def sanitize(html: str) -> str:
    """The second guard: whatever came in, only allow-listed tags, attributes and protocols out."""
    # Every link says it is user content (link_rel), even one that slipped past the renderer.
    return nh3.clean(
        html, tags=set(ALLOWED_TAGS), attributes=_NH3_ATTRIBUTES,
        url_schemes=set(ALLOWED_PROTOCOLS), strip_comments=True, link_rel=LINK_REL,
        filter_style_properties=set(ALLOWED_CSS),
    )


def with_absolute_links(html: str, base_url: str) -> Markup:
    """Stored (sanitized) HTML for a mail's HTML part: every relative link and image made
    absolute against ``base_url`` (a mail program has no page to resolve "/members/ana"
    against), sanitized again on the way with the same allow-lists."""
    base = base_url.rstrip("/") + "/"

    def absolute(element: str, attribute: str, value: str) -> str:
        if attribute in ("href", "src") and not _SCHEME.match(value) \
                and not value.startswith("//"):
            return urljoin(base, value)
        return value

    return Markup(nh3.clean(
        html, tags=set(ALLOWED_TAGS), attributes=_NH3_ATTRIBUTES,
        url_schemes=set(ALLOWED_PROTOCOLS), strip_comments=True, link_rel=LINK_REL,
        filter_style_properties=set(ALLOWED_CSS), attribute_filter=absolute,
    ))


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def render_markup(source: str) -> Markup:
    return Markup(render(source))


# plain_text: stored HTML is sanitized (no comments, no script), but plain_text must never let
# markup or a script's source through whatever it is given, so those are dropped first.
# Comments, and elements whose content no reader sees, each up to its end (or the end of the
# input, as a browser would). One pattern, so whichever starts first wins, as in a tokenizer:
# "<!-- <script> -->" is one comment, and a script's "<!--" does not start one.
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|template|noscript|iframe|object|textarea|title)\b.*?(?:</\1\b[^>]*>|\Z)",
    re.I | re.S)
# A tag, its quoted attribute values included (a ">" inside quotes does not end it); only "<"
# then a letter, "/", "!" or "?" opens one, so text such as "a < b" stays.
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
# Lower case only, as sanitize writes them (re.I costs a third more); an upper-case block tag
# from elsewhere is still dropped by _TAG, only without the space.
_BLOCK = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|thead|tbody|tfoot|tr|th|td"
    r"|div|section|article|figure|figcaption)\b" + _ATTRS + ">")
_TAG = re.compile(r"</?[a-zA-Z]" + _ATTRS + r">|<[!?/][^>]*>")


def plain_text(html: str, limit: int | None = None) -> str:
    """The text of stored HTML for excerpts, feeds and mail: tags dropped (a block-level tag or
    <br> stands for a space, so paragraphs do not run together), entities decoded exactly once,
    whitespace collapsed; cut to ``limit`` characters with "…".

    The result is text, not HTML: "AT&amp;T" comes out as "AT&T". Whoever puts it into HTML or
    XML must escape it (the site's .html/.xml templates autoescape); a .txt mail uses it as is.
    Regular expressions and ``html.unescape`` rather than an HTML parser: ~20x cheaper than
    a sanitizer on a typical post, and enough for HTML that ``sanitize`` produced."""
    text = _TAG.sub("", _BLOCK.sub(" ", _HIDDEN.sub("", html)))
    text = " ".join(unescape(text).split())  # str.split knows Unicode spaces (&nbsp; too)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
