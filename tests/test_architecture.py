"""The house rules that code review keeps forgetting, checked from the source with ``ast``:

- no ``try: import … except ImportError`` in forum/: every feature is always installed, and a
  feature that needs another's data imports its public function;
- no import cycle between the packages of forum/ (auth, users, groups, discussions, files,
  notifications, moderation, volunteering, permissions, …): dependencies go one way;
- no module builds HTML with ``Markup(...)`` from f-strings, concatenation or "<" literals:
  markup lives in Jinja templates (forum/markup.py, the Markdown renderer, is the exception).

Route modules are the top layer. The modules a package names in ``ROUTE_MODULES``
(forum/<feature>/__init__.py; ``create_app`` imports them, by name, to register the blueprint's
routes) are where a page is composed: a view may call any feature's public read function (the
group page's view calls discussions' and files'), so their imports are not edges of the
package graph. In return nothing imports a route module but create_app (with importlib) and
the route modules of its own package: not another feature, not its package's other modules.

Models are a layer of their own. ``forum.<feature>.models`` is imported by forum.permissions
(whose SQL clauses and rules read every feature's tables) and by features that join another's
tables, while every feature imports forum.permissions; so in the graph a package's models
module is its own node (``groups.models``), and models may import only models.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

FORUM = Path(__file__).resolve().parent.parent / "forum"

# TEMPORARY: modules that still build HTML in Python while their markup moves into templates
# (issue 22). Remove each entry as its module is moved; the list must end empty.
# (test_markup_allow_list_has_no_stale_entries fails for an entry whose module is clean.)
MARKUP_BUILDERS_BEING_MOVED: frozenset[str] = frozenset()

# TEMPORARY: imports that close a cycle, in files whose owners are still changing them, as
# (from node, to node). The cycle checks leave these edges out; remove each entry when its
# import goes (test_known_cycle_edges_still_exist fails for an entry that is gone). Empty since
# issue 22: keep it so.
KNOWN_CYCLE_EDGES: frozenset[tuple[str, str]] = frozenset()


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    """Every module under forum/, by its path relative to the repository."""
    return {str(path.relative_to(FORUM.parent)): (path, ast.parse(path.read_text(), str(path)))
            for path in sorted(FORUM.rglob("*.py"))}


def _packages() -> set[str]:
    return {p.name for p in FORUM.iterdir() if (p / "__init__.py").is_file()}


def route_modules() -> set[str]:
    """Dotted names of the route modules: each package's ``ROUTE_MODULES`` (a tuple of names
    in its __init__.py), read from the source as create_app reads it from the package."""
    found = set()
    for package in _packages():
        tree = ast.parse((FORUM / package / "__init__.py").read_text())
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and getattr(node.targets[0], "id", None) == "ROUTE_MODULES"):
                found |= {f"forum.{package}.{name}" for name in ast.literal_eval(node.value)}
    return found


def _module_name(path: Path) -> tuple[str, str]:
    """(dotted module name, the package relative imports start from)."""
    parts = list(path.relative_to(FORUM.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def _imported(node: ast.AST, package: str) -> list[tuple[str, int]]:
    """Dotted names an import statement may load. ``from X import y`` yields ``X.y`` (y may be
    a module), so ``from forum.groups import models`` counts as importing ``groups.models``."""
    if isinstance(node, ast.Import):
        return [(alias.name, node.lineno) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        return [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return []


def _node(dotted: str, packages: set[str]) -> str | None:
    """The graph node of a module: its package, or ``<package>.models`` for its models."""
    parts = dotted.split(".")
    if len(parts) < 2 or parts[0] != "forum" or parts[1] not in packages:
        return None
    return parts[1] + (".models" if len(parts) > 2 and parts[2] == "models" else "")


def import_graph() -> dict[tuple[str, str], list[str]]:
    """(from node, to node) → where: every import, module-level and inside functions (and under
    ``if TYPE_CHECKING``: a dependency for the reader all the same)."""
    packages = _packages()
    routes = route_modules()
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rel, (path, tree) in _modules().items():
        name, package = _module_name(path)
        source = _node(name, packages)
        if source is None or name in routes:  # the top layer: see the module's docstring
            continue
        # Importing forum.<feature>.models runs forum/<feature>/__init__.py first: what a
        # package's __init__ imports, its models import too.
        sources = {source, source + ".models"} if path.name == "__init__.py" else {source}
        for node in ast.walk(tree):
            for dotted, line in _imported(node, package):
                target = _node(dotted, packages)
                for source in sources - {target}:
                    if target is not None and target.split(".")[0] != source.split(".")[0]:
                        edges[(source, target)].append(f"{rel}:{line}")
    return edges


def _cycles(edges) -> list[set[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_optional_imports_between_our_packages():
    offenders = []
    for rel, (_path, tree) in _modules().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names = {getattr(c, "id", getattr(c, "attr", None)) for c in caught}
            if names & {"ImportError", "ModuleNotFoundError"}:
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, (
        "Features are always installed: import the other feature's public function instead of "
        f"guarding the import: {offenders}")


def test_no_import_cycles_between_packages():
    edges = {edge: where for edge, where in import_graph().items()
             if edge not in KNOWN_CYCLE_EDGES}
    cycles = _cycles(edges)
    report = []
    for cycle in cycles:
        report.append(" ↔ ".join(sorted(cycle)) + ":")
        for (source, target), where in sorted(edges.items()):
            if source in cycle and target in cycle:
                report.append(f"  {source} → {target}: {', '.join(where)}")
    assert not cycles, "Import cycles between packages:\n" + "\n".join(report)


def test_known_cycle_edges_still_exist():
    """An entry of KNOWN_CYCLE_EDGES whose import is gone must leave the list."""
    gone = KNOWN_CYCLE_EDGES - set(import_graph())
    assert not gone, f"Remove from KNOWN_CYCLE_EDGES: {gone}"


def test_route_modules_exist():
    """A name in ROUTE_MODULES that is not a module would leave its imports unchecked."""
    missing = {name for name in route_modules()
               if not (FORUM.parent / (name.replace(".", "/") + ".py")).is_file()}
    assert route_modules() and not missing, missing


def test_nothing_imports_a_route_module():
    """Route modules are the top layer: only create_app loads them (by name, with importlib).
    A module importing one would depend on a page and on everything the page composes."""
    routes = route_modules()
    offenders = []
    for rel, (path, tree) in _modules().items():
        name, package = _module_name(path)
        for node in ast.walk(tree):
            for dotted, line in _imported(node, package):
                route = dotted if dotted in routes else dotted.rpartition(".")[0]
                # A route module may share a helper with one of its own package (same layer).
                if route in routes and not (name in routes and route.startswith(package + ".")):
                    offenders.append(f"{rel}:{line} imports {dotted}")
    assert not offenders, offenders


def test_models_import_only_models():
    """What makes the models their own layer: a models module (and its package's __init__,
    which runs first) never imports another package's services, queries or views, nor
    forum.permissions."""
    offenders = [f"{source} → {target}: {where}"
                 for (source, target), where in import_graph().items()
                 if source.endswith(".models") and not target.endswith(".models")
                 and (source, target) not in KNOWN_CYCLE_EDGES]
    assert not offenders, offenders


def _builds_html(argument: ast.expr) -> bool:
    """An argument that makes HTML rather than passing on a value: an f-string, a concatenation
    or %-format, a call (``"".join``, ``.format``), or a string literal with a tag in it."""
    for node in ast.walk(argument):
        if isinstance(node, ast.JoinedStr | ast.BinOp | ast.Call):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value:
            return True
    return False


def markup_builders() -> dict[str, list[int]]:
    """Modules (but forum/markup.py) that call ``Markup(...)`` on built HTML, with the lines."""
    found: dict[str, list[int]] = defaultdict(list)
    for rel, (_path, tree) in _modules().items():
        if rel == "forum/markup.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "Markup" and any(_builds_html(a) for a in node.args):
                found[rel].append(node.lineno)
    return found


def test_no_module_builds_html_with_markup():
    offenders = {rel: lines for rel, lines in markup_builders().items()
                 if rel not in MARKUP_BUILDERS_BEING_MOVED}
    assert not offenders, f"Markup belongs in templates (templates/_macros/): {offenders}"


def test_markup_allow_list_has_no_stale_entries():
    stale = MARKUP_BUILDERS_BEING_MOVED - set(markup_builders())
    assert not stale, f"These build no HTML any more: remove them from the allow-list: {stale}"
