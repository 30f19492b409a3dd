"""`innosim app`: its arguments, and the command that serves the planner's web app (model/app).

The app and Solara are imported only when the command runs: `import model.cli` loads neither, and a machine
without the app's extra packages still runs every other command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..execution.parallel import default_workers
from .arguments import whole_number

HELP = "the planner's web app: levers, runs, targets and downloads in the browser"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=whole_number("port", 1, 65535), default=8765, help="default 8765")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--workers", "-w", type=whole_number("workers"), help="local processes per run (default: cores)")
    p.add_argument("--out", default="results/app", help="the app's results folder (default results/app)")


def command(args: argparse.Namespace) -> int:
    try:
        from ..app.server import LOOPBACK, serve
    except ImportError as exc:
        raise InputError("innosim app", "(install)", f"{exc.name} is not installed: pip install -e '.[app]' "
                                                      "(make setup does it)") from None
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the app's results folder: {exc.strerror or exc}") from None
    if args.host not in LOOPBACK:
        print(f"innosim: warning: the app listens on {args.host}: other computers on the network can open it and "
              "run the model", file=sys.stderr, flush=True)
    return serve(args.host, args.port, out, args.workers or default_workers())
