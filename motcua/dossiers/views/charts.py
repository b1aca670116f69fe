"""Charts drawn on the server as SVG shapes: no chart library, readable without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.selectors import AgencyRow


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    on_time_width: float
    late_width: float
    text: str

    @property
    def end(self) -> float:
        return round(self.on_time_width + self.late_width, 1)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: list[Bar]


def agency_bars(rows: list[AgencyRow], *, width: int = 600, label_width: int = 230) -> BarChart:
    """One bar per agency: dossiers resolved in the month, on time (green) then late (red)."""
    shown = [r for r in rows if r.resolved][:12]
    plot = width - label_width - 90
    top = max((r.resolved for r in shown), default=0) or 1
    bars = []
    for i, row in enumerate(shown):
        rate = f"{row.rate:.0%}" if row.rate is not None else "–"
        bars.append(
            Bar(
                label=row.name if len(row.name) <= 30 else row.name[:28] + "…",
                y=i * 34 + 6,
                on_time_width=round(plot * row.on_time / top, 1),
                late_width=round(plot * row.late / top, 1),
                text=f"{rate} · {row.on_time}/{row.resolved}",
            )
        )
    return BarChart(
        width=width, height=max(len(bars) * 34 + 10, 40), label_width=label_width, plot_width=plot, bars=bars
    )


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    share: float
    dash: str
    offset: float


def donut(parts: list[tuple[str, str, int]]) -> list[Segment]:
    """Segments of a ring whose circumference is 100, so a share is its own dash length."""
    total = sum(value for _, _, value in parts) or 1
    segments = []
    start = 0.0
    for key, label, value in parts:
        if not value:
            continue
        share = 100 * value / total
        # The ring starts at twelve o'clock: SVG circles start at three, a quarter turn (25) earlier.
        segments.append(
            Segment(
                key=key,
                label=label,
                value=value,
                share=share,
                dash=f"{share:.2f} {100 - share:.2f}",
                offset=round(25 - start, 2),
            )
        )
        start += share
    return segments
