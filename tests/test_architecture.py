"""The pure core stays pure: ivr/callflow imports only the standard library, holidays and itself."""

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "ivr" / "callflow"
ALLOWED_THIRD_PARTY = {"holidays"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda path: path.name)
def test_callflow_imports_no_adapter(path: Path) -> None:
    for module in imported_modules(path):
        top = module.split(".")[0]
        allowed = top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or module.startswith("ivr.callflow")
        assert allowed, f"{path.name} imports {module}: the call-flow core must not depend on adapters"


def test_only_twiml_module_builds_twiml() -> None:
    root = CORE.parent
    builders = [
        path.relative_to(root).as_posix() for path in root.rglob("*.py") if "twilio.twiml" in path.read_text("utf-8")
    ]
    assert builders == ["twiml.py"]
