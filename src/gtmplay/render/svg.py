"""Diagrams as inline SVG, drawn by gtmplay so the site works offline.

Every function returns a complete ``<svg>`` element as ``Markup``: all text
escaped, integer coordinates (so output is byte-identical across runs), a
``viewBox``, ``role="img"`` and a ``<title>``.

Legibility: the page shows each diagram at its natural size (one SVG unit per
CSS pixel) and lets a narrow screen scroll it sideways, so the smallest text,
``MIN_FONT``, is what a phone shows. Text on a coloured shape has a contrast
of at least 4.5:1 (WCAG AA): the palette is dark enough for white text, and
cells of varying shade take the ink of higher contrast (:func:`ink`).
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from gtmplay.render.views import HandoffView, HeatMap, Site

WIDTH = 760
# what a phone shows of a diagram (390 px less the page's margins and a scroll bar): the
# sales process has a variant this wide, and the waterfall's legend wraps within it
NARROW = 340
MIN_FONT = 11
PALETTE = ("#2f6fb0", "#a8501f", "#24744a", "#8a4fb3", "#8a6508", "#17717e", "#b03a6f", "#5a6e2a")
GREY = "#656a72"
DARK, LIGHT = "#0b1520", "#ffffff"
FADED = "#eef1f5"  # a step another team owns, in a team's guide
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


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink(fill: str) -> str:
    """Dark or light text, whichever reads better on ``fill`` (always at least 4.5:1)."""
    return DARK if contrast(fill, DARK) >= contrast(fill, LIGHT) else LIGHT


def team_colours(site: Site) -> dict[str, str]:
    return {t.id: PALETTE[i % len(PALETTE)] for i, t in enumerate(site.playbook.teams)}


def _svg(
    name: str,
    title: str,
    height: int,
    body: list[str],
    desc: str = "",
    width: int = WIDTH,
    role: str = "img",
    variant: str = "",
) -> Markup:
    # role "img" hides the inside from assistive technology, so a diagram with
    # links in it is a "group" instead: its links stay reachable and named.
    # A variant (drawn for another width, the page shows one) has a class and title id of its own.
    ident = f"{name}-{variant}" if variant else name
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram diagram-{name}'
        f'{" " + variant if variant else ""}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="{role}" '
        f'aria-labelledby="{ident}-title" {FONT} font-size="13">'
        f'<title id="{ident}-title">{_t(title)}</title>'
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
        parts.append(f"respond in {h.respond_within.words}")
    if h.attempts:
        parts.append(f"{h.attempts} attempts")
    if h.window:
        parts.append(f"over {h.window.words}")
    return ", ".join(parts) or "no SLA"


def waterfall(site: Site, highlight: str | None = None) -> Markup:
    """The demand waterfall: funnel steps narrowing down, owners and handoffs beside them.

    ``highlight`` (a team id) draws the other teams' steps pale with dark text.
    A legend names the colour of each team that owns a step.
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
        colour = colours.get(owner, GREY)
        faded = bool(highlight) and owner != highlight
        fill, text = (FADED, DARK) if faded else (colour, LIGHT)
        stroke = f' stroke="{colour}" stroke-width="2"' if faded else ""
        points = (
            f"{centre - w_top // 2},{y} {centre + w_top // 2},{y} "
            f"{centre + w_bottom // 2},{y + row - 4} {centre - w_bottom // 2},{y + row - 4}"
        )
        body.append(
            f'<g class="step{" other" if faded else ""}"><title>{_t(view.step.name)}</title>'
            f'<polygon points="{points}" fill="{fill}"{stroke}/>'
            + _text(centre, y + 21, _short(view.step.name, 30), size=14, fill=text,
                    font_weight="600")
            + _text(centre, y + 38, _short(view.owner.name if view.owner else "no owner", 34),
                    size=MIN_FONT, fill=text)
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
                    _text(x0 + 46, hy + 4 + k * 15, _short(line, 50 if k == 0 else 52),
                          size=MIN_FONT, anchor="start", fill="#222" if k == 0 else "#4a4f57")
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
                + _text(x + 85, by + 29, _KINDS.get(view.step.kind, view.step.kind),
                        size=MIN_FONT, fill="#4a4f57")
                + "</g>"
            )  # fmt: skip
        y += 14 + ((len(aside) + 3) // 4) * 44
    owners = [t for t in dict.fromkeys(v.step.owner for v in site.steps) if t in colours]
    if owners:
        items = [(colours[t], _team_name(site, t)) for t in owners]
        y = _legend(body, y + 6, items, right=NARROW - 8)
    height = max(y + 8, 60)
    if not funnel and not aside:
        body.append(_text(WIDTH // 2, 34, "This playbook has no lifecycle steps yet.", size=13))
    names = ", ".join(v.step.name for v in funnel)
    return _svg("waterfall", "Demand waterfall", height, body, f"Steps: {names}")


_KINDS = {"recycle": "back to nurture", "disqualified": "out of the funnel"}


def _team_name(site: Site, team_id: str) -> str:
    ref = site.team(team_id)
    return ref.name if ref is not None else team_id


def _legend(
    body: list[str],
    y: int,
    items: list[tuple[str, str]],
    title: str = "Owner",
    right: int = WIDTH - 8,
) -> int:
    """Colour swatches with their meaning, wrapping at ``right``; returns the y below them."""
    seen = {name: colour for colour, name in reversed(items)}
    seen = {name: seen[name] for name in dict.fromkeys(name for _, name in items)}
    body.append(_text(16, y + 12, f"{title}:", size=12, anchor="start", fill="#333"))
    start = 16 + len(title) * 7 + 14
    x, line = start, y
    for name, colour in seen.items():
        text = _short(name, 28)
        width = 22 + len(text) * 7 + 14
        if x + width > right and x > start:
            x, line = start, line + 20
        body.append(
            f'<g class="legend"><rect x="{x}" y="{line + 2}" width="14" height="14" rx="3" '
            f'fill="{colour}"/>' + _text(x + 20, line + 13, text, size=12, anchor="start") + "</g>"
        )
        x += width
    return line + 22


def _link(root: str | None, page: str, inner: str) -> str:
    if root is None:
        return inner
    return f'<a href="{_t(root + page)}.html">{inner}</a>'


# outcomes a stage page shows at most (a deal can be won or lost from any stage)
OUTCOMES = 4


def process(
    site: Site, current: str | None = None, root: str | None = None, width: int = WIDTH
) -> Markup:
    """The sales process: chevrons with probability and target days, then won and lost.

    Without ``current``, every stage (the overview). With ``current`` (a stage
    id), only its neighbourhood: the stages around it and the outcomes, so a
    stage page stays the same size however many stages the process has.
    With ``root`` (the relative path to the site root) each stage links to its page.
    A ``width`` under ``WIDTH`` (a phone) puts fewer chevrons and outcomes on a row, so
    they wrap instead of running past the edge (a variant with a class of its own).
    """
    view = site.stage_view(current) if current else None
    shown = site.neighbourhood(view) if view is not None else site.stages
    open_ = [s for s in shown if not s.stage.closed]
    closed = list(site.outcomes) if view is None else list(site.outcomes[:OUTCOMES])
    if view is not None and view.stage.closed and view not in closed:
        closed.append(view)
    cw, ch, gap = 148, 58, 8
    per_row = max(1, (width - 8 - cw) // (cw + gap - 6) + 1)
    # outcome pills: 4 a row on the full width, narrower ones 2 a row on a phone
    pill = 176 if width >= WIDTH else 160
    pills = max(1, (width - 8 - pill) // (pill + 10) + 1)
    body: list[str] = []
    for i, sv in enumerate(open_):
        s = sv.stage
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
        body.append(_link(root, sv.page,
            f'<g class="stage{" current" if here else ""}"><title>{_t(s.name)}</title>'
            f'<polygon points="{points}" fill="{fill}"'
            + (' stroke="#f2b600" stroke-width="3"' if here else "")
            + "/>"
            + "".join(
                _text(x + cw // 2 + 4, y + (19 if len(name) == 2 else 25) + k * 14, part,
                      size=MIN_FONT, fill=LIGHT, font_weight="600")
                for k, part in enumerate(name)
            )
            + _text(x + cw // 2 + 4, y + 48, f"{s.probability}%{days}", size=MIN_FONT, fill=LIGHT)
            + "</g>"
        ))  # fmt: skip
    y = 10 + ((len(open_) + per_row - 1) // per_row) * (ch + 14)
    if view is not None:
        hidden = site.open_outside(view)
        if any(hidden):
            note = " and ".join(
                f"{count} {where}"
                for count, where in zip(hidden, ("earlier", "later"), strict=True)
                if count
            )
            more = "stage" if sum(hidden) == 1 else "stages"
            body.append(_text(8, y + 2, f"{note} open {more} on the overview", size=12,
                              anchor="start", fill="#333"))  # fmt: skip
            y += 14
    for k, sv in enumerate(closed):
        s = sv.stage
        x, by = 8 + (k % pills) * (pill + 10), y + (k // pills) * 50
        fill = "#24744a" if s.won else "#b03a3a"
        here = s.id == current
        body.append(_link(root, sv.page,
            f'<g class="outcome"><title>{_t(s.name)}</title>'
            f'<rect x="{x}" y="{by}" width="{pill}" height="40" rx="20" fill="{fill}"'
            + (' stroke="#f2b600" stroke-width="3"' if here else "")
            + "/>"
            + _text(x + pill // 2, by + 17, _short(s.name, 22), size=12, fill=LIGHT,
                    font_weight="600")
            + _text(x + pill // 2, by + 32, f"{s.outcome} \u00b7 {s.probability}%", size=MIN_FONT,
                    fill=LIGHT)
            + "</g>"
        ))  # fmt: skip
    height = y + ((len(closed) + pills - 1) // pills) * 50 + 4
    if not site.stages:
        body.append(_text(width // 2, 34, "This playbook has no sales stages yet.", size=13))
        height = 60
    names = ", ".join(v.stage.name for v in (*open_, *closed))
    role = "img" if root is None else "group"
    variant = "" if width >= WIDTH else "narrow"
    return _svg("process", "Sales process", max(height, 60), body, f"Stages: {names}",
                width=width, role=role, variant=variant)  # fmt: skip


GAP, GAP_INK, NOT_EXPECTED, NOT_EXPECTED_INK = "#f6d5d1", "#8a1f11", "#eef0f3", "#4a4f57"


def _shade(n: int, top: int) -> str:
    """The fill of a cell counting ``n`` activities out of at most ``top``: pale to dark blue.

    The scale skips the middle blues, on which neither dark nor white text
    reaches 4.5:1: the lower half runs pale to medium (dark text), the upper
    half medium-dark to dark (white text).
    """
    f = n / top
    if f <= 0.5:
        low, high, f = (232, 240, 251), (143, 176, 214), f * 2
    else:
        low, high, f = (47, 111, 176), (29, 79, 134), (f - 0.5) * 2
    r, g, b = (round(lo + (hi - lo) * f) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(site: Site, data: HeatMap | None = None) -> Markup:
    """Stage x persona coverage: how many activities support each pair.

    Rows come in groups (lifecycle steps, then sales stages) under a heading
    each; a legend under the chart says what the colours mean.
    """
    hm = data or site.heatmap
    label_w, cw, rh, head = 200, 100, 26, 48
    cols = hm.columns
    width = max(WIDTH, label_w + len(cols) * cw + 8)  # every persona gets a column
    top = max(hm.maximum, 1)
    body = []
    for j, col in enumerate(cols):
        x = label_w + j * cw + cw // 2
        lines = _wrap(col.name, 14)
        body.append(
            f"<g><title>{_t(col.name)}</title>"
            + "".join(
                _text(x, head - 8 - (len(lines) - 1 - k) * 13, line, size=MIN_FONT,
                      font_weight="600")
                for k, line in enumerate(lines)
            )
            + "</g>"
        )  # fmt: skip
    starts = {}
    first = 0
    for heading, count in hm.groups:
        if count:
            starts[first] = heading
        first += count
    y = head
    for i, row in enumerate(hm.rows):
        if i in starts:
            body.append(
                f'<line x1="8" y1="{y + 4}" x2="{width - 8}" y2="{y + 4}" stroke="#c5ccd6"/>'
                + _text(8, y + 20, starts[i], size=12, anchor="start", font_weight="700")
            )
            y += rh
        expected = hm.expected[i] if i < len(hm.expected) else True
        body.append(
            f"<g><title>{_t(row.name)}</title>"
            + _text(label_w - 8, y + 17, _short(row.name, 26), size=12, anchor="end")
            + "</g>"
        )
        for j, _col in enumerate(cols):
            n = hm.counts[i][j]
            if n == 0:
                fill, colour = (GAP, GAP_INK) if expected else (NOT_EXPECTED, NOT_EXPECTED_INK)
            else:
                fill = _shade(n, top)
                colour = ink(fill)
            body.append(
                f'<rect x="{label_w + j * cw + 2}" y="{y + 2}" width="{cw - 4}" '
                f'height="{rh - 4}" rx="3" fill="{fill}"><title>{_t(row.name)} / '
                f"{_t(cols[j].name)}: {n}</title></rect>"
                + _text(label_w + j * cw + cw // 2, y + 17, str(n), size=12, fill=colour)
            )
        y += rh
    height = y + 8
    if not hm.rows:
        body.append(_text(WIDTH // 2, 34, "No stages or lifecycle steps to cover.", size=13))
        height = 60
    else:
        legend = [
            (GAP, "0: a gap to fill"),
            (NOT_EXPECTED, "0: no support needed"),
            (_shade(1, top), "1 activity"),
            (_shade(top, top), f"{top} activities"),
        ]
        height = _legend(body, y + 4, legend if top > 1 else legend[:3], "Colour") + 4
    title = "Coverage: activities per stage and persona"
    return _svg("heatmap", title, height, body, width=width)


_PER_MONTH = {"daily": 20, "weekly": 4, "biweekly": 2, "monthly": 1}


def cadence(site: Site) -> Markup:
    """One month of the operating cadence: a row per meeting, a mark per occurrence."""
    meetings = site.playbook.cadence
    # the names get the room they need (up to half the width), the month the rest
    longest = max((len(m.name) for m in meetings), default=0)
    label_w, rh = min(max(160, 20 + longest * 7), WIDTH // 2), 28
    limit = (label_w - 20) // 7
    span = WIDTH - label_w - 20
    body = [
        _text(
            label_w + span * w // 4 + span // 8, 14, f"week {w + 1}", size=MIN_FONT, fill="#4a4f57"
        )
        for w in range(4)
    ]
    for i, m in enumerate(meetings):
        y = 24 + i * rh
        body.append(
            f"<g><title>{_t(m.name)} ({_t(m.every)})</title>"
            + _text(label_w - 10, y + 17, _short(m.name, limit), size=12, anchor="end")
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
                _text(label_w + span // 2, y + 18, f"{m.every}, not every month", size=MIN_FONT,
                      fill="#4a4f57")
            )  # fmt: skip
    height = 24 + len(meetings) * rh + 8
    if not meetings:
        body.append(_text(WIDTH // 2, 44, "No meetings in the cadence yet.", size=13))
        height = 64
    return _svg("cadence", "Operating cadence over one month", height, body)


def strategy(site: Site) -> Markup:
    """The four strategy choices as labelled tiles, two by two (narrow enough for a phone)."""
    st = site.playbook.strategy
    tiles = [
        ("Innovation", st.innovation if st else None),
        ("Value", st.value if st else None),
        ("Brand", st.brand if st else None),
        ("Sales role", st.sales_role if st else None),
    ]
    body = []
    for i, (label, value) in enumerate(tiles):
        x, y = 4 + (i % 2) * 176, 4 + (i // 2) * 72
        fill = PALETTE[i] if value else GREY
        lines = _wrap(site.strategy_label(value), 22)
        body.append(
            f'<rect x="{x}" y="{y}" width="168" height="64" rx="8" fill="{fill}"/>'
            + _text(x + 84, y + 18, label, size=12, fill=LIGHT)
            + "".join(
                _text(x + 84, y + (42 if len(lines) == 1 else 36) + k * 15, line, size=12,
                      fill=LIGHT, font_weight="600")
                for k, line in enumerate(lines)
            )
        )  # fmt: skip
    desc = "; ".join(f"{label}: {site.strategy_label(value)}" for label, value in tiles)
    return _svg("strategy", "Go-to-market strategy choices", 148, body, desc, width=356)
