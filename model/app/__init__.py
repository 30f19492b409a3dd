"""`innosim app`: a local web app (Solara) where a planner moves the levers, runs the ensemble, reads the targets
and downloads the briefing. A top layer beside the CLI (tests/test_layout.py): it reads the package through
`adapter` and `controls` (the levers, from the lever registry), and only `innosim app` (model/cli/app.py)
imports it."""
