"""`innosim app`: a local web app (Solara) where a planner moves the levers, runs the ensemble, reads the targets
and downloads the briefing. It reads the rest of innosim through `adapter` alone."""
