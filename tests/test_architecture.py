"""The code's shape, held by tests: stages import only downward, no module reaches into another's private names,
only ingestion and cleaning read data/raw and data/reference, and every module and function stays a size a reader
can hold (issue 24)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from parsipas.core import paths

PACKAGE = paths.ROOT / "src" / "parsipas"
STAGES = ("core", "ingest", "clean", "analyse", "present", "run")
MAY_IMPORT = {
    "core": {"core"},
    "ingest": {"core", "ingest"},
    "clean": {"core", "ingest", "clean"},
    "analyse": {"core", "analyse"},              # processed tables are the whole contract: no reader, no cleaner
    "present": {"core", "analyse", "present"},
    "run": set(STAGES),
}
"""Which stages a stage's modules may import: its own and the ones before it, except that analysis and
presentation see the data only as processed tables (never through ingest or clean)."""
READS_RAW_OR_REFERENCE = {"ingest", "clean", "run"}
DIGESTS_INPUTS = "core/built_from.py"
"""The one module below them that names the inputs: it digests their bytes into the key a run's cache and the
processed folder's stamp compare (no figure is read), and is imported by the command line without pandas."""
MODULE_LINES, FUNCTION_LINES = 400, 60
MODULES = sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def _stage(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def _imports(tree: ast.AST) -> list[tuple[str, list[str], int]]:
    """Every import of the package in a module, lazy ones inside functions included: (module, names, line)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parsipas"):
            found.append((node.module, [alias.name for alias in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.startswith("parsipas")]
    return found


def test_every_module_is_in_a_stage():
    assert {_stage(p) for p in MODULES} - {"__init__.py"} == set(STAGES)
    assert [_name(p) for p in MODULES if len(p.relative_to(PACKAGE).parts) == 1] == ["__init__.py"]


@pytest.mark.parametrize("module", [p for p in MODULES if p.parent != PACKAGE], ids=_name)
def test_imports_run_only_downward(module):
    stage = _stage(module)
    wrong = []
    for imported, names, line in _imports(ast.parse(module.read_text(encoding="utf-8"))):
        parts = imported.split(".")
        targets = [parts[1]] if len(parts) > 1 else names  # "from parsipas import clean" names the stage
        wrong += [f"line {line}: {imported} {names}" for target in targets if target not in MAY_IMPORT[stage]]
    assert not wrong, f"{_name(module)} ({stage}) imports a stage it may not: {wrong}"


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_no_module_takes_another_modules_private_names(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    private = [f"line {line}: {name} from {imported}" for imported, names, line in _imports(tree)
               for name in names if name.startswith("_")]
    assert not private, f"{_name(module)} imports private names: {private}"


@pytest.mark.parametrize("module", [p for p in MODULES if p.parent != PACKAGE and p.name != "paths.py"], ids=_name)
def test_only_ingest_and_clean_read_raw_and_reference_data(module):
    if _stage(module) in READS_RAW_OR_REFERENCE or _name(module) == DIGESTS_INPUTS:
        return
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    names = {_dotted(node) for node in ast.walk(tree) if isinstance(node, ast.Name | ast.Attribute)}
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
               and isinstance(node.value, str) and id(node) not in docstrings]
    named = sorted({"paths.RAW", "paths.REFERENCE", "RAW", "REFERENCE"} & names)
    named += [word for word in ("data/raw", "data/reference") if any(word in string for string in strings)]
    assert not named, f"{_name(module)} ({_stage(module)}) reads outside processed data: {named}"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


@pytest.mark.parametrize("notebook", ["02_compare.ipynb", "03_report.ipynb", "04_explore.ipynb", "05_internal.ipynb"])
def test_notebooks_after_cleaning_read_processed_data_only(notebook):
    cells = json.loads((paths.NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "parsipas.ingest" not in code and "data/raw" not in code and "data/reference" not in code


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_module_is_short_enough_to_read(module):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{_name(module)} has {lines} lines (at most {MODULE_LINES})"


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_functions_are_short_enough_to_read(module):
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > FUNCTION_LINES]
    assert not long, f"{_name(module)}: functions over {FUNCTION_LINES} lines: {long}"


@pytest.mark.parametrize("module", [p for p in MODULES if p.parent != PACKAGE and _stage(p) not in ("ingest", "clean")],
                         ids=_name)
def test_no_methodology_or_calendar_in_code_outside_the_loaders(module):
    """The Ministry's fields and the years that change a set of provinces or a methodology are data: outside the
    loaders no code names a field (PAR.F…) or a year (only core/defaults.py names the default report's years). The
    codes' own shape (a criterion 'PAR.F3.1' is numbered '3.1') is read in one place, core/formatting.py."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    named = [f"line {node.lineno}: {node.value!r}" for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and id(node) not in docstrings
             and (isinstance(node.value, str) and "PAR.F" in node.value and _name(module) != "core/formatting.py"
                  or type(node.value) is int and 2000 < node.value < 2100 and module.name != "defaults.py")]
    assert not named, f"{_name(module)} names fields or years in code: {named}"
