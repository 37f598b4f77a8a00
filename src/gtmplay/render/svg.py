"""Diagrams as inline SVG, drawn by gtmplay so the site works offline.

Every function returns a complete ``<svg>`` element as ``Markup``: all text
escaped, integer coordinates (so output is byte-identical across runs), a
``viewBox`` so it scales to the page, ``role="img"`` and a ``<title>``.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from gtmplay.render.views import HandoffView, HeatMap, Site

WIDTH = 760
PALETTE = ("#2f6fb0", "#c2612c", "#2e8b57", "#8a4fb3", "#b8860b", "#1f8a99", "#b03a6f", "#5a6e2a")
GREY = "#7a7f87"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def _t(value: object) -> str:
    return escape(str(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _wrap(text: str, width: int) -> list[str]:
    """At most two lines of about ``width`` characters, the second shortened if need be."""
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        return [_short(text, width)]
    return [text[:cut], _short(text[cut + 1 :], width)]


def team_colours(site: Site) -> dict[str, str]:
    return {t.id: PALETTE[i % len(PALETTE)] for i, t in enumerate(site.playbook.teams)}


def _svg(
    name: str, title: str, height: int, body: list[str], desc: str = "", width: int = WIDTH
) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram diagram-{name}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{name}-title" {FONT} font-size="13">'
        f'<title id="{name}-title">{_t(title)}</title>'
    )
    if desc:
        head += f"<desc>{_t(desc)}</desc>"
    return Markup(head + "".join(body) + "</svg>")


def _text(x: int, y: int, text: str, *, size: int = 13, anchor: str = "middle", **kw: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{_t(v)}"' for k, v in kw.items())
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}"{extra}>{_t(text)}</text>'
    )


def _sla(h: HandoffView) -> str:
    parts = []
    if h.respond_within:
        parts.append(f"respond {h.respond_within.text}")
    if h.attempts:
        parts.append(f"{h.attempts} attempts")
    if h.window:
        parts.append(f"in {h.window.text}")
    return ", ".join(parts) or "no SLA"


def waterfall(site: Site, highlight: str | None = None) -> Markup:
    """The demand waterfall: funnel steps narrowing down, owners and handoffs beside them.

    ``highlight`` (a team id) draws the other teams' steps faded.
    """
    colours = team_colours(site)
    funnel = [s for s in site.steps if s.step.kind == "funnel"]
    aside = [s for s in site.steps if s.step.kind != "funnel"]
    row, top, centre, widest, narrowest = 52, 16, 210, 400, 150
    body: list[str] = [
        '<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>'
    ]
    n = max(len(funnel), 1)
    for i, view in enumerate(funnel):
        w_top = widest - (widest - narrowest) * i // n
        w_bottom = widest - (widest - narrowest) * (i + 1) // n
        y = top + i * row
        owner = view.step.owner or ""
        fill = colours.get(owner, GREY)
        faded = ' opacity="0.35"' if highlight and owner != highlight else ""
        points = (
            f"{centre - w_top // 2},{y} {centre + w_top // 2},{y} "
            f"{centre + w_bottom // 2},{y + row - 4} {centre - w_bottom // 2},{y + row - 4}"
        )
        body.append(
            f'<g class="step"{faded}><title>{_t(view.step.name)}</title>'
            f'<polygon points="{points}" fill="{fill}"/>'
            + _text(centre, y + 21, _short(view.step.name, 30), size=14, fill="#fff",
                    font_weight="600")
            + _text(centre, y + 38, _short(view.owner.name if view.owner else "no owner", 34),
                    size=11, fill="#fff")
            + "</g>"
        )  # fmt: skip
        for j, h in enumerate(view.handoffs[:2]):
            x0 = centre + w_top // 2 + 6
            hy = y + 14 + j * 22
            route = f"{h.source.name} \u2192 {h.destination.name}"
            lines = [route, _sla(h)] if len(view.handoffs) == 1 else [f"{route}: {_sla(h)}"]
            body.append(
                f'<g class="handoff"><title>{_t(h.handoff.name)}: {_t(route)}, {_t(_sla(h))}'
                f'</title><line x1="{x0}" y1="{hy}" x2="{x0 + 40}" y2="{hy}" stroke="#444" '
                f'stroke-width="1.5" marker-end="url(#wf-arrow)"/>'
                + "".join(
                    _text(x0 + 46, hy + 4 + k * 15, _short(line, 58 if k == 0 else 60),
                          size=11, anchor="start", fill="#222" if k == 0 else "#555")
                    for k, line in enumerate(lines)
                )
                + "</g>"
            )  # fmt: skip
    y = top + len(funnel) * row + 12
    if aside:
        body.append(_text(16, y + 4, "Off the main line:", size=12, anchor="start", fill="#333"))
        for k, view in enumerate(aside):
            x, by = 16 + (k % 4) * 182, y + 14 + (k // 4) * 44
            dash = "6 3" if view.step.kind == "recycle" else "2 3"
            body.append(
                f'<g class="aside"><title>{_t(view.step.name)} ({_t(view.step.kind)})</title>'
                f'<rect x="{x}" y="{by}" width="170" height="34" rx="6" fill="#f4f5f7" '
                f'stroke="{colours.get(view.step.owner or "", GREY)}" stroke-width="2" '
                f'stroke-dasharray="{dash}"/>'
                + _text(x + 85, by + 15, _short(view.step.name, 24), size=12)
                + _text(x + 85, by + 28, view.step.kind, size=10, fill="#555")
                + "</g>"
            )  # fmt: skip
        y += 14 + ((len(aside) + 3) // 4) * 44
    height = max(y + 8, 60)
    if not funnel and not aside:
        body.append(_text(WIDTH // 2, 34, "This playbook has no lifecycle steps yet.", size=13))
    names = ", ".join(v.step.name for v in funnel)
    return _svg("waterfall", "Demand waterfall", height, body, f"Steps: {names}")


def _link(root: str | None, page: str, inner: str) -> str:
    if root is None:
        return inner
    return f'<a href="{_t(root + page)}.html">{inner}</a>'


def process(site: Site, current: str | None = None, root: str | None = None) -> Markup:
    """The sales process: chevrons with probability and target days, then won and lost.

    With ``root`` (the relative path to the site root) each stage links to its page.
    """
    open_ = [s for s in site.stages if not s.stage.closed]
    closed = [s for s in site.stages if s.stage.closed]
    per_row, cw, ch, gap = 5, 148, 58, 8
    body: list[str] = []
    for i, view in enumerate(open_):
        s = view.stage
        x, y = 8 + (i % per_row) * (cw + gap - 6), 10 + (i // per_row) * (ch + 14)
        tip = 16
        points = (
            f"{x},{y} {x + cw - tip},{y} {x + cw},{y + ch // 2} {x + cw - tip},{y + ch} "
            f"{x},{y + ch} {x + tip},{y + ch // 2}"
        )
        here = s.id == current
        fill = "#1d4f86" if here else "#2f6fb0"
        name = _wrap(s.name, 18)
        days = f" \u00b7 {s.target_days} d" if s.target_days is not None else ""
        body.append(_link(root, view.page,
            f'<g class="stage{" current" if here else ""}"><title>{_t(s.name)}</title>'
            f'<polygon points="{points}" fill="{fill}"'
            + (' stroke="#f2b600" stroke-width="3"' if here else "")
            + "/>"
            + "".join(
                _text(x + cw // 2 + 4, y + (19 if len(name) == 2 else 25) + k * 14, part,
                      size=11, fill="#fff", font_weight="600")
                for k, part in enumerate(name)
            )
            + _text(x + cw // 2 + 4, y + 48, f"{s.probability}%{days}", size=11, fill="#fff")
            + "</g>"
        ))  # fmt: skip
    y = 10 + ((len(open_) + per_row - 1) // per_row) * (ch + 14)
    for k, view in enumerate(closed):
        s = view.stage
        x, by = 8 + (k % 4) * 186, y + (k // 4) * 50
        fill = "#2e8b57" if s.won else "#b03a3a"
        here = s.id == current
        body.append(_link(root, view.page,
            f'<g class="outcome"><title>{_t(s.name)}</title>'
            f'<rect x="{x}" y="{by}" width="176" height="40" rx="20" fill="{fill}"'
            + (' stroke="#f2b600" stroke-width="3"' if here else "")
            + "/>"
            + _text(x + 88, by + 17, _short(s.name, 22), size=12, fill="#fff", font_weight="600")
            + _text(x + 88, by + 32, f"{s.outcome} \u00b7 {s.probability}%", size=11,
                    fill="#fff")
            + "</g>"
        ))  # fmt: skip
    height = y + ((len(closed) + 3) // 4) * 50 + 4
    if not site.stages:
        body.append(_text(WIDTH // 2, 34, "This playbook has no sales stages yet.", size=13))
        height = 60
    names = ", ".join(v.stage.name for v in site.stages)
    return _svg("process", "Sales process", max(height, 60), body, f"Stages: {names}")


def heatmap(site: Site, data: HeatMap | None = None) -> Markup:
    """Stage x persona coverage: how many activities support each pair."""
    hm = data or site.heatmap
    label_w, cw, rh, head = 200, 88, 26, 48
    cols = hm.columns
    width = max(WIDTH, label_w + len(cols) * cw + 8)  # every persona gets a column
    top = max(hm.maximum, 1)
    body = []
    for j, col in enumerate(cols):
        x = label_w + j * cw + cw // 2
        lines = _wrap(col.name, 13)
        body.append(
            f"<g><title>{_t(col.name)}</title>"
            + "".join(
                _text(x, head - 8 - (len(lines) - 1 - k) * 13, line, size=10, font_weight="600")
                for k, line in enumerate(lines)
            )
            + "</g>"
        )
    for i, row in enumerate(hm.rows):
        y = head + i * rh
        expected = hm.expected[i] if i < len(hm.expected) else True
        body.append(
            f"<g><title>{_t(row.name)}</title>"
            + _text(label_w - 8, y + 17, _short(row.name, 26), size=12, anchor="end")
            + "</g>"
        )
        for j, _col in enumerate(cols):
            n = hm.counts[i][j]
            if n == 0:
                fill, ink = ("#f6d5d1", "#8a1f11") if expected else ("#eef0f3", "#6b7280")
            else:
                level = 40 + (n * 160) // top
                fill = f"rgb({235 - level},{242 - level // 2},255)"
                ink = "#fff" if level > 110 else "#10253f"
            body.append(
                f'<rect x="{label_w + j * cw + 2}" y="{y + 2}" width="{cw - 4}" '
                f'height="{rh - 4}" rx="3" fill="{fill}"><title>{_t(row.name)} / '
                f"{_t(cols[j].name)}: {n}</title></rect>"
                + _text(label_w + j * cw + cw // 2, y + 17, str(n), size=12, fill=ink)
            )
    height = head + len(hm.rows) * rh + 8
    if not hm.rows:
        body.append(_text(WIDTH // 2, 34, "No stages or lifecycle steps to cover.", size=13))
        height = 60
    title = "Coverage: activities per stage and persona"
    return _svg("heatmap", title, height, body, width=width)


_PER_MONTH = {"daily": 20, "weekly": 4, "biweekly": 2, "monthly": 1}


def cadence(site: Site) -> Markup:
    """One month of the operating cadence: a row per meeting, a mark per occurrence."""
    meetings = site.playbook.cadence
    label_w, rh = 220, 28
    span = WIDTH - label_w - 20
    body = [
        _text(label_w + span * w // 4 + span // 8, 14, f"week {w + 1}", size=11, fill="#555")
        for w in range(4)
    ]
    for i, m in enumerate(meetings):
        y = 24 + i * rh
        body.append(
            f"<g><title>{_t(m.name)} ({_t(m.every)})</title>"
            + _text(label_w - 10, y + 17, _short(m.name, 28), size=12, anchor="end")
            + "</g>"
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{span}" height="{rh - 8}" rx="4" '
            'fill="#f1f3f6"/>'
        )
        n = _PER_MONTH.get(m.every, 0)
        if n:
            for k in range(n):
                cx = label_w + span * (2 * k + 1) // (2 * n)
                body.append(f'<circle cx="{cx}" cy="{y + rh // 2}" r="6" fill="#2f6fb0"/>')
        else:
            body.append(
                _text(label_w + span // 2, y + 18, f"{m.every}, not every month", size=11,
                      fill="#555")
            )  # fmt: skip
    height = 24 + len(meetings) * rh + 8
    if not meetings:
        body.append(_text(WIDTH // 2, 44, "No meetings in the cadence yet.", size=13))
        height = 64
    return _svg("cadence", "Operating cadence over one month", height, body)


def strategy(site: Site) -> Markup:
    """The four strategy choices as one row of labelled tiles."""
    st = site.playbook.strategy
    tiles = [
        ("Innovation", st.innovation if st else None),
        ("Value", st.value if st else None),
        ("Brand", st.brand if st else None),
        ("Sales role", st.sales_role if st else None),
    ]
    body = []
    for i, (label, value) in enumerate(tiles):
        x = 8 + i * 188
        fill = PALETTE[i] if value else "#c9ccd1"
        lines = _wrap(site.strategy_label(value), 22)
        body.append(
            f'<rect x="{x}" y="8" width="178" height="64" rx="8" fill="{fill}"/>'
            + _text(x + 89, 26, label, size=12, fill="#fff")
            + "".join(
                _text(x + 89, (50 if len(lines) == 1 else 44) + k * 15, line, size=12,
                      fill="#fff", font_weight="600")
                for k, line in enumerate(lines)
            )
        )  # fmt: skip
    return _svg("strategy", "Go-to-market strategy choices", 80, body)
