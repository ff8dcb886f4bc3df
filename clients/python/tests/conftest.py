"""Starts the real `beamline serve` on port 0 and mints tokens for it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

SECRET = "python-client-secret-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[3]
BINARY = os.environ.get("BEAMLINE_BIN", str(ROOT / "target" / "debug" / "beamline"))


def make_token(sub: str = "py", scopes=("design", "analyze"), ttl: int = 600) -> str:
    def b64(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    now = int(time.time())
    body = f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64({'sub': sub, 'exp': now + ttl, 'iat': now, 'scopes': list(scopes)})}"
    sig = hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


class Server:
    def __init__(self, **env: str):
        self.data = tempfile.mkdtemp(prefix="beamline-py-")
        full_env = {**os.environ, "BEAMLINE_JWT_SECRET": SECRET, "BEAMLINE_DATA_DIR": self.data,
                    "BEAMLINE_RATE_LIMIT_REQUESTS": "100000", **env}
        self.process = subprocess.Popen([BINARY, "serve", "--bind", "127.0.0.1:0"], env=full_env,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        found = threading.Event()
        self.url = ""

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                match = re.search(r"listening on (http://[0-9.:]+)", line)
                if match and not found.is_set():
                    self.url = match.group(1)
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(20):
            self.stop()
            raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture
def token():
    return make_token()
