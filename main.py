"""Entry point: ``python main.py`` on the desktop; the browser build (pygbag) runs this file too."""

import asyncio

# pygbag's loader installs a package only when main.py itself imports it (it scans this file's
# imports, not the package's): naming pygame here is what puts pygame-ce into the browser.
import pygame  # noqa: F401

from karuta.app.game import main as karuta_main


async def main():
    code = await karuta_main()
    import sys

    if sys.platform != "emscripten" and code:
        raise SystemExit(code)


asyncio.run(main())
