"""Look-alike text by Unicode's own data (UTS #39): confusable skeletons and mixed scripts.

The data comes from the ``confusable-homoglyphs`` package, which ships Unicode's
``confusables.txt`` and ``Scripts.txt`` as JSON; nothing here is a hand-made table.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs import categories

# U+200E LEFT-TO-RIGHT MARK: confusables.txt wraps right-to-left characters in it in the
# comments the package parsed, so the package's keys carry it; it is never part of a character.
_LRM = "\u200e"
# Not scripts of their own (UAX #24): digits, . _ - and combining marks go with any letters.
_NO_SCRIPT = frozenset({"COMMON", "INHERITED"})
# UTS #39 5.2 "Highly Restrictive": one script, or one of these sets, which writers of Japanese,
# Chinese and Korean mix in ordinary names and whose letters do not pass for one another.
_SCRIPT_SETS = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)


@cache
def prototypes() -> dict[str, str]:
    """confusables.txt as a mapping: each source character to its prototype string.

    The package keeps each line ``source → prototype`` both ways: every character lists its
    partners, in file order. Directions are recovered from UTS #39's own guarantees: a source is
    one code point on exactly one line, and a prototype is never a source (the mapping is
    idempotent). So a key listing several partners, or made of several code points, is a
    prototype and its partners are its sources. Two single characters that list only each other
    are one line; the JSON keeps the file's order, where the line's source came first.
    """
    from confusable_homoglyphs.confusables import confusables_data  # 900 kB: load on first use

    partners = {key.replace(_LRM, ""): [p["c"].replace(_LRM, "") for p in entries]
                for key, entries in confusables_data.items()}
    order = {key: n for n, key in enumerate(partners)}
    mapping = {}
    for key, found in partners.items():
        if len(key) != 1 or len(found) != 1:
            continue  # a prototype
        target = found[0]
        if len(target) > 1 or len(partners[target]) > 1 or order[key] < order[target]:
            mapping[key] = target
    return mapping


def skeleton(text: str) -> str:
    """UTS #39 ``skeleton()``: NFD, each character to its prototype, NFD again. Two strings
    with the same skeleton are visually confusable (``аdmin``, ``admın`` and ``admin``)."""
    table = prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in decomposed))


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (Latin, Cyrillic…), as in Unicode's Scripts.txt;
    characters of every script (digits, punctuation, combining marks) are left out."""
    return {categories.alias(ch) for ch in text} - _NO_SCRIPT


def is_mixed_script(text: str) -> bool:
    """Letters of more than one script, other than the CJK sets UTS #39 allows together."""
    found = scripts(text)
    return len(found) > 1 and not any(found <= allowed for allowed in _SCRIPT_SETS)


def script_names(names: set[str]) -> str:
    """``{"LATIN", "CYRILLIC"}`` as "Cyrillic and Latin", for messages."""
    shown = sorted(name.replace("_", " ").title() for name in names)
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else "".join(shown)
