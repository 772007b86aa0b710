"""E-mail: `/api/admin/email` (the E-mail admin page: settings in use, last sends and errors, the
test e-mail) for administrators, and `/api/account/notifications` for each user's own choice of
the e-mails about their analyses."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.mail import SentMail
from vidjil_local.services.notifications import overview, preferences
from vidjil_local.services.notifications.overview import EmailOverview
from vidjil_local.services.notifications.preferences import AnalysisNotices


class TestEmailRequest(msgspec.Struct, forbid_unknown_fields=True):
    to: str | None = None  # default: the administrator's own address


class NotificationChoices(msgspec.Struct):
    analyses: AnalysisNotices  # all: every ending; failed: only when one failed; none


class NotificationChange(msgspec.Struct, forbid_unknown_fields=True):
    analyses: AnalysisNotices


class EmailController(Controller):
    path = "/api/admin/email"
    tags = ("admin",)

    @get("/", operation_id="getEmailOverview", sync_to_thread=True)
    def email_overview(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> EmailOverview:
        """The SMTP settings in use (never the password), the e-mails sent and their errors, and
        the administrators' alerts the rate limit held back."""
        return overview.overview(context.database, context.settings)

    @post("/test", operation_id="sendTestEmail", sync_to_thread=True, status_code=200)
    def send_test(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[TestEmailRequest],
    ) -> SentMail:
        """Send a test e-mail now; the answer says whether the SMTP server took it, and why
        not."""
        to = data.to or admin.email
        return overview.send_test(context.database, context.settings, actor, to)


class AccountController(Controller):
    path = "/api/account"
    tags = ("auth",)

    @get("/notifications", operation_id="getMyNotifications", sync_to_thread=True)
    def get_notifications(
        self, context: NamedDependency[AppContext], principal: NamedDependency[Principal]
    ) -> NotificationChoices:
        """The e-mails the logged-in user gets about their analyses."""
        return NotificationChoices(preferences.get(context.database, principal.user_id))

    @put("/notifications", operation_id="changeMyNotifications", sync_to_thread=True)
    def change_notifications(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[NotificationChange],
    ) -> NotificationChoices:
        """Choose the e-mails about one's analyses: all, failed or none."""
        choice = preferences.change(context.database, actor, principal.user_id, data.analyses)
        return NotificationChoices(choice)
