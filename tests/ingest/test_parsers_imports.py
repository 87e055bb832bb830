"""The parsers folder shows the flow: layout → blocks → grammar → records, one way.

Read from the source (ast), every import counted, also those inside functions: no module
imports one that imports it back (directly or round a longer cycle); only layout.py reads
PDFs (pdfplumber, pdfminer); the generic layout knows no document's grammar; no parser
touches Django or the database.
"""

import ast
from pathlib import Path

PARSERS = Path(__file__).resolve().parents[2] / "ingest" / "parsers"
PACKAGE = "ingest.parsers"
PDF_LIBRARIES = ("pdfplumber", "pdfminer")


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, as absolute dotted names (relative imports resolved)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = PACKAGE.rsplit(".", node.level - 1)[0] if node.level > 1 else PACKAGE
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            # "from ingest.parsers import layout" imports the module ingest.parsers.layout
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def parser_modules() -> dict[str, set[str]]:
    """module stem → the stems of the parser modules it imports."""
    stems = {p.stem for p in PARSERS.glob("*.py") if p.stem != "__init__"}
    graph = {}
    for stem in stems:
        names = imported_names(PARSERS / f"{stem}.py")
        graph[stem] = {n.removeprefix(f"{PACKAGE}.") for n in names} & stems
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path (first node repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_the_import_graph_of_the_parsers_has_no_cycle():
    graph = parser_modules()
    assert {"layout", "types", "files"} <= set(graph)
    assert find_cycle(graph) == []


def test_only_layout_reads_pdfs():
    readers = {
        path.stem
        for path in PARSERS.glob("*.py")
        if any(name.split(".")[0] in PDF_LIBRARIES for name in imported_names(path))
    }
    assert readers == {"layout"}


def test_the_layout_knows_no_documents_grammar():
    """layout.py is generic: it imports none of the brochure's or the report's modules, and
    nothing but the entry point (files.py) imports it besides the document readers."""
    graph = parser_modules()
    grammar = {m for m in graph if m.startswith(("brochure", "activity_report"))}
    assert grammar
    assert not graph["layout"] & (grammar | {"files"})


def test_parsers_are_django_free():
    """No parser imports Django, nor a module of the apps that does (a Django-free helper
    such as projects/un_names.py may be shared)."""
    root = PARSERS.parents[1]
    for path in PARSERS.glob("*.py"):
        for name in imported_names(path):
            top = name.split(".")[0]
            assert top != "django", (path.name, name)
            if name.startswith(PACKAGE) or top not in {"ingest", "projects", "donors", "portal"}:
                continue
            module = root.joinpath(*name.split(".")).with_suffix(".py")
            if not module.exists():
                continue  # "from projects.un_names import un_name": the module is listed too
            django = {n for n in imported_names(module) if n.split(".")[0] == "django"}
            assert not django, (path.name, name, django)
