from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestViolations(ArchiveCase):
    """Scheduled detection of violations (R22.1-R22.4) and their rectification (R22.5)."""

    def _detect(self):
        self.env.flush_all()
        return self.env["hr.enforcement.violation"]._cron_detect()

    def _found(self, kind, **domain):
        return self.env["hr.enforcement.violation"].search(
            [("kind", "=", kind)] + [(k, "=", v) for k, v in domain.items()]
        )

    def test_r22_detection_per_kind_and_idempotent(self):
        case = self._open_case()
        late = self._av(
            case, capture_start=datetime.now().replace(microsecond=0) - timedelta(hours=30)
        )
        record = self._av_with_file(case)
        evidence = record.file_ids
        path = self.store._full_path(evidence.sudo().store_fname)
        with open(path, "r+b") as handle:
            handle.write(b"XXXX")
        evidence.sudo()._verify()
        self.env["hr.enforcement.service"].with_user(self.officer)._scan_receipt("HRE" + "A" * 32)
        self.env["hr.enforcement.event"].with_user(self.outsider)._log(
            case, "downloaded", evidence.sudo(), evidence.name, purpose="curiosity"
        )
        record.sudo().confidentiality = "commercial"
        first = self._detect()
        self.assertTrue(first)
        self.assertEqual(self._found("av_late", res_id=late.id).requirement_ref, "R18.2")
        self.assertEqual(self._found("fixity", res_id=evidence.id).requirement_ref, "R22.4")
        self.assertEqual(len(self._found("receipt_scan")), 1)
        access = self._found("access", case_id=case.id)
        self.assertEqual(access.requirement_ref, "R22.2")
        self.assertEqual(access.responsible_user_ids, self.outsider)
        self.assertEqual(self._found("av_late", res_id=late.id).responsible_user_ids, self.officer)
        self.assertEqual(self._detect(), 0, "nothing is recorded twice")

    def test_r22_5_a_departed_officers_violation_has_someone_responsible(self):
        """R22.5: an officer who left (archived employee) answers for nothing: the
        officer's manager does, is given the rectification, and the violation says so."""
        case = self._open_case()
        late = self._av(
            case, capture_start=datetime.now().replace(microsecond=0) - timedelta(hours=30)
        )
        self.officer.employee_id.active = False
        self._detect()
        violation = self._found("av_late", res_id=late.id)
        self.assertEqual(violation.responsible_user_ids, self.approver)
        self.assertEqual(violation.activity_ids.user_id, self.approver)
        self.assertIn("no longer in service", violation.message_ids[:1].body)

    def test_r22_1_missing_records_past_their_stage(self):
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        self._detect()
        self.assertFalse(self._found("missing_record", case_id=case.id), "all excused")
        excuse = self.env["hr.enforcement.requirement.excuse"].search(
            [("case_id", "=", case.id)], limit=1
        )
        missing = excuse.requirement_id
        excuse.sudo().unlink()
        self._detect()
        found = self._found("missing_record", case_id=case.id)
        self.assertEqual(found.requirement_ref, "R22.1")
        # read in Chinese as a supervisor reads it: kind, case and the missing record named in
        # the reader's language, whatever language the detection job ran in
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["hr_enforcement_record", "hr_enforcement_archive"], ["zh_CN"]
        )
        chinese = found.with_context(lang="zh_CN")
        requirement = missing.with_context(lang="zh_CN").name
        self.assertEqual(chinese.detail_display, requirement)
        self.assertEqual(chinese.name, f"应有记录在其阶段后仍缺失 - {case.name} - {requirement}")
        self.assertEqual(chinese.article, "第二十二条")
        self.assertNotRegex(chinese.name, "[A-Za-z]{3,}", "no English inside Chinese")

    def test_r18_1_case_not_archived_in_30_days(self):
        case = self._ended_case()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_enforcement_case SET archive_deadline = current_date - 1 WHERE id = %s",
            [case.id],
        )
        self._detect()
        self.assertEqual(self._found("not_archived", case_id=case.id).requirement_ref, "R18.1")

    def test_r22_5_rectification_ordered_and_closed(self):
        case = self._open_case()
        self._av(case, capture_start=datetime.now().replace(microsecond=0) - timedelta(hours=30))
        self._detect()
        violation = self._found("av_late", case_id=case.id)
        self.assertEqual(violation.state, "rectifying", "detection issues the order")
        self.assertIn("R18.2", violation.rectification_order)
        today = fields.Date.context_today(violation)  # the user's day (Asia/Shanghai), not UTC's
        self.assertEqual(violation.rectification_due, today + timedelta(days=15))
        self.assertEqual(violation.activity_ids.user_id, self.officer)
        officer_view = violation.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "R22.5"):
            officer_view.write({"rectification_due": date.today() + timedelta(days=60)})
        with self.assertRaisesRegex(UserError, "R22.5"):
            officer_view.write({"state": "closed"})
        with self.assertRaisesRegex(UserError, "R22.5"):
            officer_view.action_close()
        leader = violation.with_user(self.supervisor)
        with self.assertRaises(AccessError, msg="supervisors read violations, they order"):
            leader.write({"rectification_due": date.today() + timedelta(days=3)})
        # the supervisor's own action: amend the order and its due date in the dialog
        action = leader.action_order_rectification()
        dialog = (
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
            .create({"rectification_due": date.today() + timedelta(days=3)})
        )
        self.assertIn("R18.2", dialog.rectification_order, "the current order, to amend")
        dialog.action_confirm()
        self.assertEqual(violation.rectification_due, date.today() + timedelta(days=3))
        self.assertEqual(violation.activity_ids.date_deadline, date.today() + timedelta(days=3))
        with self.assertRaisesRegex(UserError, "describe"):
            leader.action_close()
        officer_view.write({"rectification_note": "Footage stored."})
        leader.action_close()
        self.assertEqual(violation.state, "closed")
        self.assertFalse(violation.activity_ids)
        overdue = self.env["hr.enforcement.violation"].search([("overdue", "=", True)])
        self.assertNotIn(violation, overdue)

    def test_r20_1_no_order_on_a_violation_one_may_not_read(self):
        case = self._open_case()
        self._av(case, capture_start=datetime.now().replace(microsecond=0) - timedelta(hours=30))
        self._detect()
        violation = self._found("av_late", case_id=case.id)
        case.with_user(self.officer).write({"confidentiality": "work_secret"})
        self.env.flush_all()
        hidden = violation.with_user(self.supervisor)
        for attempt in (
            lambda: hidden._order_rectification("Rectify.", date.today()),
            hidden.action_close,
        ):
            with self.assertRaises(AccessError):
                attempt()

    def test_r22_5_overdue_rectification_found(self):
        case = self._open_case()
        self._av(case, capture_start=datetime.now().replace(microsecond=0) - timedelta(hours=30))
        self._detect()
        violation = self._found("av_late", case_id=case.id)
        violation.with_user(self.supervisor)._order_rectification(
            violation.rectification_order, date.today() - timedelta(days=1)
        )
        overdue = self.env["hr.enforcement.violation"].search([("overdue", "=", True)])
        self.assertIn(violation, overdue)


@tagged("post_install", "-at_install")
class TestDetectionWithoutCap(ArchiveCase):
    """R22: detection has no daily cap; every job of the three addons is watched."""

    def test_r22_1_more_than_one_batch_of_violations_in_one_run(self):
        case = self._open_case()
        late = datetime.now().replace(microsecond=0) - timedelta(hours=30)
        records = self.env["hr.enforcement.av.record"]
        for index in range(7):
            records |= self._av(case, name=f"Late clip {index}", capture_start=late)
        self.env.flush_all()
        Violation = self.env["hr.enforcement.violation"]
        beat = self.env.ref("hr_enforcement_archive.heartbeat_detect_violations")
        rounds = 0
        while True:  # what the cron runner does while a job reports work remaining
            rounds += 1
            Violation._cron_detect(batch_size=3)
            if not beat.backlog:
                break
            self.assertFalse(
                beat.last_completed and beat.last_completed >= beat.last_started,
                "a run that leaves a backlog is not complete",
            )
            self.assertLess(rounds, 20)
        self.assertGreater(rounds, 2, "seven facts in batches of three take three rounds")
        found = Violation.search([("kind", "=", "av_late"), ("res_id", "in", records.ids)])
        self.assertEqual(len(found), 7, "nothing left behind, nothing twice")
        self.assertTrue(beat.last_completed)

    def test_r22_3_unstamped_head_keeps_the_head_job_incomplete(self):
        """A head the time-stamping authority did not stamp is the head job's backlog: the
        job is not completed, so the watchdog warns the managers if it lasts."""
        self._open_case()
        self.env["ir.config_parameter"].sudo().set_param(
            "hr_enforcement.tsa_url",
            "http://127.0.0.1:1/tsa",  # nothing listens there
        )
        beat = self.env.ref("hr_enforcement_archive.heartbeat_event_head")
        beat.last_completed = False
        self.env.flush_all()
        head = self.env["hr.enforcement.event.head"]._cron_record_head()
        self.assertEqual(head.tsa_state, "unstamped")
        self.assertIn("did not answer", head.tsa_error)
        self.assertEqual(beat.backlog, 1)
        self.assertFalse(beat.last_completed)

    def test_every_scheduled_job_is_watched(self):
        """Each scheduled action of the three addons has a heartbeat, and beats when run,
        so the watchdog knows when one is off or stale (read from the registry of crons)."""
        crons = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.cron"),
                (
                    "module",
                    "in",
                    ["hr_enforcement_record", "hr_enforcement_service", "hr_enforcement_archive"],
                ),
            ]
        )
        self.assertGreaterEqual(len(crons), 7)
        Beat = self.env["hr.enforcement.cron.heartbeat"]
        for data in crons:
            xmlid = f"{data.module}.{data.name}"
            beat = Beat.search([("cron_xmlid", "=", xmlid)])
            self.assertTrue(beat, f"{xmlid} has no heartbeat: the watchdog cannot see it")
            beat.last_started = False
            self.env.ref(xmlid).ir_actions_server_id.run()
            self.assertTrue(beat.last_started, f"{xmlid} left no heartbeat when it ran")
