"""The counter in the Chinese web client (R6.1, R6.2)."""

import io
from datetime import timedelta

from odoo.tests import tagged

from .common import DemoUserTourCase


@tagged("post_install", "-at_install")
class TestCounterApplicationTour(DemoUserTourCase):
    def test_r6_1_r6_2_officer_registers_links_the_counter_clip_and_accepts(self):
        self.start_tour("/odoo", "hr_enforcement_counter_application_tour", login="sunlei")
        application = self.env["hr.enforcement.application"].search(
            [("officer_id.user_id.login", "=", "sunlei"), ("state", "=", "received")]
        )
        self.assertEqual(len(application), 1)
        self.assertTrue(all(application.material_ids.mapped("received")))
        # the hall camera's segment covering the reception arrives from the station
        camera = self.env.ref("hr_enforcement_record.av_device_hall_camera_demo")
        station = self.env.ref("hr_enforcement_record.station_inspection_demo")
        body = io.BytesIO(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"tour" * 100)
        facts = self.env["hr.enforcement.filestore"]._ingest(body, "tour-counter.mp4")
        clip = station.sudo()._receive_clip(
            facts,
            "tour-counter.mp4",
            {
                "device_id": camera.id,
                "officer_id": False,
                "capture_start": application.received_at - timedelta(minutes=30),
                "capture_end": application.received_at + timedelta(seconds=1),
            },
        )
        self.start_tour("/odoo", "hr_enforcement_counter_acceptance_tour", login="sunlei")
        self.assertEqual(application.counter_clip_id, clip)
        self.assertEqual(application.state, "accepted")
        case = application.case_id
        self.assertEqual((case.enforcement_type, case.origin), ("licensing", "application"))
        self.assertEqual(clip.av_record_id.case_id, case, "the recording is the case's (R6.2)")
        line = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("requirement_ref", "=", "R6.2")]
        )
        self.assertEqual(line.status, "present")
