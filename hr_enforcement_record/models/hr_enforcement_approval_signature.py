import base64
import re

from odoo import fields, models

from .hr_enforcement_approval import _TRANSITIONS

# the opinion written for a step -> the slot of its signer's own signature
SIGNATURE_SLOTS = {
    "proposal": "proposal",
    "review_opinion": "review",
    "approval_opinion": "approval",
}


# the approval is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementApproval(models.Model):
    """Each person's own electronic signature over the opinion they write, made with their
    own certificate when they take their step (R21.1; 电子签名法 第十三、十四条): the
    proposal, the review and the decision. The signed text is kept beside the detached CMS
    signature so that anyone can check it with `openssl cms -verify`; the internal forms
    (审批表) print who signed."""

    _inherit = "hr.enforcement.approval"  # pylint: disable=consider-merging-classes-inherited

    proposal_signature = fields.Binary(attachment=False, readonly=True, copy=False)
    proposal_signer = fields.Char("Proposal Signed By", readonly=True, copy=False)
    proposal_signed_text = fields.Text("Signed Proposal", readonly=True, copy=False)
    review_signature = fields.Binary(attachment=False, readonly=True, copy=False)
    review_signer = fields.Char("Review Signed By", readonly=True, copy=False)
    review_signed_text = fields.Text("Signed Review", readonly=True, copy=False)
    approval_signature = fields.Binary(attachment=False, readonly=True, copy=False)
    approval_signer = fields.Char("Decision Signed By", readonly=True, copy=False)
    approval_signed_text = fields.Text("Signed Decision", readonly=True, copy=False)

    def _step_signature(self, new_state, moment):
        """The values that record the acting user's signature of the opinion of the step
        to `new_state`, taken at `moment`; none when the step has no opinion or the user
        has no certificate of their own."""
        self.ensure_one()
        opinion_field = _TRANSITIONS[(self.state, new_state)][1]
        if not opinion_field:
            return {}
        text = self._signed_opinion_text(opinion_field, new_state, moment)
        signature, signer = self.env["hr.enforcement.signing.key"]._sign_as_user(text)
        if not signature:
            return {}
        slot = SIGNATURE_SLOTS[opinion_field]
        return {
            f"{slot}_signature": base64.b64encode(signature),
            f"{slot}_signer": signer,
            f"{slot}_signed_text": text,
        }

    def _signed_opinion_text(self, opinion_field, new_state, moment):
        """What the signer signs: the request, the step, its result, the opinion, who and
        when — plain lines, the same in every language, so that a verifier reads them."""
        user = self.env.user
        return "\n".join(
            [
                f"{self._name}/{self.id}",
                f"request: {self.name}",
                f"case: {self.sudo().case_id.name or ''}",
                f"kind: {self.kind}",
                f"step: {SIGNATURE_SLOTS[opinion_field]}",
                f"result: {new_state}",
                f"opinion: {self[opinion_field] or ''}",
                f"signer: {user.login} ({user.name})",
                f"time: {fields.Datetime.to_string(moment)} UTC",
            ]
        )

    def _signature_label(self, slot):
        """The signer's common name as printed on the internal form, or ""."""
        subject = self[f"{slot}_signer"] or ""
        found = re.search(r"(?:^|,)CN=((?:[^,\\]|\\.)+)", subject)
        return found.group(1).replace("\\", "") if found else subject
