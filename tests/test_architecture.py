"""The layers of ../shared/docs/architecture.md, enforced: contracts live in pyproject.toml."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import therapy_desktop

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    command = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    result = subprocess.run([sys.executable, "-c", command, "--config", str(ROOT / "pyproject.toml")],
                            capture_output=True, text=True, cwd=ROOT)
    if "No module named" in result.stderr:
        pytest.fail("import-linter is missing: install the dev extra")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module",
    sorted(m.name for m in pkgutil.walk_packages(therapy_desktop.__path__, "therapy_desktop.") if not m.name.endswith("__main__")),
)
def test_every_module_imports_on_its_own(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT, timeout=60)


def test_every_package_is_listed_for_installation():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"therapy_desktop"} | {
        m.name for m in pkgutil.walk_packages(therapy_desktop.__path__, "therapy_desktop.") if m.ispkg
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_lint_rules_pass():
    paths = [p for p in ("therapy_desktop", "tests", "benchmarks") if (ROOT / p).exists()]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *paths], capture_output=True, text=True, cwd=ROOT)
    if "No module named ruff" in result.stderr:
        pytest.fail("ruff is missing: install the dev extra")
    assert result.returncode == 0, result.stdout + result.stderr
