"""Driver of production_benchmark.sh: prefork Odoo, field uploads and readers (see the .sh)."""

import base64
import collections
import hashlib
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import requests
from bench_server import free_port, make_file, wait_until_up

MIB = 1024**2
CHUNK = 8 * MIB  # what the form's button sends
WORK = os.path.join(os.path.dirname(__file__), "..", "..", ".local")
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
READER_LOGINS = ("zhangwei", "lina", "sunlei", "wangqiang", "liuyang", "chenjing", "zhaomin")
LIST_SPEC = {
    "name": {},
    "subject": {},
    "stage": {},
    "enforcement_type": {},
    "handler_id": {"fields": {"display_name": {}}},
    "department_id": {"fields": {"display_name": {}}},
    "next_deadline": {},
}
FORM_SPEC = dict(
    LIST_SPEC,
    partner_id={"fields": {"display_name": {}}},
    reviewer_id={"fields": {"display_name": {}}},
    approver_id={"fields": {"display_name": {}}},
    facts={},
    legal_basis={},
    date_received={},
    investigation_deadline={},
)


class LargeBlocks(requests.adapters.HTTPAdapter):
    """Request bodies sent in blocks of 1 MiB instead of urllib3's 16 KiB, as curl or a
    browser sends them: the client's own cost is then not what is measured."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, blocksize=MIB, **kwargs)


def new_session():
    session = requests.Session()
    session.mount("http://", LargeBlocks())
    return session


class Cut(Exception):
    """The simulated network drops the connection."""


class LinkBody:
    """A request body read from `parts` (bytes or (path, offset, length)) at `mbit` Mbit/s
    (None: as fast as the loopback), dropped after `cut_at` bytes when given."""

    def __init__(self, parts, mbit=None, cut_at=None):
        self.parts = list(parts)
        self.total = sum(p[2] if isinstance(p, tuple) else len(p) for p in self.parts)
        self.rate = mbit * 1_000_000 / 8 if mbit else None
        self.cut_at = cut_at
        self.sent = 0
        self.started = None
        self.handle = None

    def __len__(self):
        return self.total

    def read(self, size=-1):
        if self.started is None:
            self.started = time.monotonic()
        if self.cut_at is not None and self.sent >= self.cut_at:
            raise Cut()
        most = MIB if self.rate is None else 256 * 1024  # throttled: finer steps
        size = most if size is None or size < 0 else min(size, most)
        block = self._next(size)
        self.sent += len(block)
        if self.rate:
            ahead = self.sent / self.rate - (time.monotonic() - self.started)
            if ahead > 0.005:
                time.sleep(ahead)
        return block

    def _next(self, size):
        while self.parts:
            part = self.parts[0]
            if isinstance(part, bytes):
                self.parts[0] = part[size:]
                if part:
                    return part[:size]
            else:
                path, offset, length = part
                if length:
                    if self.handle is None:
                        self.handle = open(path, "rb")  # noqa: SIM115 (closed at the end)
                    self.handle.seek(offset)
                    block = self.handle.read(min(size, length))
                    self.parts[0] = (path, offset + len(block), length - len(block))
                    return block
                if self.handle:
                    self.handle.close()
                    self.handle = None
            self.parts.pop(0)
        return b""


class Prefork:
    """Odoo as in production: 4 HTTP workers, one cron worker, default limits."""

    def __init__(self, command, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.proc = subprocess.Popen(
            [*command, f"--http-port={self.port}", f"--gevent-port={free_port()}",
             "--workers=4", "--max-cron-threads=1", "--log-level=warn",
             f"--logfile={log_path}"],
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until_up(self.url)

    def login(self, login):
        session = new_session()
        reply = session.post(
            f"{self.url}/web/session/authenticate",
            json={"params": {"db": os.environ["BENCH_DB"], "login": login, "password": login}},
            timeout=120,
        ).json()
        assert reply.get("result", {}).get("uid"), reply
        return session

    def workers(self):
        return [p for p in psutil.Process(self.proc.pid).children() if "gevent" not in p.cmdline()]

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)


class RssSampler(threading.Thread):
    """Peak RSS growth of each worker process over its RSS when first seen."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.first, self.peak, self.running = server, {}, {}, True

    def run(self):
        while self.running:
            for proc in self.server.workers():
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                self.first.setdefault(proc.pid, rss)
                self.peak[proc.pid] = max(self.peak.get(proc.pid, 0), rss)
            time.sleep(0.2)

    def growth_mib(self):
        self.running = False
        return {pid: (self.peak[pid] - self.first[pid]) / MIB for pid in self.peak}


def tus_upload(server, session, record_id, path, length, mbit=None, cuts=(), salt=b""):
    """Upload `length` bytes of `path` (its first bytes after the MP4 header replaced by
    `salt`, so that each client sends a file of its own) in 8 MiB chunks; cut the
    connection once inside the chunk holding each offset of `cuts`. Returns the
    Evidence-Id, the number of cuts survived and the time of the last chunk (which hashes
    the whole file once and registers it)."""
    name = base64.b64encode(b"field.mp4").decode()
    created = session.post(
        f"{server.url}/hr_enforcement/tus/hr.enforcement.av.record/{record_id}",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(length),
                 "Upload-Metadata": f"filename {name}"},
        timeout=120,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    location, offset, pending, survived = created.headers["Location"], 0, sorted(cuts), 0
    while offset < length:
        size = min(CHUNK, length - offset)
        parts = [(path, offset, size)]
        if offset == 0 and salt:
            head = len(MP4_HEADER)
            parts = [MP4_HEADER, salt, (path, head + len(salt), size - head - len(salt))]
        cut_at = None
        if pending and offset <= pending[0] < offset + size:
            cut_at = pending.pop(0) - offset
        try:
            sent_at = time.monotonic()
            answer = session.patch(
                server.url + location,
                data=LinkBody(parts, mbit, cut_at),
                headers={"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                         "Content-Type": "application/offset+octet-stream"},
                timeout=300,
            )  # fmt: skip
            assert answer.status_code == 204, (answer.status_code, answer.text)
            offset = int(answer.headers["Upload-Offset"])
            last = time.monotonic() - sent_at
        except (Cut, requests.ConnectionError):
            survived += 1
            session.close()  # the dropped connection is not reused
            head = session.head(server.url + location, headers={"Tus-Resumable": "1.0.0"})
            offset = int(head.headers["Upload-Offset"])
    return answer.headers.get("Evidence-Id"), survived, last


def single_request(server, record_id, path, length, mbit):
    """The old way: the whole file in one request (multipart) over the field link."""
    boundary = "hrebenchboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="field.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    body = LinkBody([head, (path, 0, length), f"\r\n--{boundary}--\r\n".encode()], mbit)
    started = time.monotonic()
    try:
        answer = new_session().post(
            f"{server.url}/hr_enforcement/evidence/upload/hr.enforcement.av.record/{record_id}",
            data=body,
            headers={"Authorization": f"Bearer {os.environ['BENCH_API_KEY']}",
                     "Content-Type": f"multipart/form-data; boundary={boundary}"},
            timeout=3600,
        )  # fmt: skip
        outcome = f"HTTP {answer.status_code}"
    except requests.ConnectionError as error:
        outcome = f"connection dropped by the server ({type(error.args[0]).__name__})"
    return outcome, time.monotonic() - started, body.sent


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(8 * MIB):
            digest.update(block)
    return digest.hexdigest()


def call(session, server, method, kwargs):
    started = time.monotonic()
    answer = session.post(
        f"{server.url}/web/dataset/call_kw/hr.enforcement.case/{method}",
        json={"jsonrpc": "2.0", "method": "call", "params": {
            "model": "hr.enforcement.case", "method": method, "args": kwargs.pop("args", []),
            "kwargs": dict(kwargs, context={"lang": "zh_CN"})}},
        timeout=120,
    ).json()  # fmt: skip
    return time.monotonic() - started, answer


def readers(server, sessions, seconds, think=0.0):
    """Each session alternately lists cases and opens one of them, for `seconds`, pausing
    `think` seconds (±50 %) after each page as a person reading it would."""
    latencies, errors, stop = [], collections.Counter(), time.monotonic() + seconds

    def read(session):
        ids = []
        while time.monotonic() < stop:
            try:
                spent, answer = call(
                    session, server, "web_search_read",
                    {"domain": [], "specification": LIST_SPEC, "limit": 80,
                     "offset": random.randrange(0, 240)},
                )  # fmt: skip
                if "result" not in answer:
                    errors[answer.get("error", {}).get("data", {}).get("name", "rpc")] += 1
                    continue
                ids = [row["id"] for row in answer["result"]["records"]] or ids
                latencies.append(spent)
                if ids:
                    spent, answer = call(
                        session, server, "web_read",
                        {"args": [[random.choice(ids)]], "specification": FORM_SPEC},
                    )  # fmt: skip
                    assert "result" in answer, answer
                    latencies.append(spent)
                time.sleep(think * random.uniform(0.5, 1.5))
            except Exception as error:  # noqa: BLE001 (a failed read is counted, the user goes on)
                errors[type(error).__name__] += 1

    threads = [threading.Thread(target=read, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    quantiles = statistics.quantiles(latencies, n=20)
    return len(latencies), statistics.median(latencies), quantiles[18], errors


def parallel_uploads(server, sessions, record_ids, path, size):
    started = time.monotonic()
    with ThreadPoolExecutor(len(sessions)) as pool:
        futures = [
            pool.submit(tus_upload, server, s, rid, path, size, salt=os.urandom(32))
            for s, rid in zip(sessions, record_ids, strict=False)
        ]
        failures = 0
        for future in futures:
            try:
                evidence_id, _cuts, _last = future.result()
                failures += not evidence_id
            except Exception:  # noqa: BLE001 (counted)
                failures += 1
    return time.monotonic() - started, failures


def main():
    python, odoo_bin, *odoo_args = sys.argv[1:]
    mbit = float(os.environ.get("LINK_MBIT", "100"))
    big_size = int(os.environ.get("BIG_MIB", "4096")) * MIB
    read_seconds = int(os.environ.get("READ_SECONDS", "30"))
    n_readers = int(os.environ.get("READERS", "200"))
    think = float(os.environ.get("THINK_SECONDS", "2"))
    record_ids = [int(i) for i in os.environ["BENCH_RECORD_IDS"].split(",")]
    os.makedirs(WORK, exist_ok=True)
    big = make_file(os.path.join(WORK, "bench_field.mp4"), big_size, MP4_HEADER)
    medium = make_file(os.path.join(WORK, "bench_200mib.mp4"), 200 * MIB, MP4_HEADER)
    server = Prefork([python, odoo_bin, *odoo_args], os.path.join(WORK, "bench_prefork.log"))
    lines = []
    try:
        officer = server.login("zhangwei")
        if not os.environ.get("BENCH_ONLY_READERS"):  # a quicker run of the last phase
            # 1. the field video, resumable, three cuts
            sampler = RssSampler(server)
            sampler.start()
            cuts = [big_size // 4 + 12345, big_size // 2 + 777, 3 * big_size // 4 + 4242]
            started = time.monotonic()
            evidence_id, survived, last = tus_upload(
                server, officer, record_ids[0], big, big_size, mbit, cuts
            )
            tus_time = time.monotonic() - started
            growth = sampler.growth_mib()
            digest = sha256_of(big)
            stored = os.path.join(
                os.environ["BENCH_FILESTORE"], "hr_enforcement", digest[:2], digest
            )
            identical = os.path.getsize(stored) == big_size and sha256_of(stored) == digest
            lines.append(
                f"resumable (tus), {big_size // MIB} MiB at {mbit:g} Mbit/s, {survived} cuts: "
                f"{tus_time:7.1f} s, evidence {evidence_id}, byte-identical: {identical}, "
                f"peak RSS growth per worker: {max(growth.values()):.1f} MiB "
                f"(all: {', '.join(f'{g:.1f}' for g in sorted(growth.values()))})\n"
                f"  last chunk (hash SHA-256 + SM3 of the whole file once, register): {last:.1f} s"
            )
            # 2. the same file in one request
            sampler = RssSampler(server)
            sampler.start()
            outcome, spent, sent = single_request(server, record_ids[1], big, big_size, mbit)
            growth = sampler.growth_mib()
            killed = [line for line in server.log().splitlines() if "timeout after" in line]
            lines.append(
                f"single request, same file and link:     {spent:7.1f} s, {outcome} after "
                f"{sent / MIB:.0f} of {big_size // MIB} MiB; peak RSS growth "
                f"{max(growth.values()):.1f} MiB; server log: "
                + (killed[-1].split(": ", 1)[-1] if killed else "no kill")
            )
            # 3. one client, then 20 at once, 200 MiB each, on the loopback
            started = time.monotonic()
            tus_upload(server, officer, record_ids[2], medium, 200 * MIB)
            one = 200 / (time.monotonic() - started)
            sessions = [server.login("zhangwei") for _n in range(20)]
            spent, failures = parallel_uploads(server, sessions, record_ids[2:], medium, 200 * MIB)
            lines.append(
                f"one client, 200 MiB:                     {one:7.1f} MiB/s\n"
                f"20 clients x 200 MiB at once:            {20 * 200 / spent:7.1f} MiB/s in total "
                f"({spent:.1f} s, {failures} failed) = {20 * 200 / spent / one:.2f}x one client"
            )
        else:
            sessions = [server.login("zhangwei") for _n in range(4)]
        # 4. readers, without then with uploads running
        with ThreadPoolExecutor(20) as pool:
            people = list(pool.map(server.login, (READER_LOGINS * n_readers)[:n_readers]))
        readers(server, people, 10, think)  # warm-up: caches, connections; not counted
        quiet = readers(server, people, read_seconds, think)
        background = threading.Thread(
            target=parallel_uploads, args=(server, sessions[:4], record_ids[2:], medium, 200 * MIB)
        )
        background.start()
        busy = readers(server, people, read_seconds, think)
        background.join()
        for label, (count, p50, p95, errors) in (("without", quiet), ("with 4 uploads", busy)):
            lines.append(
                f"{n_readers} readers (think {think:g} s), {label + ':':16} {count:6} requests, "
                f"p50 {p50 * 1000:6.0f} ms, p95 {p95 * 1000:6.0f} ms, "
                f"{sum(errors.values())} failed ({dict(errors) or 'none'})"
            )
        lines.append(
            f"readers p50 / p95 with uploads vs without: {busy[1] / quiet[1]:.2f}x / "
            f"{busy[2] / quiet[2]:.2f}x"
        )
    finally:
        server.stop()
    print("\nproduction mode: --workers=4 --max-cron-threads=1, default limits")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
