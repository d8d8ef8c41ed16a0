"""What an import statement imports, read from source (the structure tests' one resolver of relative imports)."""
import ast
from typing import List


def import_target(node: ast.ImportFrom, package: str) -> str:
    """The absolute module a `from ... import` statement reads from (relative ones resolved against package)."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported(node: ast.AST, package: str) -> List[str]:
    """Absolute names an import statement imports: the module, and for `from` imports each name under it."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        target = import_target(node, package)
        return [target] + [f"{target}.{a.name}" for a in node.names]
    return []
