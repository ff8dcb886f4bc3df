"""Typed views of the API's answers. Each keeps the full JSON in ``raw``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional, TypedDict


@dataclass(frozen=True)
class FailedCheck:
    check: str
    clause: str
    message: str


@dataclass(frozen=True)
class Check:
    check: str
    utilization: float
    passed: bool
    clause: str


EXPOSURES = ("mild", "moderate", "severe", "very_severe", "extreme")
"""The values of a beam's ``exposure`` (default ``moderate``), mildest first."""


class Beam(TypedDict, total=False):
    """A beam as the API takes it (docs/api.md); aliases are accepted too. Units mm, kN, kN·m, N/mm²."""

    id: str
    width: float
    depth: float
    Mu: float
    Vu: float
    Tu: float
    fck: float
    fy: float
    fy_stirrup: float
    cover: float
    effective_depth: float
    length: float
    support: Literal["simply_supported", "continuous", "cantilever"]
    stirrup_dia: int
    main_bar_dia: int
    aggregate: float
    exposure: Literal["mild", "moderate", "severe", "very_severe", "extreme"]
    fire_rating: float
    lateral_restraint_spacing: float
    allow_low_grade: bool
    section: Literal["rectangular", "T", "L"]
    flange_width: float
    flange_thickness: float
    web_spacing: float
    isolated_flange: bool
    Ms: float
    permanent_fraction: float
    av: float


@dataclass(frozen=True)
class BarGroup:
    count: int
    dia: int


@dataclass(frozen=True)
class Layer:
    """One layer of bars, from its face: the groups and the depth ``y`` of its centroid (mm)."""

    bars: List[BarGroup]
    y: float

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Layer":
        return cls(bars=[BarGroup(**g) for g in d["bars"]], y=d["y"])


@dataclass(frozen=True)
class DesignResult:
    status: str
    ast_required: float
    ast_provided: float
    bars_provided: str
    asc_required: float
    compression_bars: str
    stirrups: str
    utilization: float
    governing_check: str
    failed_checks: List[FailedCheck]
    warnings: List[str]
    checks: List[Check]
    raw: Dict[str, Any] = field(repr=False)
    tension_layers: List[Layer] = field(default_factory=list)
    compression_layers: List[Layer] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "SUCCESS"

    @classmethod
    def from_json(cls, r: Dict[str, Any]) -> "DesignResult":
        return cls(
            status=r["status"],
            ast_required=r["Ast_required"],
            ast_provided=r["Ast_provided"],
            bars_provided=r["bars_provided"],
            asc_required=r["Asc_required"],
            compression_bars=r["compression_bars"],
            stirrups=r["stirrups"],
            utilization=r["utilization"],
            governing_check=r["governing_check"],
            failed_checks=[FailedCheck(**f) for f in r.get("failed_checks", [])],
            warnings=list(r.get("warnings", [])),
            checks=[Check(**c) for c in r.get("checks", [])],
            raw=r,
            tension_layers=[Layer.from_json(x) for x in r.get("detailing", {}).get("tension_layers", [])],
            compression_layers=[Layer.from_json(x) for x in r.get("detailing", {}).get("compression_layers", [])],
        )


@dataclass(frozen=True)
class Design:
    """A design: the normalized input (canonical names, defaults filled in) and its result."""

    beam: Dict[str, Any]
    result: DesignResult

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Design":
        return cls(beam=d["beam"], result=DesignResult.from_json(d["result"]))


@dataclass(frozen=True)
class CaseResult:
    id: str
    mu: float
    vu: float
    tu: float
    demand_ratio: float
    result: DesignResult

    @property
    def utilization(self) -> float:
        """The case's utilization under the bars shared by every case."""
        return self.result.utilization


@dataclass(frozen=True)
class CheckResult:
    status: str
    governing_case: str
    cases: List[CaseResult]

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "CheckResult":
        cases = [
            CaseResult(c["id"], c["Mu"], c["Vu"], c["Tu"], c["demand_ratio"], DesignResult.from_json(c["result"]))
            for c in d["cases"]
        ]
        return cls(status=d["status"], governing_case=d["governing_case"], cases=cases)


@dataclass(frozen=True)
class Job:
    job_id: str
    status: str
    total_beams: int
    completed_beams: int = 0
    succeeded: int = 0
    failed: int = 0
    errors: int = 0
    created_at: Optional[str] = None
    started_at: Optional[str] = None
    finished_at: Optional[str] = None

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Job":
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class Event:
    """One event of a job's stream: ``start``, ``design_result``, ``error``, ``progress`` or ``complete``."""

    id: int
    event: str
    data: Dict[str, Any]
    job_id: str
