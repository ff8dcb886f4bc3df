"""What the sync and async clients share: URLs, request bodies, answers."""

from __future__ import annotations

import itertools
import json
import os
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote, urlencode

import httpx

from .errors import error_for


def beam_of(beam: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Dict[str, Any]:
    """A beam from a mapping and/or keyword fields (keywords win)."""
    merged: Dict[str, Any] = dict(beam or {})
    merged.update(fields)
    return merged


def token_form(username: str, password: str, scope: Optional[str]) -> Dict[str, str]:
    """The OAuth2 password grant as a form."""
    form = {"grant_type": "password", "username": username, "password": password}
    if scope:
        form["scope"] = scope
    return form


def raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    try:
        body = response.json()
    except (json.JSONDecodeError, ValueError):
        body = None
    raise error_for(response.status_code, body, response.headers.get("retry-after"))


def job_path(job_id: str, suffix: str = "") -> str:
    return f"/api/v1/jobs/{quote(job_id, safe='')}{suffix}"


def stream_path(job_id: str) -> str:
    return f"/stream/jobs/{quote(job_id, safe='')}"


def session_url(base_url: str, session_id: str, token: Optional[str]) -> str:
    base = str(base_url).rstrip("/")
    ws = "wss" + base[5:] if base.startswith("https") else "ws" + base[4:]
    url = f"{ws}/ws/design/{quote(session_id, safe='')}"
    # welcome=1: a session_state on joining even before the first design (docs/sessions.md).
    query = {"welcome": "1", **({"token": token} if token else {})}
    return f"{url}?{urlencode(query)}"


def backoff(attempt: int) -> float:
    return min(0.2 * 2**attempt, 5.0)


_ids = itertools.count(1)


def request_id() -> str:
    return f"py-{next(_ids)}"


def stream_headers(token: Optional[str], last_event_id: int) -> Dict[str, str]:
    headers = {"accept": "text/event-stream"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if last_event_id:
        headers["last-event-id"] = str(last_event_id)
    return headers


def results_of(body: Dict[str, Any]) -> List[Dict[str, Any]]:
    return list(body.get("results", []))


def import_request(source: str, files: Mapping[str, Any], options: Mapping[str, Any]) -> Dict[str, Any]:
    """The path and multipart files of an import (docs/import.md): ``files`` maps a part name
    (``forces``, ``sections``, ``connectivity``) to a path or to bytes."""
    if source not in ("etabs", "staad", "csv"):
        raise ValueError(f"source must be etabs, staad or csv, got {source!r}")
    query = urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in options.items() if v is not None})
    parts = {}
    for name, value in files.items():
        if isinstance(value, (bytes, bytearray)):
            parts[name] = (name, bytes(value))
        else:
            with open(value, "rb") as f:
                parts[name] = (os.path.basename(str(value)), f.read())
    return {"path": f"/api/v1/import/{source}" + (f"?{query}" if query else ""), "files": parts}
