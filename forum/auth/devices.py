"""A session's device as a member recognises it: "Firefox on Windows", not a User-Agent string.

ua-parser (the Python port of the uap-core rules, kept current; its rules ship in the
ua-parser-builtins package, so nothing is fetched) reads the stored header. Only the sessions
page asks, for a handful of rows.
"""

from __future__ import annotations

from ua_parser import parse_os, parse_user_agent

# uap-core's names where a member would say it differently.
_OS_NAMES = {"Mac OS X": "macOS", "Chrome OS": "ChromeOS"}
_UNKNOWN = "Other"


def describe_device(user_agent: str | None) -> str:
    """"Firefox on Windows", "Mobile Safari on iOS", "Chrome", or "Unknown device"."""
    if not user_agent:
        return "Unknown device"
    agent = parse_user_agent(user_agent)
    system = parse_os(user_agent)
    browser = agent.family if agent is not None and agent.family != _UNKNOWN else None
    os_name = system.family if system is not None and system.family != _UNKNOWN else None
    os_name = _OS_NAMES.get(os_name, os_name)
    if browser and os_name:
        return f"{browser} on {os_name}"
    return browser or (f"A browser on {os_name}" if os_name else "Unknown device")
