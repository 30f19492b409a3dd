"""Execution: run a scenario's replications (ensemble), on local processes or dask (parallel), with checkpoints."""
