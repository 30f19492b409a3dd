"""Start the app's web server: Solara on uvicorn, plus one route serving the bundled Chinese web font."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from . import adapter as ad
from . import config

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def configure(host: str, results: Path, workers: int) -> None:
    config.HOST = host
    config.EXPOSED = host not in LOOPBACK
    config.RESULTS = Path(results)
    config.WORKERS = workers


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or a one-line InputError (port in use, unknown address)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise ad.InputError(f"{host}:{port}", "--host/--port", f"cannot listen there: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def serve(host: str, port: int, results: Path, workers: int) -> int:
    """Serve the page until Ctrl-C or SIGTERM; then stop every run and its worker processes."""
    sock = bind(host, port)
    configure(host, results, workers)
    config.RESULTS.mkdir(parents=True, exist_ok=True)
    # Solara reads these when imported: our page, production mode, no usage reports leaving the machine.
    os.environ["SOLARA_APP"] = "model.app.page"
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    os.environ.setdefault("SOLARA_TELEMETRY_SERVER_USER_ID", "innosim-app")  # else Solara writes one to ~/.solara
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    import solara.server.settings
    import uvicorn
    from starlette.responses import FileResponse, Response
    from starlette.routing import Route

    solara.server.settings.main.mode = "production"
    import solara.server.starlette as solara_app

    from . import runner

    font = ad.font_file()

    async def font_endpoint(request):
        if font is None:
            return Response(status_code=404)
        return FileResponse(font, media_type="font/otf", headers={"Cache-Control": "max-age=86400"})

    solara_app.app.router.routes.insert(0, Route(config.FONT_URL, font_endpoint))
    # Solara gives every browser session its own copy of matplotlib's rcParams, copied from the process's when
    # the session starts; plotting.use_cjk_font sets the Chinese font once per process, so it is set here, before
    # any session, or the sessions after the first draw Chinese as boxes in Mesa's plots.
    ad.use_cjk_font()
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(f"innosim app: serving {where} (results in {config.RESULTS}/); Ctrl-C stops it", flush=True)
    server = uvicorn.Server(uvicorn.Config(solara_app.app, host=host, port=port, log_level="warning",
                                           ws_max_size=4 * 1024 * 1024))
    try:
        server.run(sockets=[sock])
    finally:
        runner.stop_all()
    return 0 if server.started else 2


def main() -> int:  # python -m model.app.server, for debugging
    return serve("127.0.0.1", 8765, Path("results") / "app", 2)


if __name__ == "__main__":
    sys.exit(main())
