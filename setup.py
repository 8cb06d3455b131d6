"""Build hook: compile the message catalogs (karuta/locale/*/LC_MESSAGES/*.po -> .mo) at install.

Everything else about the package is in pyproject.toml. Babel (a build requirement there)
reads the .po and writes the .mo. In an editable install (``pip install -e .``) setuptools asks
build_py to put generated files next to the sources (``editable_mode``), so the .mo lands in
karuta/locale/ where gettext looks; in a wheel it goes into the build folder like any package file.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def compile_catalogs(src_root: Path, dst_root: Path) -> list[str]:
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError:
        raise SystemExit("karuta: Babel is needed to compile the message catalogs (karuta/locale); "
                         "it is a build requirement in pyproject.toml: install it (pip install Babel) "
                         "when building without build isolation") from None

    written = []
    for po_path in sorted((src_root / "karuta" / "locale").glob("*/LC_MESSAGES/*.po")):
        rel = po_path.relative_to(src_root).with_suffix(".mo")
        with open(po_path, "rb") as f:
            catalog = read_po(f, locale=po_path.parts[-3], domain=po_path.stem)
        out = dst_root / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as f:
            write_mo(f, catalog)
        written.append(str(out))
    return written


class BuildPyWithCatalogs(build_py):
    def run(self):
        super().run()
        root = Path(__file__).resolve().parent
        target = root if self.editable_mode else Path(self.build_lib)
        self._catalogs = compile_catalogs(root, target)

    def get_outputs(self, include_bytecode=True):
        return super().get_outputs(include_bytecode) + list(getattr(self, "_catalogs", []))


setup(cmdclass={"build_py": BuildPyWithCatalogs})
