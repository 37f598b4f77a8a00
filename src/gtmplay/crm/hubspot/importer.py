"""``gtmplay import hubspot``: a playbook from a HubSpot deal pipeline.

Takes the JSON the CRM Pipelines v3 API returns: one pipeline
(``GET /crm/v3/pipelines/deals/{id}``) or the list
(``GET /crm/v3/pipelines/deals``, then ``--pipeline`` picks one when there
are several). Stages keep their order (HubSpot's: by ``displayOrder``, then
label), label and probability; HubSpot's stage ids and any display order
that is not the stage's position go into ``crm.hubspot`` so the export
reproduces them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def _pipeline(doc: _Doc, choose: str | None) -> tuple[dict[str, Any], Path_]:
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
    if choose is not None:
        chosen = [(p, w) for p, w in pipelines if choose in (p.get("id"), p.get("label"))]
        if not chosen:
            listed = ", ".join(f"{p.get('id')} ({p.get('label')})" for p, _ in pipelines)
            raise UsageError(problem=f"{doc.path}: no pipeline {choose!r}; there are: {listed}")
        return chosen[0]
    if len(pipelines) != 1:
        listed = ", ".join(f"{p.get('id')} ({p.get('label')})" for p, _ in pipelines)
        raise UsageError(
            problem=f"{doc.path} holds {len(pipelines)} pipelines: {listed}",
            fix="Pick one with --pipeline ID",
        )
    return pipelines[0]


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


def import_hubspot(path: str, pipeline: str | None = None) -> Imported:
    doc = _Doc(Path(path))
    raw, where = _pipeline(doc, pipeline)
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
    ids = Ids()
    stages, extras, warnings = [], {}, []
    for position, (order, label, _, s, at) in enumerate(indexed):
        probability = _probability(doc, s, at)
        percent = round(probability * 100)
        closed_flag = str((s.get("metadata") or {}).get("isClosed", "")).lower()
        closed = closed_flag == "true" if closed_flag else probability in (0.0, 1.0)
        sid = ids.make(label, "stage")
        stage: dict[str, Any] = {"id": sid, "name": label, "probability": percent}
        if closed:
            won = probability == 1.0
            stage["forecast"] = "closed" if won else "omitted"
            stage["outcome"] = "won" if won else "lost"
        else:
            stage["forecast"] = "pipeline"
        stages.append(stage)
        extra: dict[str, Any] = {}
        # v3 calls it id, the legacy v1 API stageId
        stage_id = s.get("id", s.get("stageId"))
        if isinstance(stage_id, str):
            extra["id"] = stage_id
        if order != position:
            extra["display_order"] = order
        if s.get("archived") is True:
            warnings.append(f"{doc.locate(at)}: stage {label!r} is archived; imported anyway")
        if extra:
            extras[sid] = extra
    hub: dict[str, Any] = {"pipeline_label": str(raw.get("label") or "Pipeline")}
    if isinstance(raw.get("displayOrder"), int):
        hub["display_order"] = raw["displayOrder"]
    if isinstance(raw.get("id"), str):
        hub["pipeline_id"] = raw["id"]
    if extras:
        hub["stages"] = extras
    result: dict[str, Any] = {
        "gtmplay": 1,
        "name": str(raw.get("label") or "Imported from HubSpot"),
        "description": "Deal stages imported from HubSpot.",
        "stages": stages,
        "crm": {"hubspot": hub},
    }
    return Imported(doc=result, sources=[str(path)], warnings=warnings)
