"""Files attached to discussion posts: the contract with discussions.

- ``attach_uploads(post, uploads, user)`` stores each uploaded file (werkzeug FileStorage) in the
  post's group library and links it to the post; it raises ``files.services.UploadError`` with a
  message for the form when a file is refused, and flushes (never commits).
- ``attachments_for_posts(post_ids)`` returns ``{post_id: [attachment, …]}`` in one query, for a
  page of posts; templates show them with ``{% include "files/_post_attachments.html" %}``
  (expects ``attachments``: the list for one post).
"""

from __future__ import annotations


def attach_uploads(post, uploads, user) -> list:
    return []


def attachments_for_posts(post_ids) -> dict[int, list]:
    return {}
