"""Quoting a post into a reply: its source as a Markdown block quote with attribution."""

from __future__ import annotations

QUOTE_MAX = 2_000  # characters of the quoted source; a quote is a pointer, not a copy


def quote_source(post) -> str:
    name = post.author.display_name if post.author else "A former member"
    source = post.source.strip()
    if len(source) > QUOTE_MAX:
        source = source[:QUOTE_MAX].rstrip() + " …"
    quoted = "\n".join(f"> {line}" if line else ">" for line in source.splitlines())
    return f"{name} wrote:\n\n{quoted}\n\n"
