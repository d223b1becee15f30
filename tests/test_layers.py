"""The layers (README, "Layout"): jiguan < organizations < members < activities < reports.

import-linter (`make check`) follows the imports; this also catches what it cannot see: a dotted
string naming a higher layer ("members.importers.MemberSheet", "activities.document", a model's
"organizations.Organization") and imports inside functions of modules it does not reach. The site's
settings (jiguan/settings.py) name every app by design; migrations record history and are left out.
"""

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["jiguan", "organizations", "members", "activities", "reports"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def higher_names(path: Path, layer: str):
    """(line, name) of every import or dotted string in `path` that names a layer above `layer`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            names = [node.value] if " " not in node.value.strip() else []
        else:
            continue
        for name in names:
            head = name.split(".")[0]
            if head in RANK and RANK[head] > RANK[layer]:
                yield node.lineno, name


def project_modules():
    for layer in LAYERS:
        for path in sorted((settings.BASE_DIR / layer).rglob("*.py")):
            relative = path.relative_to(settings.BASE_DIR)
            if "migrations" in relative.parts or relative == Path("jiguan/settings.py"):
                continue
            yield layer, relative, path


def test_no_module_names_a_higher_layer():
    found = [
        f"{relative}:{line}: {name}"
        for layer, relative, path in project_modules()
        for line, name in higher_names(path, layer)
    ]
    assert found == []


def test_no_module_imports_its_own_importer():
    """No import cycle between modules, however long (grimp: import-linter's graph of the imports,
    those inside functions included)."""
    import grimp

    graph = grimp.build_graph(*LAYERS)
    cycles = [
        f"{module} -> {imported}"
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.find_shortest_chain(importer=imported, imported=module)
    ]
    assert cycles == []


def test_the_scan_sees_imports_in_functions_strings_and_labels(tmp_path):
    """The scan above can fail: each kind of upward reference is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n"
        "    from reports.pdf import render_pdf\n"
        "    import activities.models\n"
        "IMPORTERS = ['members.importers.MemberSheet']\n"
        "LABEL = 'activities.document'\n"
        "message = 'members. 党员'\n"
        "from jiguan import dates\n"
    )
    assert sorted(name for _, name in higher_names(sample, "organizations")) == [
        "activities.document",
        "activities.models",
        "members.importers.MemberSheet",
        "reports.pdf",
    ]
