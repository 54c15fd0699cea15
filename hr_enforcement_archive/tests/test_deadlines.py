import logging
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.hr_enforcement_record.tests.test_evidence import make_mp4

from ..models.hr_enforcement_deadline_notice import _logger as notice_logger
from .common import ArchiveCase

ARCHIVE_CRON = "hr_enforcement_archive.ir_cron_archive_deadlines"


class Killed(Exception):
    """Stands for the worker being killed in the middle of a batch."""


@tagged("post_install", "-at_install")
class TestDeadlineJobs(ArchiveCase):
    """Scheduled deadline jobs (R18.1, R18.2): stored dates, batches, resume, never twice."""

    def _activities(self, records, summary):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("summary", "ilike", summary),
            ]
        )

    def _run(self, model, method, **kwargs):
        getattr(self.env[model], method)(**kwargs)
        self.env.flush_all()

    def test_r18_1_reminders_then_escalation_each_once(self):
        with freeze_time("2026-03-02"):
            case = self._ended_case()
        self.assertEqual(case.date_ended, date(2026, 3, 2))
        deadline = case.archive_deadline
        self.assertEqual(deadline, date(2026, 4, 1), "30 days after the end (R18.1)")
        with freeze_time(deadline - timedelta(days=3)):
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
        reminders = self._activities(case, "Archive the case file")
        self.assertEqual(len(reminders), 1, "T-3 reminder sent once, to the handler")
        self.assertEqual(reminders.user_id, self.officer)
        with freeze_time(deadline + timedelta(days=1)):
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
        escalations = self._activities(case, "has passed")
        self.assertEqual(escalations.user_id, self.officer | self.approver, "handler and leader")
        beat = self.env.ref("hr_enforcement_archive.heartbeat_archive_deadlines")
        self.assertTrue(beat.last_completed, "a complete run leaves its heartbeat")

    def test_r18_1_escalation_without_a_leader_reaches_the_managers_in_their_language(self):
        """R18.1: with no manager of the handler and no leader of the department, an
        overdue case escalates to the enforcement managers and the case says so; each
        person's reminder is in their own language (a Chinese handler reads Chinese)."""
        with freeze_time("2026-03-02"):
            case = self._ended_case()
        self.officer.employee_id.parent_id = False
        case.department_id.sudo().manager_id = False
        self.officer.lang = "zh_CN"
        with freeze_time(case.archive_deadline + timedelta(days=1)):
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        escalated = activities.filtered(lambda a: a.user_id == self.manager)
        self.assertTrue(escalated, "the managers are told")
        self.assertNotIn(self.approver, activities.user_id)
        self.assertIn("has passed", escalated.summary)
        mine = activities.filtered(lambda a: a.user_id == self.officer)
        self.assertRegex(mine.summary, "[\u4e00-\u9fff]", "in the handler's language")
        note = case.message_ids[:1]
        self.assertIn(self.manager.name, note.body)
        self.assertRegex(note.body, "[\u4e00-\u9fff]", "the note in the handler's language")

    def test_r18_1_reminder_of_an_inactive_handler_reaches_the_leader(self):
        """R18.1: a reminder for a handler who left (inactive user) goes to the leader,
        and the fallback is written on the case; nobody is reminded in vain."""
        with freeze_time("2026-03-02"):
            case = self._ended_case()
        self.officer.active = False
        with freeze_time(case.archive_deadline - timedelta(days=3)):
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
        reminders = self._activities(case, "Archive the case file")
        self.assertEqual(reminders.user_id, self.approver, "the handler's leader instead")
        self.assertIn("instead", case.message_ids[:1].body)
        self.officer.employee_id.parent_id = False
        self.approver.active = False
        self.assertTrue(
            self.env["hr.enforcement.deadline.notice"]._reach(case, self.officer, lambda env: "x"),
            "then the managers",
        )

    def test_r18_1_reminder_of_a_missing_or_deleted_user_reaches_the_leader(self):
        """R18.1: a handler with no user is not reminded in vain: the leader is, and the
        case says so; a user deleted since (a stale id) is passed over the same way."""
        with freeze_time("2026-03-02"):
            case = self._ended_case().with_env(self.env)
        case.handler_id.user_id = False
        with freeze_time(case.archive_deadline - timedelta(days=3)):
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
        reminders = self._activities(case, "Archive the case file")
        self.assertEqual(reminders.user_id, self.approver, "the leader instead")
        self.assertIn("instead", case.message_ids[:1].body)
        gone = new_test_user(self.env, login="left_the_bureau")
        gone.unlink()
        Notice = self.env["hr.enforcement.deadline.notice"]
        self.assertEqual(Notice._reach(case, gone, lambda env: "a reminder"), self.approver)
        self.assertIn("a reminder", case.message_ids[:1].body)

    def test_r18_1_ended_case_without_deadline_is_a_violation(self):
        case = self._ended_case()
        self.env.flush_all()
        # as a failed computation or a hand edit in the database would leave it
        self.env.cr.execute(
            "UPDATE hr_enforcement_case SET archive_deadline = NULL WHERE id = %s", [case.id]
        )
        self.env["hr.enforcement.case"].invalidate_model(["archive_deadline"])
        beat = self.env.ref("hr_enforcement_archive.heartbeat_detect_violations")
        for _round in range(50):  # as the cron runner does, until nothing is left
            self.env["hr.enforcement.violation"]._cron_detect()
            if not beat.backlog:
                break
        found = self.env["hr.enforcement.violation"].search(
            [("kind", "=", "no_deadline"), ("case_id", "=", case.id)]
        )
        self.assertEqual(found.requirement_ref, "R18.1")

    def test_job_killed_mid_batch_resumes_without_sending_twice(self):
        with freeze_time("2026-03-02"):
            cases = self._ended_case() | self._ended_case() | self._ended_case()
        with freeze_time("2026-04-05"):
            Case = self.env["hr.enforcement.case"]
            with self.assertRaises(Killed), self.env.cr.savepoint():
                Case._cron_archive_deadlines(batch_size=2)
                raise Killed
            self.assertFalse(self._activities(cases, "has passed"), "the killed batch left nothing")
            Case._cron_archive_deadlines(batch_size=2)  # first batch, committed by the runner
            self.assertEqual(len(set(self._activities(cases, "has passed").mapped("res_id"))), 2)
            Case._cron_archive_deadlines(batch_size=2)  # the rest
            Case._cron_archive_deadlines(batch_size=2)  # nothing left
        activities = self._activities(cases, "has passed")
        self.assertEqual(len(activities), 6, "one to the handler, one to the leader, per case")
        self.assertEqual(sorted(set(activities.mapped("res_id"))), sorted(cases.ids))

    def test_second_worker_claims_nothing(self):
        case = self._ended_case()
        Notice = self.env["hr.enforcement.deadline.notice"]
        self.assertTrue(Notice._claim("archive", case, "t7"))
        self.assertFalse(Notice._claim("archive", case, "t7"), "the same milestone is taken")

    def test_r18_1_a_batch_claimed_by_a_concurrent_run_is_retried_quietly(self):
        """R18.1: two runners of one job at once. The second's claim fails to serialise
        under REPEATABLE READ; under the cron runner it tries again in a new snapshot,
        finds the batch taken and sends nothing, logging no error. Outside the runner the
        failure is the caller's. Real transactions on their own connections."""
        Notice = self.env["hr.enforcement.deadline.notice"]
        users = self.env["res.users"].search([], limit=3, order="id")  # committed rows
        due = SQL(
            "SELECT id, 't-concurrent' AS milestone FROM res_users WHERE id = ANY(%s)",
            users.ids,
        )
        sent = []

        def notify(pairs):
            sent.extend(pairs)
            return []

        def run(context):
            """One runner on its own connection, whose snapshot predates the rival's
            claim; rolled back at the end (nothing of it stays in the database)."""
            with db_connect(self.env.cr.dbname).cursor() as cr:
                cr.execute("SELECT 1")  # the snapshot of REPEATABLE READ is taken here
                claim_by_rival()
                try:
                    env = api.Environment(cr, SUPERUSER_ID, context)
                    return env[Notice._name]._run_job(
                        "archive", "res.users", due, notify, "test.concurrent_job", 10
                    )
                finally:
                    cr.rollback()

        def claim_by_rival():
            with db_connect(self.env.cr.dbname).cursor() as rival:
                env = api.Environment(rival, SUPERUSER_ID, {})
                env[Notice._name]._claim_many(
                    "archive", "res.users", [(uid, "t-concurrent") for uid in users.ids]
                )  # committed on leaving the block

        def forget_rival():
            with db_connect(self.env.cr.dbname).cursor() as cr:
                cr.execute(
                    "DELETE FROM hr_enforcement_deadline_notice WHERE milestone = 't-concurrent'"
                )

        self.addCleanup(forget_rival)
        with (
            self.assertNoLogs("odoo.sql_db", logging.WARNING),  # no "bad query" at ERROR
            self.assertLogs(notice_logger, logging.INFO) as logs,
        ):
            done = run({"cron_id": 1})
        self.assertEqual(done, (0, 0), "the retry found the batch taken and left")
        self.assertFalse(sent, "nothing sent twice")
        self.assertEqual(
            [(r.levelname, "concurrent run" in r.getMessage()) for r in logs.records],
            [("INFO", True)],
        )
        forget_rival()
        with self.assertRaises(SerializationFailure):
            run({})  # not under the runner: the caller decides

    def test_archived_cases_are_not_reminded(self):
        with freeze_time("2026-03-02"):
            case = self._ended_case()
            self._case_file(case).action_archive_file()
        with freeze_time("2026-04-05"):
            self._run("hr.enforcement.case", "_cron_archive_deadlines")
        self.assertFalse(self._activities(case, "has passed"))

    def test_r18_2_av_upload_deadline_escalates_once(self):
        case = self._open_case()
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=30)
        record = self._av(case, capture_start=captured)
        self.assertFalse(record.uploaded_at)
        self._run("hr.enforcement.av.record", "_cron_upload_deadlines")
        self._run("hr.enforcement.av.record", "_cron_upload_deadlines")
        activities = self._activities(case, "24 hours")
        self.assertEqual(activities.user_id, self.officer | self.approver)
        self.assertEqual(len(activities), 2)


@tagged("post_install", "-at_install")
class TestWatchdog(ArchiveCase):
    """A deadline job switched off or stale is reported to the managers, once."""

    def _warnings(self, beat):
        return self.env["mail.activity"].search(
            [("res_model", "=", beat._name), ("res_id", "=", beat.id)]
        )

    def test_job_not_yet_run_after_install_is_not_late(self):
        beat = self.env.ref("hr_enforcement_archive.heartbeat_upload_deadlines")
        beat.sudo().write({"last_completed": False})
        self.assertEqual(beat.status, "ok", "it counts from the install, not from never")
        with freeze_time(beat.create_date + timedelta(hours=27)):
            beat.invalidate_recordset(["status"])
            self.assertEqual(beat.status, "late")

    def test_stale_or_switched_off_job_warns_managers_once(self):
        beat = self.env.ref("hr_enforcement_archive.heartbeat_archive_deadlines")
        self.env["hr.enforcement.case"]._cron_archive_deadlines()
        self.assertEqual(beat.status, "ok")
        Heartbeat = self.env["hr.enforcement.cron.heartbeat"]
        with freeze_time(datetime.now() + timedelta(hours=27)):
            beat.invalidate_recordset(["status"])
            self.assertEqual(beat.status, "late")
            Heartbeat._cron_watchdog()
            Heartbeat._cron_watchdog()
        warnings = self._warnings(beat)
        self.assertTrue(warnings)
        self.assertIn(self.manager, warnings.user_id)
        self.assertEqual(len(warnings.filtered(lambda a: a.user_id == self.manager)), 1)
        self.env.ref(ARCHIVE_CRON).active = False
        beat.invalidate_recordset(["status"])
        self.assertEqual(beat.status, "off")
        Heartbeat._cron_watchdog()
        self.assertEqual(
            len(self._warnings(beat).filtered(lambda a: a.user_id == self.manager)),
            2,
            "a new incident warns again",
        )

    def test_r18_2_av_record_without_capture_time_counts_as_not_stored_in_time(self):
        """A file whose time cannot be believed is stored, and counts as not stored within
        24 hours on the dashboard until its officer gives the time (R18.2, R22.1)."""
        case = self._open_case()
        record = self._av(case, media_type="video")
        future = datetime.now().replace(microsecond=0) + timedelta(days=1)
        self._upload(record, make_mp4(future), "clip.mp4")
        self.assertEqual(record.capture_time_issue, "future")
        self.assertEqual(record.uploaded_in_time, 0)
        given = datetime.now().replace(microsecond=0) - timedelta(hours=2)
        record.with_user(self.officer).write({"capture_start": given})
        self.assertEqual(record.uploaded_in_time, 100)
