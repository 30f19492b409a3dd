"""Inside one run: one replication's firm population month by month, collected by Mesa's DataCollector and drawn
with Mesa's own plot component (mesa.visualization's PlotMatplotlib)."""

from __future__ import annotations

from collections.abc import Callable

import mesa

from . import adapter as ad
from .text import t

LABELS: dict[str, dict[str, str]] = {
    "size_lt100": {"zh": "<100万元", "en": "< 1m yuan"},
    "size_100_1000": {"zh": "100万–1000万元", "en": "1m-10m yuan"},
    "size_1000_10000": {"zh": "1000万–1亿元", "en": "10m-100m yuan"},
    "size_ge10000": {"zh": "≥1亿元", "en": "≥ 100m yuan"},
    "high_tech_gained": {"zh": "高企：新获认定", "en": "high-tech: certified"},
    "high_tech_lost": {"zh": "高企：失去认定（含退出）", "en": "high-tech: lost (incl. exits)"},
    "specialized_gained": {"zh": "专精特新：新获认定", "en": "specialized SMEs: certified"},
    "specialized_lost": {"zh": "专精特新：失去认定（含退出）", "en": "specialized SMEs: lost (incl. exits)"},
    "in_pool": {"zh": "高企培育库", "en": "high-tech cultivation pool"},
    "equity": {"zh": "引导基金投资", "en": "guidance fund equity"},
    "subsidy": {"zh": "贴息或房租补贴", "en": "loan or rent subsidy"},
    "scenario": {"zh": "配到应用场景", "en": "matched to a scenario"},
    "incubated": {"zh": "在孵", "en": "incubated"},
}
CHARTS = (("inside_sizes", tuple(k for k, _, _ in ad.SIZE_CLASSES)), ("inside_flows", ad.FLOWS),
          ("inside_programmes", ad.PROGRAMMES))


def run(scenario: ad.Scenario, replication: int, seed: int, parameters: ad.ParameterSource,
        on_month: Callable[[int, int], None], should_stop: Callable[[], bool]) -> mesa.DataCollector:
    """Step replication `replication` month by month, collecting the firm population after every month."""
    model = ad.one_replication(scenario, replication, seed, parameters)
    memory: dict = {}
    collector = mesa.DataCollector(model_reporters={k: (lambda m, k=k: memory["now"][k]) for k in LABELS})
    memory["now"] = ad.firm_population(model, memory)
    collector.collect(model)  # the baseline month
    for month in range(model.months):
        if should_stop():
            return collector
        model.step()
        memory["now"] = ad.firm_population(model, memory)
        collector.collect(model)
        on_month(month + 1, model.months)
    return collector


class View:
    """What Mesa's plot component reads of a model (its DataCollector's table), with the columns named in `lang`
    and the months as dates."""

    def __init__(self, collector: mesa.DataCollector, dates: list, lang: str) -> None:
        table = collector.get_model_vars_dataframe()
        table.index = [d.strftime("%Y-%m") for d in dates[: len(table)]]
        self.datacollector = _Table(table.rename(columns={k: v[lang] for k, v in LABELS.items()}))


class _Table:
    def __init__(self, table) -> None:
        self._table = table

    def get_model_vars_dataframe(self):
        return self._table


def labelled(keys: tuple[str, ...], lang: str) -> list[str]:
    return [LABELS[k][lang] for k in keys]


def axis_labels(lang: str, title: str) -> Callable:
    """post_process for Mesa's PlotMatplotlib: the title, and the month axis in `lang` (Mesa writes "Step" after
    post_process, so the axis' own set_xlabel is redirected)."""
    def post(ax) -> None:
        ad.use_cjk_font()
        ax.set_title(title, fontsize=11, loc="left")
        label = t("inside_month", lang)
        setter = type(ax).set_xlabel
        ax.set_xlabel = lambda *_a, **_k: setter(ax, label)
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)  # Mesa sets its own tick locator after this
        ax.legend(fontsize=8, loc="best")
    return post
