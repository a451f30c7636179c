"""The library pages: browse, upload, a file's page (versions), edit, delete, restore, trash."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.files import bp, services
from forum.files.folders import folders_of
from forum.files.forms import EditFileForm, UploadForm, VersionForm
from forum.files.loading import folder_or_none, get_file, get_group
from forum.files.models import FileVersion
from forum.files.queries import (
    DEFAULT_DIRECTION,
    SORTS,
    folder_rows,
    library_page,
    trash_page,
)
from forum.forms import ActionForm
from forum.http import arg_id, arg_page
from forum.pagecache import cached_page
from forum.submissions import claim


def _listing_args():
    sort = request.args.get("sort", "date")
    if sort not in SORTS:
        sort = "date"
    direction = request.args.get("dir", DEFAULT_DIRECTION[sort])
    if direction not in ("asc", "desc"):
        direction = DEFAULT_DIRECTION[sort]
    return sort, direction, arg_page()


_COLUMNS = (("name", "Name"), ("type", "Type"), ("size", "Size"), ("date", "Updated"))


def _sort_links(slug: str, folder_id: int | None, sort: str, direction: str) -> list:
    """(key, label, href) of the sortable column headings, from one url_for: the sort key is
    the last query argument, and the current column's link adds the reversed direction."""
    base = url_for("files.library", slug=slug, folder=folder_id, sort="SORTKEY")
    flipped = "desc" if direction == "asc" else "asc"
    return [(key, label, base.replace("SORTKEY", key) + (f"&dir={flipped}" if key == sort else ""))
            for key, label in _COLUMNS]


@bp.route("/g/<slug>/files")
@cached_page("group")  # download counts bump nothing (listener QUIET): ≤ TTL behind for visitors
def library(slug):
    group = get_group(g.perms, slug)
    sort, direction, page_number = _listing_args()
    folders = folder_rows(group.id)
    folder_id = arg_id("folder")
    current = next((f for f in folders if f.id == folder_id), None)
    if request.args.get("folder") and current is None:  # no such folder here, or not an id
        abort(404)
    page = library_page(group, folder_id=folder_id, sort=sort, direction=direction,
                        page=max(page_number, 1))
    perms = g.perms
    # Asked once here, not once per use in the template.
    can_upload = perms.can_upload(group)
    return render_template(
        "files/library.html", group=group, folders=folders, current_folder=current, page=page,
        sort=sort, direction=direction, can_upload=can_upload,
        sort_links=_sort_links(group.slug, folder_id, sort, direction),
        can_manage_folders=perms.can_manage_folders(group),
        can_view_trash=perms.can_view_trash(group),
        usage=services.group_usage(group.id) if can_upload else None,
    )


@bp.route("/g/<slug>/files/upload", methods=["GET", "POST"])
def upload(slug):
    group = get_group(g.perms, slug, check=g.perms.can_upload)
    form = UploadForm()
    form.set_folders(folders_of(group.id))
    if request.method == "GET":
        form.folder.data = arg_id("folder") or 0
    if form.validate_on_submit():
        folder = folder_or_none(group, form.folder.data)
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        try:
            with services.received(request.files.getlist(form.files.name)) as files:
                services.check_upload_allowance(g.perms.user, files)
                created = services.store_new_files(
                    group, files, g.perms.user, title=form.title.data or "",
                    description=form.description.data or "", folder=folder)
        except services.FileTooLarge as exc:
            db.session.rollback()
            abort(413, description=str(exc))
        except services.UploadError as exc:
            db.session.rollback()
            form.files.errors = [*form.files.errors, str(exc)]
        else:
            target = once.remember(
                url_for("files.detail", slug=slug, file_id=created[0].id) if len(created) == 1
                else url_for("files.library", slug=slug, folder=folder.id if folder else None))
            db.session.commit()
            flash(f"Uploaded {len(created)} file(s).", "success")
            return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render_template("files/upload.html", group=group, form=form), status


def _versions(f):
    return db.session.scalars(
        select(FileVersion).options(joinedload(FileVersion.uploader))
        .where(FileVersion.file_id == f.id).order_by(FileVersion.number.desc())).all()


def _detail(group, f, version_form=None, status=200):
    # "Attached to": a post this reader may see (get_file has loaded them), never another.
    post = g.perms.shown_source_post(f)
    return render_template(
        "files/detail.html", group=group, file=f, versions=_versions(f),
        version_form=version_form or VersionForm(), action_form=ActionForm(),
        attached={f.id: post.id} if post is not None else {},
    ), status


@bp.route("/g/<slug>/files/<int:file_id>")
def detail(slug, file_id):
    group = get_group(g.perms, slug)
    return _detail(group, get_file(g.perms, group, file_id))


@bp.route("/g/<slug>/files/<int:file_id>/versions", methods=["POST"])
def upload_version(slug, file_id):
    group = get_group(g.perms, slug)
    f = get_file(g.perms, group, file_id, check=g.perms.can_edit_file)
    form = VersionForm()
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        try:
            with services.received([request.files.get(form.file.name)]) as files:
                services.check_upload_allowance(g.perms.user, files)
                version = services.add_version(f, files[0], g.perms.user)
        except services.FileTooLarge as exc:
            db.session.rollback()
            abort(413, description=str(exc))
        except services.UploadError as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            target = once.remember(url_for("files.detail", slug=slug, file_id=file_id))
            db.session.commit()
            flash(f"Version {version.number} uploaded.", "success")
            return redirect(target)
    f = get_file(g.perms, group, file_id)
    return _detail(group, f, version_form=form, status=400)


@bp.route("/g/<slug>/files/<int:file_id>/edit", methods=["GET", "POST"])
def edit(slug, file_id):
    group = get_group(g.perms, slug)
    f = get_file(g.perms, group, file_id, check=g.perms.can_edit_file)
    form = EditFileForm(obj=f)
    form.set_folders(folders_of(group.id))
    if request.method == "GET":
        form.folder.data = f.folder_id or 0
    if form.validate_on_submit():
        changed = services.update_details(
            f, title=form.title.data, description=form.description.data or "",
            folder=folder_or_none(group, form.folder.data))
        db.session.commit()
        flash("Details saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("files.detail", slug=slug, file_id=file_id))
    status = 400 if request.method == "POST" else 200
    return render_template("files/edit.html", group=group, file=f, form=form), status


@bp.route("/g/<slug>/files/<int:file_id>/delete", methods=["POST"])
def delete(slug, file_id):
    group = get_group(g.perms, slug)
    f = get_file(g.perms, group, file_id, check=g.perms.can_delete_file)
    if not ActionForm().validate_on_submit():
        abort(400)
    done = services.delete_file(f, g.perms.user)
    db.session.commit()
    flash("File deleted. Leaders can restore it for a while." if done
          else "That file was already deleted.", "success")
    return redirect(url_for("files.library", slug=slug))


@bp.route("/g/<slug>/files/<int:file_id>/restore", methods=["POST"])
def restore(slug, file_id):
    group = get_group(g.perms, slug, check=g.perms.can_view_trash)
    f = get_file(g.perms, group, file_id, check=g.perms.can_restore_file)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.restore_file(f)
    db.session.commit()
    flash("File restored.", "success")
    return redirect(url_for("files.detail", slug=slug, file_id=file_id))


@bp.route("/g/<slug>/files/trash")
def trash(slug):
    group = get_group(g.perms, slug, check=g.perms.can_view_trash)
    page = trash_page(group, page=arg_page())
    return render_template("files/trash.html", group=group, page=page, action_form=ActionForm())
