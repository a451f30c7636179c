"""Leaders organise the library: folders (create, rename, reorder, remove) and who uploads."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from forum.extensions import db
from forum.files import bp
from forum.files.folders import (
    FolderError,
    create_folder,
    folders_of,
    move_folder,
    remove_folder,
    rename_folder,
    set_upload_policy,
)
from forum.files.forms import FolderForm, LibrarySettingsForm, MoveFolderForm
from forum.files.loading import get_folder, get_group
from forum.files.models import UploadPolicy
from forum.forms import ActionForm
from forum.submissions import claim


def _page(group, form=None, rename_forms=None, settings_form=None, status=200):
    folders = folders_of(group.id)
    if settings_form is None:
        settings_form = LibrarySettingsForm(formdata=None,
                                            upload_policy=g.perms.upload_policy(group))
    renames = rename_forms or {}
    for folder in folders:
        renames.setdefault(folder.id, FolderForm(name=folder.name, formdata=None,
                                                   prefix=f"f{folder.id}"))
    return render_template("files/folders.html", group=group, folders=folders,
                           form=form or FolderForm(formdata=None), rename_forms=renames,
                           settings_form=settings_form, action_form=ActionForm()), status


@bp.route("/g/<slug>/files/folders", methods=["GET", "POST"])
def folders(slug):
    group = get_group(g.perms, slug, check=g.perms.can_manage_folders)
    if request.method == "GET":
        return _page(group)
    form = FolderForm()
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        try:
            folder = create_folder(group, form.name.data)
        except FolderError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            target = once.remember(url_for("files.folders", slug=slug))
            db.session.commit()
            flash(f"Folder “{folder.name}” created.", "success")
            return redirect(target)
    return _page(group, form=form, status=400)


@bp.route("/g/<slug>/files/folders/<int:folder_id>/rename", methods=["POST"])
def rename(slug, folder_id):
    group = get_group(g.perms, slug, check=g.perms.can_manage_folders)
    folder = get_folder(group, folder_id)
    form = FolderForm(prefix=f"f{folder_id}")
    if form.validate_on_submit():
        try:
            changed = rename_folder(folder, form.name.data)
        except FolderError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash("Folder renamed." if changed else "Nothing changed.", "success")
            return redirect(url_for("files.folders", slug=slug))
    return _page(group, rename_forms={folder_id: form}, status=400)


@bp.route("/g/<slug>/files/folders/<int:folder_id>/move", methods=["POST"])
def move(slug, folder_id):
    group = get_group(g.perms, slug, check=g.perms.can_manage_folders)
    folder = get_folder(group, folder_id)
    form = MoveFolderForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    move_folder(folder, form.direction.data)
    db.session.commit()
    return redirect(url_for("files.folders", slug=slug))


@bp.route("/g/<slug>/files/folders/<int:folder_id>/delete", methods=["POST"])
def delete_folder(slug, folder_id):
    group = get_group(g.perms, slug, check=g.perms.can_manage_folders)
    folder = get_folder(group, folder_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = folder.name
    remove_folder(folder)
    db.session.commit()
    flash(f"Folder “{name}” removed; its files are now at the top level.", "success")
    return redirect(url_for("files.folders", slug=slug))


@bp.route("/g/<slug>/files/settings", methods=["POST"])
def settings(slug):
    group = get_group(g.perms, slug, check=g.perms.can_configure_library)
    form = LibrarySettingsForm()
    if not form.validate_on_submit():
        return _page(group, settings_form=form, status=400)
    changed = set_upload_policy(group, UploadPolicy(form.upload_policy.data))
    db.session.commit()
    flash("Library settings saved." if changed else "Nothing changed.", "success")
    return redirect(url_for("files.folders", slug=slug))
