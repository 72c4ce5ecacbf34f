"""The house layering, kept by scanning imports: cogs → services → stores, domain;
render → domain; domain imports nothing of ours (but its own) and nothing of discord."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# For each package: the project packages it must not import.
FORBIDDEN = {
    "bot/domain": ("discord", "aiosqlite", "apscheduler", "bot.", "cogs"),
    "bot/stores": ("discord", "apscheduler", "bot.services", "bot.render", "cogs"),
    "bot/services": ("discord", "aiosqlite", "apscheduler", "bot.render", "cogs", "bot.client"),
    "bot/render": ("aiosqlite", "apscheduler", "bot.stores", "bot.services", "bot.db", "cogs"),
}
ALLOWED_INSIDE = {"bot/domain": ("bot.domain",)}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


CASES = [(package, path) for package in FORBIDDEN for path in sorted((ROOT / package).glob("*.py"))]


@pytest.mark.parametrize(
    ("package", "path"), CASES, ids=[str(p.relative_to(ROOT)) for _, p in CASES]
)
def test_layering(package: str, path: Path) -> None:
    allowed = ALLOWED_INSIDE.get(package, ())
    for name in imports_of(path):
        if name.startswith(allowed):
            continue
        for banned in FORBIDDEN[package]:
            assert not (name == banned.rstrip(".") or name.startswith(banned)), (
                f"{path.relative_to(ROOT)} imports {name}"
            )


def test_sql_only_in_stores_and_db() -> None:
    """No SQL statement text outside bot/stores, bot/db.py and migrations."""
    for path in list((ROOT / "bot").rglob("*.py")) + list((ROOT / "cogs").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("bot/stores/") or rel == "bot/db.py":
            continue
        source = path.read_text()
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE events", "DELETE FROM"):
            assert keyword not in source, f"{rel} contains SQL ({keyword.strip()})"
