"""The MkDocs side: `mkdocs build` and `mkdocs serve` run `catalog build` themselves.

Registered as the MkDocs plugin ``catalog`` (the packaged form of a hook), so a catalog made by
``catalog init`` needs no Python file of its own.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from ..build import build
from ..errors import CatalogError
from ..layout import Layout
from ..memo import Memo
from ..pages.render import Settings
from . import preview
from .preview_index import PreviewIndex
from .search import catalog_records, prune_bundle, write_index
from .settings import settings_from

log = logging.getLogger("mkdocs.plugins.catalog")
OVERRIDES = Path(__file__).parent / "overrides"
ASSETS = Path(__file__).parent / "assets"  # the explore script and chart styles, served from assets/catalog/
SITE_ASSETS = "assets/catalog/"
MARKDOWN_EXTENSION = "builder.pages.markdown"  # paper pages' HTML body reaches the page unparsed


class CatalogConfig(Config):
    edit_branch = config_options.Type(str, default="main")
    search = config_options.Type(bool, default=True)  # the Pagefind search in the header (builder/site/search.py)


class _CompiledTemplates(BytecodeCache):
    """Compiled theme templates kept in memory, by name and source checksum (Jinja checks it)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# Material's templates take seconds to compile, and `mkdocs serve` would compile them on every rebuild.
TEMPLATE_CACHE = _CompiledTemplates()

# `mkdocs serve` makes a new plugin per rebuild; what must survive between rebuilds lives here:
# the last build's results (memo.py) and the search index being built beside the preview.
_serve = {"active": False, "dirty": False, "inputs": None, "report": None, "memo": Memo(), "index": PreviewIndex()}


def input_signature(layout: Layout, settings: Settings) -> tuple:
    """Every record and taxonomy file by name, size and mtime: equal signatures, equal catalog."""
    entries = []
    for folder, _dirs, names in os.walk(layout.root / "data"):
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            entries.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return settings, tuple(sorted(entries))


class CatalogPlugin(BasePlugin[CatalogConfig]):
    def on_config(self, config):
        # Our overrides sit just above the theme's own templates, below the site's custom_dir.
        dirs = config.theme.dirs
        position = 1 if config.theme.custom_dir else 0
        if str(OVERRIDES) not in dirs:
            dirs.insert(position, str(OVERRIDES))
        if MARKDOWN_EXTENSION not in config.markdown_extensions:  # a catalog made before it existed
            config.markdown_extensions.append(MARKDOWN_EXTENSION)
        root = Path(config.config_file_path).parent
        data = str(root / "data")
        if data not in config.watch:
            config.watch.append(data)  # `mkdocs serve` rebuilds when a record changes
        self.layout = Layout(root)
        if SITE_ASSETS + "catalog.css" not in config.extra_css:
            config.extra_css.append(SITE_ASSETS + "catalog.css")
        if SITE_ASSETS + "explore.js" not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(SITE_ASSETS + "explore.js")  # acts only on pages with #catalog-explore
        return config

    def on_files(self, files, config):
        for path in sorted(ASSETS.iterdir()):
            if path.is_file():
                files.append(File.generated(config, SITE_ASSETS + path.name, abs_src_path=str(path)))
        if _serve["active"] and _serve["dirty"]:
            preview.keep_unchanged_pages(files, config)
        return files

    def on_env(self, env, config, files):
        # `{% call catalog_once(key) %}…{% endcall %}` renders its body once per key and build:
        # overrides/main.html uses it for the theme parts every paper page shares.
        rendered: dict[str, str] = {}

        def once(key: str, caller) -> str:
            if key not in rendered:
                rendered[key] = caller()
            return rendered[key]

        env.globals["catalog_once"] = once
        if _serve["active"]:
            env.bytecode_cache = TEMPLATE_CACHE  # MkDocs makes a new environment for every rebuild
        return env

    def on_serve(self, server, config, builder):
        server.unwatch(config.docs_dir)  # watched whole by MkDocs; now its sources only
        _serve.update(server=server, watched=set())
        preview.watch_sources(server, config.docs_dir, _serve["watched"])
        return server

    def on_startup(self, command, dirty):
        _serve.update(active=command == "serve", dirty=dirty)
        if command == "serve" and dirty:
            logging.getLogger("mkdocs.structure.pages").addFilter(preview.QUIET_KEPT_LINKS)

    def on_pre_build(self, config):
        if _serve["active"]:
            preview.collect_between_rebuilds(start=False)
        settings = settings_from(config)
        inputs = input_signature(self.layout, settings) if _serve["active"] else None
        if inputs is not None and inputs == _serve["inputs"]:
            # Our own writes into docs/ wake `mkdocs serve` a second time; nothing changed since.
            self.report = _serve["report"]
            log.info("catalog build: records unchanged since the last build, pages kept")
            return
        try:
            report = build(self.layout, settings, _serve["memo"] if _serve["active"] else None)
        except CatalogError as exc:
            raise PluginError("the catalog has problems:\n" + str(exc)) from None
        self.report = report
        _serve.update(inputs=inputs, report=report if inputs is not None else None)
        for warning in report.warnings:
            # Shown, but as `catalog check` passes them: MkDocs' --strict aborts on any WARNING record,
            # and a record warning (two papers sharing a repository) must not stop publishing.
            log.info(warning.format())  # "path:line:col: warning: field: message"
        log.info(report.summary())

    def on_post_build(self, config):
        if _serve["active"]:
            preview.collect_between_rebuilds(start=True)
        if _serve.get("server"):
            preview.watch_sources(_serve["server"], config.docs_dir, _serve["watched"])  # folders made since
        if not self.config.search:
            return
        catalog = self.report.catalog
        if _serve["active"]:  # the preview shows the edit now; its search index follows (preview_index.py)
            _serve["index"].submit(lambda: catalog_records(catalog.papers, catalog.taxonomy, config.use_directory_urls),
                                   Path(config.site_dir))
            return
        records = catalog_records(catalog.papers, catalog.taxonomy, config.use_directory_urls)
        try:
            index = write_index(records, Path(config.site_dir))
        except CatalogError as exc:
            raise PluginError(str(exc)) from None
        prune_bundle(Path(config.site_dir))
        log.info(index.summary())
