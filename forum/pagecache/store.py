"""Generation numbers: one per group, one per user, one for the site, and a global epoch.

A page's cache key and ETag include the generations it depends on; a write bumps them after its
commit (forum.pagecache.listener), so the next request computes a new key and never meets the old
entry. Nothing is ever deleted from the page cache: an old entry simply stops being asked for,
and its TTL removes it.

A generation is a number of microseconds since 1970 that only grows: a bump sets it to the
bumping clock's time, or one more than before if that is not larger. So it also says when the
thing last changed (the pages' ``Last-Modified``), and a generation that was lost (Redis
restarted, a key expired, a new process) comes back as "changed now", larger than any value
handed out before it: an old ETag can never match by accident.

Two stores, the same answers:
- ``LocalGenerations``: a dict in this process (development, tests, a single worker). Several
  worker processes each keep their own: a write seen by one is not seen by the others, so
  pages there are bounded by the cache's TTL and ETags by a time window (``shared`` is False).
- ``RedisGenerations``: Redis, shared by every worker; each read or bump is one round trip
  (a Lua script, so read-or-initialise and bump are atomic, on Redis's own clock).
"""

from __future__ import annotations

import threading
import time

import redis

EPOCH = "epoch"
SITE = "site"
SLUGS = "slugs"  # groups' slugs and visibility: what the slug map (pages.py) depends on
# How long an untouched generation is kept in Redis; a lost one reads as "changed now".
KEEP_SECONDS = 30 * 24 * 3600


def group_key(group_id: int) -> str:
    return f"g{group_id}"


def user_key(user_id: int) -> str:
    return f"u{user_id}"


def _now_us() -> int:
    return time.time_ns() // 1000


class LocalGenerations:
    shared = False

    def __init__(self) -> None:
        self._values: dict[str, int] = {}
        self._lock = threading.Lock()

    def read(self, names: list[str]) -> list[int]:
        with self._lock:
            now = _now_us()
            return [self._values.setdefault(name, now) for name in names]

    def bump(self, names: list[str]) -> list[int]:
        with self._lock:
            now = _now_us()
            for name in names:
                self._values[name] = max(now, self._values.get(name, 0) + 1)
            return [self._values[name] for name in names]


_READ = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if not v then
    redis.call('SET', key, string.format('%d', now), 'EX', ARGV[1])
    v = string.format('%d', now)
  end
  out[i] = v
end
return out
"""

_BUMP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local out = {}
for i, key in ipairs(KEYS) do
  local v = tonumber(redis.call('GET', key) or '0')
  local new = now
  if v >= now then new = v + 1 end
  out[i] = string.format('%d', new)
  redis.call('SET', key, out[i], 'EX', ARGV[1])
end
return out
"""


class RedisGenerations:
    shared = True

    def __init__(self, url: str, prefix: str) -> None:
        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix
        self._read = self._redis.register_script(_READ)
        self._bump = self._redis.register_script(_BUMP)

    def _keys(self, names: list[str]) -> list[str]:
        return [f"{self._prefix}:gen:{name}" for name in names]

    def read(self, names: list[str]) -> list[int]:
        return [int(v) for v in self._read(keys=self._keys(names), args=[KEEP_SECONDS])]

    def bump(self, names: list[str]) -> list[int]:
        """The new values, in order (the same round trip)."""
        if not names:
            return []
        return [int(v) for v in self._bump(keys=self._keys(names), args=[KEEP_SECONDS])]
