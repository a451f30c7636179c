"""File-library metadata for the bench: folders, shared files and their versions, and a few
attachments in the big thread. Only rows: no blobs are written (library pages list, they do not
read bytes). Skipped when the files feature has no models."""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.engine import Connection

from bench.seed import Base, Scale, insert_batches, next_id, table

KINDS = (("pdf", "application/pdf"), ("png", "image/png"), ("csv", "text/csv"),
         ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
FOLDERS = ("Minutes", "Agendas", "Reports", "Presentations")
STEMS = ("Annual report", "Meeting minutes", "Budget proposal", "Survey results",
         "Program slides", "Strategic plan", "Membership roster", "Workshop handout")


def seed_files(conn: Connection, scale: Scale, groups: list[dict], members: dict,
               rng: random.Random, now, info: dict) -> int:
    if not {"folders", "shared_files", "file_versions"} <= set(Base.metadata.tables):
        return 0
    folder_id = next_id(conn, "folders")
    folders: dict[int, list[int]] = {}
    folder_rows = []
    for g in groups:
        folders[g["id"]] = []
        for position, name in enumerate(FOLDERS):
            folder_rows.append({"id": folder_id, "group_id": g["id"], "name": name,
                                "position": position, "created_at": now - timedelta(days=700)})
            folders[g["id"]].append(folder_id)
            folder_id += 1
    insert_batches(conn, "folders", folder_rows)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(groups))]
    big_group = groups[0]
    attach_to = list(range(info["big_root_post_id"],
                           info["big_root_post_id"] + scale.big_thread_replies + 1, 25))
    file_id, version_id = next_id(conn, "shared_files"), next_id(conn, "file_versions")
    files, versions, attachments = [], [], []
    for n in range(scale.files):
        attached = n < len(attach_to)
        group = big_group if attached else rng.choices(groups, weights=weights)[0]
        kind, content_type = KINDS[n % len(KINDS)]
        uploader = rng.choice(members[group["id"]])
        name = f"{STEMS[n % len(STEMS)].lower().replace(' ', '-')}-{n + 1}.{kind}"
        when = now - timedelta(minutes=10 * (scale.files - n))
        count = 1 + (n % 7 == 0) + (n % 21 == 0)
        for number in range(1, count + 1):
            size = 20_000 + (n * 7919 + number) % 2_000_000
            versions.append({
                "id": version_id, "file_id": file_id, "number": number,
                "blob_sha256": hashlib.sha256(f"{n}:{number}".encode()).hexdigest(),
                "size": size, "content_type": content_type, "kind": kind,
                "original_name": name, "uploader_id": uploader, "created_at": when})
            version_id += 1
        files.append({
            "id": file_id, "group_id": group["id"],
            "folder_id": None if n % 3 == 0 else rng.choice(folders[group["id"]]),
            "title": f"{STEMS[n % len(STEMS)]} {n + 1}", "description": "",
            "uploader_id": uploader, "current_version_id": version_id - 1,
            "original_name": name, "size": size, "content_type": content_type, "kind": kind,
            "version_count": count, "download_count": n % 40, "attached": attached,
            "created_at": when, "updated_at": when})
        if attached:
            attachments.append({"post_id": attach_to[n], "file_id": file_id, "position": 0,
                                "created_at": when})
        file_id += 1
    insert_batches(conn, "shared_files", files)
    insert_batches(conn, "file_versions", versions)
    insert_batches(conn, "attachments", attachments)
    posts = table("posts")
    conn.execute(update(posts).where(posts.c.id.in_([a["post_id"] for a in attachments]))
                 .values(has_files=True))
    return len(files)
