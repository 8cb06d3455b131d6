"""The import check: the staged code may import only what the browser has."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from ..i18n import _

# Browser modules pygbag provides besides the standard library and pygame.
BROWSER_MODULES = {"pygame", "karuta", "embed", "qrcode"}  # qrcode: staged by web/qrcode_modules.py


def check_imports(root: Path) -> list[str]:
    """Imports the browser cannot satisfy: 'file:line: module' for each."""
    allowed = set(sys.stdlib_module_names) | BROWSER_MODULES
    problems = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, rel)
        except SyntaxError as exc:
            problems.append(_("{file}:{line}: syntax error: {message}")
                            .format(file=rel, line=exc.lineno, message=exc.msg))
            continue
        lines = source.splitlines()
        for node, guarded in _imports(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    continue  # relative: inside karuta
                names = [node.module or ""]
            else:
                names = [a.name for a in node.names]
            for name in names:
                top = name.split(".")[0]
                if top in allowed or guarded:
                    continue
                line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
                if "desktop only" in line:
                    continue
                problems.append(f"{rel}:{node.lineno}: {name}")
    return problems


def _imports(tree: ast.AST):
    """(import node, guarded by try/except ImportError?) for every import in the tree."""
    def visit(node, guarded):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, guarded
        if isinstance(node, ast.Try):
            catches = any(_catches_import_error(h.type) for h in node.handlers)
            for child in node.body:
                yield from visit(child, guarded or catches)
            for child in node.handlers + node.orelse + node.finalbody:
                yield from visit(child, guarded)
            return
        for child in ast.iter_child_nodes(node):
            yield from visit(child, guarded)

    yield from visit(tree, False)


def _catches_import_error(expr) -> bool:
    if expr is None:
        return True
    names = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError", "Exception")
               for n in names)
