"""A group's picture (issue 26, point 10): leaders choose it with its alt text; it stands beside
the group's name in the directory, on the group page and in the home page's spotlight; without
one, the group's initials do. Who may change it and who may see it follow the group's rules."""

from __future__ import annotations

import io

import pytest

from forum.extensions import db
from forum.files.purge import PurgeReport, purge_unreferenced_blobs
from forum.groups.models import Group
from forum.jinja import initials
from forum.storage import get_storage
from tests.helpers import login, post
from tests.world import ROLES, sign_in_as

# The smallest valid PNG (1×1, grey): sniffed from its bytes like any upload.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63680000008200816cd5e7f30000000049454e44ae426082")
OTHER_PNG = PNG[:-12] + bytes.fromhex("0000000049454e44ae426082") + b"\x00"
URL = "/g/project-management/picture"


def _group(slug="project-management") -> Group:
    db.session.expire_all()
    return db.session.query(Group).filter_by(slug=slug).one()


def _upload(client, data: dict):
    return post(client, URL, data, token_from=URL, content_type="multipart/form-data")


def test_a_leader_gives_the_group_a_picture_that_every_list_shows(client, world):
    login(client, world.leader)
    response = _upload(client, {"picture": (io.BytesIO(PNG), "logo.png"),
                                "picture_alt": "An open book under a lamp"})
    assert response.status_code == 302
    group = _group()
    assert group.picture_type == "image/png" and group.picture_alt == "An open book under a lamp"
    src = f"{URL}/{group.picture_sha256[:16]}"
    for page in ("/g/project-management", "/groups"):
        html = client.get(page).get_data(as_text=True)
        assert f'src="{src}"' in html and 'alt="An open book under a lamp"' in html, page
    picture = client.get(src)
    assert picture.status_code == 200 and picture.data == PNG
    assert picture.mimetype == "image/png"
    assert picture.headers["X-Content-Type-Options"] == "nosniff"
    # A members-only group's picture: browsers may keep it, shared caches may not.
    assert "private" in picture.headers["Cache-Control"]
    assert "public" not in picture.headers["Cache-Control"]


def test_without_a_picture_the_initials_stand_in_and_screen_readers_skip_them(client, world):
    html = client.get("/groups").get_data(as_text=True)
    # "Project Management Interest Group" → PM; "Other Interest Group" → OI.
    assert 'aria-hidden="true">PM</span>' in html and 'aria-hidden="true">OI</span>' in html


@pytest.mark.parametrize("picture, alt, field_message", [
    (PNG, "", "Describe the picture"),
    (b"<svg onload='alert(1)'></svg>", "A logo", "PNG, JPEG, GIF or WebP"),
    (b"%PDF-1.4\n" + b"x" * 80, "A logo", "PNG, JPEG, GIF or WebP"),
    (PNG, "x" * 301, "300"),
])
def test_a_bad_picture_is_a_form_error_and_changes_nothing(client, world, picture, alt,
                                                           field_message):
    login(client, world.leader)
    response = _upload(client, {"picture": (io.BytesIO(picture), "logo.png"), "picture_alt": alt})
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    assert _group().picture_sha256 is None


def test_a_picture_over_the_limit_is_refused(app, client, world):
    app.config["GROUP_PICTURE_MAX_SIZE"] = 64
    login(client, world.leader)
    response = _upload(client, {"picture": (io.BytesIO(PNG + b"\x00" * 200), "logo.png"),
                                "picture_alt": "A logo"})
    assert response.status_code == 400
    assert "limited to" in response.get_data(as_text=True)
    assert _group().picture_sha256 is None


def test_a_new_picture_retires_the_old_address_and_removing_brings_back_initials(client, world):
    login(client, world.leader)
    _upload(client, {"picture": (io.BytesIO(PNG), "a.png"), "picture_alt": "First"})
    old = _group().picture_sha256
    _upload(client, {"picture": (io.BytesIO(OTHER_PNG), "b.png"), "picture_alt": "Second"})
    new = _group().picture_sha256
    assert new != old
    assert client.get(f"{URL}/{old[:16]}").status_code == 404
    assert client.get(f"{URL}/{new[:16]}").status_code == 200
    # Changing only the words keeps the picture.
    assert _upload(client, {"picture_alt": "Second, described better"}).status_code == 302
    assert _group().picture_sha256 == new and _group().picture_alt == "Second, described better"
    assert _upload(client, {"remove_picture": "y"}).status_code == 302
    group = _group()
    assert group.picture_sha256 is None and group.picture_alt == ""
    assert client.get(f"{URL}/{new[:16]}").status_code == 404
    assert 'aria-hidden="true">PM</span>' in client.get("/g/project-management").get_data(
        as_text=True)


def _status_as(app, world, role: str, url: str) -> int:
    client = app.test_client()
    sign_in_as(client, world, role)
    return client.get(url).status_code


@pytest.mark.parametrize("role", ROLES)
def test_the_picture_form_answers_every_role_as_the_settings_page_does(app, world, role):
    for slug in ("project-management", "nominating", "other-group"):
        assert (_status_as(app, world, role, f"/g/{slug}/picture")
                == _status_as(app, world, role, f"/g/{slug}/settings")), slug


def test_only_those_who_lead_the_group_may_change_its_picture(app, world):
    for role in ("group_member", "moderator", "other_member", "banned"):
        client = app.test_client()
        sign_in_as(client, world, role)
        response = _upload(client, {"picture": (io.BytesIO(PNG), "x.png"), "picture_alt": "x"})
        assert response.status_code == 403, role
    assert _group().picture_sha256 is None


@pytest.mark.parametrize("role", ROLES)
def test_the_picture_is_shown_to_whoever_may_know_of_the_group(app, world, role):
    for group in (world.group, world.private):
        group.picture_sha256 = _store(PNG)
        group.picture_type, group.picture_alt = "image/png", "A logo"
    db.session.commit()
    for slug in ("project-management", "nominating"):
        digest = _group(slug).picture_sha256[:16]
        page = _status_as(app, world, role, f"/g/{slug}")
        picture = _status_as(app, world, role, f"/g/{slug}/picture/{digest}")
        assert (picture == 200) == (page == 200), (slug, page, picture)
        if page != 200:
            assert picture == 404


def _store(data: bytes) -> str:
    with get_storage().receive(io.BytesIO(data)) as pending:
        pending.commit()
        return pending.sha256


def test_the_purge_keeps_a_groups_picture(client, world):
    login(client, world.leader)
    _upload(client, {"picture": (io.BytesIO(PNG), "logo.png"), "picture_alt": "A logo"})
    sha = _group().picture_sha256
    purge_unreferenced_blobs(PurgeReport(), grace_seconds=0)
    assert get_storage().local_path(sha) is not None


@pytest.mark.parametrize("name, expected", [
    ("Project Management Interest Group", "PM"),
    ("Committee on the Status of Women", "CS"),  # minor words skipped
    ("Alpha <Readers> & Co", "AR"),  # letters and digits only
    ("The", "T"),  # a name of minor words keeps them
    ("ÉQUIPE numérique", "ÉN"),
    ("<>", "?"),
])
def test_initials_are_the_first_letters_of_the_words_that_matter(name, expected):
    assert initials(name) == expected
