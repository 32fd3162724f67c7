"""The demo page and the chat widget's files, served by aiohttp.

Routes:
    /                                  the demo page (Danish, region style) with the widget embedded
    /widget/widget.js, /widget/widget.css   the widget; other sites embed widget.js with one script tag
                                       (widget.js is served with its words from bot/copy/widget.yml)
    /widget/vendor/socket.io.min.js    socket.io-client from node_modules (installed by `npm ci`)
    /demo/...                          the demo page's own CSS and JS
    /privatliv                         the privacy page (bot/web/privacy_page.py), linked from the
                                       page footer and the widget
    /healthz                           "ok", for start-up checks
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from bot import settings, wording
from bot.web.privacy_page import privacy_page
from bot.web.widget_texts import widget_script

DEFAULT_RASA_URL = settings.RASA_URL_DEFAULT
STATIC_DIR = Path(__file__).resolve().parent / "static"
SOCKET_IO_CLIENT = settings.PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
RASA_URL_KEY = web.AppKey("rasa_url", str)
SOCKET_IO_CLIENT_KEY = web.AppKey("socket_io_client", Path)


def rasa_url_from_env() -> str:
    """The Rasa server the widget connects to (env RASA_URL)."""
    return settings.rasa_url()


def validated_rasa_url(url: str) -> str:
    """The URL without a trailing slash; ValueError with a Danish message if it is not http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"Rasa-adressen skal være en http- eller https-adresse, fx {DEFAULT_RASA_URL} (fik {url!r})."
        )
    return url.strip().rstrip("/")


def demo_page(rasa_url: str) -> str:
    template = (STATIC_DIR / "demo" / "index.html").read_text(encoding="utf-8")
    return template.replace("__RASA_URL__", html.escape(rasa_url, quote=True))


def content_security_policy(rasa_url: str) -> str:
    """Only our own scripts; connections only to ourselves and the Rasa server (http and websocket)."""
    parts = urlsplit(rasa_url)
    websocket_scheme = "wss" if parts.scheme == "https" else "ws"
    rasa_origins = f"{parts.scheme}://{parts.netloc} {websocket_scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        f"connect-src 'self' {rasa_origins}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


async def show_demo_page(request: web.Request) -> web.Response:
    rasa_url = request.app[RASA_URL_KEY]
    return web.Response(
        text=demo_page(rasa_url),
        content_type="text/html",
        headers={"Content-Security-Policy": content_security_policy(rasa_url)},
    )


async def show_privacy_page(_: web.Request) -> web.Response:
    return web.Response(
        text=privacy_page(),
        content_type="text/html",
        headers={"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"},
    )


async def socket_io_client(request: web.Request) -> web.StreamResponse:
    path = request.app[SOCKET_IO_CLIENT_KEY]
    if not path.is_file():
        return web.Response(
            status=503,
            text="Chat-widgettens socket.io-klient mangler. Kør scripts/setup-browser.sh (npm ci).",
        )
    return web.FileResponse(path, headers={"Content-Type": "application/javascript"})


async def widget_js(_: web.Request) -> web.Response:
    return web.Response(text=widget_script(), content_type="application/javascript", charset="utf-8")


async def health(_: web.Request) -> web.Response:
    return web.Response(text="ok")


@web.middleware
async def danish_errors_and_headers(request: web.Request, handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPNotFound:
        response = web.Response(status=404, text=wording.text("channels.page_not_found"))
    except web.HTTPMethodNotAllowed:
        response = web.Response(status=405, text=wording.text("channels.method_not_allowed"))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.path.startswith(("/widget/", "/demo/")):
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


def create_app(rasa_url: str, socket_io_client_path: Path = SOCKET_IO_CLIENT) -> web.Application:
    """The web application; `rasa_url` is where the widget finds Rasa's socket.io channel."""
    app = web.Application(middlewares=[danish_errors_and_headers])
    app[RASA_URL_KEY] = validated_rasa_url(rasa_url)
    app[SOCKET_IO_CLIENT_KEY] = socket_io_client_path
    app.router.add_get("/", show_demo_page)
    app.router.add_get("/privatliv", show_privacy_page)
    app.router.add_get("/healthz", health)
    # Registered before the static folder, so these two are not looked up there.
    app.router.add_get("/widget/widget.js", widget_js)  # with its words from bot/copy/widget.yml
    app.router.add_get("/widget/vendor/socket.io.min.js", socket_io_client)
    app.router.add_static("/widget/", STATIC_DIR / "widget")
    app.router.add_static("/demo/", STATIC_DIR / "demo")
    return app


def run(host: str, port: int, rasa_url: str) -> None:
    """Serve until interrupted."""
    app = create_app(rasa_url)
    if not SOCKET_IO_CLIENT.is_file():
        print("Advarsel: node_modules mangler socket.io-client; kør scripts/setup-browser.sh (npm ci).")
    started = f"Demosiden kører på http://{host}:{port}/ (Rasa: {app[RASA_URL_KEY]})"
    web.run_app(app, host=host, port=port, print=lambda _: print(started, flush=True))
