"""An Odoo server started for one measurement, logged in over HTTP, and its peak memory."""

import os
import re
import socket
import subprocess
import time

import requests


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def vm_hwm_kib(pid):
    """Peak resident memory of process `pid`, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))


def wait_until_up(url, attempts=120):
    """Wait until the Odoo server at `url` answers."""
    for _attempt in range(attempts):
        try:
            requests.get(f"{url}/web/login", timeout=2)
            return
        except requests.RequestException:
            time.sleep(1)


def make_file(path, size, header):
    """A file of `size` random bytes starting with `header`, kept between runs."""
    if os.path.exists(path) and os.path.getsize(path) == size:
        return path
    block = os.urandom(1024**2)
    with open(path, "wb") as out:
        written = out.write(header)
        while written < size:
            written += out.write(block[: min(len(block), size - written)])
    return path


class Server:
    """`command` (python, odoo-bin and its options) serving on a free port, one worker, no
    cron thread, with a session logged in as `login` (password = login, as in the demo)."""

    def __init__(self, command, login, log=None):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                *command,
                f"--http-port={self.port}",
                "--workers=0",
                "--max-cron-threads=0",
                "--log-level=warn",
                "--limit-memory-hard=0",
            ],
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until_up(self.url)
        self.session = requests.Session()
        reply = self.session.post(
            f"{self.url}/web/session/authenticate",
            json={"params": {"db": os.environ["BENCH_DB"], "login": login, "password": login}},
            timeout=60,
        ).json()
        assert reply.get("result", {}).get("uid"), reply

    def peak_kib(self):
        return vm_hwm_kib(self.proc.pid)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)
