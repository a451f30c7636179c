"""Editors' pages: write, edit, preview, publish, schedule and unpublish articles, and the list
of drafts and scheduled articles. Every page is for the section's editors, its admins and site
admins; anyone else gets a 404 (a draft's existence is not their business)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from forum.articles import bp, services
from forum.articles.forms import ArticleForm, PublishForm
from forum.articles.queries import (
    load_article,
    load_section,
    unpublished_articles,
    writable_sections,
)
from forum.articles.services import ArticleDraft, ArticleError
from forum.extensions import db
from forum.files.pictures import PictureRefused, chosen_upload, receive_picture
from forum.forms import ActionForm
from forum.markup import render
from forum.submissions import claim


def _image_max() -> int:
    return int(current_app.config.get("ARTICLE_IMAGE_MAX_SIZE", 5 * 1024 * 1024))


@bp.get("/articles/drafts")
def drafts():
    g.perms.ensure(g.perms.is_member and _writes_any(), hide=True)
    return render_template("articles/drafts.html", rows=unpublished_articles(g.perms),
                           sections=writable_sections(g.perms))


def _writes_any() -> bool:
    perms = g.perms
    return perms.is_site_admin or any(perms.can_write_articles(a.section_id)
                                      for a in perms.appointments if a.section_id is not None)


@bp.route("/articles/new/<section_slug>", methods=["GET", "POST"])
def new(section_slug: str):
    section = load_section(g.perms, section_slug)
    form = ArticleForm()
    if not form.validate_on_submit() or form.wants_preview:
        return _render_form(form, section, None)
    once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
    if once.repeated:
        return once.repeat()
    try:
        _check_alt(form, has_image=False)
        article = services.create_article(section, g.perms.user, _draft(form))
        _store_image(form, article)
    except ArticleError as exc:
        db.session.rollback()  # nothing half-written: the key is free for the corrected form
        form.form_errors.append(str(exc))
        return _render_form(form, section, None, status=400)
    target = once.remember(url_for("articles.edit", slug=article.slug))
    db.session.commit()
    flash(f"Draft “{article.title}” saved. Only editors see it until you publish it.",
          "success")
    return redirect(target)


@bp.route("/articles/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    article = load_article(g.perms, slug, write=True)
    form = ArticleForm(obj=article if request.method == "GET" else None)
    if request.method == "GET" and article.excerpt == services.derived_excerpt(article.body_html):
        form.excerpt.data = ""  # derived, not given: it follows the body until one is given
    if not form.validate_on_submit() or form.wants_preview:
        return _render_form(form, article.section, article)
    try:
        _check_alt(form, has_image=article.image_sha256 is not None
                   and not form.remove_image.data)
        changed = services.update_article(article, _draft(form))
        if form.remove_image.data and article.image_sha256:
            services.set_image(article, None, None)
            changed = True
        changed = _store_image(form, article) or changed
    except ArticleError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_form(form, article.section, article, status=400)
    db.session.commit()
    flash("Saved." if changed else "Nothing changed.", "success" if changed else "info")
    return redirect(url_for("articles.edit", slug=article.slug))


def _draft(form: ArticleForm) -> ArticleDraft:
    return ArticleDraft(title=form.title.data or "", body=form.body.data or "",
                        excerpt=form.excerpt.data or "", byline=form.byline.data or "",
                        slug=form.slug.data or "", image_alt=form.image_alt.data or "")


def _uploaded(form: ArticleForm):
    return chosen_upload(form.image.data)


def _check_alt(form: ArticleForm, *, has_image: bool) -> None:
    if (has_image or _uploaded(form) is not None) and not (form.image_alt.data or "").strip():
        raise ArticleError("Describe the image (alt text): readers who cannot see it "
                           "need to know what it shows.")


def _store_image(form: ArticleForm, article) -> bool:
    """Keep the uploaded image (sniffed from its bytes: images only, size-limited)."""
    upload = _uploaded(form)
    if upload is None:
        return False
    try:
        picture = receive_picture(upload, max_size=_image_max())
    except PictureRefused as exc:
        raise ArticleError(str(exc)) from exc
    services.set_image(article, picture.sha256, picture.content_type)
    return True


def _render_form(form, section, article, status: int | None = None, publish_form=None):
    preview = None
    if form.is_submitted() and form.wants_preview and not form.body.errors:
        preview = render(form.body.data or "")
    if status is None:
        status = 400 if form.is_submitted() and (form.errors or not form.wants_preview) \
            else 200
    return render_template("articles/form.html", form=form, section=section,
                           article=article, preview=preview,
                           publish_form=publish_form or (
                               PublishForm(formdata=None) if article else None),
                           action=ActionForm()), status


@bp.post("/articles/<slug>/publish")
def publish(slug: str):
    article = load_article(g.perms, slug, write=True)
    form = PublishForm()
    if not form.validate_on_submit():
        if form.publish_at.errors:
            form.publish_at.errors = ["Give the date and time as 2027-03-07T09:30 (or leave it "
                                      "empty to publish now)."]
        article_form = ArticleForm(formdata=None, obj=article)
        return _render_form(article_form, article.section, article, status=400,
                            publish_form=form)
    when = None
    if form.publish_at.data is not None:
        zone = ZoneInfo(article.section.timezone or "UTC")
        when = form.publish_at.data.replace(tzinfo=zone).astimezone(UTC)
    message = services.publish(article, g.perms.user, when)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("articles.show", slug=article.slug))


@bp.post("/articles/<slug>/unpublish")
def unpublish(slug: str):
    article = load_article(g.perms, slug, write=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    message = services.unpublish(article)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("articles.edit", slug=article.slug))
