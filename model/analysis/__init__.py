"""Analysis: what the runs mean (compare, sensitivity, optimize, discovery, calibration, backtest)."""
