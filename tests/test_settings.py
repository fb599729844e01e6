from pathlib import Path

import pytest

from server.settings import Settings, SettingsError


def test_defaults_and_environment():
    settings = Settings.from_env({})
    assert (settings.host, settings.port, settings.data_dir) == ("127.0.0.1", 8000, Path("data"))
    assert settings.embedded_graph and settings.embedded_search
    assert settings.cors_origins == ()
    assert settings.referral_expiry_days == 7
    env = {
        "HANARO_PORT": "9001",
        "HANARO_NEO4J_URI": "bolt://db:7687",
        "HANARO_ELASTICSEARCH_URL": "http://es:9200",
        "HANARO_CORS_ORIGINS": "https://a.example, https://b.example",
        "HANARO_MAX_PAGE_SIZE": "50",
        "HANARO_REFERRAL_EXPIRY_DAYS": "3",
    }
    settings = Settings.from_env(env)
    assert settings.port == 9001
    assert not settings.embedded_graph and not settings.embedded_search
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.max_page_size == 50
    assert settings.referral_expiry_days == 3


def test_command_line_overrides_win():
    settings = Settings.from_env({"HANARO_PORT": "9001"}, port=9002, host=None)
    assert settings.port == 9002 and settings.host == "127.0.0.1"


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"HANARO_PORT": "eighty"}, "HANARO_PORT='eighty'"),
        ({"HANARO_PORT": "70000"}, "out of range"),
        ({"HANARO_REFERRAL_EXPIRY_DAYS": "0"}, "HANARO_REFERRAL_EXPIRY_DAYS=0 is out of range"),
    ],
)
def test_bad_values_name_the_variable(env, words):
    with pytest.raises(SettingsError, match=words):
        Settings.from_env(env)
