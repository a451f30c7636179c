"""Realistic names and post bodies for the bench site, rendered once (write-time rendering).

Bodies are a small pool rendered through ``forum.markup.render`` once and reused for every post,
so seeding a million posts never runs the Markdown renderer a million times.
"""

from __future__ import annotations

import random
from functools import lru_cache

TOPICS = (
    "Library Leadership", "Change Management", "Budget and Finance", "Staff Development",
    "Mentoring", "Middle Managers", "Assessment", "Fundraising", "Facilities Planning",
    "Diversity and Inclusion", "Rural Libraries", "Academic Library Directors", "Public Policy",
    "Technology Leadership", "Strategic Planning", "Human Resources", "Project Management",
    "New Leaders", "Emerging Technologies", "Advocacy", "Data Services", "Special Collections",
    "Marketing and Outreach", "Space Planning", "Organizational Culture",
)
KINDS = ("interest_group", "committee", "project_team")
KIND_LABEL = {"interest_group": "Interest Group", "committee": "Committee",
              "project_team": "Project Team"}
TITLES = (
    "How do you run budget hearings with a shrinking allocation?",
    "Onboarding new department heads: what worked for you",
    "Survey: remote and hybrid schedules for public services staff",
    "Reading list for first-time supervisors",
    "Save the date: Interest Group Week, March 7–11",
    "Minutes from the last meeting (draft)",
    "Strategic plan templates you would recommend",
    "Handling a reorganisation announcement",
    "Call for volunteers: program planning subcommittee",
    "Assessment metrics the dean actually reads",
)
FIRST = ("Sarah", "Priya", "Marcus", "Lena", "Tom", "Ana", "Kwame", "Mei", "Jonas", "Fatima",
         "Diego", "Ingrid", "Omar", "Chloe", "Raj", "Ewa", "Samuel", "Yuki", "Noor", "Liam")
LAST = ("Okafor", "Lindqvist", "Hernández", "Chen", "Novak", "Dubois", "Patel", "Murphy",
        "Kowalski", "Nakamura", "Silva", "Haddad", "Schmidt", "Ibrahim", "O'Brien", "Rossi")
AFFILIATIONS = ("State University Libraries", "City Public Library", "County Library System",
                "Community College Library", "Medical Center Library", "Law School Library")

_SENTENCES = (
    "We tried this last year and the **staff survey** made the difference.",
    "Our director asked for a one-page summary, so we cut the report to *three findings*.",
    "Has anyone measured the effect on circulation after the change?",
    "The budget committee meets again in April; I can share the slides afterwards.",
    "See the [toolkit](https://example.org/toolkit) we put together with the consortium.",
    "I would start with the people who will carry the change, not with the org chart.",
    "Mentoring pairs worked best when both sides set goals in the first meeting.",
    "We publish the minutes within a week and it cut the number of questions in half.",
    "Two things helped: a clear timeline and a named contact for every unit.",
    "Happy to talk offline — our situation was very similar.",
)


@lru_cache(maxsize=1)
def bodies() -> tuple[tuple[str, str], ...]:
    """A pool of (markdown source, sanitized html) pairs, rendered once."""
    from forum.markup import render

    rng = random.Random(7)
    pool = []
    for i in range(48):
        paragraphs = [" ".join(rng.sample(_SENTENCES, rng.randint(1, 4)))
                      for _ in range(1 + i % 3)]
        if i % 5 == 0:
            paragraphs.append("- first point\n- second point\n- third point")
        source = "\n\n".join(paragraphs)
        pool.append((source, render(source)))
    return tuple(pool)


def person(n: int) -> tuple[str, str]:
    """(display name, affiliation) for the n-th bench member."""
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"
    return name, AFFILIATIONS[n % len(AFFILIATIONS)]


def group_name(i: int) -> tuple[str, str, str]:
    """(slug, name, kind) of the i-th bench group."""
    kind = KINDS[0] if i % 4 else KINDS[1 + (i // 4) % 2]
    topic = TOPICS[i % len(TOPICS)]
    name = f"{topic} {KIND_LABEL[kind]}" + (f" {i // len(TOPICS) + 1}" if i >= len(TOPICS) else "")
    slug = "bench" if i == 0 else f"g{i:04d}-" + topic.lower().replace(" ", "-")
    return slug, name, kind
