"""Running pygbag on the staged folder, offline and under a timeout, and checking the bundle it made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ..i18n import _
from . import runtime as web_runtime
from .errors import BuildError
from .layout import BUNDLE, PAGE_DIR

PYGBAG_VERSION = web_runtime.PYGBAG_VERSION
PYBUILD = web_runtime.PYBUILD         # the CPython pygbag 0.9.3 runs in the browser
SCREEN = (1024, 768)


def run_pygbag(work: Path, stage_root: Path, served_from: str, build_id: str, timeout: float) -> None:
    # The project's own placeholders; pygbag fills its {{cookiecutter.*}} ones. The page never
    # uses pygbag's --cdn: the loader's address is the runtime's place (the site's cdn/ folder).
    template = (work / "page" / "index.tmpl").read_text(encoding="utf-8")
    for key, value in (("build", build_id), ("runtime", served_from),
                       ("loader", f"{served_from}{PYGBAG_VERSION}/")):
        template = template.replace("{{karuta.%s}}" % key, value)
    (work / "index.tmpl").write_text(template, encoding="utf-8")
    shutil.copyfile(PAGE_DIR / "favicon.png", work / "favicon.png")
    cmd = [sys.executable, "-m", "pygbag", "--build", "--no_opt",
           "--template", "index.tmpl", "--icon", "favicon.png",
           "--ume_block", "0", "--can_close", "1",
           "--width", str(SCREEN[0]), "--height", str(SCREEN[1]),
           "--title", "karuta", "--package", "org.karuta.web", "--PYBUILD", PYBUILD,
           str(stage_root)]
    log_path = work / "pygbag.log"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    print(_("karuta build-web: pygbag {version} is making the bundle ...").format(version=PYGBAG_VERSION), flush=True)
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            done = subprocess.run(cmd, cwd=work, stdout=log, stderr=subprocess.STDOUT, env=env,
                                  stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BuildError(_("pygbag did not finish within {seconds} s (it waits for ever when it must "
                               "download something: check the template and icon are local). Last output:")
                             .format(seconds=f"{timeout:g}") + "\n  " + _tail(log_path))
    made = stage_root / "build" / "web"
    if done.returncode != 0 or not (made / "index.html").is_file() or not (made / BUNDLE).is_file():
        raise BuildError(_("pygbag failed (exit {code}). Last output:").format(code=done.returncode)
                         + "\n  " + _tail(log_path))


def _tail(path: Path, n: int = 15) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return _("(no output)")
    return "\n  ".join(lines[-n:]) or _("(no output)")


def check_bundle(apk: Path, decks: list[str]) -> None:
    """The zip pygbag made holds the game: main.py, the package and every chosen deck."""
    try:
        with zipfile.ZipFile(apk) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile as exc:
        raise BuildError(_("{path}: pygbag's bundle is not a zip ({reason})").format(path=apk, reason=exc))
    needed = ["assets/main.py", "assets/karuta/app/game.py"] + [f"assets/decks/{d}/deck.json" for d in decks]
    lost = [n for n in needed if n not in names]
    if lost:
        raise BuildError(_("{path}: pygbag left out {names}").format(path=apk, names=", ".join(lost)))
