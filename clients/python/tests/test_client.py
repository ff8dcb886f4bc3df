import asyncio

import pytest

from beamline import (
    AsyncClient, AuthenticationError, Client, PermissionDeniedError, RateLimitError, SessionClosed,
    SessionError, ValidationError,
)
from conftest import Server, make_token

BEAM = {"width": 300, "depth": 450, "Mu": 150, "Vu": 100}


def test_design_and_check(server, token):
    with Client(server.url, token=token) as client:
        design = client.design(b=300, D=450, moment=150)
        assert design.beam["width"] == 300
        assert design.result.ok and design.result.status == "SUCCESS"
        assert design.result.bars_provided.endswith("φ")
        assert any(c.check == "flexure" for c in design.result.checks)
        layer = design.result.tension_layers[0]
        assert layer.y > 30 and all(g.dia >= 12 for g in layer.bars)
        check = client.check({"width": 300, "depth": 500}, [{"id": "a", "Mu": 80}, {"id": "b", "Mu": 190}])
        assert check.governing_case == "b"
        assert len(check.cases) == 2
        # One reinforcement for every case.
        assert check.cases[0].result.bars_provided == check.cases[1].result.bars_provided
        assert check.cases[1].utilization >= check.cases[0].utilization
        severe = client.design(width=300, depth=500, Mu=100, exposure="severe")
        assert not severe.result.ok
        assert any(f.check == "cover" for f in severe.result.failed_checks)


def test_a_calculation_report(server, token):
    with Client(server.url, token=token) as client:
        html = client.report({**BEAM, "id": "P1"}, project="Depot").decode()
        assert html.startswith("<!doctype html>") and "Depot" in html and "IS 456 Cl 38.1" in html
        assert client.report(BEAM, format="pdf").startswith(b"%PDF-")
        with pytest.raises(ValidationError):
            client.report({"width": 50, "depth": 450, "Mu": 1})


def test_errors_are_typed(server, token):
    with Client(server.url) as anonymous:
        with pytest.raises(AuthenticationError) as e:
            anonymous.design(BEAM)
        assert e.value.status == 401 and e.value.code == "unauthorized"
    with Client(server.url, token=make_token(scopes=["analyze"])) as analyst:
        with pytest.raises(PermissionDeniedError):
            analyst.design(BEAM)
    with Client(server.url, token=token) as client:
        with pytest.raises(ValidationError) as e:
            client.design(width=50, depth=450, mu=1)
        fields = {x["field"] for x in e.value.errors}
        assert {"width", "mu", "Mu"} <= fields
    limited = Server(BEAMLINE_RATE_LIMIT_REQUESTS="1")
    try:
        with Client(limited.url, token=token) as client:
            client.design(BEAM)
            with pytest.raises(RateLimitError) as e:
                client.design(BEAM)
            assert e.value.retry_after and e.value.retry_after >= 1
    finally:
        limited.stop()


def test_batch_events_resume_after_a_dropped_connection(server, token):
    beams = [{"id": f"B{i}", "width": 300, "depth": 500, "Mu": 50 + i} for i in range(40)]
    beams[5] = {"width": 10}
    with Client(server.url, token=token) as client:
        seen = []
        for event in client.batch(beams):
            seen.append(event)
            if len(seen) == 15:
                break  # the connection drops here
        job_id = seen[0].job_id
        seen.extend(client.batch(job_id=job_id, last_event_id=15))
        assert [e.id for e in seen] == list(range(1, 83))
        assert seen[-1].event == "complete" and seen[-1].data["summary"]["errors"] == 1
        assert client.job(job_id).status == "completed"
        assert len(client.results(job_id)) == 40
        assert client.results_csv(job_id).count("\n") == 41
        # A summary stream: the same events, each result cut to what a table shows.
        summary = list(client.batch(job_id=job_id, detail="summary"))
        assert [e.id for e in summary] == list(range(1, 83))
        first = next(e for e in summary if e.event == "design_result")
        assert set(first.data["result"]) <= {"status", "utilization", "governing_check", "bars_provided",
                                             "compression_bars", "stirrups", "failed_checks"}
        assert first.data["beam"] == {"id": "B0"}


def test_a_live_session_between_two_members(server, token):
    with Client(server.url, token=token) as client:
        with client.session("py-live") as a, client.session("py-live") as b:
            assert b.state["members"] == 2
            mine = a.design(BEAM)
            assert mine["type"] == "design_result" and mine["beam"]["Mu"] == 150
            seen = next(m for m in b if m["type"] == "design_result")
            assert seen["request_id"] == mine["request_id"]
            updated = b.update(Mu=220)
            assert updated["beam"]["Mu"] == 220
            assert a.check({"width": 300, "depth": 500}, [{"Mu": 10}])["type"] == "check_result"
            with pytest.raises(SessionError) as e:
                a.update(mu=1)
            assert e.value.code == "validation_error"
            assert a.ping()["type"] == "pong"
    with Client(server.url) as anonymous:
        with pytest.raises(SessionClosed) as e:
            anonymous.session("py-live")
        assert e.value.status == 4401


def test_the_async_client(server, token):
    async def main():
        async with AsyncClient(server.url, token=token) as client:
            design = await client.design(BEAM)
            assert design.result.ok
            events = [e async for e in client.batch([BEAM, {"width": 1}], detail="summary")]
            assert [e.event for e in events][-1] == "complete"
            assert "checks" not in next(e for e in events if e.event == "design_result").data["result"]
            assert events[-1].data["summary"]["errors"] == 1
            async with client.session("py-async") as a, client.session("py-async") as b:
                result = await a.design(BEAM)
                async for m in b:
                    if m["type"] == "design_result":
                        assert m["request_id"] == result["request_id"]
                        break
                assert (await b.update(Vu=150))["beam"]["Vu"] == 150
        async with AsyncClient(server.url, token=make_token(scopes=["analyze"])) as analyst:
            with pytest.raises(PermissionDeniedError):
                await analyst.design(BEAM)

    asyncio.run(main())


def _member():
    """Two 6 m spans under DL 20 and LL 10 kN/m with −0.1 w l² at the middle support."""
    def span(w, ml, mr):
        out = []
        for k in range(11):
            x = 600.0 * k
            xm = x / 1e3
            out.append({"x": x, "M": w * xm * (6 - xm) / 2 + ml * (1 - xm / 6) + mr * xm / 6,
                        "V": w * (3 - xm) + (mr - ml) / 6})
        return out

    def case(w):
        return [span(w, 0, -3.6 * w), span(w, -3.6 * w, 0)]

    return {"id": "B12", "section": {"width": 300, "depth": 500},
            "spans": [{"length": 6000, "support_width": 300}] * 2,
            "cases": {"DL": case(20.0), "LL": case(10.0)}}


def test_a_member_and_its_schedule(server, token):
    with Client(server.url, token=token) as client:
        answer = client.design_member(_member())
        result = answer["result"]
        assert result["status"] == "SUCCESS"
        assert [z["zone"] for z in result["spans"][0]["zones"]] == ["left_support", "midspan", "right_support"]
        assert abs(sum(r["weight"] for r in result["bbs"]["rows"]) - result["bbs"]["total_weight"]) < 0.01
        csv = client.member_schedule(_member())
        assert csv.startswith("member,mark,location,shape")
        with client.session("py-member") as a:
            first = a.design_member(_member())
            assert first["type"] == "member_result"
            wider = a.update_member(width=350)
            assert wider["member"]["section"]["width"] == 350
        with pytest.raises(ValidationError):
            client.design_member({**_member(), "spans": [{"length": -1}]})


def test_a_member_with_the_async_client(server, token):
    async def run():
        async with AsyncClient(server.url, token=token) as client:
            answer = await client.design_member(_member())
            assert answer["result"]["status"] == "SUCCESS"
            assert (await client.member_schedule(_member())).startswith("member,mark")
    asyncio.run(run())
