"""The web app's settings on common.settings: every variable documented, the embedding settings, errors."""

import pytest

from common import layout
from common.settings import undocumented
from knowledge_base.settings import EmbeddingSettings
from webapp.settings import Settings, SettingsError

PASSWORD = {"WEBAPP_ADMIN_PASSWORD": "long-enough-password"}


def test_every_variable_of_the_web_app_is_in_env_example(names_read):
    asked = names_read(Settings, **PASSWORD)
    assert "KB_EMBEDDING_MODEL" in asked and undocumented(asked) == []


def test_defaults_from_the_layout_and_no_secret_in_the_repr():
    settings = Settings.from_env({**PASSWORD, "KB_LOG_TOKEN": "a-log-token-of-16+"})
    assert (settings.host, settings.port) == (layout.WEBAPP.host, layout.WEBAPP.port)
    assert settings.database_url == f"sqlite:///{layout.WEBAPP_DB}" and settings.seed_file == layout.SEED_ENTRIES
    assert settings.embedding == EmbeddingSettings() == EmbeddingSettings("", "normalized")
    assert "long-enough-password" not in repr(settings) and "a-log-token-of-16+" not in repr(settings)


def test_the_embedding_model_and_its_input_form():
    settings = Settings.from_env({**PASSWORD, "KB_EMBEDDING_MODEL": " BAAI/bge-m3 ", "KB_EMBEDDING_INPUT": "segmented"})
    assert settings.embedding == EmbeddingSettings("BAAI/bge-m3", "segmented")
    assert Settings.from_env({**PASSWORD, "KB_SEED_FILE": "tests/x.yml"}).seed_file == layout.ROOT / "tests" / "x.yml"


@pytest.mark.parametrize("name, value", [("KB_EMBEDDING_INPUT", "words"), ("WEBAPP_PORT", "80000"),
                                         ("KB_THRESHOLD", "1.5"), ("KB_SYNC_INTERVAL", "0"),
                                         ("WEBAPP_ADMIN_PASSWORD", "short")])
def test_a_bad_value_names_its_variable(name, value):
    with pytest.raises(SettingsError, match=f"^{name}"):
        Settings.from_env({**PASSWORD, name: value})
