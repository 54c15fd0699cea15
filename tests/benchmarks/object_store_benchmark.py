"""Driver of object_store_benchmark.sh (issue 23): prints side by side, in one run,

1. ingest of the same file by both upload routes (one request; tus in 8 MiB chunks) to the
   local filestore and to the Ceph gateway, against `sha256sum` of that file and against
   boto3's own upload of it to the same gateway (its TransferManager: 8 MiB parts, ten
   threads), with the peak RSS growth of the Odoo workers;
2. 200 readers against one prefork node and against two (same machine: no gain expected,
   the point is that nothing breaks); READERS=0 leaves them out.

Each ingest row and each reference also prints the machine's CPU time over its run (all
processes: client, Odoo, Ceph) and how many of the cores were busy, and each backend the
fastest its routes could be on this machine: they do the reference's work plus SHA-256 and
SM3 of every byte, and SM3 of one stream runs on one core.
"""

import hashlib
import os
import subprocess
import sys
import threading
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from production_benchmark import (
    Prefork,
    RssSampler,
    readers,
    single_request,
    tus_upload,
)

MIB = 1024**2
WORK = os.path.join(os.path.dirname(__file__), "..", "..", ".local")
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def make_file(path, size):
    with open(path, "wb") as out:
        out.write(MP4_HEADER)
        block = os.urandom(MIB)
        written = len(MP4_HEADER)
        while written < size:
            written += out.write(block[: min(MIB, size - written)])
    return path


class MachineCpu:
    """Busy CPU seconds of the whole machine (/proc/stat: user, nice, system, irq, softirq)
    and wall seconds between start() and stop()."""

    TICK = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _busy():
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:8]]
        user, nice, system, _idle, _iowait, irq, softirq = ticks
        return user + nice + system + irq + softirq

    def start(self):
        self.busy, self.started = self._busy(), time.monotonic()
        return self

    def stop(self):
        self.cpu = (self._busy() - self.busy) / self.TICK
        self.seconds = time.monotonic() - self.started
        return self


def set_params(server, values):
    """System parameters as the administrator sets them (admin/admin in the demo)."""
    admin = server.login("admin")
    for key, value in values.items():
        reply = admin.post(
            f"{server.url}/web/dataset/call_kw/ir.config_parameter/set_param",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "ir.config_parameter",
                    "method": "set_param",
                    "args": [key, value],
                    "kwargs": {},
                },
            },
            timeout=120,
        ).json()
        assert "error" not in reply, reply


def ingest(server, record_id, path, size):
    """(route, MachineCpu of its run, peak worker RSS growth in MiB) for each route."""
    rows = []
    session = server.login("zhangwei")
    # each worker's first request loads translations and caches: not what is measured
    small = make_file(os.path.join(WORK, "bench_warm_up.mp4"), 9 * MIB)
    for _worker in range(4):
        assert single_request(server, record_id, small, 9 * MIB, None)[0] == "HTTP 201"
        assert tus_upload(server, session, record_id, small, 9 * MIB, salt=os.urandom(32))[0]
    for route in ("one request (form)", "tus, 8 MiB chunks"):
        sampler = RssSampler(server)
        sampler.start()
        time.sleep(0.5)
        meter = MachineCpu().start()
        if route == "one request (form)":
            outcome, _seconds, _sent = single_request(server, record_id, path, size, None)
            assert outcome == "HTTP 201", outcome
        else:
            evidence_id, _cuts, _last = tus_upload(
                server, session, record_id, path, size, salt=os.urandom(32)
            )
            assert evidence_id, "tus upload not registered"
        meter.stop()
        growth = max(sampler.growth_mib().values(), default=0.0)
        rows.append((route, meter, growth))
    return rows


def read_on_one_and_two_nodes(server, command, users, read_seconds):
    """200 readers on node A alone, then half on A and half on a second node B."""
    sessions = [server.login("zhangwei") for _ in range(users)]
    one = readers(server, sessions, read_seconds, think=2.0)
    other = Prefork(command, os.path.join(WORK, "object_store_bench_b.log"))
    try:
        half = users // 2
        sessions_b = [other.login("zhangwei") for _ in range(users - half)]
        answers = {}

        def run(node, node_sessions, name):
            answers[name] = readers(node, node_sessions, read_seconds, think=2.0)

        threads = [
            threading.Thread(target=run, args=(server, sessions[:half], "A")),
            threading.Thread(target=run, args=(other, sessions_b, "B")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.stop()
    return one, answers


def main():
    command = sys.argv[1:]
    record_ids = [int(i) for i in os.environ["BENCH_RECORD_IDS"].split(",")]
    size = int(os.environ.get("BIG_MIB", "1024")) * MIB
    os.makedirs(WORK, exist_ok=True)
    path = make_file(os.path.join(WORK, "bench_object_store.mp4"), size)
    s3 = boto3.session.Session().client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT"],
        aws_access_key_id=os.environ["S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["S3_SECRET_KEY"],
        region_name="us-east-1",
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )
    s3.create_bucket(Bucket="bench-evidence", ObjectLockEnabledForBucket=True)
    results, reading = {}, None

    sha256sum = MachineCpu().start()
    subprocess.run(["sha256sum", path], check=True, stdout=subprocess.DEVNULL)
    sha256sum.stop()
    # every byte we take is hashed with SM3 and SHA-256 too: their time on one core each
    hashing = {}
    for name in ("sm3", "sha256"):
        meter, digest = MachineCpu().start(), hashlib.new(name)
        with open(path, "rb") as handle:
            while block := handle.read(MIB):
                digest.update(block)
        hashing[name] = meter.stop()
    started = time.monotonic()
    s3.upload_file(path, "bench-evidence", "boto3-warm-up", Config=TransferConfig())
    boto3_cold = size / MIB / (time.monotonic() - started)

    server = Prefork(command, os.path.join(WORK, "object_store_bench_a.log"))
    try:
        results["filestore"] = ingest(server, record_ids[0], path, size)
        set_params(
            server,
            {
                "hr_enforcement.object_store_endpoint": os.environ["S3_ENDPOINT"],
                "hr_enforcement.object_store_access_key": os.environ["S3_ACCESS_KEY"],
                "hr_enforcement.object_store_secret_key": os.environ["S3_SECRET_KEY"],
                "hr_enforcement.object_store_bucket": "bench-evidence",
            },
        )
        results["Ceph RGW"] = ingest(server, record_ids[1], path, size)
        boto3_own = MachineCpu().start()  # boto3 again, the gateway as warm as for ours
        s3.upload_file(path, "bench-evidence", "boto3-own", Config=TransferConfig())
        boto3_own.stop()

        read_seconds = int(os.environ.get("READ_SECONDS", "30"))
        users = int(os.environ.get("READERS", "200"))
        if users and read_seconds:  # READERS=0: ingest only
            reading = read_on_one_and_two_nodes(server, command, users, read_seconds)
    finally:
        server.stop()

    mib = size / MIB
    hashed = hashing["sm3"].seconds + hashing["sha256"].seconds

    def fastest(backend):
        """The least time a route can take on this machine's cores: both hashes, plus
        boto3's upload for the store, spread over every core, and never less than SM3 on
        one core (receiving the body and writing it are left out: a generous bound)."""
        sending = boto3_own.cpu if backend != "filestore" else 0.0
        return max(hashing["sm3"].seconds, (sending + hashed) / os.cpu_count())

    def line(name, meter, extra=""):
        print(
            f"  {name:38} {mib / meter.seconds:7.1f} MiB/s  CPU {meter.cpu:5.1f} s, "
            f"{meter.cpu / meter.seconds:4.2f} of {os.cpu_count()} cores busy{extra}"
        )

    print(f"\ningest of the same {size // MIB} MiB file ({os.cpu_count()} cores, loopback)")
    line("sha256sum of the file", sha256sum)
    line("SM3 of the file (OpenSSL, one core)", hashing["sm3"])
    line("SHA-256 of the file (OpenSSL, one core)", hashing["sha256"])
    line("boto3's own upload to Ceph RGW", boto3_own, f" (first, cold: {boto3_cold:.1f} MiB/s)")
    print(
        "  backend    route                 seconds    MiB/s    of reference   CPU s  "
        "cores  worker RSS growth"
    )
    for backend, rows in results.items():
        reference, name = (
            (sha256sum, "sha256sum") if backend == "filestore" else (boto3_own, "boto3")
        )
        for route, meter, growth in rows:
            rate = mib / meter.seconds
            print(
                f"  {backend:10} {route:20} {meter.seconds:8.1f} {rate:8.1f}   "
                f"{100 * reference.seconds / meter.seconds:5.0f} % of {name:9} "
                f"{meter.cpu:5.1f} {meter.cpu / meter.seconds:6.2f} {growth:8.1f} MiB"
            )
        best = fastest(backend)
        print(
            f"  {backend:10} {'at best on these cores':20} {best:8.1f} {mib / best:8.1f}   "
            f"{100 * reference.seconds / best:5.0f} % of {name}"
        )
    if reading:
        one, answers = reading
        print(f"\n{users} readers, 2 s between pages, {read_seconds} s")
        count, median, p95, errors = one
        print(
            f"  one node : {count:6} pages, median {median:.2f} s, p95 {p95:.2f} s, "
            f"errors {dict(errors)}"
        )
        count = sum(answers[n][0] for n in "AB")
        median = max(answers[n][1] for n in "AB")
        p95 = max(answers[n][2] for n in "AB")
        errors = answers["A"][3] + answers["B"][3]
        print(
            f"  two nodes: {count:6} pages, median {median:.2f} s, p95 {p95:.2f} s (the slower "
            f"node's), errors {dict(errors)}"
        )


if __name__ == "__main__":
    main()
