"""The synchronous client."""

from __future__ import annotations

import collections
import json
import time
from typing import Any, Deque, Dict, Iterator, List, Mapping, Optional, Sequence

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from . import _common as c
from .errors import BeamlineError, SessionClosed, SessionError
from .models import CheckResult, Design, Event, Job
from .sse import SseParser


class Client:
    """Talks to a Beamline server.

    >>> with Client("http://127.0.0.1:8000", token=TOKEN) as client:
    ...     design = client.design(width=300, depth=450, Mu=150)
    ...     design.result.bars_provided
    '6-16φ'
    """

    def __init__(self, base_url: str = "http://127.0.0.1:8000", token: Optional[str] = None,
                 timeout: float = 30.0, transport: Optional[httpx.BaseTransport] = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _headers(self) -> Dict[str, str]:
        return {"authorization": f"Bearer {self.token}"} if self.token else {}

    def _request(
        self, method: str, path: str, headers: Optional[Dict[str, str]] = None, **kwargs: Any
    ) -> httpx.Response:
        response = self._http.request(method, path, headers={**self._headers(), **(headers or {})}, **kwargs)
        c.raise_for(response)
        return response

    def login(self, username: str, password: str, scope: Optional[str] = None) -> str:
        """OAuth2 password grant: keeps the token for later calls and returns it."""
        response = self._http.post("/api/v1/auth/token", data=c.token_form(username, password, scope))
        c.raise_for(response)
        self.token = response.json()["access_token"]
        return self.token

    def design(self, beam: Optional[Mapping[str, Any]] = None, **fields: Any) -> Design:
        """Designs one beam, given as a mapping and/or keywords (any names and aliases of the API)."""
        return Design.from_json(self._request("POST", "/api/v1/design/beam", json=c.beam_of(beam, fields)).json())

    def check(self, beam: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> CheckResult:
        """Checks one section under several load cases."""
        body = {"beam": dict(beam), "cases": [dict(x) for x in cases]}
        return CheckResult.from_json(self._request("POST", "/api/v1/check/beam", json=body).json())

    def design_member(self, member: Mapping[str, Any]) -> Dict[str, Any]:
        """Designs a member along its spans (docs/members.md): ``{"member", "result"}`` as the API answers."""
        return self._request("POST", "/api/v1/design/member", json=dict(member)).json()

    def member_schedule(self, member: Mapping[str, Any]) -> str:
        """The bar bending schedule of a member, as CSV."""
        return self._request("POST", "/api/v1/design/member?format=csv", json=dict(member)).text

    def report(
        self, beam: Mapping[str, Any], format: str = "html", project: Optional[str] = None
    ) -> bytes:
        """The calculation report of one beam: the HTML page (UTF-8) or, with ``format="pdf"``, the PDF."""
        accept = "application/pdf" if format == "pdf" else "text/html"
        body: Dict[str, Any] = dict(beam) if project is None else {"beam": dict(beam), "project": project}
        response = self._request("POST", "/api/v1/report", json=body, headers={"accept": accept})
        return response.content

    def import_members(self, source: str, forces: Any, *, sections: Any = None, connectivity: Any = None,
                       **options: Any) -> Dict[str, Any]:
        """Members from an analysis program's force tables (docs/import.md): ``source`` is ``etabs``,
        ``staad`` or ``csv``; each file a path or bytes (CSV or XLSX); ``options`` the query parameters
        (``combinations``, ``units``, ``support_width``, ``group``, ``job``…). Returns
        ``{"members", "groups", "warnings"}`` (with ``job=True``, the new job's links too)."""
        files = {"forces": forces, "sections": sections, "connectivity": connectivity}
        req = c.import_request(source, {k: v for k, v in files.items() if v is not None}, options)
        return (self._request("POST", req["path"], files=req["files"])).json()

    def drawing(self, beam_or_members: Any) -> bytes:
        """The DXF drawing of a beam, a member, or a list of members (docs/drawings.md)."""
        body = {"members": list(beam_or_members)} if isinstance(beam_or_members, (list, tuple)) else dict(beam_or_members)
        return (self._request("POST", "/api/v1/drawing", json=body)).content

    def job_drawings(self, job_id: str) -> bytes:
        """Every member of a job on one DXF sheet set."""
        return (self._request("GET", c.job_path(job_id, "/drawings.dxf"))).content

    def create_job(self, beams: Sequence[Mapping[str, Any]]) -> Job:
        body = self._request("POST", "/api/v1/jobs", json={"beams": [dict(b) for b in beams]}).json()
        return Job(job_id=body["job_id"], status=body["status"], total_beams=body["total_beams"])

    def job(self, job_id: str) -> Job:
        return Job.from_json(self._request("GET", c.job_path(job_id)).json())

    def cancel_job(self, job_id: str) -> Job:
        return Job.from_json(self._request("DELETE", c.job_path(job_id)).json())

    def results(self, job_id: str) -> List[Dict[str, Any]]:
        """Every result so far: ``{"index", "beam", "result"}`` or ``{"index", "error"}``."""
        return c.results_of(self._request("GET", c.job_path(job_id, "/results")).json())

    def results_csv(self, job_id: str) -> str:
        return self._request("GET", c.job_path(job_id, "/results"), params={"format": "csv"}).text

    def batch(self, beams: Optional[Sequence[Mapping[str, Any]]] = None, *, job_id: Optional[str] = None,
              last_event_id: int = 0, retries: int = 10,
              detail: str = "full") -> Iterator[Event]:
        """Runs a batch (or follows ``job_id``) and yields its events up to ``complete``.

        A dropped connection is resumed with Last-Event-ID, so no event is missed or repeated.
        ``detail="summary"`` asks for each result's summary only (status, utilization, bars, stirrups,
        failed checks), about a tenth of the bytes.
        """
        if job_id is None:
            if beams is None:
                raise ValueError("give beams, or the job_id of a job to follow")
            job_id = self.create_job(beams).job_id
        last, failures = last_event_id, 0
        while True:
            try:
                with self._http.stream("GET", c.stream_path(job_id), headers=c.stream_headers(self.token, last),
                                       params={"detail": detail},
                                       timeout=httpx.Timeout(10.0, read=60.0)) as response:
                    if response.status_code >= 400:
                        response.read()
                        c.raise_for(response)
                    parser = SseParser()
                    for chunk in response.iter_text():
                        for event_id, name, data in parser.feed(chunk):
                            failures, last = 0, event_id
                            yield Event(event_id, name, data, job_id)
                            if name == "complete":
                                return
            except BeamlineError:
                raise
            except httpx.TransportError:
                pass
            failures += 1
            if failures > retries:
                raise BeamlineError(0, {"code": "stream_lost", "detail": "the event stream kept dropping"})
            time.sleep(c.backoff(failures))

    def session(self, session_id: str, timeout: float = 10.0) -> "Session":
        """Joins a live design session (a context manager)."""
        return Session(c.session_url(self.base_url, session_id, self.token), timeout)


class Session:
    """A member of a live design session. Iterate over it for every message the session sends."""

    def __init__(self, url: str, timeout: float = 10.0):
        self.timeout = timeout
        # Entered as a context manager, as websockets asks; `close` leaves it.
        self._ws = connect(url, open_timeout=timeout).__enter__()
        self._backlog: Deque[Dict[str, Any]] = collections.deque()
        self.state = self._recv(timeout)
        if self.state.get("type") != "session_state":
            raise SessionError(0, {"code": "unexpected", "detail": f"expected session_state, got {self.state}"})
        self.beam = self.state.get("beam")
        self.result = self.state.get("result")

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._ws.close()

    def _recv(self, timeout: Optional[float]) -> Dict[str, Any]:
        try:
            message = json.loads(self._ws.recv(timeout=timeout))
        except ConnectionClosed as e:
            code = e.rcvd.code if e.rcvd else 1006
            reason = e.rcvd.reason if e.rcvd else "connection lost"
            raise SessionClosed(code, {"code": "closed", "detail": reason}) from None
        if message.get("type") in ("session_state", "design_result"):
            self.beam, self.result = message.get("beam"), message.get("result")
        return message

    def recv(self, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The next message (waiting at most ``timeout`` seconds)."""
        if self._backlog:
            return self._backlog.popleft()
        return self._recv(self.timeout if timeout is None else timeout)

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        while True:
            try:
                yield self.recv(timeout=None)
            except SessionClosed:
                return

    def send(self, message: Mapping[str, Any]) -> None:
        self._ws.send(json.dumps(dict(message)))

    def _ask(self, message: Dict[str, Any], answer: str) -> Dict[str, Any]:
        rid = message.setdefault("request_id", c.request_id())
        self.send(message)
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {answer} for {rid}")
            m = self._recv(remaining)
            if m.get("request_id") == rid and m.get("type") in (answer, "error"):
                if m["type"] == "error":
                    raise SessionError(0, {"code": m.get("code"), "detail": m.get("message"), "errors": m.get("errors")})
                return m
            self._backlog.append(m)

    def design(self, beam: Optional[Mapping[str, Any]] = None, **fields: Any) -> Dict[str, Any]:
        """Designs a beam for the whole session; returns this request's ``design_result``."""
        return self._ask({"action": "design", "beam": c.beam_of(beam, fields)}, "design_result")

    def update(self, **changes: Any) -> Dict[str, Any]:
        """Changes fields of the current beam (``None`` restores a default)."""
        return self._ask({"action": "update", "changes": changes}, "design_result")

    def design_member(self, member: Mapping[str, Any]) -> Dict[str, Any]:
        """Designs a member for the whole session; returns this request's ``member_result``."""
        return self._ask({"action": "design_member", "member": dict(member)}, "member_result")

    def update_member(self, **changes: Any) -> Dict[str, Any]:
        """Changes the session's member: member keys replace, beam fields change the section."""
        return self._ask({"action": "update", "changes": changes}, "member_result")

    def check(self, beam: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
        return self._ask({"action": "check", "beam": dict(beam), "cases": [dict(x) for x in cases]}, "check_result")

    def ping(self) -> Dict[str, Any]:
        return self._ask({"action": "ping"}, "pong")
