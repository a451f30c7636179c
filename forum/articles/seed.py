"""Demo articles for the Leadership and Management Section: five articles by the section's
editor — three published (one with three comments from different members, like a blog post
with its comments), one scheduled for next week, one draft."""

from __future__ import annotations

from datetime import timedelta

from forum.articles import services
from forum.db import utcnow
from forum.discussions import services as discussions
from forum.discussions.models import Thread
from forum.extensions import db
from forum.groups.models import Appointment, Role

EDITOR = "priya"

# title, byline, days ago (None: draft; negative: scheduled ahead), excerpt, body, comments
ARTICLES = (
    ("Five Lessons from Leading a Library Through a Building Renovation",
     "By Marcus Webb, Lakeview University Libraries", 40, "",
     "When our main library closed for fourteen months, we learned more about leadership than "
     "in the ten years before.\n\n## 1. Over-communicate, then communicate again\n\nStaff "
     "heard about the closure from us first, in person, with a written summary the same day."
     "\n\n## 2. Give every team a visible role\n\nCirculation ran the pop-up branches; "
     "technical services moved 400,000 volumes.\n\n## 3. Protect the budget for people\n\n"
     "Training and overtime came before new furniture.\n\n## 4. Measure what patrons feel\n\n"
     "We asked the same three questions every month.\n\n## 5. Celebrate the reopening with "
     "the staff first\n\nThe night before the public opening was theirs.", ()),
    ("Succession Planning Is a Kindness: Notes from the Middle Managers Interest Group",
     "By Sarah Okafor, Chair", 18,
     "Succession planning is not about replacing people; it is about making sure nobody's "
     "knowledge walks out the door. Notes from our spring discussion.",
     "At our spring discussion, twenty-three managers shared how they prepare for the day a "
     "key colleague moves on.\n\n- **Write down the invisible work.** Every role has tasks "
     "that appear in no job description.\n- **Pair people across generations.** Mentoring "
     "runs both ways.\n- **Rotate committee chairs.** A chair-elect year makes every handover "
     "gentler.\n\nWhat does your library do? Tell us below.",
     (("james", "We started a 'how I do my job' wiki last year. It saved us when our ILS "
                "administrator retired with two weeks' notice."),
      ("aisha", "The chair-elect year is such a good idea. Our committee adopted it after "
                "reading the section's guidelines, and the last handover was painless."),
      ("diego", "Mentoring both ways is real: our newest librarian taught the whole "
                "leadership team how to run a hybrid meeting that works."))),
    ("Budget Season Without the Dread: A Planning Calendar for Department Heads",
     "By Priya Raman, Section Editor", 6, "",
     "Budget requests go better when they start in the summer.\n\n1. **July:** collect "
     "usage numbers and staff wish lists.\n2. **September:** draft two scenarios, flat and "
     "growth.\n3. **November:** meet finance early, with one page per request.\n4. "
     "**January:** present outcomes, not inputs.\n\nA template for each step is in the "
     "Project Management Interest Group's library.", ()),
    ("Interest Group Week 2027: Call for Session Hosts",
     "By the Program Planning Committee", -7, "",
     "Interest Group Week returns in March. Every interest group hosts one online session; "
     "we are looking for members to host, moderate and take notes.\n\nSessions run for an "
     "hour and are recorded for members who cannot attend live.", ()),
    ("Draft: What We Learned from the Member Survey",
     "By Priya Raman, Section Editor", None, "",
     "*Draft for the editors' review.*\n\nOf 412 responses, 71% want more short webinars "
     "and 58% would volunteer for a project team if the commitment were clear up front.", ()),
)


def seed(ctx: dict) -> None:
    users, section = ctx.get("users") or {}, ctx.get("section")
    if not users or section is None:
        return
    editor = users.get(EDITOR) or next(iter(users.values()))
    today = utcnow().date()
    db.session.add(Appointment(user_id=editor.id, section_id=section.id, role=Role.EDITOR,
                               title="Section Editor", starts_on=today - timedelta(days=90),
                               ends_on=today + timedelta(days=275)))
    now = utcnow()
    for title, byline, days_ago, excerpt, body, comments in ARTICLES:
        article = services.create_article(section, editor, services.ArticleDraft(
            title=title, body=body, excerpt=excerpt, byline=byline))
        if days_ago is None:
            continue
        at = now - timedelta(days=days_ago)
        if days_ago < 0:  # scheduled ahead
            services.publish(article, editor, at)
        else:
            services.publish(article, editor, at=at)
        _comment(article, comments, users, at)
    db.session.flush()


def _comment(article, comments, users, at) -> None:
    if not comments:
        return
    thread = db.session.get(Thread, article.thread_id)
    parent = services.opening_post(article)
    for n, (handle, text) in enumerate(comments, start=1):
        author = users.get(handle) or next(iter(users.values()))
        discussions.reply(thread, parent, author, text, at=at + timedelta(hours=3 * n),
                          notify=False)
