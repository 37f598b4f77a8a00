"""``gtmplay import hubspot``: a playbook from HubSpot deal pipelines.

Takes the JSON the CRM Pipelines v3 API returns: one pipeline
(``GET /crm/v3/pipelines/deals/{id}``) or the list
(``GET /crm/v3/pipelines/deals``). A file with several pipelines gives one
sales motion per pipeline (``--pipeline`` imports only the one it names, as a
playbook without motions). Stages keep their order (HubSpot's: by
``displayOrder``, then label), label and probability; HubSpot's stage ids and
any display order that is not the stage's position go into ``crm.hubspot``
(per motion when there are several) so the export reproduces them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gtmplay.crm.hubspot.settings import HubspotSettings, PipelineExtra, StageExtra
from gtmplay.crm.imported import Ids, Imported
from gtmplay.errors import UsageError

Path_ = tuple[str | int, ...]


class _Doc:
    """The parsed JSON and a way to say where in the file a value is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        from gtmplay.crm.imported import MAX_FILE_BYTES, load_json
        from gtmplay.sources import DiskSource, SourceProblem

        try:
            # the playbook loader's guards: no FIFO or device, no endless file
            data = DiskSource(path.parent).read(path.name, MAX_FILE_BYTES)
        except SourceProblem as exc:
            raise UsageError(problem=f"cannot read {path}: {exc.message}", fix=exc.hint) from None
        fix = "Give the JSON a HubSpot pipelines API call returned"
        self.data: Any = load_json(data, path, fix)
        self.text = data.decode("utf-8-sig")

    def problem(self, where: Path_, problem: str) -> UsageError:
        return UsageError(
            problem=f"{self.locate(where)}: {problem}",
            fix="Give the JSON a HubSpot pipelines API call returned (GET /crm/v3/pipelines/deals)",
        )

    def locate(self, where: Path_) -> str:
        from gtmplay.loader import LoadProblem, parse
        from gtmplay.sourcemap import SourceMap

        smap = SourceMap()
        try:
            doc, _ = parse(self.text, str(self.path), smap)
        except LoadProblem:  # valid JSON that YAML reads differently: the file alone
            return str(self.path)
        span = smap.locate(doc, where)
        return f"{span.file}:{span.line}:{span.column}"


def _pipelines(doc: _Doc, choose: str | None) -> list[tuple[dict[str, Any], Path_]]:
    """Every pipeline of the file, or the one ``choose`` names (its id or label)."""
    data = doc.data
    pipelines: list[tuple[Any, Path_]]
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        pipelines = [(p, ("results", i)) for i, p in enumerate(data["results"])]
    elif isinstance(data, dict) and "stages" in data:
        pipelines = [(data, ())]
    else:
        raise doc.problem((), "neither a pipeline (with stages) nor a list of pipelines (results)")
    for p, where in pipelines:
        if not isinstance(p, dict):
            raise doc.problem(where, "a pipeline must be a JSON object")
    if not pipelines:
        raise doc.problem(("results",), "the list of pipelines is empty")
    if choose is None:
        return pipelines
    chosen = [(p, w) for p, w in pipelines if choose in (p.get("id"), p.get("label"))]
    if not chosen:
        listed = ", ".join(f"{p.get('id')} ({p.get('label')})" for p, _ in pipelines)
        raise UsageError(
            problem=f"{doc.path}: no pipeline {choose!r}; there are: {listed}",
            fix="Give --pipeline the id or label of one of them, or leave it out to import all",
        )
    return chosen[:1]


def _probability(doc: _Doc, stage: dict[str, Any], where: Path_) -> float:
    metadata = stage.get("metadata")
    if not isinstance(metadata, dict) or "probability" not in metadata:
        raise doc.problem(where, "a deal stage needs metadata.probability")
    try:
        value = float(metadata["probability"])
    except (TypeError, ValueError):
        raise doc.problem(
            (*where, "metadata", "probability"), "probability must be a number from 0.0 to 1.0"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise doc.problem((*where, "metadata", "probability"), "probability must be 0.0 to 1.0")
    return value


@dataclass(frozen=True, slots=True)
class _Stage:
    """One stage as read, with what identifies it across pipelines."""

    label: str
    percent: int
    outcome: str  # open, won or lost
    hubspot_id: str | None
    order: int

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.label, self.percent, self.outcome)

    def doc(self, sid: str) -> dict[str, Any]:
        stage: dict[str, Any] = {"id": sid, "name": self.label, "probability": self.percent}
        if self.outcome == "open":
            stage["forecast"] = "pipeline"
        else:
            stage["forecast"] = "closed" if self.outcome == "won" else "omitted"
            stage["outcome"] = self.outcome
        return stage


def _stages(doc: _Doc, raw: dict[str, Any], where: Path_, warnings: list[str]) -> list[_Stage]:
    """The pipeline's stages in HubSpot's order: by ``displayOrder``, then label."""
    stages_raw = raw.get("stages")
    if not isinstance(stages_raw, list) or not stages_raw:
        raise doc.problem((*where, "stages"), "the pipeline has no stages")
    indexed = []
    for i, s in enumerate(stages_raw):
        at = (*where, "stages", i)
        if not isinstance(s, dict) or not isinstance(s.get("label"), str) or not s["label"]:
            raise doc.problem(at, "a stage needs a label")
        order = s.get("displayOrder", i)
        if not isinstance(order, int) or isinstance(order, bool):
            raise doc.problem((*at, "displayOrder"), "displayOrder must be a whole number")
        indexed.append((order, s["label"], i, s, at))
    indexed.sort(key=lambda t: (t[0], t[1], t[2]))
    out = []
    for order, label, _, s, at in indexed:
        probability = _probability(doc, s, at)
        closed_flag = str((s.get("metadata") or {}).get("isClosed", "")).lower()
        closed = closed_flag == "true" if closed_flag else probability in (0.0, 1.0)
        outcome = ("won" if probability == 1.0 else "lost") if closed else "open"
        # v3 calls it id, the legacy v1 API stageId
        stage_id = s.get("id", s.get("stageId"))
        if s.get("archived") is True:
            warnings.append(f"{doc.locate(at)}: stage {label!r} is archived; imported anyway")
        hubspot_id = stage_id if isinstance(stage_id, str) else None
        out.append(_Stage(label, round(probability * 100), outcome, hubspot_id, order))
    return out


def _extras(stages: list[_Stage], ids: list[str]) -> dict[str, StageExtra]:
    """HubSpot's stage ids, and each order that is not the stage's position."""
    extras = {}
    for position, (stage, sid) in enumerate(zip(stages, ids, strict=True)):
        extra = StageExtra(
            id=stage.hubspot_id,
            display_order=stage.order if stage.order != position else None,
        )
        if extra.to_raw():
            extras[sid] = extra
    return extras


def _pipeline_order(raw: dict[str, Any]) -> int | None:
    order = raw.get("displayOrder")
    return order if isinstance(order, int) and not isinstance(order, bool) else None


def _one(doc: _Doc, raw: dict[str, Any], where: Path_, warnings: list[str]) -> dict[str, Any]:
    """One pipeline: the playbook's stages, with no motion."""
    stages = _stages(doc, raw, where, warnings)
    ids = Ids()
    sids = [ids.make(s.label, "stage") for s in stages]
    settings = HubspotSettings(
        pipeline_label=str(raw.get("label") or "Pipeline"),
        display_order=_pipeline_order(raw),
        pipeline_id=raw["id"] if isinstance(raw.get("id"), str) else None,
        stages=_extras(stages, sids),
    )
    return {
        "gtmplay": 1,
        "name": str(raw.get("label") or "Imported from HubSpot"),
        "description": "Deal stages imported from HubSpot.",
        "stages": [s.doc(sid) for s, sid in zip(stages, sids, strict=True)],
        "crm": {"hubspot": settings.to_raw()},
    }


def _several(
    doc: _Doc, pipelines: list[tuple[dict[str, Any], Path_]], warnings: list[str]
) -> dict[str, Any]:
    """Several pipelines: one motion each. A stage of the same label, probability
    and outcome in several pipelines is one playbook stage in several motions."""
    ordered = sorted(
        enumerate(pipelines),
        key=lambda t: (_pipeline_order(t[1][0]) or 0, str(t[1][0].get("label") or ""), t[0]),
    )
    ids = Ids()
    stages: list[dict[str, Any]] = []
    known: dict[tuple[str, int, str], str] = {}
    motions: list[dict[str, Any]] = []
    pipeline_extras: dict[str, PipelineExtra] = {}
    for position, (_, (raw, where)) in enumerate(ordered):
        label = str(raw.get("label") or f"Pipeline {position + 1}")
        read = _stages(doc, raw, where, warnings)
        sids: list[str] = []
        for stage in read:
            sid = known.get(stage.key)
            if sid is None or sid in sids:  # never one stage twice in a pipeline
                sid = ids.make(stage.label, "stage")
                stages.append(stage.doc(sid))
                known.setdefault(stage.key, sid)
            sids.append(sid)
        mid = ids.make(label, "motion")
        hub: dict[str, Any] = {"pipeline": label}
        if isinstance(raw.get("id"), str):
            hub["pipeline_id"] = raw["id"]
        motions.append({"id": mid, "name": label, "stages": sids, "crm": {"hubspot": hub}})
        order = _pipeline_order(raw)
        extra = PipelineExtra(
            display_order=order if order is not None and order != position else None,
            stages=_extras(read, sids),
        )
        if extra.to_raw():
            pipeline_extras[mid] = extra
    result: dict[str, Any] = {
        "gtmplay": 1,
        "name": "Imported from HubSpot",
        "description": "Deal pipelines imported from HubSpot, one sales motion each.",
        "stages": stages,
        "motions": motions,
    }
    settings = HubspotSettings(motions=pipeline_extras).to_raw()
    if settings:
        result["crm"] = {"hubspot": settings}
    return result


def import_hubspot(path: str, pipeline: str | None = None) -> Imported:
    """Read every pipeline of ``path`` (one motion each), or the one ``pipeline`` names."""
    doc = _Doc(Path(path))
    pipelines = _pipelines(doc, pipeline)
    warnings: list[str] = []
    if len(pipelines) == 1:
        result = _one(doc, *pipelines[0], warnings)
    else:
        result = _several(doc, pipelines, warnings)
    return Imported(doc=result, sources=[str(path)], warnings=warnings)
