"""Settings: read from env or .env, refused with one line naming the setting and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, SettingsError

TOKEN = "MTAxMjM0NTY3ODkw.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"


def test_defaults() -> None:
    settings = Settings.load({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert settings.require_token() == TOKEN
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.log_level == "INFO"
    assert settings.guild_id is None


def test_values_are_read_and_normalised() -> None:
    settings = Settings.load(
        {
            "DISCORD_TOKEN": f"Bot {TOKEN}",
            "LOG_LEVEL": "debug",
            "GUILD_ID": " 123456789 ",
            "DATABASE_PATH": "/tmp/x.sqlite3",
        },
        env_file=None,
    )
    assert settings.discord_token == TOKEN
    assert settings.log_level == "DEBUG"
    assert settings.guild_id == 123456789
    assert settings.database_path == Path("/tmp/x.sqlite3")


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nGUILD_ID=42\n")
    settings = Settings.load({}, env_file=env_file)
    assert settings.guild_id == 42
    assert settings.discord_token == TOKEN


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DISCORD_TOKEN": "not a token"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "abc"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DISCORD_TOKEN": TOKEN, "GUILD_ID": "my server"}, "GUILD_ID"),
        ({"DISCORD_TOKEN": TOKEN, "GUILD_ID": "-5"}, "GUILD_ID"),
        ({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": "  "}, "DATABASE_PATH"),
    ],
)
def test_malformed_setting_names_itself_and_the_fix(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.load(env, env_file=None)
    message = str(caught.value)
    assert message.startswith(name)
    assert "\n" not in message
    assert TOKEN not in message
    assert "set " + name in message


def test_missing_token_is_refused_when_running() -> None:
    settings = Settings.load({}, env_file=None)
    with pytest.raises(SettingsError, match=r"^DISCORD_TOKEN is missing"):
        settings.require_token()


def test_token_not_in_repr() -> None:
    settings = Settings.load({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)


def test_web_settings_default_to_off_on_localhost() -> None:
    settings = Settings.load({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert settings.web_port is None and not settings.web_enabled
    assert settings.web_host == "127.0.0.1"
    on = Settings.load({"DISCORD_TOKEN": TOKEN, "WEB_PORT": " 8080 "}, env_file=None)
    assert on.web_port == 8080 and on.web_enabled
    assert on.public_base == "http://localhost:8080"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://bot.example.org", "https://bot.example.org"),
        ("https://bot.example.org/", "https://bot.example.org"),
        ("http://example.org:8443/copro/", "http://example.org:8443/copro"),
        (" https://bot.example.org ", "https://bot.example.org"),
    ],
)
def test_public_url_is_read_without_its_trailing_slash(typed: str, kept: str) -> None:
    settings = Settings.load(
        {"DISCORD_TOKEN": TOKEN, "WEB_PORT": "8080", "PUBLIC_URL": typed, "WEB_HOST": "0.0.0.0"},
        env_file=None,
    )
    assert settings.public_base == kept
    assert settings.web_host == "0.0.0.0"


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"WEB_PORT": "0"}, "WEB_PORT"),
        ({"WEB_PORT": "65536"}, "WEB_PORT"),
        ({"WEB_PORT": "eighty"}, "WEB_PORT"),
        ({"WEB_PORT": "-1"}, "WEB_PORT"),
        ({"WEB_HOST": "my host"}, "WEB_HOST"),
        ({"WEB_HOST": "http://x/"}, "WEB_HOST"),
        ({"PUBLIC_URL": "bot.example.org"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "ftp://bot.example.org"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "javascript:alert(1)"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://bot.example.org/?a=1"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://bot.example.org/#top"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://user:pw@bot.example.org"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://bot.example.org:99999"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://bot example.org"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://" + "a" * 200 + ".org"}, "PUBLIC_URL"),
    ],
)
def test_malformed_web_setting_names_itself_and_the_fix(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.load({"DISCORD_TOKEN": TOKEN, **env}, env_file=None)
    message = str(caught.value)
    assert caught.value.name == name
    assert message.startswith(f"{name} is malformed: ")
    assert "\n" not in message
