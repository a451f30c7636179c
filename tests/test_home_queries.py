"""The home page's statement budget, signed in: every block one query, whatever the data."""

from __future__ import annotations

from forum.querycount import count_queries
from tests.factories_discussions import make_thread
from tests.factories_files import make_file
from tests.helpers import login


def _home_statements(client) -> int:
    with count_queries() as q:  # rendered, not the member's kept copy of an unchanged page
        assert client.get("/", headers={"Cache-Control": "no-cache"}).status_code == 200
    return len(q)


def test_signed_in_home_runs_few_statements_whatever_the_data(client, world):
    login(client, world.group_member)
    few = _home_statements(client)
    for group in (world.group, world.private):
        for i in range(6):
            make_file(group=group, uploader=world.leader, data=f"n,{i}\n".encode())
            make_thread(group=group, author=world.leader, title=f"Thread {i}")
    html = client.get("/").get_data(as_text=True)
    assert "Recently shared files" in html and "Thread 5" in html
    assert _home_statements(client) == few <= 9
