"""Entry point: ``python main.py`` on the desktop; the browser build (pygbag) runs this file too."""

import asyncio

from karuta.app.game import main as karuta_main


async def main():
    code = await karuta_main()
    import sys

    if sys.platform != "emscripten" and code:
        raise SystemExit(code)


asyncio.run(main())
