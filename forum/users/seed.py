"""Demo accounts for ``flask seed-demo``: the people of a library association's section.

Every account is verified and signs in with DEMO_PASSWORD (the README lists them). Passwords are
hashed for real — there are only a few accounts, and a demo should behave like the real thing.
"""

from __future__ import annotations

from forum.users.services import create_user, update_profile

DEMO_PASSWORD = "demo-password-2026"

# handle, display name, affiliation, time zone, bio (Markdown)
PEOPLE = (
    ("admin", "Site Administrator", "Association headquarters", "America/Chicago",
     "Keeps the forum running. Write to me if something is broken."),
    ("sarah", "Sarah Okafor", "Riverside County Library System", "America/Chicago",
     "Section chair-elect and section admin. Twenty years in public library management; "
     "currently leading our **strategic planning** work."),
    ("priya", "Priya Raman", "Springfield Public Library", "America/New_York",
     "Chair of the Project Management Interest Group. Certified PMP, fan of *small* projects "
     "that actually finish."),
    ("marcus", "Marcus Webb", "Lakeview University Libraries", "America/Denver",
     "Co-chair of the Project Management Interest Group. I run our library's digital projects "
     "office."),
    ("lena", "Lena Fischer", "Oakridge Public Library", "Europe/Berlin",
     "Branch manager. Interested in staff development, budgeting and mentoring new managers."),
    ("tom", "Tom Alvarez", "Harbor City Community College Library", "America/Los_Angeles",
     "New to the section. Head of circulation; looking for a committee to join."),
    ("james", "James Whitfield", "Maple Grove District Library", "America/Chicago",
     "Library director in a small rural district. Ask me about grant writing."),
    ("aisha", "Aisha Bello", "Springfield Public Library", "America/New_York",
     "Assistant director for public services. Facilities planning and *makerspaces*."),
    ("diego", "Diego Morales", "Eastbrook State University Library", "America/Phoenix",
     "Assessment librarian: surveys, dashboards, and telling the story behind the numbers."),
    ("hannah", "Hannah Kim", "Westfield Regional Library", "America/Los_Angeles",
     "Human resources lead for a twelve-branch system. Recruiting, retention, "
     "and workplace culture."),
    ("oliver", "Oliver Grant", "Northshore Public Library", "Europe/London",
     "Operations manager. Procurement, vendor contracts and the odd leaking roof."),
    ("mei", "Mei Chen", "Pacific Coast University Library", "America/Los_Angeles",
     "Head of technical services. Project teams, workflows and change management."),
    ("ruth", "Ruth Adeyemi", "Greenfield County Library", "America/New_York",
     "Youth services manager turned deputy director. Mentoring program volunteer."),
    ("samir", "Samir Haddad", "Capitol City Public Library", "America/Detroit",
     "Budget officer. I like spreadsheets more than I should."),
)


def seed(ctx: dict) -> None:
    users = ctx.setdefault("users", {})
    for handle, name, affiliation, zone, bio in PEOPLE:
        user = create_user(email=f"{handle}@demo.forum", username=handle, display_name=name,
                           password=DEMO_PASSWORD, verified=True, site_admin=handle == "admin")
        update_profile(user, display_name=name, affiliation=affiliation, bio=bio, timezone=zone)
        users[handle] = user
