"""Blobs in an S3-compatible object store (AWS S3, MinIO, …) through boto3.

The same contract as ``LocalStorage`` (forum/storage.py):
- **receive** spools the upload to a temporary file under ``STORAGE_DIR`` while hashing it
  (memory stays at one chunk), so the type can be sniffed and the quota checked before
  anything reaches the store;
- **commit** uploads it under ``<S3_PREFIX>ab/cd/<sha256>``. An S3 object becomes visible
  only when its upload has completed (a multipart upload too, at CompleteMultipartUpload), so
  a reader never sees half a blob: the atomic replace of the disk backend. Content already
  stored is not sent again; the object is copied onto itself instead, which renews its
  LastModified, so purge spares it as it spares a touched file;
- **open** answers a seekable file object that fetches what is read with ranged GETs:
  downloads stream, and a seek (an HTTP Range request) fetches from that byte on only;
- the bucket stays private: every download goes through the app's permission checks (the
  files views ask the rules, then read through ``open``); nothing is ever made public.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import BinaryIO

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from forum.storage import (
    PendingBlob,
    Storage,
    check_writable,
    spool,
    sweep_temporary_files,
)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Storage(Storage):
    def __init__(self, client, bucket: str, prefix: str, spool_dir: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.spool_dir = spool_dir

    @classmethod
    def from_config(cls, config) -> S3Storage:
        bucket = config.get("S3_BUCKET")
        if not bucket:
            raise RuntimeError("STORAGE_BACKEND is 's3' but S3_BUCKET is not set.")
        client = boto3.session.Session().client(
            "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=BotoConfig(s3={"addressing_style": config.get("S3_ADDRESSING_STYLE")
                                  or "path"},
                              connect_timeout=5, read_timeout=60,
                              retries={"max_attempts": 3, "mode": "standard"}))
        return cls(client, bucket, config.get("S3_PREFIX") or "", config["STORAGE_DIR"])

    def key_for(self, sha256: str) -> str:
        if not _SHA256.match(sha256 or ""):
            raise ValueError("not a SHA-256 hex digest")
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    # --- writing ---------------------------------------------------------------------------
    def receive(self, stream: BinaryIO, max_size: int | None = None):
        return spool(self, self.spool_dir, stream, max_size)

    def _commit(self, pending: PendingBlob) -> None:
        key = self.key_for(pending.sha256)
        try:
            if self.exists(pending.sha256):  # deduplicated: renew its date instead
                self.client.copy_object(
                    Bucket=self.bucket, Key=key, CopySource={"Bucket": self.bucket, "Key": key},
                    MetadataDirective="REPLACE", Metadata={"touched": str(int(time.time()))},
                    ContentType="application/octet-stream")
                return
            with open(pending.temp_path, "rb") as data:
                self.client.upload_fileobj(data, self.bucket, key, ExtraArgs={
                    "ContentType": "application/octet-stream"})
        finally:
            pending.discard()  # the spooled copy is no longer needed, uploaded or not

    # --- reading and removing ----------------------------------------------------------------
    def open(self, sha256: str) -> BinaryIO:
        return S3Reader(self.client, self.bucket, self.key_for(sha256))

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise
        return True

    def delete(self, sha256: str, *, unless_newer_than: float | None = None) -> bool:
        key = self.key_for(sha256)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise
        if unless_newer_than is not None and \
                head["LastModified"].timestamp() > unless_newer_than:
            return False
        self.client.delete_object(Bucket=self.bucket, Key=key)
        return True

    def iter_blobs(self) -> Iterator[tuple[str, float]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"].rsplit("/", 1)[-1]
                if _SHA256.match(name) and item["Key"] == self.key_for(name):
                    yield name, item["LastModified"].timestamp()

    def sweep_temporary(self, older_than: float) -> int:
        return sweep_temporary_files(self.spool_dir, older_than)

    def check_ready(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)
        check_writable(self.spool_dir)


class S3Reader(io.RawIOBase):
    """A blob in the store as a seekable, read-only file: each read continues one streaming
    GET from the current position; a seek drops it and the next read starts a new ranged GET
    there. Raises FileNotFoundError for a missing blob, as ``open`` on a path would."""

    def __init__(self, client, bucket: str, key: str) -> None:
        super().__init__()
        self.client, self.bucket, self.key = client, bucket, key
        try:
            self.size = client.head_object(Bucket=bucket, Key=key)["ContentLength"]
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(key) from exc
            raise
        self.position = 0
        self._body = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        target = max(0, base + offset)
        if target != self.position:
            self._drop()
            self.position = target
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size or len(buffer) == 0:
            return 0
        if self._body is None:
            self._body = self.client.get_object(
                Bucket=self.bucket, Key=self.key, Range=f"bytes={self.position}-")["Body"]
        data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)

    def close(self) -> None:
        self._drop()
        super().close()

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
