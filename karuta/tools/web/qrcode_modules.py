"""The part of the ``qrcode`` package the game uses, staged into the web build next to karuta/.

The game draws QR codes from qrcode's matrix (karuta/app/qr.py); the browser gets the pure-Python
modules that make the matrix, and not the image factories (Pillow, PyPNG, SVG) or the package's
tests and scripts. The package's licence (BSD) travels with it.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from ..i18n import _

# Modules `import qrcode` runs, relative to the package; the rest are image factories the game never uses.
MODULES = (
    "__init__.py", "LUT.py", "base.py", "constants.py", "exceptions.py", "main.py", "util.py",
    "compat/__init__.py", "compat/png.py",
    "image/__init__.py", "image/base.py", "image/pure.py",
    "image/styles/__init__.py", "image/styles/moduledrawers/__init__.py", "image/styles/moduledrawers/base.py",
)


class QRCodePackageError(Exception):
    pass


def package_dir() -> Path:
    spec = importlib.util.find_spec("qrcode")
    if spec is None or spec.origin is None:
        raise QRCodePackageError(_("the qrcode package is not installed (pip install -e .)"))
    return Path(spec.origin).parent


def licence_file(package: Path) -> Path | None:
    for dist in sorted(package.parent.glob("qrcode-*.dist-info")):
        for name in ("LICENSE", "licenses/LICENSE"):
            if (dist / name).is_file():
                return dist / name
    return None


def stage_qrcode(root: Path) -> None:
    """Copy qrcode's matrix-making modules to root/qrcode/ with its LICENSE."""
    package = package_dir()
    missing = [name for name in MODULES if not (package / name).is_file()]
    if missing:
        raise QRCodePackageError(_("{path}: this qrcode version lacks {names}; "
                                   "update karuta/tools/web/qrcode_modules.py MODULES")
                                 .format(path=package, names=", ".join(missing)))
    licence = licence_file(package)
    if licence is None:
        raise QRCodePackageError(_("{path}: no LICENSE found for qrcode; the web build must carry it").format(path=package))
    for name in MODULES:
        dst = root / "qrcode" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / name, dst)
    shutil.copyfile(licence, root / "qrcode" / "LICENSE")
