"""Every route of the library × every role in tests.world.ROLES → the expected status.

Each role signs in once and walks every route (fresh objects for each state-changing one), so
the table reads as the rules: 302 for visitors sent to sign in (or a successful POST), 403 for
a refusal one may know about, 404 where the group's content must not leak."""

from __future__ import annotations

import io

import pytest

from forum.db import utcnow
from tests.factories_files import make_file, make_folder, make_png, token
from tests.world import ROLES, sign_in_as

ALL = set(ROLES)
READERS = {"member", "group_member", "moderator", "leader", "section_admin", "site_admin",
           "other_member"}
UPLOADERS = {"group_member", "moderator", "leader", "section_admin", "site_admin"}
LEADERS = {"leader", "section_admin", "site_admin"}
PRIVATE_PEOPLE = UPLOADERS  # members and staff of the private group


def expect(ok: set, ok_status: int = 200, *, others: int = 403, anonymous: int = 302,
           hidden: set | None = None) -> dict:
    table = {}
    for role in ROLES:
        if role in ok:
            table[role] = ok_status
        elif hidden and role in hidden:
            table[role] = 404
        elif role == "anonymous":
            table[role] = anonymous
        else:
            table[role] = others
    return table


G = "/g/project-management/files"
P = "/g/nominating/files"
NOT_PRIVATE = ALL - PRIVATE_PEOPLE

# (route name, method, url builder, expected) — the builder gets the world and makes what it needs.
ROUTES = [
    ("library", "GET", lambda w: G, expect(READERS)),
    ("detail", "GET", lambda w: f"{G}/{_file(w).id}", expect(READERS)),
    ("download", "GET", lambda w: f"{G}/{_file(w).id}/download", expect(READERS)),
    ("version download", "GET", lambda w: f"{G}/{_file(w).id}/versions/1/download",
     expect(READERS)),
    ("preview", "GET", lambda w: f"{G}/{_file(w).id}/preview", expect(READERS)),
    ("version preview", "GET", lambda w: f"{G}/{_file(w).id}/versions/1/preview",
     expect(READERS)),
    ("upload form", "GET", lambda w: f"{G}/upload", expect(UPLOADERS)),
    ("edit form", "GET", lambda w: f"{G}/{_file(w).id}/edit", expect(LEADERS)),
    ("trash", "GET", lambda w: f"{G}/trash", expect(LEADERS)),
    ("folders", "GET", lambda w: f"{G}/folders", expect(LEADERS)),
    ("private library", "GET", lambda w: P, expect(PRIVATE_PEOPLE, hidden=NOT_PRIVATE)),
    ("private download", "GET", lambda w: f"{P}/{_file(w, w.private).id}/download",
     expect(PRIVATE_PEOPLE, hidden=NOT_PRIVATE)),
    ("private preview", "GET", lambda w: f"{P}/{_file(w, w.private).id}/preview",
     expect(PRIVATE_PEOPLE, hidden=NOT_PRIVATE)),
    ("private upload", "POST", lambda w: f"{P}/upload",
     expect(PRIVATE_PEOPLE, 302, hidden=NOT_PRIVATE)),
    ("upload", "POST", lambda w: f"{G}/upload", expect(UPLOADERS, 302)),
    ("edit", "POST", lambda w: f"{G}/{_file(w).id}/edit", expect(LEADERS, 302)),
    ("new version", "POST", lambda w: f"{G}/{_file(w).id}/versions", expect(LEADERS, 302)),
    ("delete", "POST", lambda w: f"{G}/{_file(w).id}/delete", expect(LEADERS, 302)),
    ("restore", "POST", lambda w: f"{G}/{_file(w, deleted=True).id}/restore",
     expect(LEADERS, 302)),
    ("create folder", "POST", lambda w: f"{G}/folders", expect(LEADERS, 302)),
    ("rename folder", "POST", lambda w: f"{G}/folders/{_folder(w).id}/rename",
     expect(LEADERS, 302)),
    ("move folder", "POST", lambda w: f"{G}/folders/{_folder(w).id}/move", expect(LEADERS, 302)),
    ("library settings", "POST", lambda w: f"{G}/settings", expect(LEADERS, 302)),
    ("remove folder", "POST", lambda w: f"{G}/folders/{_folder(w).id}/delete",
     expect(LEADERS, 302)),
]


def _file(w, group=None, *, deleted=False):
    f = make_file(group=group or w.group, uploader=w.leader, data=make_png(), name="chart.png")
    if deleted:
        f.deleted_at = utcnow()
    return f


_folders = iter(range(10**6))


def _folder(w):
    return make_folder(group=w.group, name=f"Folder {next(_folders)}")


def _form(client, url: str) -> dict:
    n = next(_folders)
    data = {"csrf_token": token(client), "title": "New title", "description": "",
            "folder": "0", "name": f"Made {n}", "direction": "up", "upload_policy": "members"}
    if url.endswith("/rename"):
        data[f"f{url.split('/')[-2]}-name"] = f"Renamed {n}"
    if url.endswith("/upload"):
        data["files"] = [(io.BytesIO(f"n,{n}\n".encode()), "new.csv")]
    if url.endswith("/versions"):
        data["file"] = (io.BytesIO(f"v,{n}\n".encode()), "v2.csv")
    return data


@pytest.mark.parametrize("role", ROLES)
def test_every_library_route_answers_each_role_as_the_rules_say(client, world, role):
    sign_in_as(client, world, role)
    got, wanted = {}, {}
    for name, method, build, expected in ROUTES:
        url = build(world)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data=_form(client, url),
                                   content_type="multipart/form-data")
        got[name], wanted[name] = response.status_code, expected[role]
    assert got == wanted
