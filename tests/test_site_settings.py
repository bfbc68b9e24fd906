"""`catalog build` reads mkdocs.yml's few settings itself (builder/site/settings.py): the pages it
writes must be those `mkdocs build` would write, so for every file the settings equal MkDocs' own
reading of it, and a file MkDocs rejects is still reported with MkDocs' message."""

from pathlib import Path

import pytest
from mkdocs.config import load_config

from builder.site import settings as site_settings
from builder.site.settings import read_settings, settings_from

from conftest import REPO, run_catalog

BUNDLED = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
BASE = "site_name: Papers\n"

# (mkdocs.yml, whether the quick reading takes it): every one must give MkDocs' settings.
CASES = [
    (BUNDLED, True),
    (BASE, True),
    (BASE + "repo_url: https://github.com/o/r/\nsite_url: https://o.github.io/r\n", True),
    (BASE + "repo_url: https://gitlab.com/o/r\nsite_url: https://example.org/\nuse_directory_urls: false\n", True),
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  - search\n  - catalog:\n      edit_branch: trunk\n", True),
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  catalog:\n    edit_branch: dev\n    search: false\n", True),
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  - catalog\n  - search\n", True),
    (BASE + "repo_url: !ENV [CATALOG_TEST_REPO, 'https://github.com/o/fallback']\nplugins: [catalog]\n", True),
    # read by MkDocs: values its validation changes or options the quick reading does not know
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  - catalog:\n      enabled: false\n", False),
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  - catalog:\n      edit_branch: ''\n", False),
    (BASE + "site_url: https://example.org/a?x=1\n", False),
    (BASE + "repo_url: HTTPS://github.com/o/r\n", False),
    (BASE + "use_directory_urls: null\n", False),
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  - /catalog:\n      edit_branch: slash\n", False),
    (BASE + "repo_url: https://github.com/o/r\nplugins:\n  - catalog:\n      edit_branch: one\n  - catalog\n", False),
]


@pytest.mark.parametrize("text, quick", CASES, ids=range(len(CASES)))
def test_settings_are_mkdocs_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, quick: bool) -> None:
    monkeypatch.setenv("CATALOG_TEST_REPO", "https://github.com/o/from-env")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    assert read_settings(config, "mkdocs.yml") == settings_from(load_config(str(config)))
    assert (site_settings._plain_settings(config) is not None) == quick


def test_inherited_settings_are_read_as_mkdocs_reads_them(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(BASE + "repo_url: https://github.com/o/base\nuse_directory_urls: false\n",
                                       encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\nsite_name: Child\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    settings = read_settings(config, "mkdocs.yml")
    assert settings == settings_from(load_config(str(config)))
    assert (settings.site_name, settings.edit_base, settings.directory_urls) == \
        ("Child", "https://github.com/o/base/edit/main/", False)


@pytest.mark.parametrize("text, message", [
    ("site_name: [unclosed\n", "error parsing the configuration file"),
    ("repo_url: https://github.com/o/r\n", "site_name"),
    (BASE + "site_url: not a url\n", "site_url"),
])
def test_a_broken_mkdocs_yml_stops_the_build_with_mkdocs_message(catalog: Path, text: str, message: str) -> None:
    (catalog / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = run_catalog("build", cwd=catalog)
    assert result.returncode == 1
    assert result.stderr.startswith("mkdocs.yml: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (catalog / "docs" / "papers").exists()
