"""Draw a declared workflow as SVG (pure Python, layered layout, Chinese labels).

The picture comes from the same `Workflow` the services enforce. Layout: each state's layer is
its longest forward distance from the initial state; states in a layer sit side by side; forward edges
run downwards, backward edges and self-loops bend round the side. No external binary.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import translation

from cases.workflow.engine import Workflow

NODE_W, NODE_H = 150, 40
GAP_X, GAP_Y = 70, 80
MARGIN = 40
FONT = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif"


def layers(workflow: Workflow) -> dict[str, int]:
    """Each state's layer: the longest path from the initial state once back edges (those closing a
    cycle in a depth-first walk in declaration order) are set aside; unreachable states go last."""
    succ: dict[str, list[str]] = {}
    for t in workflow.transitions:
        for source in t.sources:
            if t.target != source:
                succ.setdefault(source, []).append(t.target)
    order: list[str] = []
    back: set[tuple[str, str]] = set()
    colour: dict[str, int] = {}

    def visit(state: str) -> None:
        colour[state] = 1
        for nxt in succ.get(state, []):
            if colour.get(nxt) == 1:
                back.add((state, nxt))
            elif nxt not in colour:
                visit(nxt)
        colour[state] = 2
        order.append(state)

    visit(workflow.initial)
    rank = {state: 0 for state in order}
    for state in reversed(order):  # topological order of the forward edges
        for nxt in succ.get(state, []):
            if (state, nxt) not in back:
                rank[nxt] = max(rank[nxt], rank[state] + 1)
    last = max(rank.values(), default=0) + 1
    for value, _label in workflow.states:
        rank.setdefault(value, last)
    return rank


def render_svg(workflow: Workflow, *, language: str = "zh-hans") -> str:
    with translation.override(language):
        return _render(workflow)


def _render(workflow: Workflow) -> str:
    rank = layers(workflow)
    rows: dict[int, list[str]] = {}
    for value, _label in workflow.states:
        rows.setdefault(rank[value], []).append(value)
    widest = max(len(r) for r in rows.values())
    width = MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X + 220
    height = MARGIN * 2 + 40 + len(rows) * NODE_H + (len(rows) - 1) * GAP_Y
    pos: dict[str, tuple[float, float]] = {}
    for r, states in sorted(rows.items()):
        row_w = len(states) * NODE_W + (len(states) - 1) * GAP_X
        x0 = (width - 220 - row_w) / 2
        for i, state in enumerate(states):
            pos[state] = (x0 + i * (NODE_W + GAP_X), MARGIN + 40 + r * (NODE_H + GAP_Y))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="13">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker>'
        "</defs>",
        f"<title>{escape(str(workflow.title))}</title>",
        f'<text x="{MARGIN}" y="{MARGIN}" font-size="18" font-weight="bold">'
        f"{escape(str(workflow.title))}</text>",
    ]
    side = 0
    loops: dict[str, int] = {}
    for t in workflow.transitions:
        label = escape(str(t.label))
        for source in t.sources:
            sx, sy = pos[source]
            tx, ty = pos[t.target]
            attrs = (
                f'data-action="{escape(t.action)}" data-from="{escape(source)}" data-to="{escape(t.target)}"'
            )
            if source == t.target:
                # several acts recorded in one state (e.g. execution): one loop each, labels stacked
                i = loops.get(source, 0)
                loops[source] = i + 1
                x, y = sx + NODE_W, sy + NODE_H / 2
                reach, lx, ly = x + 45 + 12 * i, x + 48 + 12 * i, y + 4 + 14 * i
                out.append(
                    f'<g class="edge" {attrs}><path d="M{x},{y - 8} C{reach},{y - 30} {reach},{y + 30} '
                    f'{x},{y + 8}" fill="none" stroke="#444" marker-end="url(#arrow)"/>'
                    f'<text x="{lx}" y="{ly}" font-size="11" fill="#333">{label}</text></g>'
                )
                continue
            if rank[t.target] > rank[source]:
                x1, y1 = sx + NODE_W / 2, sy + NODE_H
                x2, y2 = tx + NODE_W / 2, ty
                mx, my = (x1 + x2) / 2, (y1 + y2) / 2
                out.append(
                    f'<g class="edge" {attrs}><path d="M{x1},{y1} L{x2},{y2}" fill="none" stroke="#444" '
                    f'marker-end="url(#arrow)"/><text x="{mx + 4}" y="{my}" font-size="11" fill="#333">'
                    f"{label}</text></g>"
                )
            else:
                side += 1
                bend = width - 200 + (side % 6) * 28
                x1, y1 = sx + NODE_W, sy + NODE_H / 2 + 6
                x2, y2 = tx + NODE_W, ty + NODE_H / 2 - 6
                out.append(
                    f'<g class="edge back" {attrs}><path d="M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}" '
                    f'fill="none" stroke="#999" stroke-dasharray="4 3" marker-end="url(#arrow)"/>'
                    f'<text x="{bend - 60}" y="{(y1 + y2) / 2}" font-size="11" fill="#666">{label}</text></g>'
                )
    for value, label in workflow.states:
        x, y = pos[value]
        terminal = value in workflow.terminal
        out.append(
            f'<g class="state" data-state="{escape(value)}"><rect x="{x}" y="{y}" width="{NODE_W}" '
            f'height="{NODE_H}" rx="8" fill="{"#e8f0e8" if terminal else "#eef3fb"}" stroke="#36c" />'
            f'<text x="{x + NODE_W / 2}" y="{y + NODE_H / 2 + 5}" text-anchor="middle">'
            f"{escape(str(label))}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
