"""A chart is drawn once per figure version: the same data is served from the cache,
new data is drawn anew."""

from __future__ import annotations

import matplotlib.pyplot as plt

from portal import charts


def test_the_same_figure_is_drawn_once(monkeypatch):
    drawn = []
    real = plt.subplots

    def counting(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts.plt, "subplots", counting)
    labels, values = ["Kinh", "Tày", "a unique label for this test"], [3, 2, 1]
    first = charts.bar_chart_svg(labels, values, title="Dân tộc")
    second = charts.bar_chart_svg(list(labels), list(values), title="Dân tộc")
    assert first == second and len(drawn) == 1
    changed = charts.bar_chart_svg(labels, [3, 2, 2], title="Dân tộc")
    assert changed != first and len(drawn) == 2
