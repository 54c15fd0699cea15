"""A real Ceph object gateway on this machine, for tests and benchmarks: a one-node
cluster (monitor, manager, one memstore OSD, the S3 gateway on a loopback port) started by
`setup/ceph_rgw.sh` from Debian's Ceph packages, and stopped with everything it kept. No
mock of S3: Object Lock, versions and multipart uploads are the gateway's own."""

import glob
import json
import os
import subprocess
import tempfile
import uuid

import boto3
from botocore.config import Config

from odoo.modules.module import get_module_path

SCRIPT = os.path.join(
    os.path.dirname(get_module_path("hr_enforcement_record")), "setup", "ceph_rgw.sh"
)


class CephGateway:
    """`start()` then `stop()`; `client()` speaks S3 with the gateway user's own keys,
    `new_bucket()` makes a bucket (with Object Lock and versioning unless told not to)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="hr_enforcement_ceph_")
        self.endpoint = self.access_key = self.secret_key = None

    def start(self):
        answer = subprocess.run(
            [SCRIPT, "start", self.dir], capture_output=True, text=True, timeout=240, check=False
        )
        if answer.returncode:
            logs = ""
            for name in sorted(glob.glob(os.path.join(self.dir, "log", "*.log"))):
                with open(name, errors="replace") as handle:
                    logs += f"\n--- {os.path.basename(name)}\n" + handle.read()[-1500:]
            self.stop()
            raise RuntimeError(f"Ceph did not start: {answer.stderr[-1000:]}{logs}")
        values = dict(line.split("=", 1) for line in answer.stdout.split() if "=" in line)
        self.endpoint = values["S3_ENDPOINT"]
        self.access_key = values["S3_ACCESS_KEY"]
        self.secret_key = values["S3_SECRET_KEY"]
        return self

    def stop(self):
        subprocess.run([SCRIPT, "stop", self.dir], capture_output=True, timeout=120, check=False)

    def bytes_served(self):
        """How many object bytes the gateway has served (GET) since it started: its own
        count, read from its admin socket."""
        answer = subprocess.run(
            ["ceph", "--admin-daemon", os.path.join(self.dir, "run", "client.rgw.a.asok"),
             "perf", "dump"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        return json.loads(answer.stdout)["rgw"]["get_b"]

    def client(self):
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def new_bucket(self, object_lock=True, versioning=False):
        name = f"evidence-{uuid.uuid4().hex[:12]}"
        s3 = self.client()
        if object_lock:
            s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
        else:
            s3.create_bucket(Bucket=name)
            if versioning:
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        return name

    @classmethod
    def serve_test_class(cls, test_class):
        """Start a gateway for `test_class` (stopped when the class ends) and point its
        database at a new bucket with Object Lock: sets `ceph`, `s3` and `bucket` on it."""
        test_class.ceph = cls().start()
        test_class.addClassCleanup(test_class.ceph.stop)
        test_class.s3 = test_class.ceph.client()
        test_class.bucket = test_class.ceph.new_bucket()
        test_class.ceph.configure(test_class.env, test_class.bucket)

    def configure(self, env, bucket):
        """Point the database at `bucket` (the system parameters an administrator sets)."""
        params = env["ir.config_parameter"].sudo()
        params.set_param("hr_enforcement.object_store_endpoint", self.endpoint)
        params.set_param("hr_enforcement.object_store_access_key", self.access_key)
        params.set_param("hr_enforcement.object_store_secret_key", self.secret_key)
        params.set_param("hr_enforcement.object_store_bucket", bucket)
