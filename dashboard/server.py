"""The dashboard's web server: Solara's app behind a Host check, its CDN proxy kept local.

``python -m dashboard.server --host H --port P`` serves ``dashboard.app`` with Solara's
own Starlette application (``solara.server.starlette.app``) in production mode, wrapped
in two guards:

- **Host header** (Starlette's ``TrustedHostMiddleware``): only ``localhost``,
  ``127.0.0.1``, ``[::1]``, the address the server is bound to and any names given with
  ``--allow-host`` are served; anything else gets 400. A page on another site that makes
  a browser talk to a local port (DNS rebinding) is refused.
- **No CDN fetches** (``LocalAssets``): Solara proxies ``/_solara/cdn/<package>`` to a
  public CDN and caches what it fetched. The page's own scripts are installed locally by
  ``solara-assets`` into that cache, so here the route serves only what is already on
  disk and answers 404 for anything else, without going to the internet.

``silosim-dash`` (``dashboard.launch``) checks its input and then becomes this server.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse

CDN_PREFIX = "/_solara/cdn/"
ALLOWED_HOSTS_ENV = "SILOSIM_DASH_ALLOWED_HOSTS"
APP_MODULE = "dashboard.app"
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")

type Scope = MutableMapping[str, Any]
type ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                        Awaitable[None]]


def allowed_hosts(bound: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The Host names the server answers: this machine's, the bound address, ``extra``."""
    return list(dict.fromkeys([*LOCAL_NAMES, bound, *extra]))


class LocalAssets:
    """Serve ``/_solara/cdn/…`` only from files already on disk; never fetch from a CDN."""

    def __init__(self, app: ASGIApp, cache_dir: Path) -> None:
        self.app, self.cache_dir = app, cache_dir.resolve()

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(CDN_PREFIX) and not self.on_disk(
                path.removeprefix(CDN_PREFIX)):
            response = PlainTextResponse("not available offline", status_code=404)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def on_disk(self, relative: str) -> bool:
        """True for a file inside the cache (a bare package name means its ``__main.js``)."""
        parts = relative.replace("\\", "/").split("/")
        target = (self.cache_dir / relative) if len(parts) != 1 else (
            self.cache_dir / relative / "__main.js")
        try:
            resolved = target.resolve()
        except OSError:
            return False
        return resolved.is_relative_to(self.cache_dir) and resolved.is_file()


def guarded(app: ASGIApp, hosts: list[str], cache_dir: Path) -> ASGIApp:
    """``app`` behind the Host check and the local-only CDN route."""
    return TrustedHostMiddleware(LocalAssets(app, cache_dir), allowed_hosts=hosts)


def application() -> ASGIApp:
    """Solara's app for ``dashboard.app``, guarded; the hosts come from the environment."""
    os.environ.setdefault("SOLARA_APP", APP_MODULE)
    import solara.settings
    from solara.server.settings import assets
    from solara.server.starlette import app as solara_app

    solara.settings.assets.proxy = True   # the route exists, LocalAssets keeps it local
    hosts = [h for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if h] or \
        list(LOCAL_NAMES)
    return guarded(solara_app, hosts, Path(assets.proxy_cache_dir))


def main(argv: list[str] | None = None) -> None:
    """Serve the dashboard (``silosim-dash`` has already checked the arguments)."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m dashboard.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--allow-host", action="append", default=[])
    args = parser.parse_args(argv)
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = args.host, str(args.port)
    os.environ[ALLOWED_HOSTS_ENV] = ",".join(allowed_hosts(args.host, args.allow_host))
    uvicorn.run("dashboard.server:application", factory=True, host=args.host, port=args.port,
                log_level="warning")


if __name__ == "__main__":
    main()
