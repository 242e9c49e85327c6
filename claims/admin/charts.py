"""Geometry of the agreement bar chart; the template draws it as inline SVG."""

from dataclasses import dataclass

from django.utils.text import Truncator

LABEL_WIDTH = 230
PLOT_WIDTH = 420
ROW_HEIGHT = 30
BAR_HEIGHT = 10
TOP = 28
VALUE_WIDTH = 60
# Krippendorff (2004): alpha >= .800 to rely on data, >= .667 for tentative conclusions.
THRESHOLDS = (0.667, 0.8)


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    value: float | None
    text: str

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 1

    @property
    def negative(self) -> bool:
        return self.value is not None and self.value < 0


@dataclass(frozen=True)
class ChartRow:
    title: str
    label: str
    label_y: float
    label_x: float
    observed: Bar
    alpha: Bar


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    rows: list[ChartRow]
    ticks: list[Tick]
    thresholds: list[Tick]
    bottom: float
    axis_y: float
    value_x: float


def bar(y: float, value: float | None) -> Bar:
    """Return a bar from 0 to the value; below 0 or missing draws nothing but the figure."""
    shown = max(0.0, min(1.0, value)) if value is not None else 0.0
    text = "n/a" if value is None else f"{value:.2f}"
    return Bar(y=y, width=round(shown * PLOT_WIDTH, 1), value=value, text=text)


def agreement_chart(labels) -> Chart:
    """Return one row per label field: observed agreement and Krippendorff's alpha, 0 to 1."""
    rows = []
    for index, label in enumerate(labels):
        y = TOP + index * ROW_HEIGHT
        report = label.agreement
        rows.append(
            ChartRow(
                title=label.title,
                label=Truncator(label.title).chars(34),
                label_y=y + BAR_HEIGHT + 1,
                label_x=LABEL_WIDTH - 8,
                observed=bar(y, report.observed),
                alpha=bar(y + BAR_HEIGHT + 1, report.krippendorff_alpha),
            )
        )
    bottom = TOP + len(rows) * ROW_HEIGHT
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH + 20,
        height=int(bottom + 24),
        plot_x=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        rows=rows,
        ticks=[Tick(x=LABEL_WIDTH + PLOT_WIDTH * i / 5, text=f"{i / 5:.1f}") for i in range(6)],
        thresholds=[Tick(x=LABEL_WIDTH + PLOT_WIDTH * t, text=f"{t:.3f}") for t in THRESHOLDS],
        bottom=bottom,
        axis_y=bottom + 14,
        value_x=LABEL_WIDTH + PLOT_WIDTH + 6,
    )
