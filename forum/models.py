"""Imports every feature's models so Alembic and create_all see the whole schema.

Defines nothing."""

from forum.articles.models import Article  # noqa: F401
from forum.auth.models import AuthSession  # noqa: F401
from forum.discussions.models import (  # noqa: F401
    Post,
    PostRevision,
    Recommendation,
    Thread,
    ThreadRead,
)
from forum.events.models import CalendarFeed, Event, Recording, Rsvp  # noqa: F401
from forum.files.models import (  # noqa: F401
    Attachment,
    FileVersion,
    Folder,
    LibrarySettings,
    SharedFile,
)
from forum.groups.models import Appointment, Group, Membership, Section  # noqa: F401
from forum.inbound.models import InboundMessage  # noqa: F401
from forum.mailing.models import Delivery, MailBounce  # noqa: F401
from forum.moderation.models import (  # noqa: F401
    Flag,
    GroupModerationSettings,
    ModerationLogEntry,
)
from forum.notifications.models import (  # noqa: F401
    DigestCursor,
    Notification,
    NotificationSettings,
    Subscription,
)
from forum.ratelimit import ThrottleCounter  # noqa: F401
from forum.search.models import SearchEntry  # noqa: F401
from forum.submissions import Submission  # noqa: F401
from forum.users.models import User  # noqa: F401
from forum.volunteering.models import (  # noqa: F401
    Application,
    ApplicationAnswer,
    Opportunity,
    OpportunityQuestion,
    RecruitingCycle,
    VolunteerProfile,
)
