"""The asyncio client: the same surface as :class:`beamline.Client`, with ``await``."""

from __future__ import annotations

import asyncio
import collections
import json
from typing import Any, AsyncIterator, Deque, Dict, List, Mapping, Optional, Sequence

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from . import _common as c
from .errors import BeamlineError, SessionClosed, SessionError
from .models import CheckResult, Design, Event, Job
from .sse import SseParser


class AsyncClient:
    """Talks to a Beamline server from asyncio code.

    >>> async with AsyncClient("http://127.0.0.1:8000", token=TOKEN) as client:
    ...     design = await client.design(width=300, depth=450, Mu=150)
    """

    def __init__(self, base_url: str = "http://127.0.0.1:8000", token: Optional[str] = None,
                 timeout: float = 30.0, transport: Optional[httpx.AsyncBaseTransport] = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def _headers(self) -> Dict[str, str]:
        return {"authorization": f"Bearer {self.token}"} if self.token else {}

    async def _request(
        self, method: str, path: str, headers: Optional[Dict[str, str]] = None, **kwargs: Any
    ) -> httpx.Response:
        response = await self._http.request(method, path, headers={**self._headers(), **(headers or {})}, **kwargs)
        c.raise_for(response)
        return response

    async def login(self, username: str, password: str, scope: Optional[str] = None) -> str:
        response = await self._http.post("/api/v1/auth/token", data=c.token_form(username, password, scope))
        c.raise_for(response)
        self.token = response.json()["access_token"]
        return self.token

    async def design(self, beam: Optional[Mapping[str, Any]] = None, **fields: Any) -> Design:
        response = await self._request("POST", "/api/v1/design/beam", json=c.beam_of(beam, fields))
        return Design.from_json(response.json())

    async def check(self, beam: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> CheckResult:
        body = {"beam": dict(beam), "cases": [dict(x) for x in cases]}
        return CheckResult.from_json((await self._request("POST", "/api/v1/check/beam", json=body)).json())

    async def design_member(self, member: Mapping[str, Any]) -> Dict[str, Any]:
        """Designs a member along its spans (docs/members.md): ``{"member", "result"}``."""
        return (await self._request("POST", "/api/v1/design/member", json=dict(member))).json()

    async def member_schedule(self, member: Mapping[str, Any]) -> str:
        """The bar bending schedule of a member, as CSV."""
        return (await self._request("POST", "/api/v1/design/member?format=csv", json=dict(member))).text

    async def report(
        self, beam: Mapping[str, Any], format: str = "html", project: Optional[str] = None
    ) -> bytes:
        """The calculation report of one beam: the HTML page (UTF-8) or, with ``format="pdf"``, the PDF."""
        accept = "application/pdf" if format == "pdf" else "text/html"
        body: Dict[str, Any] = dict(beam) if project is None else {"beam": dict(beam), "project": project}
        response = await self._request("POST", "/api/v1/report", json=body, headers={"accept": accept})
        return response.content

    async def import_members(self, source: str, forces: Any, *, sections: Any = None, connectivity: Any = None,
                       **options: Any) -> Dict[str, Any]:
        """Members from an analysis program's force tables (docs/import.md): ``source`` is ``etabs``,
        ``staad`` or ``csv``; each file a path or bytes (CSV or XLSX); ``options`` the query parameters
        (``combinations``, ``units``, ``support_width``, ``group``, ``job``…). Returns
        ``{"members", "groups", "warnings"}`` (with ``job=True``, the new job's links too)."""
        files = {"forces": forces, "sections": sections, "connectivity": connectivity}
        req = c.import_request(source, {k: v for k, v in files.items() if v is not None}, options)
        return (await self._request("POST", req["path"], files=req["files"])).json()

    async def drawing(self, beam_or_members: Any) -> bytes:
        """The DXF drawing of a beam, a member, or a list of members (docs/drawings.md)."""
        body = {"members": list(beam_or_members)} if isinstance(beam_or_members, (list, tuple)) else dict(beam_or_members)
        return (await self._request("POST", "/api/v1/drawing", json=body)).content

    async def job_drawings(self, job_id: str) -> bytes:
        """Every member of a job on one DXF sheet set."""
        return (await self._request("GET", c.job_path(job_id, "/drawings.dxf"))).content

    async def create_job(self, beams: Sequence[Mapping[str, Any]]) -> Job:
        body = (await self._request("POST", "/api/v1/jobs", json={"beams": [dict(b) for b in beams]})).json()
        return Job(job_id=body["job_id"], status=body["status"], total_beams=body["total_beams"])

    async def job(self, job_id: str) -> Job:
        return Job.from_json((await self._request("GET", c.job_path(job_id))).json())

    async def cancel_job(self, job_id: str) -> Job:
        return Job.from_json((await self._request("DELETE", c.job_path(job_id))).json())

    async def results(self, job_id: str) -> List[Dict[str, Any]]:
        return c.results_of((await self._request("GET", c.job_path(job_id, "/results"))).json())

    async def results_csv(self, job_id: str) -> str:
        return (await self._request("GET", c.job_path(job_id, "/results"), params={"format": "csv"})).text

    async def batch(self, beams: Optional[Sequence[Mapping[str, Any]]] = None, *, job_id: Optional[str] = None,
                    last_event_id: int = 0, retries: int = 10,
                    detail: str = "full") -> AsyncIterator[Event]:
        """Runs a batch (or follows ``job_id``), yielding events to ``complete``; resumes by itself."""
        if job_id is None:
            if beams is None:
                raise ValueError("give beams, or the job_id of a job to follow")
            job_id = (await self.create_job(beams)).job_id
        last, failures = last_event_id, 0
        while True:
            try:
                async with self._http.stream("GET", c.stream_path(job_id), headers=c.stream_headers(self.token, last),
                                             params={"detail": detail},
                                             timeout=httpx.Timeout(10.0, read=60.0)) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        c.raise_for(response)
                    parser = SseParser()
                    async for chunk in response.aiter_text():
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
            await asyncio.sleep(c.backoff(failures))

    def session(self, session_id: str, timeout: float = 10.0) -> "AsyncSession":
        """A live session: ``async with client.session("team") as s: ...``."""
        return AsyncSession(c.session_url(self.base_url, session_id, self.token), timeout)


class AsyncSession:
    """A member of a live design session; ``async for message in session`` yields every message."""

    def __init__(self, url: str, timeout: float = 10.0):
        self._url = url
        self.timeout = timeout
        self._ws: Any = None
        self._backlog: Deque[Dict[str, Any]] = collections.deque()
        self.state: Dict[str, Any] = {}
        self.beam: Optional[Dict[str, Any]] = None
        self.result: Optional[Dict[str, Any]] = None

    async def __aenter__(self) -> "AsyncSession":
        self._ws = await connect(self._url, open_timeout=self.timeout)
        self.state = await self._recv(self.timeout)
        if self.state.get("type") != "session_state":
            raise SessionError(0, {"code": "unexpected", "detail": f"expected session_state, got {self.state}"})
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def _recv(self, timeout: Optional[float]) -> Dict[str, Any]:
        try:
            raw = await asyncio.wait_for(self._ws.recv(), timeout)
        except ConnectionClosed as e:
            code = e.rcvd.code if e.rcvd else 1006
            reason = e.rcvd.reason if e.rcvd else "connection lost"
            raise SessionClosed(code, {"code": "closed", "detail": reason}) from None
        message = json.loads(raw)
        if message.get("type") in ("session_state", "design_result"):
            self.beam, self.result = message.get("beam"), message.get("result")
        return message

    async def recv(self, timeout: Optional[float] = None) -> Dict[str, Any]:
        if self._backlog:
            return self._backlog.popleft()
        return await self._recv(self.timeout if timeout is None else timeout)

    def __aiter__(self) -> AsyncIterator[Dict[str, Any]]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[Dict[str, Any]]:
        while True:
            try:
                yield await self.recv(timeout=None)
            except SessionClosed:
                return

    async def send(self, message: Mapping[str, Any]) -> None:
        await self._ws.send(json.dumps(dict(message)))

    async def _ask(self, message: Dict[str, Any], answer: str) -> Dict[str, Any]:
        rid = message.setdefault("request_id", c.request_id())
        await self.send(message)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no {answer} for {rid}")
            m = await self._recv(remaining)
            if m.get("request_id") == rid and m.get("type") in (answer, "error"):
                if m["type"] == "error":
                    raise SessionError(0, {"code": m.get("code"), "detail": m.get("message"), "errors": m.get("errors")})
                return m
            self._backlog.append(m)

    async def design(self, beam: Optional[Mapping[str, Any]] = None, **fields: Any) -> Dict[str, Any]:
        return await self._ask({"action": "design", "beam": c.beam_of(beam, fields)}, "design_result")

    async def update(self, **changes: Any) -> Dict[str, Any]:
        return await self._ask({"action": "update", "changes": changes}, "design_result")

    async def design_member(self, member: Mapping[str, Any]) -> Dict[str, Any]:
        return await self._ask({"action": "design_member", "member": dict(member)}, "member_result")

    async def update_member(self, **changes: Any) -> Dict[str, Any]:
        return await self._ask({"action": "update", "changes": changes}, "member_result")

    async def check(self, beam: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
        return await self._ask({"action": "check", "beam": dict(beam), "cases": [dict(x) for x in cases]}, "check_result")

    async def ping(self) -> Dict[str, Any]:
        return await self._ask({"action": "ping"}, "pong")
