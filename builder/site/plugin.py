"""The MkDocs side: `mkdocs build` and `mkdocs serve` run `catalog build` themselves.

Registered as the MkDocs plugin ``catalog`` (the packaged form of a hook), so a catalog made by
``catalog init`` needs no Python file of its own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from ..build import build
from ..errors import CatalogError
from ..layout import Layout
from ..pages.render import Settings

log = logging.getLogger("mkdocs.plugins.catalog")
OVERRIDES = Path(__file__).parent / "overrides"


class CatalogConfig(Config):
    edit_branch = config_options.Type(str, default="main")


def settings_from(config) -> Settings:
    """Edit links point at the record's YAML on the repository's branch, when repo_url is set."""
    repo = (config.get("repo_url") or "").rstrip("/")
    branch = config.plugins["catalog"].config.edit_branch if "catalog" in config.plugins else "main"
    edit = f"{repo}/edit/{branch}/" if repo.startswith("https://github.com/") else ""
    return Settings(site_name=config["site_name"], edit_base=edit)


class CatalogPlugin(BasePlugin[CatalogConfig]):
    def on_config(self, config):
        # Our overrides sit just above the theme's own templates, below the site's custom_dir.
        dirs = config.theme.dirs
        position = 1 if config.theme.custom_dir else 0
        if str(OVERRIDES) not in dirs:
            dirs.insert(position, str(OVERRIDES))
        root = Path(config.config_file_path).parent
        data = str(root / "data")
        if data not in config.watch:
            config.watch.append(data)  # `mkdocs serve` rebuilds when a record changes
        self.layout = Layout(root)
        return config

    def on_pre_build(self, config):
        try:
            report = build(self.layout, settings_from(config))
        except CatalogError as exc:
            raise PluginError("the catalog has problems:\n" + str(exc)) from None
        for warning in report.warnings:
            log.warning(warning.format())
        log.info(report.summary())
