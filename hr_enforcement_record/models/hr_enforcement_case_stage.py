from odoo import _, fields, models
from odoo.exceptions import UserError

from .hr_enforcement_case import DECIDED_STAGES, STAGE_TRANSITIONS, STAGES


# the case is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementCase(models.Model):
    """How a case moves through the stages of article 3 (R3.1): what keeps it from entering
    a stage, the completeness matrix, the approvals that file, decide, cancel and close it
    (R21.1). Extended by the periods, the procedures and the sibling addons."""

    _inherit = "hr.enforcement.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ stages
    def _check_stage_transition(self, new_stage):
        self.ensure_one()
        if new_stage == self.stage:
            return
        if new_stage not in STAGE_TRANSITIONS[self.stage]:
            labels = self._stage_labels()
            raise UserError(
                _(
                    "Case %(case)s cannot go from %(old)s to %(new)s (R3.1).",
                    case=self.name,
                    old=labels[self.stage],
                    new=labels[new_stage],
                )
            )
        blockers = self._get_stage_blockers(new_stage)
        if blockers:
            raise UserError(
                _(
                    "Case %(case)s cannot move on yet:\n%(blockers)s",
                    case=self.name,
                    blockers="\n".join(f"- {b}" for b in blockers),
                )
            )

    def _get_stage_blockers(self, new_stage):
        """What keeps this case from entering `new_stage`; extended by the sibling addons."""
        self.ensure_one()
        check = {
            "investigation": self._blockers_to_investigation,
            "decision": self._blockers_to_decision,
            "service": self._blockers_to_service,
            "closed": self._blockers_to_closed,
            "cancelled": self._blockers_to_cancelled,
            "archiving": self._blockers_to_archiving,
        }.get(new_stage)
        blockers = check() if check else []
        if new_stage not in ("cancelled", "investigation", "closed") or (
            new_stage == "investigation" and self.stage == "initiation"
        ):
            blockers += self._get_missing_requirements()
        return blockers

    def _blockers_to_investigation(self):
        blockers = []
        if self.origin == "complaint" and self.complaint_decision != "accepted":
            blockers.append(_("The complaint has not been taken up (R7.1)."))
        if self._requires_opening_approval() and not self._approval_is_granted("case_opening"):
            blockers.append(_("The opening of the case is not approved (R21.1)."))
        return blockers

    def _blockers_to_decision(self):
        return [] if self.investigation_ids else [_("No investigation step is recorded (R8.1).")]

    def _blockers_to_service(self):
        blockers = []
        if not self._approval_is_granted("decision"):
            blockers.append(_("The decision is not approved (R13.5, R21.1)."))
        untimed = self.env["hr.enforcement.av.record"].search(
            [("case_id", "=", self.id), ("capture_time_pending", "=", True)]
        )
        if untimed:
            blockers.append(
                _(
                    "Give the capture time of %(records)s, or write why it cannot be "
                    "given (R18.2).",
                    records=", ".join(untimed.mapped("name")),
                )
            )
        for name in ("facts", "legal_basis", "decision_summary", "remedies_notice"):
            if not self[name]:
                blockers.append(
                    _("%(field)s is missing (R12.1, R13.1).", field=self._field_label(name))
                )
        return blockers

    def _blockers_to_closed(self):
        if self.stage != "initiation":
            return []
        if not (self.origin == "complaint" and self.complaint_decision == "rejected"):
            return [_("Only a complaint that is not taken up closes at initiation (R7.2).")]
        missing = self._get_complaint_closure_missing()
        if missing:
            return [_("Missing for closing (R7.2): %(missing)s", missing=", ".join(missing))]
        return []

    def _blockers_to_cancelled(self):
        blockers = []
        if not self.cancel_reason:
            blockers.append(_("Write the reason for cancelling."))
        if not self._approval_is_granted("cancellation"):
            blockers.append(_("The cancellation of the case is not approved (R21.1)."))
        return blockers

    def _blockers_to_archiving(self):
        if self._approval_is_granted("closing"):
            return []
        return [_("The closing of the case (结案) is not approved (R21.1).")]

    def _requires_opening_approval(self):
        """Whether the case is opened (立案) through the approval chain; extended."""
        return True

    def _get_missing_requirements(self):
        """Required records of this stage and the earlier ones that are neither present nor
        excused (R8–R17 completeness matrix)."""
        self.ensure_one()
        order = [key for key, _label in STAGES]
        self.env.flush_all()
        missing = self.env["hr.enforcement.case.requirement"].search(
            [
                ("case_id", "=", self.id),
                ("status", "=", "missing"),
                ("stage_sequence", "<=", order.index(self.stage)),
            ]
        )
        # self.env._: the language is the reader's, also inside the comprehension
        return [
            self.env._(
                "Missing %(record)s (%(ref)s): add it or write why it is not needed.",
                record=line.requirement_id.name,
                ref=line.requirement_ref,
            )
            for line in missing
        ]

    def _move_to(self, stage, **dates):
        today = fields.Date.context_today(self)
        if stage in DECIDED_STAGES:
            # sealed while the case still takes changes: once closed, the case's freeze
            # would refuse the seal itself (a record added at the archiving stage); a
            # refused move rolls the seals back with it
            self._seal_records()
        self._app().write(dict({"stage": stage}, **{k: today for k in dates}))

    def _seal_records(self):
        """R22.3: once decided, every record of the case is sealed for good."""
        for model in ("hr.enforcement.text.record", "hr.enforcement.av.record"):
            records = (
                self.env[model]
                .sudo()
                .search(  # sudo: sealing covers every record
                    [("case_id", "in", self.ids), ("sealed", "=", False)]
                )
            )
            records._seal(check=False)

    def action_start_investigation(self):
        self._move_to("investigation")

    def action_to_decision(self):
        self._move_to("decision")

    def action_back_to_investigation(self):
        self._move_to("investigation")

    def action_to_service(self):
        self._move_to("service")

    def action_to_archiving(self):
        self._move_to("archiving", date_ended=True)

    def action_close(self):
        self._move_to("closed", date_closed=True)

    def action_cancel(self):
        """Cancelled once the cancellation is approved (R21.1); refused before."""
        self._move_to("cancelled", date_closed=True)

    def action_issue_document(self):
        """Issue a statutory document from the case: filled, numbered, printed, sealed."""
        self.ensure_one()
        return self.env["hr.enforcement.document.issue"]._action_open(self, _("Issue Document"))

    # ------------------------------------------------------------------ approvals
    def _get_approval_defaults(self, kind):
        return {
            "reviewer_id": self.reviewer_id.user_id.id,
            "approver_id": self.approver_id.user_id.id,
        }

    def _check_approval_request(self, request):
        if request.kind == "case_opening" and self.stage != "initiation":
            raise UserError(_("The opening of a case is approved at initiation (R21.1)."))
        if request.kind == "decision" and self.stage != "decision":
            raise UserError(_("A decision is approved at the review & decision stage (R13.5)."))
        if request.kind == "cancellation":
            if self.stage not in ("initiation", "investigation", "decision"):
                raise UserError(_("Only a case not yet decided is cancelled (R3.1)."))
            if not (self.cancel_reason or "").strip():
                raise UserError(_("Write the reason for cancelling before asking for approval."))
            form = self.env.ref("hr_enforcement_record.document_type_cancellation_approval_form")
            if not self.env["hr.enforcement.text.record"].search_count(
                [("case_id", "=", self.id), ("document_type_id", "=", form.id)]
            ):
                raise UserError(
                    _("Issue the case cancellation approval form first (撤销立案审批表, R21.1).")
                )
        if request.kind == "closing" and self.stage != "service":
            raise UserError(
                _("A case is closed (结案) once its decision is served and executed (R3.1).")
            )
        return super()._check_approval_request(request)

    def _on_approval_approved(self, request):
        # sudo: the recorded approval chain authorises these writes, whoever the approver is
        case = self.sudo()._app()
        today = fields.Date.context_today(self)
        if request.kind == "case_opening":
            case.write({"date_filed": today})
        elif request.kind == "decision":
            case.write({"date_decided": today})
        self._app("mail.message").message_post(
            body=_(
                "%(request)s approved by %(approver)s: %(opinion)s",
                request=request.name,
                approver=request.approver_id.name,
                opinion=request.approval_opinion,
            )
        )
        if request.kind == "cancellation":
            # the approved cancellation is the decision: the case ends with it (R21.1)
            case._move_to("cancelled", date_closed=True)
