"""The page's state: one value per browser tab (Solara's reactive variables live in the tab's session), so two
tabs never share settings or runs."""

from __future__ import annotations

import solara

from . import adapter as ad

lang = solara.reactive("zh")
choice = solara.reactive(ad.PLAN_FILE)  # a library file name, or "" for the uploaded scenario
uploaded = solara.reactive(None)  # (file name, Scenario) of the last valid upload
upload_error = solara.reactive("")
values = solara.reactive({})  # lever -> value set on the page (levers left at the plan's value are absent)
replications = solara.reactive(0)  # 0: the scenario's own
seed = solara.reactive(-1)  # -1: the scenario's own
parameters = solara.reactive("posterior")
fan_pick = solara.reactive("")
run_error = solara.reactive("")
inside_replication = solara.reactive(0)
