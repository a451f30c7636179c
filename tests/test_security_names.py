"""Look-alike usernames (UTS #39 confusable skeletons) and mixed-script names are refused."""

from __future__ import annotations

import pytest
from confusable_homoglyphs.confusables import confusables_data
from sqlalchemy import func, select

from forum.extensions import db
from forum.mailing.models import Delivery
from forum.users.confusables import is_mixed_script, prototypes, skeleton
from forum.users.models import User
from forum.users.names import NameError_, new_username, username_skeleton
from forum.users.services import find_by_email
from tests.factories import make_user
from tests.factories_accounts import registration, submit

TOO_SIMILAR = "too similar to an existing username"
ONE_ALPHABET = "Usernames use the letters of one alphabet"

# (existing name, look-alike): Cyrillic а, dotless ı, a small roman numeral fifty (NFKC: l),
# the digit one and a capital I for l, a Cyrillic word in capitals that reads as Latin, a zero
# for an o, and the same tricks in capitals.
LOOKALIKES = [
    ("admin", "admın"), ("lena", "1ena"), ("lena", "Iena"), ("Iena", "lena"),
    ("tom", "ТОМ"), ("bob", "b0b"), ("Admin", "ADMıN"), ("ADMIN", "ADMlN"),
]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _register(client, **overrides):
    return submit(client, "/auth/register", registration(**overrides), token_from="/auth/register")


# --- the skeleton and the script check, as Unicode defines them -----------------------------

def test_the_prototype_table_is_unicodes_confusables_txt():
    table = prototypes()
    # Lines of confusables.txt, each "source ; prototype".
    assert table["а"] == "a" and table["е"] == "e" and table["ı"] == "i"
    assert table["1"] == "l" and table["I"] == "l" and table["ⅼ"] == "l"
    assert table["m"] == "rn" and table["0"] == "O" and table["ǆ"] == "dž"
    # Idempotent, as UTS #39 promises: no prototype contains a source.
    assert not any(ch in table for target in table.values() for ch in target)
    # Every pair the package lists both ways is exactly one line, in one direction.
    for key, partners in confusables_data.items():
        key = key.replace("\u200e", "")
        for partner in (p["c"].replace("\u200e", "") for p in partners):
            assert table.get(key) == partner or table.get(partner) == key, (key, partner)


@pytest.mark.parametrize(("name", "lookalike"), [
    ("admin", "аdmin"), ("lena", "lеna"), ("lena", "ⅼena"), *LOOKALIKES])
def test_lookalikes_share_a_skeleton(name, lookalike):
    assert username_skeleton(name) == username_skeleton(lookalike)


@pytest.mark.parametrize(("name", "other"), [
    ("lena", "iena"), ("admin", "admln"), ("maria", "мария"), ("jose", "josé"), ("ivan", "lvan"),
])
def test_names_that_look_different_keep_different_skeletons(name, other):
    assert username_skeleton(name) != username_skeleton(other)


def test_skeleton_is_the_tr39_function():
    # NFD first: "é" (one code point) and "e" + combining acute are the same text.
    assert skeleton("caf\u00e9") == skeleton("cafe\u0301") == "cafe\u0301"
    assert skeleton("ⅼena") == skeleton("lena") == "lena"


@pytest.mark.parametrize("name", ["аdmin", "lеna", "pαul", "Ιvan", "abc١"])
def test_letters_of_two_scripts_are_mixed(name):
    assert is_mixed_script(name)
    with pytest.raises(NameError_, match=ONE_ALPHABET):
        new_username(name)


@pytest.mark.parametrize("name", ["Мария", "José", "Jose\u0301", "李小龙", "山田たろう",
                                  "김민준", "anna_1.2-x", "Ελένη"])
def test_one_script_with_digits_marks_and_punctuation_is_not_mixed(name):
    assert not is_mixed_script(name)
    new_username(name)  # no error


def test_mixed_script_message_names_the_scripts():
    with pytest.raises(NameError_, match="mixes Cyrillic and Latin"):
        new_username("lеna")


# --- through the registration form, on SQLite and PostgreSQL --------------------------------

@pytest.mark.parametrize(("existing", "lookalike"), LOOKALIKES)
def test_registering_a_lookalike_of_an_existing_name_is_refused(client, existing, lookalike):
    make_user(username=existing)
    response = _register(client, username=lookalike, email="other@example.org")
    assert response.status_code == 400
    assert TOO_SIMILAR in response.get_data(as_text=True)
    assert find_by_email("other@example.org") is None
    assert _count(User) == 1 and _count(Delivery) == 0


@pytest.mark.parametrize("name", ["аdmin", "lеna"])
def test_registering_a_mixed_script_name_is_refused(client, name):
    response = _register(client, username=name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert ONE_ALPHABET in html and "mixes Cyrillic and Latin" in html
    assert _count(User) == 0 and _count(Delivery) == 0


def test_a_taken_address_gets_the_same_refusal_of_a_lookalike(client):
    """Registering with a taken address must answer as a free one would (no enumeration)."""
    make_user(username="admin", email="admin@example.org")
    response = _register(client, username="admın", email="admin@example.org")
    assert response.status_code == 400
    assert TOO_SIMILAR in response.get_data(as_text=True)
    assert _count(User) == 1 and _count(Delivery) == 0


@pytest.mark.parametrize(("existing", "name"), [
    ("maria", "Мария"), ("jose", "José"), ("lixiaolong", "李小龙"), ("yamada", "山田たろう")])
def test_honest_names_in_any_script_are_accepted(client, existing, name):
    make_user(username=existing)
    response = _register(client, username=name)
    assert response.status_code == 302
    user = find_by_email("ada@example.org")
    assert user.username == name and user.username_skeleton == username_skeleton(name)


# --- the other ways accounts are made ------------------------------------------------------

def test_create_admin_refuses_a_lookalike_name(app):
    make_user(username="admin")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--email", "boss@example.org", "--username", "admın",
        "--password", "long enough pass"])
    assert result.exit_code != 0 and TOO_SIMILAR in result.output
    assert find_by_email("boss@example.org") is None
