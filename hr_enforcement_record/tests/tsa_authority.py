"""A real RFC 3161 time-stamping authority on this machine, for tests and benchmarks:
OpenSSL's `openssl ts -reply` behind a small HTTP handler, with a throwaway CA made on the
spot. No mock of the protocol: requests and tokens are the ones a public TSA exchanges."""

import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TSA_CONFIG = """\
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.156.1.22.3
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class LocalTimestampAuthority:
    """Start with `start()`, stop with `stop()`; `url` takes RFC 3161 queries over HTTP
    POST, `ca_pem` is the trust anchor. `refuse` makes it answer HTTP 503."""

    def __init__(self, name="Test TSA"):
        self.name = name
        self.refuse = False
        self.queries = 0
        self._tmp = tempfile.TemporaryDirectory(prefix="hr_enforcement_tsa_")
        self.dir = Path(self._tmp.name)
        self._server = None

    def _openssl(self, *args, data=None):
        return subprocess.run(
            ["openssl", *args], input=data, capture_output=True, check=True, cwd=self.dir
        ).stdout

    def _make_certificates(self):
        self._openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "30", "-subj", f"/CN={self.name} Root CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        )  # fmt: skip
        self._openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
            "-subj", f"/CN={self.name}",
        )  # fmt: skip
        (self.dir / "ext.cnf").write_text(
            "basicConstraints=CA:FALSE\nextendedKeyUsage=critical,timeStamping\n"
            "subjectKeyIdentifier=hash\n"
        )
        self._openssl(
            "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "tsa.pem", "-days", "10", "-extfile", "ext.cnf",
        )  # fmt: skip
        (self.dir / "serial").write_text("01\n")
        (self.dir / "tsa.cnf").write_text(TSA_CONFIG.format(dir=self.dir))

    @property
    def ca_pem(self):
        return (self.dir / "ca.pem").read_text()

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def reply(self, query):
        """The DER response of `openssl ts -reply` to a DER query."""
        return self._openssl(
            "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "/dev/stdin", "-out", "-",
            data=query,
        )  # fmt: skip

    def start(self):
        self._make_certificates()
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                authority.queries += 1
                if authority.refuse:
                    self.send_response(503)
                    self.end_headers()
                    return
                try:
                    body = authority.reply(query)
                except subprocess.CalledProcessError:
                    self.send_response(400)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        self._tmp.cleanup()
