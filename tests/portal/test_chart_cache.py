"""A chart is drawn once per figure version: the same data is served from the cache,
new data is drawn anew."""

from __future__ import annotations

from portal import charts


def test_the_same_figure_is_drawn_once(monkeypatch):
    drawn = []
    real = charts._svg

    def counting(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "_svg", counting)
    labels, values = ["Kinh", "Tày", "a unique label for this test"], [3, 2, 1]
    first = charts.bar_chart_svg(labels, values, title="Dân tộc")
    second = charts.bar_chart_svg(list(labels), list(values), title="Dân tộc")
    assert first == second and len(drawn) == 1
    changed = charts.bar_chart_svg(labels, [3, 2, 2], title="Dân tộc")
    assert changed != first and len(drawn) == 2


def test_a_number_format_function_keys_the_figure_by_name_so_every_process_shares_it():
    from portal.caching import make_key

    def fmt(value):
        return str(value)

    version = charts._stable_version(([1, 2],), {"number_format": fmt})
    assert "0x" not in version and "fmt" in version
    assert make_key("chart:x", version) == make_key(
        "chart:x", charts._stable_version(([1, 2],), {"number_format": fmt})
    )
