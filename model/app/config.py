"""The server's settings, set once by `innosim app` before the first page is served."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path("results") / "app"  # every file the app writes goes inside this folder
WORKERS = 1
HOST = "127.0.0.1"
EXPOSED = False  # listening beyond this machine: the page says so
FONT_URL = "/_innosim/font/NotoSansSC-Regular.otf"
