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

    def message_post_with_source(self, source_ref, **kwargs):
        if self._afterschool_guards_chatter():
            self._afterschool_check_staff_writes()
        return super().message_post_with_source(source_ref, **kwargs)

    def message_mail_with_source(self, source_ref, **kwargs):
        """A mail from a template goes out in the school's name: staff who may change the record only."""
        if self._afterschool_guards_chatter():
            self._afterschool_check_staff_writes()
        return super().message_mail_with_source(source_ref, **kwargs)

    def message_change_thread(self, new_thread, new_parent_message=False):
        """Moving a record's messages elsewhere rewrites two trails: staff who may change both."""
        if (
            self._afterschool_guards_chatter()
            or new_thread._afterschool_guards_chatter()
        ):
            self._afterschool_check_staff_writes()
            new_thread._afterschool_check_staff_writes()
        return super().message_change_thread(
            new_thread, new_parent_message=new_parent_message
        )

    def message_unsubscribe(self, partner_ids=None):
        """Anyone may stop following; removing someone else is for staff who may change the record."""
        if self._afterschool_guards_chatter() and set(partner_ids or ()) - {
            self.env.user.partner_id.id
        }:
            self._afterschool_check_staff_writes()
        return super().message_unsubscribe(partner_ids=partner_ids)

    def _afterschool_check_staff_writes(self):
        if self.env.user.share:
            raise AccessError(
                self.env._("Families follow their children in the portal.")
            )
        self.check_access("write")

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Following a record is for those who may change it (its staff), not for read-only roles."""
        if self._afterschool_guards_chatter():
            self._afterschool_check_staff_writes()
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )
