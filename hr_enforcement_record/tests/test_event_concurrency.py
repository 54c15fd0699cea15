import threading
import time

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestEventLogConcurrency(TransactionCase):
    """R22.3: two transactions appending to one case's log at once — a download while a
    colleague uploads — both succeed and the chain neither forks nor breaks. Real cursors
    on committed data (the demo cases), as two workers would have."""

    def _committed_case_id(self, cr):
        cr.execute("SELECT id FROM hr_enforcement_case ORDER BY id LIMIT 1")
        row = cr.fetchone()
        self.assertTrue(row, "the test database holds the demo cases")
        return row[0]

    def test_r22_3_two_writers_on_one_case_never_fork_the_chain(self):
        dbname = self.env.cr.dbname
        with db_connect(dbname).cursor() as cr:
            case_id = self._committed_case_id(cr)
            cr.execute(
                "SELECT last_sequence, last_hash FROM hr_enforcement_event_chain "
                "WHERE case_id = %s",
                [case_id],
            )
            head = cr.fetchone()
        first_cr, second_cr = db_connect(dbname).cursor(), db_connect(dbname).cursor()
        outcome = {}
        try:
            first = api.Environment(first_cr, SUPERUSER_ID, {})
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            first["hr.enforcement.event"]._log(
                first["hr.enforcement.case"].browse(case_id), "verified", None, "first writer"
            )

            def append_second():
                # what Odoo's request loop (odoo.service.model.retrying) does on a
                # serialisation failure: roll back, forget the cache, run again; its own
                # helper would wait here on the registry lock that the test runner holds
                for _attempt in range(5):
                    try:
                        event = second["hr.enforcement.event"]._log(
                            second["hr.enforcement.case"].browse(case_id),
                            "verified",
                            None,
                            "second writer",
                        )
                        second_cr.commit()
                        outcome["id"] = event.id
                        return
                    except OperationalError as error:
                        if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                            outcome["error"] = error
                            return
                        outcome["retries"] = outcome.get("retries", 0) + 1
                        second_cr.rollback()
                        second.invalidate_all()
                    except Exception as error:  # noqa: BLE001 - reported below
                        outcome["error"] = error
                        return

            writer = threading.Thread(target=append_second)
            writer.start()
            time.sleep(1.0)  # the second writer now waits on the chain head's row lock
            first_cr.commit()
            writer.join(60)
            self.assertNotIn("error", outcome, outcome.get("error"))
            self.assertEqual(outcome.get("retries"), 1, "the clash surfaced as one retry")
            with db_connect(dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                case = env["hr.enforcement.case"].browse(case_id)
                events = env["hr.enforcement.event"].search(
                    [("case_id", "=", case_id), ("sequence", ">", head[0])], order="sequence"
                )
                self.assertEqual(events.mapped("description"), ["first writer", "second writer"])
                self.assertEqual(events.mapped("sequence"), [head[0] + 1, head[0] + 2])
                self.assertEqual(events[1].prev_hash, events[0].hash, "one chain, no fork")
                self.assertFalse(env["hr.enforcement.event"]._verify_chain(case))
        finally:
            first_cr.close()
            second_cr.close()
            with db_connect(dbname).cursor() as cr:
                # the test's own events leave the committed demo log as it was
                cr.execute(
                    "DELETE FROM hr_enforcement_event WHERE case_id = %s AND sequence > %s",
                    [case_id, head[0]],
                )
                cr.execute(
                    "UPDATE hr_enforcement_event_chain SET last_sequence = %s, last_hash = %s "
                    "WHERE case_id = %s",
                    [head[0], head[1], case_id],
                )
                cr.commit()  # pylint: disable=invalid-commit  # own cursor, not the test's
