"""Models of the contract tests only (odoo-test-helper's FakeModelLoader puts them in the
registry for one test class, then takes them out): the smallest models that declare what
the guard, the approval mixin and the record mixin offer, so that the mechanisms are proven
on their own, apart from any business model."""

from odoo import fields, models
from odoo.exceptions import ValidationError


class GuardedParent(models.Model):
    _name = "hr.enforcement.test.parent"
    _description = "Guarded Parent (test)"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_rule_ref = "R99.1"
    _guard_open_states = ("open",)
    _guard_closed_writable = frozenset({"note"})
    _guard_immutable_fields = frozenset({"reference"})
    _guard_create_fields = frozenset({"origin"})

    name = fields.Char()
    reference = fields.Char()
    origin = fields.Char(readonly=True)
    code = fields.Char(readonly=True)
    note = fields.Char()
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, readonly=True
    )


class GuardedChild(models.Model):
    _name = "hr.enforcement.test.child"
    _description = "Guarded Child (test)"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_parent_fields = ("parent_id",)

    parent_id = fields.Many2one("hr.enforcement.test.parent", required=True, ondelete="cascade")
    name = fields.Char()


class GuardedLine(models.Model):
    _name = "hr.enforcement.test.line"
    _description = "Application-made Line (test)"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_rule_ref = "R99.2"
    _guard_app_creates = True

    name = fields.Char()


class GuardedLog(models.Model):
    _name = "hr.enforcement.test.log"
    _description = "Append-only Log (test)"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_append_only = True

    name = fields.Char()


class ApprovableThing(models.Model):
    _name = "hr.enforcement.test.approvable"
    _description = "Approvable Thing (test)"
    _inherit = ["hr.enforcement.guard", "hr.enforcement.approval.mixin", "mail.thread"]
    _guard_case_field = None
    _approval_kinds = ("application_extension",)

    name = fields.Char()
    granted = fields.Integer(readonly=True)
    refused = fields.Integer(readonly=True)
    veto = fields.Boolean()

    def _check_approval_grant(self, request):
        if self.veto:
            raise ValidationError(self.env._("vetoed"))
        return super()._check_approval_grant(request)

    def _on_approval_approved(self, request):
        self._app().write({"granted": self.granted + 1})
        return super()._on_approval_approved(request)

    def _on_approval_rejected(self, request):
        self._app().write({"refused": self.refused + 1})
        return super()._on_approval_rejected(request)


class CaseRecord(models.Model):
    _name = "hr.enforcement.test.record"
    _description = "Case Record (test)"
    _inherit = ["hr.enforcement.record.mixin"]
    _sealed_writable = frozenset({"remark", "confidentiality", "confidentiality_raised"})

    name = fields.Char(required=True)
    remark = fields.Char()
    corrects_id = fields.Many2one("hr.enforcement.test.record", readonly=True, copy=False)

    def _compute_file_count(self):
        for record in self:
            record.file_count = 0

    def _check_before_seal(self):
        for record in self:
            if not record.name.strip():
                raise ValidationError(self.env._("a record needs a name to be sealed"))
