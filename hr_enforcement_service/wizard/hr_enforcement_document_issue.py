from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, format_date


class HrEnforcementDocumentIssue(models.TransientModel):
    """A reminder (催告书) is issued from its execution step only: the step holds what
    行政强制法 第三十五条 requires the reminder to state, checked when it was recorded."""

    _inherit = "hr.enforcement.document.issue"

    def _reminder_step(self):
        return self.env["hr.enforcement.execution.step"].browse(
            self.env.context.get("execution_step_id")
        )

    def action_issue(self):
        reminder_type = self.env.ref("hr_enforcement_service.document_type_reminder")
        step = self._reminder_step().exists()
        if self.document_type_id == reminder_type:
            if not step or step.kind != "reminder" or step.case_id != self.case_id:
                raise UserError(
                    _(
                        "A reminder is issued from its execution step, which states the period, "
                        "the manner and the amount of performance (行政强制法 art. 35; R17.1)."
                    )
                )
            if step.document_id:
                raise UserError(
                    _("This reminder is issued already: %(doc)s.", doc=step.document_id.name)
                )
        action = super().action_issue()
        if self.document_type_id == reminder_type:
            step.write({"document_id": action["res_id"]})
        return action

    def _section_texts(self, record, notice=None):
        texts = super()._section_texts(record, notice)
        step = self._reminder_step().exists().sudo()  # sudo: the step of the case being issued
        if step.kind == "reminder":
            lines = [
                _("Perform by %(day)s.", day=format_date(self.env, step.due_date)),
                _("Manner: %(manner)s", manner=step.performance_manner),
            ]
            if step.amount_due:
                lines.append(
                    _(
                        "Amount: %(amount)s",
                        amount=format_amount(self.env, step.amount_due, step.currency_id),
                    )
                )
            texts["performance"] = "\n".join(lines)
            # 行政强制法 第三十六条
            texts["statement_rights"] = _(
                "You have the right to state your case and defend yourself on receiving this "
                "reminder. The authority hears you fully, records and re-examines the facts, "
                "reasons and evidence you raise, and adopts them when they are established."
            )
        return texts
