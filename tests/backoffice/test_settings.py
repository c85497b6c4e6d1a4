"""The sandbox's settings on common.settings: every variable documented, defaults from common.layout."""

from backoffice.settings import DEFAULT_DATABASE_URL, Settings
from common import layout
from common.settings import undocumented


def test_every_variable_of_the_back_office_is_in_env_example(names_read):
    asked = names_read(Settings, BACKOFFICE_API_KEY="k")
    assert "BACKOFFICE_DATABASE_URL" in asked and undocumented(asked) == []


def test_defaults_from_the_layout_and_no_key_in_the_repr():
    settings = Settings.from_env({"BACKOFFICE_API_KEY": "s3cret-key"})
    assert (settings.host, settings.port) == (layout.BACKOFFICE.host, layout.BACKOFFICE.port)
    assert DEFAULT_DATABASE_URL == f"sqlite:///{layout.BACKOFFICE_DB}"
    assert "s3cret-key" not in repr(settings)
    assert Settings.from_env({"BACKOFFICE_API_KEY": " k "}).api_key == "k"  # stripped, as before
    assert Settings.from_env({"BACKOFFICE_API_KEY": "k", "BACKOFFICE_ALLOWED_HOSTS": " A.example, [::2] "}
                             ).extra_hosts == {"a.example", "::2"}
