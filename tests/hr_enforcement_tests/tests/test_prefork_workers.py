"""A resumable upload survives the production server (R18.2, R22.3): Odoo in prefork mode,
two worker processes, the worker receiving a chunk killed in the middle of it (as the
master does at limit_time_real); the upload resumes on the other worker and completes
byte for byte."""

import hashlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import closing

import psutil
import requests

from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tools import SQL, config

CHUNK = 1024 * 1024
FIXTURE = """
Employee, Users = env["hr.employee"], env["res.users"].with_context(no_reset_password=True)
group = env.ref("hr_enforcement_record.hr_enforcement_record_group_officer")
department = env["hr.department"].create({"name": "Inspection"})
user = Users.create({
    "name": "Officer", "login": "prefork", "password": "prefork-pass",
    "groups_id": [(6, 0, group.ids)],
})
people = [
    Employee.create({"name": name, "department_id": department.id, "user_id": uid})
    for name, uid in (("Officer", user.id), ("Reviewer", False), ("Approver", False))
]
env["hr.enforcement.certificate"].create({
    "number": "PF-CERT", "employee_id": people[0].id, "issuing_authority": "Liaoning",
    "date_from": "2020-01-01", "date_to": "2099-12-31",
})
case = env["hr.enforcement.case"].with_user(user).create({
    "subject": "Upload across workers", "enforcement_type": "inspection",
    "origin": "ex_officio", "department_id": department.id, "handler_id": people[0].id,
    "reviewer_id": people[1].id, "approver_id": people[2].id,
})
device = env["hr.enforcement.av.device"].create({
    "name": "Camera", "device_type": "bodycam", "serial_number": "PF-1",
    "holder_id": people[0].id,
})
record = env["hr.enforcement.av.record"].with_user(user).create({
    "case_id": case.id, "name": "Video", "media_type": "video",
    "device_id": device.id, "officer_id": people[0].id,
})
env.cr.commit()
print(f"RECORD={record.id}")
"""


def _odoo_args(db, command=()):
    args = [
        sys.executable,
        sys.argv[0],
        *command,
        f"--addons-path={config['addons_path']}",
        f"--data-dir={config['data_dir']}",
        f"--database={db}",
    ]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(option):
            args.append(f"--{option}={config[option]}")
    return args


@tagged("post_install", "-at_install")
class TestUploadAcrossWorkers(BaseCase):
    def setUp(self):
        super().setUp()
        self.db = f"hre_prefork_{uuid.uuid4().hex[:8]}"
        self.addCleanup(self._drop_db)
        base = _odoo_args(self.db)
        subprocess.run(
            [*base, "-i", "hr_enforcement_record", "--without-demo=all", "--stop-after-init",
             "--log-level=warn"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        shell = subprocess.run(
            [*_odoo_args(self.db, ["shell"]), "--log-level=warn"],
            input=FIXTURE, text=True, capture_output=True, timeout=300, check=False,
        )  # fmt: skip
        self.assertEqual(shell.returncode, 0, shell.stderr[-3000:])
        self.record_id = int(shell.stdout.split()[-1].split("=")[1])
        self.port = 20000 + os.getpid() % 20000
        self.server = subprocess.Popen(
            [*base, "--workers=2", "--max-cron-threads=0", f"--http-port={self.port}",
             f"--gevent-port={self.port + 1}", "--log-level=warn"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.addCleanup(self._stop_server)
        self.url = f"http://127.0.0.1:{self.port}"
        for _attempt in range(120):
            try:
                requests.get(f"{self.url}/web/health", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.5)
        # the officer's browser session: kept in the filestore, shared by every worker
        self.session = requests.Session()
        login = self.session.post(
            f"{self.url}/web/session/authenticate",
            json={"params": {"db": self.db, "login": "prefork", "password": "prefork-pass"}},
            timeout=60,
        ).json()
        self.assertTrue(login.get("result", {}).get("uid"), login)

    def _stop_server(self):
        self.server.send_signal(signal.SIGINT)
        try:
            self.server.wait(30)
        except subprocess.TimeoutExpired:
            self.server.kill()

    def _drop_db(self):
        """exp_drop() drops only the databases this server lists, and a test run started with
        -d lists that one alone: the prefork database is dropped here, and checked gone."""
        with closing(db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(self.db)))
            cr.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [self.db])
            left = cr.fetchone()[0]
        shutil.rmtree(config.filestore(self.db), ignore_errors=True)
        if left:
            raise AssertionError(f"the test database {self.db} was not dropped")

    def _headers(self, **extra):
        return dict({"Tus-Resumable": "1.0.0"}, **extra)

    def _offset(self, location):
        answer = self.session.head(self.url + location, headers=self._headers(), timeout=30)
        return int(answer.headers["Upload-Offset"])

    def _patch(self, location, chunk, offset):
        return self.session.patch(
            self.url + location,
            data=chunk,
            headers=self._headers(
                **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
            ),
            timeout=60,
        )

    def _worker_serving(self, client_port):
        """The pid of the server process that holds our connection."""
        for child in psutil.Process(self.server.pid).children(recursive=True):
            connections = getattr(child, "net_connections", child.connections)  # psutil < 6
            for conn in connections(kind="tcp"):
                if conn.raddr and conn.raddr.port == client_port and conn.laddr.port == self.port:
                    return child.pid
        return None

    def _cut_chunk_by_killing_its_worker(self, location, chunk, offset):
        """Send half of `chunk`, then SIGKILL the worker receiving it; its pid."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.connect()
        client_port = conn.sock.getsockname()[1]
        conn.putrequest("PATCH", location)
        headers = self._headers(
            **{
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(len(chunk)),
                "Cookie": f"session_id={self.session.cookies['session_id']}",
            }
        )
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(chunk[: len(chunk) // 2])
        worker = None
        for _attempt in range(100):
            worker = self._worker_serving(client_port)
            if worker:
                break
            time.sleep(0.05)
        self.assertTrue(worker, "a worker holds the connection")
        os.kill(worker, signal.SIGKILL)
        with self.assertRaises(OSError):  # reset, broken pipe or closed: the chunk is lost
            conn.send(chunk[len(chunk) // 2 :])
            conn.getresponse().read()
        conn.close()
        return worker

    def test_r18_2_upload_resumed_on_another_worker_after_its_worker_was_killed(self):
        data = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(6 * CHUNK)
        metadata = "filename dmlkZW8ubXA0"  # video.mp4
        created = self.session.post(
            f"{self.url}/hr_enforcement/tus/hr.enforcement.av.record/{self.record_id}",
            headers=self._headers(**{"Upload-Length": str(len(data)), "Upload-Metadata": metadata}),
            timeout=30,
        )
        self.assertEqual(created.status_code, 201, created.text)
        location = created.headers["Location"]
        self.assertEqual(self._patch(location, data[: 2 * CHUNK], 0).status_code, 204)
        killed = self._cut_chunk_by_killing_its_worker(
            location, data[2 * CHUNK : 4 * CHUNK], 2 * CHUNK
        )
        for _attempt in range(100):  # a loaded machine takes a moment to end the process
            try:
                if psutil.Process(killed).status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.NoSuchProcess:
                break
            time.sleep(0.1)
        else:
            self.fail(f"worker {killed} survived SIGKILL")
        # the other worker (the killed one is gone) knows where the upload stands
        offset = self._offset(location)
        self.assertEqual(offset, 2 * CHUNK, "the cut chunk is dropped whole")
        last = None
        while offset < len(data):
            last = self._patch(location, data[offset : offset + 2 * CHUNK], offset)
            self.assertEqual(last.status_code, 204, last.text)
            offset = int(last.headers["Upload-Offset"])
        self.assertTrue(last.headers.get("Evidence-Id"))
        digest = hashlib.sha256(data).hexdigest()
        stored = os.path.join(config.filestore(self.db), "hr_enforcement", digest[:2], digest)
        with open(stored, "rb") as handle:
            self.assertEqual(handle.read(), data, "byte for byte")
        with db_connect(self.db).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM hr_enforcement_evidence_file WHERE sha256 = %s", [digest]
            )
            self.assertEqual(cr.fetchone()[0], 1, "registered once")
