import hashlib
import io
import os
import struct
import subprocess
import tempfile
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from PIL import Image

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools import upload_hashing
from ..tools.chain_proof import merkle_root
from .common import EnforcementCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_jpeg(width=2500, height=2000, taken="2026:03:02 09:15:00", color=(200, 30, 30)):
    """A JPEG larger than Odoo's 1920 px resize limit, with an EXIF capture time."""
    image = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    exif[306] = taken  # DateTime; Pillow 9 cannot add a sub-IFD (DateTimeOriginal) to new EXIF
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class EvidenceCase(EnforcementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls.env["hr.enforcement.av.device"].create(
            {
                "name": "Body camera 07",
                "device_type": "bodycam",
                "serial_number": "DSJ-2026-0007",
                "holder_id": cls.officer.employee_id.id,
            }
        )
        cls.doc_inquiry = cls.env.ref("hr_enforcement_record.document_type_inquiry")
        cls.doc_inspection = cls.env.ref("hr_enforcement_record.document_type_inspection")
        cls.doc_decision = cls.env.ref("hr_enforcement_record.document_type_decision")
        cls.store = cls.env["hr.enforcement.filestore"]

    def _av(self, case, **overrides):
        values = {
            "case_id": case.id,
            "name": "Body camera footage of the site inspection",
            "media_type": "photo",
            "device_id": self.device.id,
            "officer_id": self.officer.employee_id.id,
        }
        values.update(overrides)
        return self.env["hr.enforcement.av.record"].with_user(self.officer).create(values)

    def _text(self, case, doc_type=None, **overrides):
        doc_type = doc_type or self.doc_inquiry
        values = {
            "case_id": case.id,
            "name": "Inquiry of the legal representative",
            "document_type_id": doc_type.id,
            "certificate_ids": [(6, 0, [self.cert[self.officer].id, self.cert[self.officer2].id])],
            "certificates_shown": True,
            "party_signed": True,
        }
        # a 笔录 carries no 文号; other documents take theirs from the numbering when issued
        number = overrides.pop("document_number", None)
        values.update(overrides)
        record = self.env["hr.enforcement.text.record"].with_user(self.officer).create(values)
        if number:
            record._app().write({"document_number": number})
        else:
            record._draw_document_number(fields.Date.today())
        return record

    def _evidence_of(self, case):
        """The inquiry transcript that a notice or a decision lists as its evidence (R12.1),
        recorded once per case with its signed scan (a case file lists no record without
        its file)."""
        Text = self.env["hr.enforcement.text.record"]
        found = Text.search(
            [("case_id", "=", case.id), ("document_type_id", "=", self.doc_inquiry.id)], limit=1
        )
        if found:
            return found
        transcript = self._text(case)
        self._upload(transcript, PDF, "inquiry.pdf")  # the signed transcript, scanned
        return transcript

    def _upload(self, record, data, name="photo.jpg", expected=None):
        return (
            self.env["hr.enforcement.evidence.file"]
            .with_user(self.officer)
            ._create_from_stream(io.BytesIO(data), name, record, expected_size=expected)
        )

    def _pdf_text(self, record):
        """The text of the PDF stored as `record`'s file, as pdftotext reads it."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(self._stored_bytes(record.file_ids))
            pdf.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True
            ).stdout

    def _issue_from(self, action, user=None):
        """Issue the document of an `action` that opens the issue dialog, as `user`."""
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(user or self.officer)
            .with_context(**action["context"])
            .create({})
        )
        return self.env["hr.enforcement.text.record"].browse(wizard.action_issue()["res_id"])

    def _stored_bytes(self, evidence):
        """The bytes kept for `evidence`, from the filestore or the object store."""
        return b"".join(self.store._iter_bytes(evidence.sudo().store_fname))


class TestEvidenceFiles(EvidenceCase):
    """R22.3, R22.4: originals stored byte for byte with SHA-256/SM3 fixity."""

    def test_r22_4_original_kept_byte_for_byte_with_hashes(self):
        case = self._open_case()
        record = self._av(case)
        original = make_jpeg()
        evidence = self._upload(record, original)
        self.assertEqual(self._stored_bytes(evidence), original, "no resize, EXIF kept")
        self.assertEqual(evidence.sha256, hashlib.sha256(original).hexdigest())
        if "sm3" in hashlib.algorithms_available:
            self.assertEqual(evidence.sm3, hashlib.new("sm3", original).hexdigest())
        self.assertEqual(evidence.file_size, len(original))
        self.assertEqual(evidence.mimetype, "image/jpeg")

    def test_r3_3_capture_time_read_from_exif(self):
        case = self._open_case()
        record = self._av(case)
        self.officer.tz = "Asia/Shanghai"
        self._upload(record, make_jpeg(taken="2026:03:02 09:15:00"))
        # 09:15 in Beijing is 01:15 UTC
        self.assertEqual(record.capture_start, datetime(2026, 3, 2, 1, 15))
        self.assertEqual(record.capture_time_source, "metadata")
        self.assertTrue(record.uploaded_at)

    def test_bad_files_refused_and_nothing_stored(self):
        case = self._open_case()
        record = self._av(case)
        tmp_dir = os.path.join(self.store._root(), "tmp")
        cases = [
            (PDF, "photo.jpg", None, "disagree"),
            (b"", "photo.jpg", None, "empty"),
            (b"MZ\x90\x00", "tool.exe", None, "not accepted"),
            (make_jpeg(color=(1, 2, 3)), "photo.jpg", 10**9, "truncated"),
        ]
        for data, name, expected, message in cases:
            with (
                self.subTest(name=name, message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                self._upload(record, data, name, expected)
        self.assertFalse(record.file_ids, "nothing registered")
        self.assertFalse(
            os.listdir(tmp_dir) if os.path.isdir(tmp_dir) else [], "no half files left"
        )

    def test_r22_3_temporary_files_of_uploads_cut_short_are_removed_after_a_day(self):
        """A worker killed mid-body leaves its temporary file, a node whose turn passed
        to another leaves its copy of an upload hashed on arrival, a restart leaves the
        copies of the boot before: the hourly job removes each once a day old (a previous
        boot's at once: never hashed again), never one still being written."""
        tmp_dir = os.path.join(self.store._root(), "tmp")
        hashing_dir = os.path.join(self.store._root(), "hashing")
        this_boot = os.path.join(hashing_dir, upload_hashing.boot_id())
        last_boot = os.path.join(hashing_dir, "a-previous-boot")
        for folder in (tmp_dir, this_boot, last_boot):
            os.makedirs(folder, exist_ok=True)
        old, fresh, old_copy, fresh_copy, last_boot_copy = (
            os.path.join(folder, f"{name}.part")
            for folder, name in (
                (tmp_dir, "crashed"),
                (tmp_dir, "writing"),
                (this_boot, "turn-passed"),
                (this_boot, "receiving"),
                (last_boot, "before-restart"),
            )
        )
        for path in (old, fresh, old_copy, fresh_copy, last_boot_copy):
            with open(path, "wb") as part:
                part.write(b"half a file")
        two_days_ago = datetime.now().timestamp() - 2 * 24 * 3600
        for path in (old, old_copy):
            os.utime(path, (two_days_ago, two_days_ago))
        self.assertGreaterEqual(self.store._cron_expire_uploads(), 3)
        for path in (old, old_copy, last_boot_copy, last_boot):
            self.assertFalse(os.path.exists(path), path)
        self.assertTrue(os.path.exists(fresh))
        self.assertTrue(os.path.exists(fresh_copy))
        os.unlink(fresh)
        os.unlink(fresh_copy)

    def test_size_limit(self):
        case = self._open_case()
        record = self._av(case)
        self.env["ir.config_parameter"].sudo().set_param("hr_enforcement.evidence_max_bytes", 1000)
        with self.assertRaisesRegex(UserError, "limit"):
            self._upload(record, make_jpeg(color=(9, 9, 9)))

    def test_r22_3_files_never_change_or_disappear_through_the_application(self):
        case = self._open_case()
        evidence = self._upload(self._av(case), PDF, "scan.pdf")
        File = self.env["hr.enforcement.evidence.file"]
        for user in (self.officer, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R22.3"):
                evidence.with_user(user).sudo().write({"sha256": "0" * 64})
            with self.assertRaisesRegex(UserError, "R22.3"):
                evidence.with_user(user).sudo().unlink()
        with self.assertRaisesRegex(UserError, "R22.3"):
            File.sudo().create({"name": "x.pdf", "case_id": case.id})

    def test_r22_4_fixity_cron_reports_altered_and_missing_once(self):
        case = self._open_case()
        record = self._av(case)
        altered = self._upload(record, make_jpeg(color=(10, 20, 30)), "a.jpg")
        missing = self._upload(record, make_jpeg(color=(40, 50, 60)), "b.jpg")
        intact = self._upload(record, make_jpeg(color=(70, 80, 90)), "c.jpg")
        path = self.store._full_path(altered.sudo().store_fname)
        os.chmod(path, 0o640)
        with open(path, "r+b") as handle:  # flip one byte
            handle.seek(1000)
            byte = handle.read(1)
            handle.seek(1000)
            handle.write(bytes([byte[0] ^ 0xFF]))
        os.unlink(self.store._full_path(missing.sudo().store_fname))
        File = self.env["hr.enforcement.evidence.file"]
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            File._cron_verify_fixity(batch_size=1000)
        self.assertEqual(altered.fixity_state, "altered")
        self.assertEqual(missing.fixity_state, "missing")
        self.assertEqual(intact.fixity_state, "ok")
        alert = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        alerts = case.activity_ids.filtered(lambda a: a.activity_type_id == alert)
        recipients = altered._alert_recipients()
        self.assertIn(self.officer, recipients, "the handler hears of it")
        self.assertIn(self.manager, recipients, "and so do the archivists, not the handler alone")
        self.assertEqual(len(alerts), 2 * len(recipients), "one alert per broken file each")
        events = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "verified")]
        )
        self.assertEqual(len(events), 2, "both failures logged")
        with freeze_time(fields.Datetime.now() + timedelta(days=62)):
            File._cron_verify_fixity(batch_size=1000)
        alerts = case.activity_ids.filtered(lambda a: a.activity_type_id == alert)
        self.assertEqual(len(alerts), 2 * len(recipients), "a re-run never notifies twice")

    def test_r22_4_verify_now_tells_the_user(self):
        case = self._open_case()
        evidence = self._upload(self._av(case), PDF, "scan.pdf")
        action = evidence.with_user(self.officer).action_verify()
        self.assertEqual(action["params"]["type"], "success")
        os.unlink(self.store._full_path(evidence.sudo().store_fname))
        action = evidence.with_user(self.officer).action_verify()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("scan.pdf", action["params"]["message"])


class TestFixityFaults(EvidenceCase):
    """R22.4: one bad file never stops the fixity check, every read error is a state of
    its own file, a file found intact again closes its alerts, and a daily sample catches
    tampering between two rounds."""

    def _fixity_alerts(self, case):
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        return case.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_r22_4_unreadable_files_never_stop_the_batch(self):
        case = self._open_case()
        record = self._av(case)
        files = [
            self._upload(record, make_jpeg(color=(i, 2 * i, 3 * i)), f"{i}.jpg")
            for i in (11, 12, 13, 14)
        ]
        _good, as_directory, as_loop, _also_good = files
        path = self.store._full_path(as_directory.sudo().store_fname)
        os.unlink(path)
        os.mkdir(path)  # a directory where the file was: IsADirectoryError
        path = self.store._full_path(as_loop.sudo().store_fname)
        os.unlink(path)
        os.symlink(path, path)  # a symbolic link to itself: ELOOP
        File = self.env["hr.enforcement.evidence.file"]
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            File._cron_verify_fixity(batch_size=1000)
        self.assertEqual([f.fixity_state for f in files], ["ok", "unreadable", "unreadable", "ok"])
        self.assertTrue(all(f.last_verified_at for f in files), "every file moves on")
        mine = self._fixity_alerts(case).filtered(lambda a: a.user_id == self.officer)
        self.assertEqual(len(mine), 2, "one alert per unreadable file")
        self.assertTrue(all("Unreadable" in a.summary for a in mine))
        action = as_directory.with_user(self.officer).action_verify()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertNotIn(self.store._root(), action["params"]["message"], "no server path")
        # uploading the same bytes again restores both copies in place
        for evidence, color in ((as_directory, 12), (as_loop, 13)):
            again = make_jpeg(color=(color, 2 * color, 3 * color))
            self._upload(self._av(case), again, "again.jpg")
            evidence._verify()
            self.assertEqual(evidence.fixity_state, "ok")

    def test_r22_4_restored_file_closes_its_alerts(self):
        case = self._open_case()
        data = make_jpeg(color=(31, 32, 33))
        evidence = self._upload(self._av(case), data, "restored.jpg")
        path = self.store._full_path(evidence.sudo().store_fname)
        os.chmod(path, 0o640)
        with open(path, "wb") as handle:
            handle.write(data[:1000])  # truncated
        evidence._verify()
        self.assertEqual(evidence.fixity_state, "altered")
        self.assertTrue(self._fixity_alerts(case))
        with open(path, "wb") as handle:
            handle.write(data)  # restored from the backup
        evidence._verify()
        self.assertEqual(evidence.fixity_state, "ok")
        self.assertFalse(self._fixity_alerts(case), "the alerts are closed")

    def test_r22_4_daily_sample_finds_tampering_between_rounds(self):
        case = self._open_case()
        data = make_jpeg(color=(41, 42, 43))
        evidence = self._upload(self._av(case), data, "sampled.jpg")
        evidence._verify()
        path = self.store._full_path(evidence.sudo().store_fname)
        os.chmod(path, 0o640)
        with open(path, "r+b") as handle:
            handle.seek(500)
            handle.write(b"\x00\x01")
        File = self.env["hr.enforcement.evidence.file"]
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            File._cron_verify_fixity(batch_size=1000)  # not due for 30 days: nothing checked
            self.assertEqual(evidence.fixity_state, "ok")
            self.env["ir.config_parameter"].set_param("hr_enforcement.fixity_sample_size", 100000)
            File._cron_verify_sample()
        self.assertEqual(evidence.fixity_state, "altered")


class TestEventChain(EvidenceCase):
    """R21.1, R22.2, R22.3: an append-only, hash-chained log per case."""

    def test_r22_3_chain_records_and_verifies(self):
        case = self._open_case()
        self._upload(self._av(case), PDF, "scan.pdf")
        Event = self.env["hr.enforcement.event"]
        events = Event.search([("case_id", "=", case.id)])
        self.assertEqual(
            events.mapped("event_type")[:5],
            ["created", "proposed", "reviewed", "approved", "stage_changed"],
            "creation, each step of the approval and the stage change logged (R21.1)",
        )
        self.assertIn("file_added", events.mapped("event_type"))
        self.assertEqual(events.mapped("sequence"), list(range(1, len(events) + 1)))
        self.assertFalse(Event._verify_chain(case))
        action = case.action_verify_event_chain()
        self.assertEqual(action["params"]["type"], "success")

    def _break_and_find(self, case, break_it):
        """Record the daily head, let `break_it` alter the log by SQL, then run the
        scheduled verification: it must name `case`."""
        Event = self.env["hr.enforcement.event"]
        self.env.flush_all()
        self.env["hr.enforcement.event.head"]._cron_record_head()
        self.assertNotIn(case, Event._cron_verify_chains(batch_size=100000)[0])
        break_it()
        self.env.invalidate_all()
        broken, remaining = Event._cron_verify_chains(batch_size=100000)
        self.assertFalse(remaining)
        self.assertIn(case, broken, "the scheduled verification names the case")
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        alerts = case.activity_ids.filtered(lambda a: a.activity_type_id == kind)
        self.assertIn(self.manager, alerts.user_id, "the managers hear of it")
        Event._cron_verify_chains(batch_size=100000)
        self.assertEqual(
            len(case.activity_ids.filtered(lambda a: a.activity_type_id == kind)),
            len(alerts),
            "once per break",
        )
        return broken[case]

    def test_r22_3_deleted_last_event_is_found_and_named(self):
        case = self._open_case()
        self._upload(self._av(case), PDF, "scan.pdf")
        cr = self.env.cr

        def delete_last():
            cr.execute(
                "DELETE FROM hr_enforcement_event WHERE id = (SELECT id FROM hr_enforcement_event "
                "WHERE case_id = %s ORDER BY sequence DESC LIMIT 1)",
                [case.id],
            )

        self.assertIn("deleted", self._break_and_find(case, delete_last))

    def test_r22_3_a_break_is_alerted_once_whatever_the_jobs_language(self):
        """Issue 24 item 11: a run in another language found the alert's translated words
        new and alerted again; alerts are now found by a key in one language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["hr_enforcement_record"], ["zh_CN"])
        case = self._open_case()
        Event = self.env["hr.enforcement.event"]
        self.env.flush_all()
        self.env["hr.enforcement.event.head"]._cron_record_head()
        self.env.cr.execute(
            "DELETE FROM hr_enforcement_event WHERE id = (SELECT id FROM hr_enforcement_event "
            "WHERE case_id = %s ORDER BY sequence DESC LIMIT 1)",
            [case.id],
        )
        self.env.invalidate_all()
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        counts = []
        for lang in ("zh_CN", "en_US", "zh_CN"):
            found = Event.with_context(lang=lang)._cron_verify_chains(batch_size=100000)[0]
            self.assertIn(case, found)
            counts.append(len(case.activity_ids.filtered(lambda a: a.activity_type_id == kind)))
        self.assertTrue(counts[0])
        self.assertEqual(counts, [counts[0]] * 3, "one alert per person, in any language")

    def test_r22_3_tail_rewritten_with_recomputed_hashes_is_found(self):
        """An insider rewrites the last event and recomputes its hash and the head row, so
        the chain itself verifies: the daily head's leaf still tells."""
        case = self._open_case()
        self._upload(self._av(case), PDF, "scan.pdf")
        Event = self.env["hr.enforcement.event"]
        cr = self.env.cr

        def rewrite_tail():
            last = Event.search([("case_id", "=", case.id)], order="sequence desc", limit=1)
            cr.execute(
                "SELECT id, case_id, sequence, event_type, res_model, res_id, description, "
                "purpose, user_id, timestamp, remote_addr, origin_model, origin_id, prev_hash, "
                "hash, hash_version FROM hr_enforcement_event WHERE id = %s",
                [last.id],
            )
            row = cr.dictfetchall()[0]
            row["description"] = "nothing happened"
            forged = Event._compute_chain_hash(row)
            cr.execute(
                "UPDATE hr_enforcement_event SET description = %s, hash = %s WHERE id = %s",
                [row["description"], forged, last.id],
            )
            cr.execute(
                "UPDATE hr_enforcement_event_chain SET last_hash = %s WHERE case_id = %s",
                [forged, case.id],
            )
            self.assertFalse(Event._verify_chain(case), "the chain alone no longer tells")

        self.assertIn("chain head", self._break_and_find(case, rewrite_tail))

    def test_r22_3_daily_head_is_a_merkle_root_over_its_leaves(self):
        case = self._open_case()
        self.env.flush_all()
        head = self.env["hr.enforcement.event.head"]._cron_record_head()
        self.assertIn(case, head.leaf_ids.case_id)
        leaf = head.leaf_ids.filtered(lambda x: x.case_id == case)
        last = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id)], order="sequence desc", limit=1
        )
        self.assertEqual((leaf.last_sequence, leaf.last_hash), (last.sequence, last.hash))
        leaves = head.leaf_ids.sorted(lambda x: x.case_id.id).mapped("leaf_hash")
        self.assertEqual(merkle_root(leaves), head.merkle_root)
        self.assertEqual(head.digest, head._own_digest())
        with self.assertRaisesRegex(UserError, "R22.3"):
            leaf.with_user(self.manager).sudo().write({"last_hash": "0" * 64})

    def test_r22_3_sql_rewrite_is_caught(self):
        case = self._open_case()
        self._upload(self._av(case), PDF, "scan.pdf")
        Event = self.env["hr.enforcement.event"]
        target = Event.search([("case_id", "=", case.id), ("event_type", "=", "file_added")])
        self.env.cr.execute(
            "UPDATE hr_enforcement_event SET description = 'nothing happened' WHERE id = %s",
            [target.id],
        )
        self.assertEqual(Event._verify_chain(case), target, "the first broken link is pinpointed")
        action = case.action_verify_event_chain()
        self.assertEqual(action["params"]["type"], "danger")

    def test_r22_3_log_is_append_only(self):
        case = self._create_case()
        event = self.env["hr.enforcement.event"].search([("case_id", "=", case.id)], limit=1)
        for env_user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R22.3"):
                event.with_user(env_user).sudo().write({"description": "x"})
            with self.assertRaisesRegex(UserError, "R22.3"):
                event.with_user(env_user).sudo().unlink()
        with self.assertRaisesRegex(UserError, "R22.3"):
            self.env["hr.enforcement.event"].sudo().create(
                {
                    "case_id": case.id,
                    "sequence": 99,
                    "event_type": "viewed",
                    "user_id": 1,
                    "timestamp": fields.Datetime.now(),
                }
            )

    def test_r22_3_chain_head_printed_on_the_event_log_report(self):
        """The printed log carries the case's chain head and the latest daily head, and is
        drawn without wkhtmltopdf (the set-up does not provide it)."""
        case = self._open_case()
        self.env["hr.enforcement.event"]._log(case, "viewed", description="现场检查笔录\t已查阅")
        self.env["hr.enforcement.event.head"]._cron_record_head()
        reports = self.env["ir.actions.report"].search([("model", "like", "hr.enforcement.%")])
        self.assertTrue(reports)
        self.assertEqual(
            set(reports.mapped("report_file")),
            {"hr_enforcement_reportlab"},
            "no report of the addons depends on wkhtmltopdf",
        )
        stream = io.BytesIO()
        case.with_context(lang="en_US")._render_event_log(stream)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=stream.getvalue(), capture_output=True, check=True
        ).stdout.decode()
        flat = "".join(text.split())
        self.assertIn(self.env["hr.enforcement.event"]._get_chain_head(case), flat)
        self.assertIn(self.env["hr.enforcement.event.head"].search([], limit=1).digest, flat)
        self.assertIn("现场检查笔录", flat)
        events = self.env["hr.enforcement.event"].search([("case_id", "=", case.id)])
        for event in events:
            self.assertIn(event.hash[:16], flat)
        # R21.1: one clock for every reader, the bureau's, with its offset
        self.assertIn("Time(Asia/Shanghai)", flat)
        self.assertIn("".join(events[:1].timestamp_local.split()), flat)
        self.assertIn("(UTC+08:00)", events[:1].timestamp_local)

    def test_r22_3_daily_head_once_a_day(self):
        self._create_case()
        Head = self.env["hr.enforcement.event.head"]
        Head._cron_record_head()
        Head._cron_record_head()
        head = Head.search([("date", "=", fields.Date.context_today(Head))])
        self.assertEqual(len(head), 1)
        self.assertEqual(len(head.digest), 64)


class TestRecords(EvidenceCase):
    """R8.1, R9.3, R10.1, R11.1, R13.1, R18.2, R22.3 on text and AV records."""

    def test_r8_1_investigation_record_needs_two_certified_officers(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._text(case, certificate_ids=[(6, 0, self.cert[self.officer].ids)])
        expired = self._make_certificate(
            self.outsider.employee_id, "OLD-1", date(2015, 1, 1), date(2020, 1, 1)
        )
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._text(
                case,
                certificate_ids=[
                    (6, 0, [self.cert[self.officer].id, self.cert[self.officer2].id, expired.id])
                ],
            )
        record = self._text(case)
        self.assertEqual(record.stage, "investigation", "a record belongs to a stage (R3.1)")

    def test_r10_1_inspection_needs_av_or_reason(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R10.1"):
            self._text(case, self.doc_inspection)
        self._text(
            case, self.doc_inspection, av_exemption_reason="Recording refused in a hospital ward."
        )
        self._text(case, self.doc_inspection, av_record_ids=[(6, 0, self._av(case).ids)])

    def test_r9_2_documents_signed_by_officers_and_party(self):
        """A document that the party signs is sealed only once signed by the party (or
        the refusal recorded) and made by two certified officers."""
        case = self._open_case()
        record = self._text(case, party_signed=False)
        self._upload(record, PDF, "inquiry.pdf")
        with self.assertRaisesRegex(ValidationError, r"R9\.2"):
            record.action_seal()
        record.party_signed = True
        record.action_seal()
        self.assertTrue(record.sealed)
        self.assertEqual(len(record.certificate_ids), 2, "signed by two certified officers")

    def test_r5_1_every_record_is_kept_as_data(self):
        """Text and AV records, their files (bytes and fixity) and what happened to them
        are data of the system, read back as stored."""
        case = self._open_case()
        text = self._text(case)
        photo = make_jpeg(color=(9, 9, 9))
        evidence = self._upload(self._av(case), photo, "site.jpg")
        self._upload(text, PDF, "inquiry.pdf")
        self.assertEqual(self._stored_bytes(evidence), photo)
        self.assertEqual(evidence.sha256, hashlib.sha256(photo).hexdigest())
        events = self.env["hr.enforcement.event"].search([("case_id", "=", case.id)])
        self.assertIn("file_added", events.mapped("event_type"))
        self.assertEqual(case.text_record_count, 1)
        self.assertEqual(case.av_record_count, 1)

    def test_r9_3_r11_1_r13_1_checked_when_sealing(self):
        case = self._open_case()
        record = self._text(case, party_signed=False)
        self._upload(record, PDF, "inquiry.pdf")
        with self.assertRaisesRegex(ValidationError, "R9.3"):
            record.action_seal()
        record.refusal_note = "The party refused to sign."
        record.action_seal()
        self.assertTrue(record.sealed)
        preservation = self._text(
            case, self.env.ref("hr_enforcement_record.document_type_evidence_register")
        )
        self._upload(preservation, make_jpeg(color=(5, 5, 5)), "list.jpg")
        with self.assertRaisesRegex(ValidationError, "R11.1"):
            preservation.action_seal()
        decision = self._text(case, self.doc_decision, certificate_ids=[])
        self._upload(decision, PDF.replace(b"1.4", b"1.5"), "decision.pdf")
        with self.assertRaisesRegex(ValidationError, "R13.1"):
            decision.action_seal()

    def test_r22_3_sealed_record_is_frozen_for_everyone(self):
        case = self._open_case()
        record = self._text(case)
        self._upload(record, PDF, "inquiry.pdf")
        record.action_seal()
        for user in (self.officer, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R22.3"):
                record.with_user(user).sudo().write({"name": "Rewritten"})
            with self.assertRaisesRegex(UserError, "R22.3"):
                record.with_user(user).sudo().unlink()
        with self.assertRaisesRegex(UserError, "R22.3"):
            self._upload(record, make_jpeg(color=(7, 7, 7)))
        with self.assertRaisesRegex(UserError, "R22.3"):
            record.write({"sealed": False})
        # a context sent over JSON-RPC cannot carry the application's own marker
        with self.assertRaisesRegex(UserError, "R22.3"):
            record.with_context(hr_enforcement_system=True).write({"sealed": False})
        action = record.action_correct()
        correction = self.env["hr.enforcement.text.record"].browse(action["res_id"])
        self.assertEqual(correction.corrects_id, record)
        self.assertFalse(correction.sealed)

    def test_r13_5_sealing_a_decision_document_opens_its_review(self):
        """Sealing asks for confirmation in the form; a decision document then goes to the
        case's decision approval, unless one is already under way."""
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        decision = self._text(
            case,
            self.doc_decision,
            certificate_ids=[],
            legal_basis="art. 82",
            remedies_notice="Reconsideration within 60 days.",
        )
        self._upload(decision, PDF, "decision.pdf")
        action = decision.with_user(self.officer).action_seal()
        self.assertTrue(decision.sealed)
        self.assertEqual(action["res_model"], "hr.enforcement.approval")
        self.assertEqual(action["context"]["default_kind"], "decision")
        self.assertEqual(action["context"]["default_res_id"], case.id)
        inquiry = self._text(case, name="Second inquiry")
        self._upload(inquiry, PDF, "inquiry.pdf")
        self.assertIs(inquiry.with_user(self.officer).action_seal(), True, "nothing to review")

    def test_r22_3_decision_seals_every_record(self):
        case = self._open_case()
        record = self._text(case)
        av = self._av(case)
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"decision_summary": "Pay the wages"})
        self._approve(case, "decision")
        self._excuse_missing(case)
        case.action_to_service()
        self.assertTrue(record.sealed and av.sealed)

    @freeze_time("2026-03-03 12:00:00")
    def test_r18_2_av_upload_within_24_hours(self):
        case = self._open_case()
        late = self._av(case, capture_start="2026-03-02 06:00:00")
        self._upload(late, make_jpeg(color=(11, 11, 11)))
        self.assertTrue(late.upload_late)
        on_time = self._av(case, capture_start="2026-03-02 13:00:00")
        self._upload(on_time, make_jpeg(color=(12, 12, 12)))
        self.assertFalse(on_time.upload_late)
        off_site = self._av(
            case,
            capture_start="2026-02-27 10:00:00",
            off_site=True,
            returned_at="2026-03-03 08:00:00",
        )
        self._upload(off_site, make_jpeg(color=(13, 13, 13)))
        self.assertFalse(off_site.upload_late, "24 hours run from the return to the unit")

    @freeze_time("2026-03-03 12:00:00")
    def test_r18_2_bad_times_and_devices(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "future"):
            self._av(case, capture_start="2026-03-04 12:00:00")
        with self.assertRaisesRegex(ValidationError, "R18.2"):
            self._av(case, capture_start="2026-03-01 12:00:00", off_site=True)
        uploaded = self._av(case, capture_start="2026-03-03 08:00:00")
        self._upload(uploaded, make_jpeg(color=(14, 14, 14)))
        with (
            freeze_time("2026-03-03 14:00:00"),
            self.assertRaisesRegex(UserError, "R18.2"),
        ):
            # the 24 hours are measured from times that no longer move once a file is in
            uploaded.with_user(self.officer).capture_start = "2026-03-03 13:00:00"
        with self.assertRaisesRegex(UserError, "R18.2"):
            uploaded.with_user(self.officer).write({"uploaded_at": "2026-03-03 09:00:00"})
        with self.assertRaisesRegex(ValidationError, "R4.2"):
            self._av(case, officer_id=self.officer2.employee_id.id)
        self.device.active = False
        with self.assertRaisesRegex(ValidationError, "R4.2"):
            self._av(case)

    def test_case_form_query_count_flat(self):
        """Opening a case costs the same queries with 1 or 1,000 records."""
        case_small = self._open_case()
        case_big = self._open_case()
        Text = self.env["hr.enforcement.text.record"].with_user(self.officer)
        base = {
            "name": "Notice",
            "document_type_id": self.env.ref(
                "hr_enforcement_record.document_type_evidence_request"
            ).id,
        }
        Text.create([dict(base, case_id=case_small.id)])
        Text.create([dict(base, case_id=case_big.id) for _i in range(1000)])
        spec = {
            name: {}
            for name in (
                "name",
                "stage",
                "text_record_count",
                "av_record_count",
                "event_count",
                "investigation_count",
                "approval_pending_count",
            )
        }

        def count(case):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            case.with_user(self.officer).web_read(spec)
            return self.env.cr.sql_log_count - before

        count(case_small)  # warm the registry and view caches
        small, big = count(case_small), count(case_big)
        self.assertLessEqual(
            abs(big - small), 2, f"{small} queries with 1 record, {big} with 1,000"
        )


class TestCompleteness(EvidenceCase):
    """R8–R17 completeness matrix: required records present, missing or excused in writing."""

    def _status(self, case):
        lines = self.env["hr.enforcement.case.requirement"].search([("case_id", "=", case.id)])
        return {line.requirement_id.document_type_id.code: line.status for line in lines}

    def test_r9_1_case_cannot_leave_investigation_without_inquiry(self):
        case = self._open_case()
        self._add_step(case)
        self.assertEqual(self._status(case)["inquiry"], "missing")
        with self.assertRaisesRegex(UserError, r"Inquiry transcript \(R8.1, R9.1\)"):
            case.action_to_decision()
        self._text(case)
        self.assertEqual(self._status(case)["inquiry"], "present")
        case.action_to_decision()
        self.assertEqual(case.stage, "decision")

    def test_r22_1_excuse_needs_a_written_reason(self):
        case = self._open_case(enforcement_type="inspection")
        self._add_step(case)
        requirement = self.env.ref("hr_enforcement_record.requirement_inspection_onsite")
        Excuse = self.env["hr.enforcement.requirement.excuse"].with_user(self.officer)
        with self.assertRaises(ValidationError):
            Excuse.create({"case_id": case.id, "requirement_id": requirement.id, "reason": "  "})
        Excuse.create(
            {"case_id": case.id, "requirement_id": requirement.id, "reason": "Desk review only."}
        )
        line = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("requirement_id", "=", requirement.id)]
        )
        self.assertEqual((line.status, line.excuse_reason), ("excused", "Desk review only."))
        case.action_to_decision()

    def test_r13_1_decision_stage_requirements_by_type(self):
        penalty = self._open_case()
        licensing = self._open_case(enforcement_type="licensing")
        self.assertEqual(
            set(self._status(penalty)),
            {"inquiry", "penalty_notice", "approval_form", "decision", "closing_approval_form"},
        )
        self.assertEqual(set(self._status(licensing)), {"decision", "closing_approval_form"})
        self._add_step(licensing)
        licensing.action_to_decision()
        licensing.write({"decision_summary": "Licence granted", "decision_kind": "licence_grant"})
        self._approve(licensing, "decision")
        with self.assertRaisesRegex(UserError, "R13.1"):
            licensing.action_to_service()


class TestSealedChatter(EvidenceCase):
    """R22.3: the chatter and attachments of a sealed record are frozen with it."""

    def test_r22_3_sealed_chatter_and_attachments(self):
        case = self._open_case()
        record = self._text(case)
        self._upload(record, PDF, "inquiry.pdf")
        attachment = self.env["ir.attachment"].create(
            {"name": "note.txt", "raw": b"note", "res_model": record._name, "res_id": record.id}
        )
        message = record.message_post(
            body="Signed in the presence of two officers.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        record.action_seal()
        with self.assertRaisesRegex(UserError, "R22.3"):
            record._message_update_content(message, "Rewritten")
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R22.3"):
                attachment.with_user(user).sudo().unlink()
            with self.assertRaisesRegex(UserError, "R22.3"):
                attachment.with_user(user).sudo().write({"raw": b"changed"})

    def test_r22_3_a_sealed_records_note_is_still_sent_its_content_never_changes(self):
        """Sending gives a message its e-mail Message-Id (framework bookkeeping, written
        without reading the message's record); its body stays frozen."""
        case = self._open_case()
        record = self._text(case)
        self._upload(record, PDF, "inquiry.pdf")
        record.action_seal()
        note = record.message_post(
            body="Sealed.", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        note.sudo().write({"message_id": "<sent.1@hr-enforcement.example>"})
        self.assertEqual(note.message_id, "<sent.1@hr-enforcement.example>")
        with self.assertRaisesRegex(UserError, "frozen"):
            note.sudo().write({"body": "Not sealed after all."})


def make_mp4(captured):
    """A minimal MP4: ftyp, then moov holding an mvhd box with `captured` (UTC)."""
    seconds = int((captured - datetime(1904, 1, 1)).total_seconds())
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 0, b"isom")
    mvhd_body = bytes([0, 0, 0, 0]) + struct.pack(">IIII", seconds, seconds, 1000, 0) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    return ftyp + moov + b"\x00\x00\x00\x08mdat"


class TestContainersAndDerivatives(EvidenceCase):
    """R3.3: capture time from MP4 metadata; derivatives never replace originals (R22.3)."""

    def test_r3_3_capture_time_read_from_mp4(self):
        case = self._open_case()
        record = self._av(case, media_type="video")
        self._upload(record, make_mp4(datetime(2026, 3, 2, 1, 15)), "bodycam.mp4")
        self.assertEqual(record.capture_start, datetime(2026, 3, 2, 1, 15))
        self.assertEqual(record.capture_time_source, "metadata")

    def test_r22_3_redaction_is_a_derivative_of_its_original(self):
        case = self._open_case()
        record = self._av(case)
        original = self._upload(record, make_jpeg(color=(31, 32, 33)), "face.jpg")
        redacted = (
            self.env["hr.enforcement.evidence.file"]
            .with_user(self.officer)
            ._create_from_stream(
                io.BytesIO(make_jpeg(color=(0, 0, 0))),
                "face-redacted.jpg",
                record,
                original=original,
            )
        )
        self.assertEqual(redacted.original_id, original)
        self.assertNotEqual(redacted.sha256, original.sha256)
        self.assertEqual(self._stored_bytes(original), make_jpeg(color=(31, 32, 33)))


class TestAccessLogging(EvidenceCase):
    """R22.2: views and exports of records are logged in the case's chain."""

    def test_r22_2_view_and_export_logged(self):
        case = self._open_case()
        record = self._av(case)
        Event = self.env["hr.enforcement.event"]
        evidence = self._upload(record, PDF, "scan.pdf")
        evidence.with_user(self.officer2)._get_download_location("Review", inline=True)
        viewed = Event.search([("case_id", "=", case.id), ("event_type", "=", "viewed")])
        self.assertEqual(viewed.user_id, self.officer2)
        record.with_user(self.manager).export_data(["name", "media_type"])
        exported = Event.search([("case_id", "=", case.id), ("event_type", "=", "exported")])
        self.assertEqual(exported.user_id, self.manager)
        self.assertIn(record.name, exported.description)
        self.assertFalse(Event._verify_chain(case))


class TestCaptureTimeFlagged(EvidenceCase):
    """R18.2 with R22.4: evidence is never refused for its metadata. A file without a usable
    capture time is stored and flagged; the officer gives the time once, or why it cannot
    be given; until then the record is not sealed and does not count as stored in time."""

    def _events(self, record, event_type):
        return self.env["hr.enforcement.event"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("event_type", "=", event_type),
            ]
        )

    @freeze_time("2026-03-03 12:00:00")
    def test_r18_2_future_capture_time_in_the_file_is_stored_and_flagged(self):
        case = self._open_case()
        record = self._av(case)
        self.officer.tz = "Asia/Shanghai"
        # the camera's clock reads tomorrow: the photo is kept, its time is not believed
        evidence = self._upload(record, make_jpeg(taken="2026:03:04 09:15:00"))
        self.assertTrue(evidence.exists())
        self.assertFalse(record.capture_start)
        self.assertEqual(record.capture_time_issue, "future")
        self.assertEqual(record.capture_time_in_file, datetime(2026, 3, 4, 1, 15))
        self.assertTrue(record.capture_time_pending)
        with self.assertRaisesRegex(ValidationError, "R18.2"):
            record.with_user(self.officer).action_seal()
        # given once, logged; then it no longer changes
        record.with_user(self.officer).write({"capture_start": "2026-03-03 01:15:00"})
        self.assertFalse(record.capture_time_pending)
        self.assertEqual(record.capture_time_source, "manual")
        given = self._events(record, "capture_time_given")
        self.assertEqual(len(given), 1)
        self.assertIn("2026-03-03 09:15:00 (UTC+08:00)", given.purpose, "bureau time in the log")
        with self.assertRaisesRegex(UserError, "R18.2"):
            record.with_user(self.officer).write({"capture_start": "2026-03-03 02:15:00"})
        record.with_user(self.officer).action_seal()
        self.assertTrue(record.sealed)

    @freeze_time("2026-03-03 12:00:00")
    def test_r18_2_missing_capture_time_excused_with_a_reason(self):
        case = self._open_case()
        record = self._av(case, media_type="video")
        # an MP4 whose header holds no movie box: nothing says when it was recorded
        no_moov = make_mp4(datetime(2026, 3, 2, 1, 15))[:20] + b"\x00\x00\x00\x08mdat"
        self._upload(record, no_moov, "bodycam.mp4")
        self.assertEqual(record.capture_time_issue, "missing")
        self.assertTrue(record.capture_time_pending)
        record.with_user(self.officer).write(
            {"capture_time_reason": "记录仪时钟故障，拍摄时间无法确定。"}
        )
        self.assertFalse(record.capture_time_pending)
        self.assertEqual(len(self._events(record, "capture_time_excused")), 1)
        with self.assertRaisesRegex(UserError, "R18.2"):
            record.with_user(self.officer).write({"capture_time_reason": "另一个理由"})
        record.with_user(self.officer).action_seal()

    @freeze_time("2026-03-03 12:00:00")
    def test_r18_2_unreadable_metadata_is_stored_and_blocks_the_decision(self):
        case = self._open_case()
        record = self._av(case, media_type="video")
        # an mvhd box cut short: the parser fails, the bytes are evidence all the same
        broken = make_mp4(datetime(2026, 3, 2, 1, 15))[:40]
        evidence = self._upload(record, broken, "bodycam.mp4")
        self.assertEqual(self._stored_bytes(evidence), broken)
        self.assertEqual(record.capture_time_issue, "unreadable")
        self._approve_decision(case)
        with self.assertRaisesRegex(UserError, "R18.2"):
            case.action_to_service()
