"""A client generated from the server's /openapi.json by openapi-python-client keeps every operation and
designs a beam against the real server (docs/http.md, "OpenAPI")."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest


def _generator() -> str:
    found = shutil.which("openapi-python-client") or str(Path(sys.executable).with_name("openapi-python-client"))
    if not Path(found).exists():
        if os.environ.get("BEAMLINE_REQUIRE_ALL") == "1":
            raise RuntimeError("openapi-python-client is needed (pip install -e 'clients/python[test]')")
        pytest.skip("openapi-python-client is not installed")
    return found


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_openapi_python_client_keeps_every_operation_and_designs_a_beam(server, token, tmp_path):
    spec = httpx.get(f"{server.url}/openapi.json").json()
    (tmp_path / "openapi.json").write_text(json.dumps(spec))
    package = tmp_path / "generated" / "beamline_client"
    run = subprocess.run(
        [_generator(), "generate", "--path", str(tmp_path / "openapi.json"), "--output-path", str(package),
         "--meta", "none"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Unable to process schema" not in run.stdout, run.stdout
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()
                  if isinstance(op, dict) and "operationId" in op}
    generated = {p.stem for p in (package / "api" / "default").glob("*.py")}
    missing = {_snake(o) for o in operations} - generated
    assert not missing, f"operations the generator dropped: {sorted(missing)}\n{run.stdout}"

    sys.path.insert(0, str(package.parent))
    try:
        client_module = importlib.import_module("beamline_client")
        design_beam = importlib.import_module("beamline_client.api.default.design_beam")
        models = importlib.import_module("beamline_client.models")
        client = client_module.AuthenticatedClient(base_url=server.url, token=token)
        # The request as the generated operation builds it (URL, method, the typed body, the bearer
        # token). Its response models cannot read a property named `d` (the generated `from_dict`
        # uses `d` for its own dictionary, docs/http.md), so the answer is read as JSON here.
        kwargs = design_beam._get_kwargs(body=models.BeamInput(width=300, depth=500, mu=150))
        response = client.get_httpx_client().request(**kwargs)
        assert response.status_code == 200, response.content
        answer = response.json()
        assert answer["result"]["status"] == "SUCCESS"
        assert answer["beam"]["Mu"] == 150
    finally:
        sys.path.remove(str(package.parent))
        for name in [m for m in sys.modules if m.startswith("beamline_client")]:
            del sys.modules[name]
