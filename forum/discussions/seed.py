"""Demo discussions: realistic threads with nested replies in the demo groups.

Runs after users and groups (``ctx["users"][handle]``, ``ctx["groups"][slug]``) and sets
``ctx["threads"]``. Posts go through the same services as the app (paths, depth, counters), with
back-dated timestamps and without notifications. A bulk seeder (bench/) can build the same tree
itself with ``forum.discussions.tree.placement`` and ``child_path``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.db import utcnow
from forum.discussions import services
from forum.discussions.models import Post
from forum.extensions import db

# (group slugs to try, title, author, body, replies); a reply is (author, body, [replies]).
THREADS = [
    (("project-management",),
     "Project management tools for small library teams",
     "priya",
     "We're a team of four running a digitisation project with no PM software budget. "
     "What are people using to track tasks and deadlines?\n\n"
     "- Shared spreadsheets?\n- Trello or a kanban board?\n- Something else?",
     [("marcus", "We moved from a spreadsheet to a **kanban board** last year. The big win was "
                 "seeing what's blocked at a glance.",
       [("lena", "Did your staff take to it? Ours found the spreadsheet less intimidating.",
         [("marcus", "It took about a month. A 15-minute weekly stand-up in front of the board "
                     "did more than any training.",
           [("diego", "Same here. We also added a *Waiting on vendor* column — it ended a lot "
                      "of \"is this done yet?\" e-mails.", [])])]),
        ("priya", "@marcus could you share your column names? We keep arguing about ours.",
         [("marcus", "Sure:\n\n| Column | Means |\n|---|---|\n| Ideas | not committed |\n"
                     "| Next | agreed, not started |\n| Doing | someone owns it |\n"
                     "| Blocked | says by what |\n| Done | reviewed |", [])])]),
      ("lena", "A plain spreadsheet with one tab per phase works fine for us. The tool matters "
               "less than agreeing who updates it.",
       [("aisha", "> The tool matters less than agreeing who updates it.\n\nThis. We name an "
                  "owner for the tracker in the project charter.", [])]),
      ("mei", "New to leading projects — this thread is gold. Could someone share a template "
              "in the group library?", [])]),
    (("ig-week-team", "project-management"),
     "Interest Group Week planning: call for session ideas",
     "marcus",
     "**2022 Interest Group Week — save the date, March 7–11.**\n\n"
     "We have one slot for a 45-minute session. Reply with ideas; we'll pick by the end of "
     "the month.",
     [("mei", "How about a panel on *scoping projects you can actually finish*?",
       [("sarah", "Love it. I can help find a third panellist from a public library.", []),
        ("lena", "+1, and leave 15 minutes for questions — those always run over.", [])]),
      ("diego", "A hands-on session: bring a stalled project, leave with a one-page plan.",
       [("marcus", "Good one. We'd need breakout rooms; I'll check with the platform team.",
         [])])]),
    (("library-leadership",),
     "Save the date: new leaders orientation",
     "sarah",
     "New chairs and co-chairs: orientation is on the first Tuesday of next month, online. "
     "We'll cover running meetings, moderating discussions and the appointment process.",
     [("ruth", "Will the recording be shared for those in other time zones?",
       [("sarah", "Yes — it will be in the section library within a week.", [])]),
      ("james", "Past chairs are welcome to join and answer questions, I take it?", [])]),
    (("change-management",),
     "Leading staff through a library system migration",
     "mei",
     "We go live on a new library services platform in the spring. What helped your staff "
     "most through the change?",
     [("diego", "Early, honest timelines — including what we *didn't* know yet.", []),
      ("sarah", "Champions in every department, and a shared FAQ that they kept up to date.",
       [])]),
    (("middle-managers",),
     "Introduce yourself",
     "lena",
     "Say hello: where you work, what you're working on, and what you hope to get from the "
     "group.",
     [("hannah", "Hi all, I'm Hannah — I manage access services at a university library.", []),
      ("oliver", "Oliver here, head of branch services. Looking for peers to swap rota "
                 "horror stories with.", [])]),
]


def seed(ctx: dict) -> None:
    users, groups = ctx.get("users") or {}, ctx.get("groups") or {}
    ctx.setdefault("threads", [])
    if not users or not groups:
        return
    start = utcnow() - timedelta(days=20)
    for n, (slugs, title, author, body, replies) in enumerate(THREADS):
        group = _pick_group(groups, slugs)
        at = start + timedelta(days=4 * n)
        thread = services.start_thread(group, _user(users, author), title, body,
                                       at=at, notify=False)
        root = thread_root(thread)
        _add_replies(thread, root, replies, users, [at])
        ctx["threads"].append(thread)


def thread_root(thread):
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.depth == 0))


def _add_replies(thread, parent, replies, users, clock: list) -> None:
    for author, body, children in replies:
        clock[0] += timedelta(hours=5)
        post = services.reply(thread, parent, _user(users, author), body,
                              at=clock[0], notify=False)
        _add_replies(thread, post, children, users, clock)


def _pick_group(groups: dict, slugs):
    for slug in slugs or ():
        if slug in groups:
            return groups[slug]
    return next(iter(groups.values()))


def _user(users: dict, handle: str):
    return users.get(handle) or next(iter(users.values()))
