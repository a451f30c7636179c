"""Two look-alike registrations in the same moment: the unique skeleton index decides.

PostgreSQL only: SQLite queues writers (BEGIN IMMEDIATE), so there the check and the insert
cannot be overtaken by another registration (and a second writer would wait for this one).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, insert

from forum.extensions import db
from forum.mailing.models import Delivery
from forum.users.models import User
from forum.users.names import username_skeleton
from forum.users.services import find_by_email
from tests.test_security_names import TOO_SIMILAR, _count, _register


@pytest.fixture
def database(postgres_url):
    return postgres_url


def test_a_lookalike_registered_in_the_same_moment_gets_the_form_error(client):
    """Two look-alikes registered at once: both pass the check, the unique index stops one."""
    overtaken = []

    def other_registration_commits_first(conn, cursor, statement, *args):
        # Just before this request inserts "1ena", another transaction commits "lena".
        if overtaken or not statement.startswith("INSERT INTO users ("):
            return
        overtaken.append(True)
        with db.engine.connect() as other:
            other.execute(insert(User).values(
                email="lena@example.org", username="lena", username_key="lena",
                username_skeleton=username_skeleton("lena"), display_name="Lena",
                password_hash="x"))
            other.commit()

    event.listen(db.engine, "before_cursor_execute", other_registration_commits_first)
    try:
        response = _register(client, username="1ena")
    finally:
        event.remove(db.engine, "before_cursor_execute", other_registration_commits_first)
    assert overtaken
    assert response.status_code == 400
    assert TOO_SIMILAR in response.get_data(as_text=True)
    assert find_by_email("ada@example.org") is None
    assert _count(User) == 1 and _count(Delivery) == 0
