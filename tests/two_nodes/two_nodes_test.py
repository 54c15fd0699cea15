"""Two Odoo nodes, one database, one object store, nginx in front (issue 23): no shared disk.

Started by `two_nodes_test.sh` with: python, odoo-bin and its options, the database, and the
environment TWO_NODES_* (the Ceph gateway, nginx's binary). Each node is a prefork Odoo server
with its own data directory. The test:

1. sends one resumable upload's chunks alternately to node A and node B (each with its own
   session for the same officer: the upload is the user's, not the session's);
2. kills node A (SIGKILL, master and workers) while it receives a chunk, asks node B where
   to resume, and finishes there with the tus project's own client (tuspy): the file is
   registered once, byte for byte;
3. starts A again and downloads the file from both nodes and through nginx: same bytes.

Prints what it checked and exits non-zero on the first failure."""

import contextlib
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psutil
import requests
from tusclient import client

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))
from bench_server import free_port, wait_until_up
from production_benchmark import LinkBody

TUS = {"Tus-Resumable": "1.0.0"}
CHUNK = 6 * 1024 * 1024
LOGIN = "zhangwei"


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


class Node:
    def __init__(self, name, command, db, workdir):
        self.name, self.command, self.db = name, command, db
        self.data_dir = os.path.join(workdir, f"node-{name}")  # nobody else's disk
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(workdir, f"node-{name}.log"), "ab")  # noqa: SIM115
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                *self.command,
                f"--data-dir={self.data_dir}",
                f"--http-port={self.port}",
                "--http-interface=127.0.0.1",
                "--gevent-port=0",
                "--workers=2",
                "--max-cron-threads=1",
                "--proxy-mode",
                "--log-level=warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its workers
        )
        wait_until_up(self.url)
        return self

    def kill(self):
        """SIGKILL to the master and every worker at once: nothing gets to clean up."""
        family = [self.proc.pid] + [
            child.pid for child in psutil.Process(self.proc.pid).children(recursive=True)
        ]
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(30)
        self.killed_at = time.monotonic()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def session(self):
        session = requests.Session()
        reply = session.post(
            f"{self.url}/web/session/authenticate",
            json={"params": {"db": self.db, "login": LOGIN, "password": LOGIN}},
            timeout=60,
        ).json()
        check(reply.get("result", {}).get("uid"), f"{LOGIN} signs in on node {self.name}")
        return session


def nginx_start(workdir, nodes):
    port = free_port()
    conf = os.path.join(workdir, "nginx.conf")
    upstream = "\n".join(f"        server 127.0.0.1:{node.port};" for node in nodes)
    with open(conf, "w", encoding="utf-8") as handle:
        handle.write(
            f"""daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {workdir}/nginx-access.log;
    client_body_temp_path {workdir}/nginx-body;
    proxy_temp_path {workdir}/nginx-proxy;
    upstream odoo {{
        ip_hash;
{upstream}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 70m;
        proxy_read_timeout 720s;
        proxy_send_timeout 720s;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        location /hr_enforcement/tus/ {{
            proxy_request_buffering off;
            proxy_pass http://odoo;
        }}
        location / {{
            proxy_max_temp_file_size 0;
            proxy_pass http://odoo;
        }}
    }}
}}
"""
        )
    proc = subprocess.Popen([os.environ.get("TWO_NODES_NGINX", "nginx"), "-c", conf, "-p", workdir])
    wait_until_up(f"http://127.0.0.1:{port}")
    return proc, f"http://127.0.0.1:{port}"


def main():
    command, db = sys.argv[1:-1], sys.argv[-1]
    record_id = int(os.environ["TWO_NODES_RECORD_ID"])
    workdir = tempfile.mkdtemp(prefix="hr_enforcement_two_nodes_")
    os.chmod(workdir, 0o755)  # nginx's workers (www-data) keep their buffers here
    data = b"%PDF-1.4\n" + os.urandom(4 * CHUNK + 12345) + b"\n%%EOF\n"
    digest = hashlib.sha256(data).hexdigest()
    a = Node("A", command, db, workdir).start()
    b = Node("B", command, db, workdir).start()
    nginx, proxy = nginx_start(workdir, [a, b])
    try:
        sessions = {"A": a.session(), "B": b.session()}
        created = sessions["A"].post(
            f"{a.url}/hr_enforcement/tus/hr.enforcement.av.record/{record_id}",
            headers=dict(
                TUS,
                **{
                    "Upload-Length": str(len(data)),
                    "Upload-Metadata": "filename dHdvLW5vZGVzLnBkZg==",  # two-nodes.pdf
                },
            ),
            timeout=60,
        )
        check(created.status_code == 201, f"upload created on node A ({created.status_code})")
        path = created.headers["Location"]

        def patch(node, offset, chunk, timeout=120):
            return sessions[node.name].patch(
                node.url + path,
                data=chunk,
                headers=dict(
                    TUS,
                    **{
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                ),
                timeout=timeout,
            )

        offset = 0
        for node in (a, b):  # alternately
            answer = patch(node, offset, data[offset : offset + CHUNK])
            check(answer.status_code == 204, f"chunk at {offset} taken by node {node.name}")
            offset = int(answer.headers["Upload-Offset"])

        # node A dies while the third chunk is on its way (a 40 Mbit/s link: 1.3 s)
        killer = threading.Timer(0.5, a.kill)
        killer.start()
        started = time.monotonic()
        try:
            answer = sessions["A"].patch(
                a.url + path,
                data=LinkBody([data[offset : offset + CHUNK]], mbit=40),
                headers=dict(
                    TUS,
                    **{
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                ),
                timeout=60,
            )
            died = False
            print(f"node A answered {answer.status_code} after {time.monotonic() - started:.1f} s")
        except requests.RequestException:
            died = True
        killer.join()
        check(died, "node A killed while it received a chunk")
        head = sessions["B"].head(b.url + path, headers=TUS, timeout=60)
        check(
            head.status_code == 200 and int(head.headers["Upload-Offset"]) == offset,
            f"node B says to resume at {offset} "
            f"({head.status_code} {head.headers.get('Upload-Offset')})",
        )
        # the tus project's own client resumes it on node B from the offset B gives
        cookie = f"session_id={sessions['B'].cookies['session_id']}"
        resumed = client.TusClient(f"{b.url}/hr_enforcement/tus/", headers={"Cookie": cookie})
        uploader = resumed.uploader(
            file_stream=io.BytesIO(data), url=b.url + path, chunk_size=CHUNK
        )
        check(uploader.offset == offset, f"tuspy resumes at {uploader.offset} on node B")
        uploader.upload()
        evidence_id = uploader.request.response_headers.get("evidence-id")
        check(evidence_id, f"registered once as evidence {evidence_id}")
        a.start()  # back, with the same (empty) disk of its own
        sessions["A"] = a.session()
        for name, url, session in (
            ("A", a.url, sessions["A"]),
            ("B", b.url, sessions["B"]),
            ("nginx", proxy, sessions["B"]),
        ):
            if name == "nginx":
                session = requests.Session()
                session.post(
                    f"{proxy}/web/session/authenticate",
                    json={"params": {"db": db, "login": LOGIN, "password": LOGIN}},
                    timeout=60,
                )
            got = session.get(f"{url}/hr_enforcement/evidence/{evidence_id}/download", timeout=120)
            check(
                got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == digest,
                f"node {name} serves the stored bytes "
                f"({got.status_code}, {len(got.content)} bytes)",
            )
        again = patch(b, len(data), b"")
        check(
            again.headers.get("Evidence-Id") == evidence_id,
            "asking again gives the same evidence, never a second one",
        )
    finally:
        nginx.terminate()
        for node in (a, b):
            node.stop()
    shutil.rmtree(workdir, ignore_errors=True)  # kept, with the nodes' logs, on a failure
    print("two nodes: every check passed", flush=True)


if __name__ == "__main__":
    main()
