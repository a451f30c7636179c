"""Use cases of discussions: they change data and flush; the view commits.

Counters (``Thread.post_count``, last-post pointers, ``Group.last_activity_at``,
``Post.recommend_count``) are updated in SQL, never read-modify-written in Python. A post that
becomes visible is announced to notifications in the same transaction (``post_published``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, case, cast, delete, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from forum import markup
from forum.db import insert_or_merge, utcnow
from forum.discussions.models import (
    PATH_SEGMENT,
    Post,
    PostRevision,
    PostStatus,
    Recommendation,
    Thread,
    ThreadRead,
)
from forum.discussions.tree import Placement, child_path, placement, root_placement
from forum.extensions import db
from forum.groups.models import Group
from forum.notifications import inbox
from forum.notifications import services as notifications
from forum.search.indexer import index_inserted_post
from forum.users.models import User

BODY_MAX = 50_000
TITLE_MAX = 200


class DiscussionError(ValueError):
    """A refusal with a message for the form."""


# --- rendering ------------------------------------------------------------------------------

def render_body(source: str) -> str:
    """Markdown → sanitized HTML, once at write time; @name links only for existing members."""
    candidates = markup.mention_candidates(source)
    known: set[str] = set()
    if candidates:
        keys = {c.casefold() for c in candidates}
        rows = db.session.scalars(select(User.username_key).where(User.username_key.in_(keys)))
        known = set(rows)
    return markup.render(source, known)


def clean_body(source: str | None) -> str:
    body = (source or "").replace("\r\n", "\n").strip()
    if not body:
        raise DiscussionError("Write something before posting.")
    if len(body) > BODY_MAX:
        raise DiscussionError(f"Posts are limited to {BODY_MAX:,} characters "
                              f"(this one has {len(body):,}).")
    return body


# --- writing posts --------------------------------------------------------------------------

def _insert_post(thread: Thread, where: Placement, author, source: str,
                 status: PostStatus, at: datetime | None) -> Post:
    """One INSERT that takes the new id and builds the path from it (a path ends in the post's
    own id), instead of an INSERT with a placeholder path and an UPDATE."""
    values = {"thread_id": thread.id, "parent_id": where.parent_id,
              "reply_to_id": where.reply_to_id, "depth": where.depth, "author_id": author.id,
              "source": source, "html": render_body(source), "status": status,
              "created_at": at or utcnow(), "edited_at": None, "edited_by_id": None,
              "recommend_count": 0}
    columns = Post.__table__.c
    new = _next_post_id().subquery("new")
    row = select(new.c.id, literal(where.base_path, String).concat(_segment(new.c.id)),
                 *(literal(value, type_=columns[name].type) for name, value in values.items()))
    post_id = db.session.execute(
        insert(Post.__table__).from_select(["id", "path", *values], row)
        .returning(columns.id)).scalar_one()
    # The row is written and every column is known: the ORM gets it as if it had been loaded
    # (make_transient_to_detached resets the history), with no SELECT to read it back.
    post = Post(id=post_id, path=child_path(where.base_path, post_id), **values)
    make_transient_to_detached(post)
    db.session.add(post)
    set_committed_value(post, "thread", thread)
    index_inserted_post(db.session, post)  # the flush never sees this post as new
    return post


def _next_post_id():
    """The id the new post takes. SQLite: a writer holds the database lock from its BEGIN
    IMMEDIATE (forum.db), so no one else can take the same one; PostgreSQL: the sequence."""
    if db.session.get_bind().dialect.name == "postgresql":
        return select(func.nextval(func.pg_get_serial_sequence("posts", "id")).label("id"))
    return select((func.coalesce(func.max(Post.id), 0) + 1).label("id"))


def _segment(post_id):
    """``path_segment`` (forum.discussions.models) in SQL: the id zero-padded."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.lpad(cast(post_id, String), PATH_SEGMENT, "0")
    return func.printf(f"%0{PATH_SEGMENT}d", post_id)


def start_thread(group: Group, author, title: str, source: str,
                 status: PostStatus = PostStatus.PUBLISHED, *, at: datetime | None = None,
                 notify: bool = True) -> Thread:
    """A new thread and its opening post (``at``/``notify`` are for seeding history)."""
    title = " ".join((title or "").split())
    if not title:
        raise DiscussionError("Give the discussion a title.")
    if len(title) > TITLE_MAX:
        raise DiscussionError(f"Titles are limited to {TITLE_MAX} characters.")
    source = clean_body(source)
    thread = Thread(group_id=group.id, title=title, author_id=author.id, post_count=0,
                    last_post_at=at or utcnow(), last_poster_id=author.id)
    thread.group = group
    db.session.add(thread)
    db.session.flush()
    post = _insert_post(thread, root_placement(), author, source, status, at)
    if status == PostStatus.PUBLISHED:
        _announce(post, notify)
    return thread


def reply(thread: Thread, parent: Post, author, source: str,
          status: PostStatus = PostStatus.PUBLISHED, *, at: datetime | None = None,
          notify: bool = True) -> Post:
    """A reply nested under ``parent`` (as a sibling at the depth cap); the author has read it."""
    if parent.thread_id != thread.id:
        raise DiscussionError("That post is not in this discussion.")
    if parent.status in (PostStatus.DELETED, PostStatus.HIDDEN):
        raise DiscussionError("That post was removed, so it cannot be answered.")
    source = clean_body(source)
    grandparent = parent.parent_id
    where = placement(parent.id, parent.path, parent.depth, grandparent)
    post = _insert_post(thread, where, author, source, status, at)
    if status == PostStatus.PUBLISHED:
        _announce(post, notify)
    mark_read(author, thread, post.id, notifications=False)
    return post


def publish_post(post: Post) -> bool:
    """Make a held (pending) post visible: moderation calls this on approval.

    Bumps the counters and notifies, in the caller's transaction. Idempotent: a post that is
    already published changes nothing and returns False."""
    if post.status == PostStatus.PUBLISHED:
        return False
    was_pending = post.status == PostStatus.PENDING
    post.status = PostStatus.PUBLISHED
    db.session.flush()
    if was_pending:
        _announce(post)
    else:  # a hidden post shown again: counted again, not announced twice
        _count_published(post)
    return True


def unpublish_post(post: Post, status: PostStatus) -> bool:
    """Hide or remove a post (placeholder stays in the tree); counters follow in SQL."""
    if post.status == status:
        return False
    was_published = post.status == PostStatus.PUBLISHED
    post.status = status
    db.session.flush()
    if was_published:
        db.session.execute(update(Thread)
                           .where(Thread.id == post.thread_id, Thread.post_count > 0)
                           .values(post_count=Thread.post_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.expire(post.thread, ["post_count"])
    return True


def _announce(post: Post, notify: bool = True) -> None:
    _count_published(post)
    if notify:  # notifications are told by the feature that causes them
        notifications.post_published(post)


def _count_published(post: Post) -> None:
    newer = or_(Thread.last_post_id.is_(None), Thread.last_post_id < post.id)
    db.session.execute(
        update(Thread).where(Thread.id == post.thread_id).values(
            post_count=Thread.post_count + 1,
            last_post_id=case((newer, post.id), else_=Thread.last_post_id),
            last_post_at=case((newer, post.created_at), else_=Thread.last_post_at),
            last_poster_id=case((newer, post.author_id), else_=Thread.last_poster_id),
        ).execution_options(synchronize_session=False))
    db.session.execute(update(Group).where(
        Group.id == post.thread.group_id,
        or_(Group.last_activity_at.is_(None), Group.last_activity_at < post.created_at),
    ).values(last_activity_at=post.created_at).execution_options(synchronize_session=False))
    # Only the counters changed: the rest of the thread (and its group) stays loaded, so what
    # runs next (notifications, the redirect) reads them without reloading both rows.
    db.session.expire(post.thread, ["post_count", "last_post_id", "last_post_at",
                                    "last_poster_id", "updated_at"])


# --- editing and deleting -------------------------------------------------------------------

def edit_post(post: Post, editor, source: str) -> bool:
    """Keep the previous text as a revision; False (nothing written) when nothing changed."""
    source = clean_body(source)
    if source == post.source:
        return False
    db.session.add(PostRevision(post_id=post.id, source=post.source, html=post.html,
                                edited_by_id=editor.id, created_at=utcnow()))
    post.source, post.html = source, render_body(source)
    post.edited_at, post.edited_by_id = utcnow(), editor.id
    db.session.flush()
    return True


def delete_post(post: Post, actor) -> bool:
    """The author removes their post: a placeholder keeps the tree intact, replies stay.

    The text is kept as a last revision, for the record: no page shows it (a removed post's
    words are nobody's to see, ``Permissions.can_see_post``; its history answers 404)."""
    if post.status == PostStatus.DELETED:
        return False
    db.session.add(PostRevision(post_id=post.id, source=post.source, html=post.html,
                                edited_by_id=actor.id, created_at=utcnow()))
    post.source, post.html = "", ""
    post.edited_at, post.edited_by_id = utcnow(), actor.id
    return unpublish_post(post, PostStatus.DELETED)


# --- recommending ---------------------------------------------------------------------------

def toggle_recommendation(post: Post, user) -> bool:
    """One recommendation per member; a second press takes it back. Returns the new state."""
    gone = db.session.execute(delete(Recommendation).where(
        Recommendation.post_id == post.id, Recommendation.user_id == user.id))
    if gone.rowcount:
        _bump_recommendations(post, -1)
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Recommendation(post_id=post.id, user_id=user.id))
    except IntegrityError:  # a concurrent press already recommended it
        return True
    _bump_recommendations(post, +1)
    return True


def _bump_recommendations(post: Post, step: int) -> None:
    db.session.execute(update(Post).where(Post.id == post.id)
                       .values(recommend_count=Post.recommend_count + step)
                       .execution_options(synchronize_session=False))
    db.session.expire(post, ["recommend_count"])


# --- reading --------------------------------------------------------------------------------

def mark_read(user, thread: Thread, up_to_post_id: int | None = None, *,
              notifications: bool = True) -> None:
    """Remember how far ``user`` has read (never backwards). Only ever called from a POST.
    With ``notifications``, the member's notifications about the posts it covers are read too
    (the thread page's mark-read POST); a reply leaves them to that POST, keeping its write
    budget (tests/test_discussions_posting.py).

    One upsert: a concurrent request that inserted the row first is merged, not an error."""
    last = up_to_post_id if up_to_post_id is not None else (thread.last_post_id or 0)
    stmt = insert_or_merge(db.session, ThreadRead).values(
        user_id=user.id, thread_id=thread.id, last_read_post_id=last, read_at=utcnow())
    further = stmt.excluded.last_read_post_id
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=[ThreadRead.user_id, ThreadRead.thread_id],
        set_={"last_read_post_id": case((ThreadRead.last_read_post_id < further, further),
                                        else_=ThreadRead.last_read_post_id),
              "read_at": stmt.excluded.read_at}))
    if notifications:
        inbox.mark_read_in_thread(user.id, thread.id, last)


def mark_all_read(user, group: Group) -> None:
    """Every thread of the group read up to its last post, and the member's notifications about
    its posts: three statements, however many."""
    in_group = select(Thread.id).where(Thread.group_id == group.id)
    last_of = (select(func.coalesce(Thread.last_post_id, 0))
               .where(Thread.id == ThreadRead.thread_id).scalar_subquery())
    db.session.execute(
        update(ThreadRead)
        .where(ThreadRead.user_id == user.id, ThreadRead.thread_id.in_(in_group))
        .values(last_read_post_id=last_of, read_at=utcnow())
        .execution_options(synchronize_session=False))
    already = select(ThreadRead.thread_id).where(ThreadRead.user_id == user.id)
    db.session.execute(insert(ThreadRead).from_select(
        ["user_id", "thread_id", "last_read_post_id", "read_at"],
        select(literal(user.id), Thread.id, func.coalesce(Thread.last_post_id, 0),
               literal(utcnow(), type_=ThreadRead.__table__.c.read_at.type))
        .where(Thread.group_id == group.id, Thread.id.not_in(already))))
    inbox.mark_read_in_group(user.id, group.id)
