"""The layering of the apps holds (docs/architecture.md, "Layers"): import-linter checks the
contract of pyproject.toml ([tool.importlinter]) on every test run, so CI fails on a lower
layer importing a higher one, inside a function too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(cwd: Path, *, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(command), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(pythonpath)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT, pythonpath=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "jumelage",
        tmp_path / "jumelage",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates", "locale"),
    )
    return tmp_path


def test_core_importing_tenancy_inside_a_function_breaks_the_contract(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "jumelage/core/probe.py").write_text(
        "def owned():\n"
        "    from jumelage.tenancy.models import OwnedModel\n"
        "\n"
        "    return OwnedModel\n"
    )
    result = lint_imports(code, pythonpath=code)
    assert result.returncode != 0
    assert "jumelage.core.probe -> jumelage.tenancy.models" in result.stdout


def test_accounts_importing_tenancy_breaks_the_contract(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "jumelage/accounts/probe.py").write_text("from jumelage.tenancy import access\n")
    result = lint_imports(code, pythonpath=code)
    assert result.returncode != 0
    assert "jumelage.accounts.probe -> jumelage.tenancy.access" in result.stdout


def test_a_face_importing_another_face_breaks_the_contract(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "jumelage/public/probe.py").write_text("import jumelage.workspace.selectors\n")
    result = lint_imports(code, pythonpath=code)
    assert result.returncode != 0
    assert "jumelage.public.probe -> jumelage.workspace.selectors" in result.stdout
