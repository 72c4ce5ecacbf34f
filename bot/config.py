"""Settings read from the environment or a `.env` file: frozen, built on demand, never at import."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
PUBLIC_URL_MAX = 200  # links built on it must fit in a Discord message beside their text

# What to tell the person starting the bot, per setting, when it is missing or malformed.
FIXES = {
    "DISCORD_TOKEN": (
        "set DISCORD_TOKEN to the bot token from the Discord Developer Portal "
        "(Applications → your app → Bot → Reset Token), in the environment or in .env"
    ),
    "DATABASE_PATH": "set DATABASE_PATH to a file path the bot may write, e.g. data/bot.sqlite3",
    "LOG_LEVEL": "set LOG_LEVEL to one of " + ", ".join(LOG_LEVELS),
    "GUILD_ID": (
        "set GUILD_ID to your server's numeric id (Developer Mode → right-click the server → "
        "Copy Server ID), or leave it unset"
    ),
    "WEB_HOST": (
        "set WEB_HOST to the address the web server listens on, e.g. 127.0.0.1 (the default) "
        "or 0.0.0.0"
    ),
    "WEB_PORT": (
        "set WEB_PORT to a free port number from 1 to 65535 (e.g. 8080), or leave it unset "
        "to keep the web server off"
    ),
    "PUBLIC_URL": (
        "set PUBLIC_URL to the http:// or https:// address people reach the web server at, "
        "e.g. https://bot.example.org (at most 200 characters, no ?query or #fragment), or "
        "leave it unset"
    ),
}


class SettingsError(Exception):
    """One setting is missing or malformed; `str()` is the one line to show."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name} {problem}: {FIXES[name]}.")
        self.name = name


class Settings(BaseSettings):
    """The bot's settings. Build with `Settings.load()`; the token is never shown in repr."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_file=None)

    discord_token: str | None = Field(default=None, alias="DISCORD_TOKEN", repr=False)
    database_path: Path = Field(default=Path("data/bot.sqlite3"), alias="DATABASE_PATH")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    guild_id: int | None = Field(default=None, alias="GUILD_ID")
    web_host: str = Field(default="127.0.0.1", alias="WEB_HOST")
    web_port: int | None = Field(default=None, alias="WEB_PORT")
    public_url: str | None = Field(default=None, alias="PUBLIC_URL")

    @field_validator("discord_token", mode="before")
    @classmethod
    def _token(cls, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        token = str(value).strip()
        if token.lower().startswith("bot "):
            token = token[4:].strip()
        if not TOKEN_SHAPE.match(token):
            raise ValueError("malformed")
        return token

    @field_validator("database_path", mode="before")
    @classmethod
    def _path(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("empty")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> str:
        level = str(value).strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError("unknown level")
        return level

    @field_validator("guild_id", mode="before")
    @classmethod
    def _guild(cls, value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if not text.isdigit() or int(text) <= 0:
            raise ValueError("not a server id")
        return int(text)

    @field_validator("web_host", mode="before")
    @classmethod
    def _web_host(cls, value: Any) -> str:
        host = str(value).strip() if value is not None else ""
        if not host:
            return "127.0.0.1"
        if any(c.isspace() or c in "/?#@" for c in host):
            raise ValueError("not a host")
        return host

    @field_validator("web_port", mode="before")
    @classmethod
    def _web_port(cls, value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise ValueError("not a port")
        return int(text)

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        url = str(value).strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            raise ValueError("not a URL") from None
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.query
            or parts.fragment
            or "?" in url
            or "#" in url
            or parts.username is not None
            or any(c.isspace() for c in url)
            or len(url) > PUBLIC_URL_MAX
        ):
            raise ValueError("not an http(s) URL")
        return url.rstrip("/")

    @property
    def web_enabled(self) -> bool:
        return self.web_port is not None

    @property
    def public_base(self) -> str:
        """The base of every link the bot hands out: PUBLIC_URL, else http://localhost:PORT."""
        if self.public_url:
            return self.public_url
        return f"http://localhost:{self.web_port}" if self.web_port else "http://localhost"

    @classmethod
    def load(
        cls, env: Mapping[str, str] | None = None, *, env_file: Path | None = Path(".env")
    ) -> Settings:
        """Read settings from `env` (default: the process environment) over `env_file`.

        Raises SettingsError naming the first bad setting; never includes the token's value.
        """
        try:
            if env is None:
                return cls(_env_file=env_file)  # type: ignore[call-arg]
            return cls(_env_file=env_file, **{k: v for k, v in env.items() if k in FIXES})  # type: ignore[call-arg, arg-type]
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "DISCORD_TOKEN"
            raise SettingsError(name, "is malformed") from None

    def require_token(self) -> str:
        if self.discord_token is None:
            raise SettingsError("DISCORD_TOKEN", "is missing")
        return self.discord_token

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]
