"""Output: results folders, reports, briefings, charts, labels and the TOML writer."""
