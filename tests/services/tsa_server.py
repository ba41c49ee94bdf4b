"""An RFC 3161 timestamp server for the tests, on 127.0.0.1 only, in this process.

pyHanko's `DummyTimeStamper` answers each request with a token signed by a
self-signed TSA certificate (extended key usage « time stamping »); `http.server`
carries it over HTTP exactly as a real TSA does (POST of a TimeStampReq, answer of
type application/timestamp-reply). No packet leaves the machine.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import tsp
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign import signers
from pyhanko.sign.timestamps import DummyTimeStamper

from caleol.services.certificates import write_self_signed

TSA_NAME = "Horodatage de test caleol"


@dataclass(frozen=True)
class LocalTsa:
    url: str
    certificate: Path  # PEM, to trust when verifying
    requests: list[bytes]  # every TimeStampReq received


def make_tsa_certificate(folder: Path) -> tuple[Path, Path]:
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Essais caleol"),
                      x509.NameAttribute(NameOID.COMMON_NAME, TSA_NAME)])
    p12 = folder / "tsa.p12"
    pem = write_self_signed(p12, b"tsa", name, friendly_name=TSA_NAME,
                            extended_usage=ExtendedKeyUsageOID.TIME_STAMPING)
    return p12, pem


@contextmanager
def local_tsa(folder: Path, *, status: int = 200) -> Iterator[LocalTsa]:
    """A TSA listening on 127.0.0.1 (a free port) until the block ends.

    `status` other than 200 makes it refuse every request with that HTTP status.
    """
    p12, pem = make_tsa_certificate(folder)
    loaded = signers.SimpleSigner.load_pkcs12(p12, passphrase=b"tsa")
    assert loaded is not None
    stamper = DummyTimeStamper(tsa_cert=loaded.signing_cert, tsa_key=loaded.signing_key)
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(body)
            if status != 200:
                self.send_error(status)
                return
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield LocalTsa(f"http://{host}:{port}/tsa", pem, received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
