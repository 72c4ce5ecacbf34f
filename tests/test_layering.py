"""The house layering, kept by scanning every import of every module, including those inside
functions, relative ones and `importlib.import_module("...")` calls:

    cogs → services → stores, domain          render → domain
    adapters, runtime → services.ports        web → services, render
    services → ports, domain, stores, and the basics `bot.clock` (the Clock type) and
    `bot.db` (the unit of work: a service opens its transactions)

An import under `if TYPE_CHECKING:` is for type hints only: a service may name another
service there (or, better, a port), as adapters and runtime may; banned modules stay banned
there too. `bot/client.py` and `bot/composition.py` are the composition root and may import
anything."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASICS = (
    "bot.clock",
    "bot.text",
    "bot.i18n",
    "bot.custom_ids",
)  # small modules anyone below may use


@dataclass(frozen=True)
class Rule:
    banned: tuple[str, ...]  # never imported, not even for type hints
    # When set, the only project modules (bot…, cogs…) imported at all, and at run time.
    ours: tuple[str, ...] | None = None
    ours_at_run_time: tuple[str, ...] | None = None


SERVICES_AT_RUN_TIME = ("bot.services.ports", "bot.domain", "bot.stores", "bot.clock", "bot.db")
RULES = {
    "bot/domain": Rule(("discord", "aiosqlite", "apscheduler"), ours=("bot.domain",)),
    "bot/stores": Rule(
        ("discord", "apscheduler"), ours=("bot.stores", "bot.domain", "bot.db", "bot.clock")
    ),
    "bot/services": Rule(
        ("discord", "aiosqlite", "apscheduler"),
        ours=("bot.services", *SERVICES_AT_RUN_TIME),
        ours_at_run_time=SERVICES_AT_RUN_TIME,
    ),
    "bot/render": Rule(("aiosqlite", "apscheduler"), ours=("bot.render", "bot.domain", *BASICS)),
    "bot/adapters": Rule(
        ("aiosqlite", "apscheduler"),
        ours=("bot.adapters", "bot.services", "bot.render", "bot.domain", *BASICS),
        ours_at_run_time=(
            "bot.adapters",
            "bot.services.ports",
            "bot.render",
            "bot.domain",
            *BASICS,
        ),
    ),
    "bot/runtime": Rule(
        ("aiosqlite",),
        ours=("bot.runtime", "bot.services", "bot.domain", *BASICS),
        ours_at_run_time=("bot.runtime", "bot.services.ports", "bot.domain", *BASICS),
    ),
    "bot/i18n": Rule(
        ("discord", "aiosqlite", "apscheduler"), ours=("bot.i18n", "bot.text", "bot.domain")
    ),
    "bot/web": Rule(("aiosqlite", "bot.stores", "bot.db", "bot.client", "cogs")),
    "cogs": Rule(("aiosqlite", "apscheduler", "bot.stores", "bot.db", "bot.composition")),
}


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def is_ours(name: str) -> bool:
    return is_under(name, "bot") or is_under(name, "cogs")


def module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def resolve(path: Path, name: str, level: int) -> str:
    """The absolute module of a relative import (`from ..stores import x` has level 2)."""
    if level == 0:
        return name
    package = module_of(path) if path.name == "__init__.py" else module_of(path)[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def type_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under `if TYPE_CHECKING:` (not its else)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for statement in node.body:
                    ids.update(id(inner) for inner in ast.walk(statement))
    return ids


def imports_of(path: Path, source: str | None = None) -> list[tuple[str, bool]]:
    """Every module the file imports, anywhere in it, with whether it is for type hints only.
    `from a import b` counts as `a.b` (b may be a module: `from bot import stores`)."""
    text = path.read_text() if source is None else source
    tree = ast.parse(text, filename=str(path))
    hints = type_only(tree)
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = resolve(path, node.module or "", node.level)
            names = [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    dots = len(first.value) - len(first.value.lstrip("."))
                    names = [resolve(path, first.value[dots:], dots)]
        found += [(name, id(node) in hints) for name in names]
    return found


def leaks(package: str, path: Path, source: str | None = None) -> list[str]:
    rule = RULES[package]
    found = []
    for name, hint_only in imports_of(path, source):
        if any(is_under(name, banned) for banned in rule.banned):
            found.append(f"{name} (banned in {package})")
            continue
        if not is_ours(name):
            continue
        allowed = rule.ours if hint_only else (rule.ours_at_run_time or rule.ours)
        if allowed is not None and not any(is_under(name, ok) for ok in allowed):
            when = "for type hints" if hint_only else "at run time"
            found.append(f"{name} ({package} imports only {', '.join(allowed)} {when})")
    return found


CASES = [(package, path) for package in RULES for path in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize(
    ("package", "path"), CASES, ids=[str(p.relative_to(ROOT)) for _, p in CASES]
)
def test_layering(package: str, path: Path) -> None:
    assert leaks(package, path) == [], f"{path.relative_to(ROOT)} imports {leaks(package, path)}"


def test_every_package_is_covered() -> None:
    """A new package under bot/ gets a rule here (the composition root's modules need none)."""
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "bot").glob("*/__init__.py")}
    assert packages - RULES.keys() == set()


def test_the_scan_finds_hidden_imports() -> None:
    """Relative imports, imports inside functions and import_module strings are all seen."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.services.events import EventService\n"
        "def hidden():\n    from ..bot.stores import events\n"
        "    import importlib\n    importlib.import_module('bot.db')\n"
        "    __import__('aiosqlite')\n"
        "from bot import stores\n"
        "from .common import private\n"
    )
    found = imports_of(ROOT / "cogs" / "probe.py", source)
    assert found == [
        ("typing.TYPE_CHECKING", False),
        ("bot.stores", False),
        ("cogs.common.private", False),
        ("bot.services.events.EventService", True),
        ("bot.stores.events", False),
        ("importlib", False),
        ("bot.db", False),
        ("aiosqlite", False),
    ]
    assert leaks_in("cogs", source) == [
        "bot.stores (banned in cogs)",
        "bot.stores.events (banned in cogs)",
        "bot.db (banned in cogs)",
        "aiosqlite (banned in cogs)",
    ]


def test_services_name_each_other_for_type_hints_only() -> None:
    hinted = "import typing\nif typing.TYPE_CHECKING:\n    from bot.services import guilds\n"
    assert leaks_in("bot/services", hinted) == []
    assert leaks_in("bot/services", "from bot.services.guilds import GuildService\n") == [
        "bot.services.guilds.GuildService (bot/services imports only bot.services.ports, "
        "bot.domain, bot.stores, bot.clock, bot.db at run time)"
    ]
    rendering = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import bot.render\n"
    assert leaks_in("bot/services", rendering) == [
        "bot.render (bot/services imports only bot.services, bot.services.ports, "
        "bot.domain, bot.stores, bot.clock, bot.db for type hints)"
    ]


def leaks_in(package: str, source: str) -> list[str]:
    return leaks(package, ROOT / package / "probe.py", source)


def test_sql_only_in_stores_and_db() -> None:
    """No SQL statement text outside bot/stores, bot/db.py and migrations."""
    for path in list((ROOT / "bot").rglob("*.py")) + list((ROOT / "cogs").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("bot/stores/") or rel == "bot/db.py":
            continue
        source = path.read_text()
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE events", "DELETE FROM"):
            assert keyword not in source, f"{rel} contains SQL ({keyword.strip()})"
