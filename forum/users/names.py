"""Normalising e-mail addresses and usernames, so one person or name cannot appear twice."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from forum.users.confusables import is_mixed_script, script_names, scripts, skeleton

USERNAME_MIN, USERNAME_MAX = 3, 40
# A skeleton is longer than its name: a Hangul syllable becomes up to 7 code points (NFD jamo
# and their prototypes), "m" becomes "rn". 8 per character bounds every letter Unicode has.
SKELETON_MAX = 8 * USERNAME_MAX
# Letters, digits, marks, and . _ - inside; no spaces, no symbols, no invisible characters.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u034f\u180e]"
)


class NameError_(ValueError):
    """A name or address that cannot be used, with a message that says why."""


def normalize_email(raw: str) -> str:
    """The stored form of an address: validated, domain lower-cased, local part kept."""
    try:
        info = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise NameError_(f"That e-mail address is not valid: {exc}") from exc
    local, domain = info.normalized.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def email_key(address: str) -> str:
    """Case-insensitive comparison key for addresses (stored lower-cased in ``users.email``)."""
    return address.lower()


def username_key(raw: str) -> str:
    """NFKC + case-fold: "Ｊane", "JANE" and "jane" are one name. Raises on unusable names."""
    name = raw.strip()
    if _INVISIBLE.search(name):
        raise NameError_("Usernames cannot contain invisible or text-direction characters.")
    key = unicodedata.normalize("NFKC", name).casefold()
    key = unicodedata.normalize("NFKC", key)
    if not USERNAME_MIN <= len(key) <= USERNAME_MAX:
        raise NameError_(f"Usernames are {USERNAME_MIN} to {USERNAME_MAX} characters long.")
    for ch in key:
        cat = unicodedata.category(ch)
        if not (cat[0] in "LN" or cat in ("Mn", "Mc") or ch in "._-"):
            raise NameError_(
                "Usernames may contain letters, digits, dots, hyphens and underscores only."
            )
    if key[0] in "._-" or key[-1] in "._-":
        raise NameError_("Usernames must start and end with a letter or digit.")
    return key


def username_skeleton(raw: str) -> str:
    """What a username looks like, for refusing look-alikes of an existing name (UTS #39).

    The skeleton of the name as typed (members see it so: "Iena" reads as "lena", "ТОМ" in
    Cyrillic as "TOM"), case-folded, then the skeleton again (so "ADMIN" and "admın" meet
    "admin"). Equal skeletons mean confusable names. Never raises: it also fills the column
    for accounts made before it existed.
    """
    seen = skeleton(unicodedata.normalize("NFKC", raw.strip()))
    return skeleton(seen.casefold())


def new_username(raw: str) -> tuple[str, str]:
    """The key and skeleton of a name a member may take, or NameError_ saying why not.

    Lookups of existing members go by ``username_key`` alone: names made before these rules
    keep their profile pages.
    """
    key = username_key(raw)
    if is_mixed_script(key):
        raise NameError_(
            f"Usernames use the letters of one alphabet; this one mixes "
            f"{script_names(scripts(key))}.")
    shape = username_skeleton(raw)
    if len(shape) > SKELETON_MAX:  # no letter expands this far today; a future table might
        raise NameError_(f"Usernames are {USERNAME_MIN} to {USERNAME_MAX} characters long.")
    return key, shape
