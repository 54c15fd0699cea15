"""Driver of object_store_benchmark.sh (issue 23): prints side by side, in one run,

1. ingest of the same file by both upload routes (one request; tus in 8 MiB chunks) to the
   local filestore and to the Ceph gateway, against `sha256sum` of that file and against
   boto3's own upload of it to the same gateway (its TransferManager: 8 MiB parts, ten
   threads), with the peak RSS growth of the Odoo workers;
2. 200 readers against one prefork node and against two (same machine: no gain expected,
   the point is that nothing breaks); READERS=0 leaves them out.
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
    """(route, seconds, peak worker RSS growth in MiB) for each route."""
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
        started = time.monotonic()
        if route == "one request (form)":
            outcome, _seconds, _sent = single_request(server, record_id, path, size, None)
            assert outcome == "HTTP 201", outcome
        else:
            evidence_id, _cuts, _last = tus_upload(
                server, session, record_id, path, size, salt=os.urandom(32)
            )
            assert evidence_id, "tus upload not registered"
        seconds = time.monotonic() - started
        growth = max(sampler.growth_mib().values(), default=0.0)
        rows.append((route, seconds, growth))
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

    started = time.monotonic()
    subprocess.run(["sha256sum", path], check=True, stdout=subprocess.DEVNULL)
    sha256sum_rate = size / MIB / (time.monotonic() - started)
    # every byte we take is hashed with SM3 as well, on one core: a bound of its own
    started, sm3 = time.monotonic(), hashlib.new("sm3")
    with open(path, "rb") as handle:
        while block := handle.read(MIB):
            sm3.update(block)
    sm3_rate = size / MIB / (time.monotonic() - started)
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
        started = time.monotonic()  # boto3 again, the gateway as warm as for ours
        s3.upload_file(path, "bench-evidence", "boto3-own", Config=TransferConfig())
        boto3_rate = size / MIB / (time.monotonic() - started)

        read_seconds = int(os.environ.get("READ_SECONDS", "30"))
        users = int(os.environ.get("READERS", "200"))
        if users and read_seconds:  # READERS=0: ingest only
            reading = read_on_one_and_two_nodes(server, command, users, read_seconds)
    finally:
        server.stop()

    print(f"\ningest of the same {size // MIB} MiB file (2 cores, loopback)")
    print(f"  sha256sum of the file                  {sha256sum_rate:7.1f} MiB/s")
    print(f"  SM3 of the file (OpenSSL, one core)    {sm3_rate:7.1f} MiB/s")
    print(
        f"  boto3's own upload to Ceph RGW         {boto3_rate:7.1f} MiB/s "
        f"(first, cold: {boto3_cold:.1f} MiB/s)"
    )
    print(
        "  backend    route                 seconds    MiB/s    of reference        "
        "worker RSS growth"
    )
    for backend, rows in results.items():
        reference, name = (
            (sha256sum_rate, "sha256sum") if backend == "filestore" else (boto3_rate, "boto3")
        )
        for route, seconds, growth in rows:
            rate = size / MIB / seconds
            print(
                f"  {backend:10} {route:20} {seconds:8.1f} {rate:8.1f}   "
                f"{100 * rate / reference:5.0f} % of {name:9} {growth:8.1f} MiB"
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
