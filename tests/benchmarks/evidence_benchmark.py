"""Driver of evidence_benchmark.sh: starts Odoo servers and measures (see the .sh)."""

import hashlib
import os
import re
import subprocess
import sys
import time

import requests
from bench_server import Server, make_file
from production_benchmark import LinkBody

GIB = 1024**3
MIB = 1024**2
WORK = os.path.join(os.path.dirname(__file__), "..", "..", ".local")


def measure(server, upload):
    server.session.get(f"{server.url}/odoo", timeout=60)  # warm the server up
    before = server.peak_kib()
    started = time.perf_counter()
    response = upload()
    elapsed = time.perf_counter() - started
    growth = (server.peak_kib() - before) / 1024
    return response, elapsed, growth


def main():
    python, odoo_bin, *odoo_args = sys.argv[1:]
    command = [python, odoo_bin, *odoo_args]
    record_id = int(os.environ["BENCH_RECORD_ID"])
    os.makedirs(WORK, exist_ok=True)
    mp4_header = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    big = make_file(os.path.join(WORK, "bench_1gib.mp4"), GIB, mp4_header)
    small = make_file(os.path.join(WORK, "bench_100mib.mp4"), 100 * MIB, mp4_header)

    server = Server(command, "zhangwei")
    try:
        boundary = "hrebenchboundary"
        body = LinkBody(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="bench.mp4"\r\n\r\n'.encode(),
                (big, 0, GIB),
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        response, ours_time, ours_growth = measure(
            server,
            lambda: requests.post(
                f"{server.url}/hr_enforcement/evidence/upload/hr.enforcement.av.record/{record_id}",
                data=body,
                headers={
                    "Authorization": f"Bearer {os.environ['BENCH_API_KEY']}",
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
                timeout=3600,
            ),
        )
        assert response.status_code == 201, response.text
    finally:
        server.stop()

    server = Server(command, "zhangwei")
    try:
        page = server.session.get(f"{server.url}/odoo", timeout=60).text
        csrf = re.search(r'csrf_token: "([0-9a-f]+o?[0-9]*)"', page).group(1)
        with open(small, "rb") as handle:
            response, stock_time, stock_growth = measure(
                server,
                lambda: server.session.post(
                    f"{server.url}/web/binary/upload_attachment",
                    data={"model": "hr.enforcement.av.record", "id": record_id, "csrf_token": csrf},
                    files={"ufile": ("bench.mp4", handle, "video/mp4")},
                    timeout=3600,
                ),
            )
        assert response.status_code == 200, response.text[:500]
    finally:
        server.stop()

    started = time.perf_counter()
    subprocess.run(["sha256sum", big], check=True, stdout=subprocess.DEVNULL)
    sha256sum_rate = GIB / MIB / (time.perf_counter() - started)
    sys.path.insert(0, os.path.dirname(odoo_bin))
    # Odoo is importable only once its tree is on the path
    import odoo.addons

    odoo.addons.__path__.append(os.path.join(os.path.dirname(__file__), "..", ".."))
    from odoo.addons.hr_enforcement_record.tools.evidence_bytes import (
        MultiHasher,
    )

    hasher = MultiHasher(["sm3"] if "sm3" in hashlib.algorithms_available else [])
    started = time.perf_counter()
    with open(big, "rb") as handle:
        while chunk := handle.read(MIB):
            hasher.update(chunk)
    hasher.hexdigests()
    ours_rate = GIB / MIB / (time.perf_counter() - started)

    rows = [
        ("ours: /hr_enforcement/evidence/upload", 1024, ours_time, ours_growth),
        ("stock: /web/binary/upload_attachment", 100, stock_time, stock_growth),
    ]
    print("\nevidence upload path                      size       time   peak RSS growth")
    for label, size, seconds, growth in rows:
        print(f"  {label:38} {size:5} MiB {seconds:7.1f} s {growth:9.1f} MiB")
    print("hashing the same 1 GiB file")
    print(f"  sha256sum                          {sha256sum_rate:7.1f} MiB/s")
    ratio = 100 * ours_rate / sha256sum_rate
    print(
        f"  ours (SHA-256 + SM3 in parallel)   {ours_rate:7.1f} MiB/s = {ratio:.0f} % of sha256sum"
    )


if __name__ == "__main__":
    main()
