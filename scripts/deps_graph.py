"""Print the project's app dependency graph, drawn from the code's own imports.

    .venv/bin/python scripts/deps_graph.py            # edges, by layer, and any arrow running up
    .venv/bin/python scripts/deps_graph.py --dot      # the same graph in Graphviz DOT

Apps sit in layers (LAYERS below, lowest first). An app may import its own layer's peers only
where no cycle forms, and any lower layer; an import of a higher layer is an arrow running back
up. A function-local import of a project module is reported when it hides a cycle: when the
imported module, through its own imports, already leads back to the importing one (moving the
import to the top would then fail). Lazy imports of heavy modules without a cycle are fine.
Exit status 1 when an arrow runs up or a local import hides a cycle.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent

# Lowest first. Apps of one layer do not import each other unless listed in PEERS.
LAYERS: list[tuple[str, ...]] = [
    ("config_settings",),
    ("core",),
    ("manuals",),
    ("processes",),
    ("flowcharts",),
    ("printing", "reviews"),
    ("interop", "search", "rounds"),
    ("imports",),
    ("demo",),
    ("config",),
]


def project_apps(base: Path = BASE) -> list[str]:
    return [name for layer in LAYERS for name in layer if (base / name).is_dir()]


def _layer_of(app: str) -> int:
    for i, layer in enumerate(LAYERS):
        if app in layer:
            return i
    raise KeyError(app)


def _module_app(dotted: str, apps: set[str]) -> str | None:
    head = dotted.split(".")[0]
    if head == "config" and dotted.startswith("config.settings"):
        return "config_settings"
    return head if head in apps or head == "config" else None


def _source_files(app: str, base: Path = BASE):
    root = base / ("config/settings" if app == "config_settings" else app)
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(base).parts
        if "migrations" in rel or (app == "config" and "settings" in rel):
            continue
        yield path


def _imports(source: str):
    """(module, is_local, line) for every import of the source; is_local = inside a function."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def inside_function(node) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return True
        return False

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, inside_function(node), node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, inside_function(node), node.lineno


def _module_name(path: Path, base: Path = BASE) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, names: set[str]) -> str | None:
    """The project module an import statement loads ("a.b.c" or its package "a.b")."""
    while module and module not in names:
        module = module.rpartition(".")[0]
    return module or None


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


# One module's imports: module -> (its file, as shown in reports; [(imported, is_local, line)]).
ImportMap = dict[str, tuple[str, list[tuple[str, bool, int]]]]


def collect(base: Path = BASE) -> tuple[list[str], ImportMap]:
    """The project's apps and every module's imports, read from the source under ``base``."""
    apps = project_apps(base)
    found: ImportMap = {}
    for app in apps:
        for path in _source_files(app, base):
            imports = list(_imports(path.read_text(encoding="utf-8")))
            found[_module_name(path, base)] = (str(path.relative_to(base)), imports)
    return apps, found


def analyse_imports(apps: list[str], modules: ImportMap):
    """Edges between apps, the arrows running up, and the local imports hiding a cycle, from
    an import map (``collect``'s, or a made-up one in a test)."""
    known = set(apps)
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    names = set(modules)
    top: dict[str, set[str]] = defaultdict(set)
    local: list[tuple[str, str, str]] = []
    for here, (rel, imports) in modules.items():
        app = _module_app(here, known)
        if app is None:
            continue
        for module, is_local, line in imports:
            target = _module_app(module, known)
            if target is None:
                continue
            resolved = _resolve(module, names)
            if resolved and resolved != here:
                if is_local:
                    local.append((here, resolved, f"{rel}:{line}"))
                else:
                    top[here].add(resolved)
            if target != app:
                edges[(app, target)].append(f"{rel}:{line}")
    every = defaultdict(set, {k: set(v) for k, v in top.items()})
    for here, target, _where in local:
        every[here].add(target)
    local_imports = [
        f"{where} imports {target} inside a function to hide a cycle"
        for here, target, where in local
        if _reaches(every, target, here)
    ]
    upward = [
        (a, b, where)
        for (a, b), where in sorted(edges.items())
        if _layer_of(b) > _layer_of(a) or (_layer_of(b) == _layer_of(a) and (b, a) in edges)
    ]
    return edges, upward, local_imports


def analyse(base: Path = BASE):
    apps, modules = collect(base)
    edges, upward, local_imports = analyse_imports(apps, modules)
    return apps, edges, upward, local_imports


def main(argv: list[str]) -> int:
    apps, edges, upward, local_imports = analyse()
    if "--dot" in argv:
        print("digraph apps {\n  rankdir=BT;")
        for a, b in sorted(edges):
            colour = ' [color="red"]' if any(u[:2] == (a, b) for u in upward) else ""
            print(f'  "{a}" -> "{b}"{colour};')
        print("}")
        return 0
    for i, layer in enumerate(LAYERS):
        present = [a for a in layer if a in apps]
        if not present:
            continue
        print(f"layer {i}: {', '.join(present)}")
        for app in present:
            targets = sorted(b for (a, b) in edges if a == app)
            print(f"  {app} -> {', '.join(targets) if targets else '(nothing)'}")
    print()
    for a, b, where in upward:
        print(f"UP: {a} -> {b}  ({', '.join(where[:3])})")
    for line in local_imports:
        print(f"LOCAL: {line}")
    if not upward and not local_imports:
        print("No arrow runs back up; no function-local import hides a cycle.")
    return 1 if upward or local_imports else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
