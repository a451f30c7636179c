"""HTML mail → plain text, with the standard library's ``html.parser``.

For mail that has no text part (Outlook and Apple Mail sometimes send HTML only). The result
is Markdown-friendly plain text: paragraphs and line breaks kept, list items as "- ", links as
``[text](url)``, and ``<blockquote>`` content prefixed with "> " so the quote trimmer
(forum.inbound.trimming) sees quotes the way it sees them in a text part. Scripts, styles and
the head are dropped; images leave nothing (their alt text, if any).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "table", "tr",
                     "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "address"})
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre"})
_SKIPPED = frozenset({"head", "style", "script", "title", "template"})
_SPACE = re.compile(r"\s+")


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.skip_depth = 0
        self.pre_depth = 0
        self.link: tuple[str, list[str]] | None = None  # href, text gathered inside

    # --- building lines --------------------------------------------------------------------
    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre_depth:
            text = text.strip()
        self.current = []
        if text:
            prefix = "> " * self.quote_depth
            self.lines.extend(prefix + line for line in text.split("\n"))

    def _break(self, blank: bool = False) -> None:
        self._flush()
        if blank and self.lines and self.lines[-1].strip("> ") != "":
            self.lines.append(">" * self.quote_depth if self.quote_depth else "")

    def _write(self, text: str) -> None:
        if self.link is not None:
            self.link[1].append(text)
        else:
            self.current.append(text)

    # --- parser events ---------------------------------------------------------------------
    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIPPED:
            self.skip_depth += 1
        elif tag == "br":  # a <br> on an empty line is a blank line (Gmail's paragraphs)
            if "".join(self.current).strip():
                self._flush()
            else:
                self.current = []
                self._break(blank=True)
        elif tag == "blockquote":
            self._break(blank=True)
            self.quote_depth += 1
        elif tag == "li":
            self._break()
            self.current.append("- ")
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", [])
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self._write(alt)
        elif tag in _BLOCKS:
            self._break(blank=tag in _PARAGRAPHS)
            if tag == "pre":
                self.pre_depth += 1

    def handle_endtag(self, tag) -> None:
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "blockquote":
            self._break()
            self.quote_depth = max(0, self.quote_depth - 1)
            self._break(blank=True)
        elif tag == "a" and self.link is not None:
            href, parts = self.link
            self.link = None
            text = _SPACE.sub(" ", "".join(parts)).strip()
            if href.startswith(("http://", "https://")) and text and text != href:
                self.current.append(f"[{text}]({href})")
            else:
                self.current.append(text or href)
        elif tag in _BLOCKS or tag == "li":
            self._break(blank=tag in _PARAGRAPHS)
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data) -> None:
        if self.skip_depth:
            return
        self._write(data if self.pre_depth else _SPACE.sub(" ", data))

    def text(self) -> str:
        self._flush()
        out = re.sub(r"(\n[> ]*)+\Z", "", "\n".join(line.rstrip() for line in self.lines))
        return re.sub(r"\n{3,}", "\n\n", out).strip()


def html_to_text(html: str) -> str:
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    return maker.text()
