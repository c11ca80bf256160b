from odoo import models
from odoo.exceptions import AccessError

from ..tools.access import FAMILY_MESSAGE_LIMIT
from ..tools.groups import OFFICER_GROUP, TEACHER_GROUP


class MailThread(models.AbstractModel):
    """Chatter on the addon's records (``afterschool.*``): ``message_post`` and ``message_subscribe``
    are public RPC endpoints inherited by every record with a chatter, so they are guarded here for all
    of them. A read-only role (the district officer) neither follows nor posts; nobody posts in another
    person's name; a family's message reaches the school only (no recipients of its choosing)."""

    _inherit = "mail.thread"

    def _afterschool_guards_chatter(self):
        """Whether this call is checked here: a user's call (not the system's) on an addon record. A
        district officer who is not also on a school's staff is refused outright: they only read."""
        if self.env.su or not self._name.startswith("afterschool."):
            return False
        user = self.env.user
        if user.has_group(OFFICER_GROUP) and not user.has_group(TEACHER_GROUP):
            raise AccessError(
                self.env._(
                    "District officers read the school's records; they do not write in them."
                )
            )
        return True

    def message_post(self, **kwargs):
        if self._afterschool_guards_chatter():
            user = self.env.user
            author_id = kwargs.get("author_id")
            if author_id and author_id != user.partner_id.id:
                raise AccessError(
                    self.env._("A message is posted in your own name only.")
                )
            if user.share:
                if kwargs.get("partner_ids"):
                    raise AccessError(
                        self.env._(
                            "A message from a family goes to the school only: it names no recipients."
                        )
                    )
                if len(kwargs.get("body") or "") > FAMILY_MESSAGE_LIMIT:
                    raise AccessError(
                        self.env._(
                            "A message is at most %(limit)s characters.",
                            limit=FAMILY_MESSAGE_LIMIT,
                        )
                    )
            else:
                self.check_access(self._mail_post_access)
        return super().message_post(**kwargs)

    def message_notify(self, **kwargs):
        if self._afterschool_guards_chatter():
            if self.env.user.share:
                raise AccessError(
                    self.env._(
                        "A message from a family goes to the school only: it names no recipients."
                    )
                )
            self.check_access("write")
        return super().message_notify(**kwargs)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Following a record is for those who may change it (its staff), not for read-only roles."""
        if self._afterschool_guards_chatter():
            if self.env.user.share:
                raise AccessError(
                    self.env._("Families follow their children in the portal.")
                )
            self.check_access("write")
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )
