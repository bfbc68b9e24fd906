"""The MkDocs side: `mkdocs build` and `mkdocs serve` run `catalog build` themselves.

Registered as the MkDocs plugin ``catalog`` (the packaged form of a hook), so a catalog made by
``catalog init`` needs no Python file of its own.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from ..build import build
from ..errors import CatalogError
from ..layout import Layout
from ..memo import Memo
from ..pages.render import Settings
from ..pages.writer import OWNED_DIRS
from .preview_index import PreviewIndex
from .search import catalog_records, prune_bundle, write_index

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
_serve = {"active": False, "dirty": False, "inputs": None, "report": None, "memo": Memo(), "index": PreviewIndex(),
          "kept": set()}


def _nav_files(nav) -> set[str]:
    """Every page path the `nav` setting names."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav or []
    return {path for item in items for path in _nav_files(item)}


def keep_unchanged_pages(files, config) -> set[str]:
    """`mkdocs serve --dirty` keeps the HTML of every page whose Markdown did not change, yet makes a
    page object for each of them on every rebuild (its URLs, edit link and date: 0.6 s for 5 000
    papers). A generated page outside the navigation whose HTML is newer than its Markdown is left
    out of the rebuild altogether: its HTML stays as it is and links to it still resolve."""
    in_nav = _nav_files(config.nav)
    kept = set()
    for file in files.documentation_pages():
        if file.src_uri.split("/", 1)[0] in OWNED_DIRS and file.src_uri not in in_nav and not file.is_modified():
            file.inclusion = InclusionLevel.EXCLUDED
            kept.add(file.src_uri)
    return kept


def watch_sources(server, docs_dir: str, watched: set[str]) -> None:
    """Watch docs/ for what people write, not for the thousands of pages the catalog build writes
    there: `mkdocs serve` polls every watched file twice a second (0.1 s of CPU at 5 000 papers, taken
    from the rebuild that runs beside it), and the build rewrites those pages itself. Top-level files
    stay watched; a folder made while serving is watched from the next rebuild on."""
    folders = [str(c) for c in sorted(Path(docs_dir).iterdir()) if c.is_dir() and c.name not in OWNED_DIRS]
    for path, recursive in [(docs_dir, False), *((f, True) for f in folders)]:
        if path not in watched:
            server.watch(path, recursive=recursive)
            watched.add(path)


class _QuietKeptLinks(logging.Filter):
    """MkDocs notes each link to a page left out of a build; a page kept from the last build is not
    left out of the site, so those notes would only mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        found = re.search(r"contains a link to '(.+)' which is excluded from the built site", record.getMessage())
        return not (found and found.group(1) in _serve["kept"])


def input_signature(layout: Layout, settings: Settings) -> tuple:
    """Every record and taxonomy file by name, size and mtime: equal signatures, equal catalog."""
    entries = []
    for folder, _dirs, names in os.walk(layout.root / "data"):
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            entries.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return settings, tuple(sorted(entries))


def settings_from(config) -> Settings:
    """Edit links point at the record's YAML on the repository's branch, when repo_url is set."""
    repo = (config.get("repo_url") or "").rstrip("/")
    branch = config.plugins["catalog"].config.edit_branch if "catalog" in config.plugins else "main"
    edit = f"{repo}/edit/{branch}/" if repo.startswith("https://github.com/") else ""
    site_url = config.get("site_url") or ""
    site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    return Settings(site_name=config["site_name"], edit_base=edit, site_url=site_url,
                    directory_urls=config.use_directory_urls)


_QUIET_KEPT_LINKS = _QuietKeptLinks()
COLLECT_AFTER_S = 1.0  # after a rebuild, once the browser has reloaded its page


def _collect_between_rebuilds(start: bool) -> None:
    """Python's full garbage collections scan every object the preview keeps (the memo, MkDocs'
    files): two or three per rebuild, 0.1 s each at 5 000 papers. Between rebuilds, once the page is
    served, the garbage of the last rebuild is collected and what survives is frozen out of later
    collections, which then look only at what the next rebuild makes. ``start=False`` (a rebuild is
    starting) cancels a collection not yet begun."""
    waiting = _serve.pop("collector", None)
    if waiting is not None:
        waiting.cancel()
    if start:
        def collect() -> None:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        timer = threading.Timer(COLLECT_AFTER_S, collect)
        timer.daemon = True
        timer.start()
        _serve["collector"] = timer


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
            _serve["kept"] = keep_unchanged_pages(files, config)
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
        watch_sources(server, config.docs_dir, _serve["watched"])
        return server

    def on_startup(self, command, dirty):
        _serve.update(active=command == "serve", dirty=dirty)
        if command == "serve" and dirty:
            logging.getLogger("mkdocs.structure.pages").addFilter(_QUIET_KEPT_LINKS)

    def on_pre_build(self, config):
        if _serve["active"]:
            _collect_between_rebuilds(start=False)
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
            log.warning(warning.format())
        log.info(report.summary())

    def on_post_build(self, config):
        if _serve["active"]:
            _collect_between_rebuilds(start=True)
        if _serve.get("server"):
            watch_sources(_serve["server"], config.docs_dir, _serve["watched"])  # a folder made since the last build
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
