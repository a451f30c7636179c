"""Digests: the daily and weekly mail that gathers a member's forum (issue 24).

A package of its own above notifications, events and volunteering: a digest quotes posts
(with notifications' reply and mute links) and also lists coming events and open volunteer
openings, and events already depend on notifications, so the digest's composition could not
live in notifications without an import cycle. No blueprint: the mute and unsubscribe links
it carries are notifications' routes.
"""
