"""What the generated pages need from mkdocs.yml: the site's name and URL, the repository's edit
links and the shape of page URLs (pages.render.Settings)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import CatalogError, Problem
from ..pages.render import Settings


def settings_from(config) -> Settings:
    """From MkDocs' validated config."""
    branch = config.plugins["catalog"].config.edit_branch if "catalog" in config.plugins else "main"
    return _settings(config["site_name"], config.get("repo_url"), branch, config.get("site_url"),
                     config.use_directory_urls)


def _settings(site_name: str, repo_url: str | None, branch: str, site_url: str | None, directory_urls: bool
              ) -> Settings:
    """Edit links point at the record's YAML on the repository's branch, when the repository is on GitHub."""
    repo = (repo_url or "").rstrip("/")
    edit = f"{repo}/edit/{branch}/" if repo.startswith("https://github.com/") else ""
    site_url = site_url or ""
    site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    return Settings(site_name=site_name, edit_base=edit, site_url=site_url, directory_urls=directory_urls)


def read_settings(path: Path, shown: str) -> Settings:
    """The settings in the mkdocs.yml at ``path`` (``shown`` in messages), as `mkdocs build` takes them.

    MkDocs' own reading validates the whole file, theme and plugins included: 0.2 s of CPU that
    `catalog build` spends beside the records' reading. A file whose few settings read plainly is
    read here with MkDocs' YAML loader (`!ENV`, `INHERIT`); anything else goes through MkDocs, for
    its values and its messages. The rest of the file is for `mkdocs build` to check."""
    settings = _plain_settings(path)
    if settings is not None:
        return settings
    return settings_from(_validated(path, shown))


def _validated(path: Path, shown: str):
    """MkDocs' config from the file, as `mkdocs build` validates it; its errors become problems that
    name the file (MkDocs' load_config only logs them, then exits)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

    config = MkDocsConfig(config_file_path=str(path))
    try:
        with open(path, "rb") as file:
            config.load_file(file)
    except ConfigurationError as exc:  # not YAML, or an INHERIT that is missing
        raise CatalogError([Problem(shown, message=str(exc))]) from None
    except OSError as exc:
        raise CatalogError([Problem(shown, message=f"cannot read: {exc.strerror or exc}")]) from None
    errors, _ = config.validate()
    if errors:
        raise CatalogError([Problem(shown, field=name, message=str(error)) for name, error in errors])
    return config


def _plain_settings(path: Path) -> Settings | None:
    """The settings, when each is what MkDocs' validation would leave as it is; None otherwise."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(path, "rb") as file:
            raw = yaml_load(file)
    except Exception:  # whatever it is, MkDocs' own reading tells
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("site_name"), str):
        return None
    repo_url, site_url = raw.get("repo_url"), raw.get("site_url")
    directory_urls = raw.get("use_directory_urls", True)
    branch = _edit_branch(raw.get("plugins", ["search"]))
    if not (_plain_url(repo_url) and _plain_url(site_url) and isinstance(directory_urls, bool) and branch):
        return None
    return _settings(raw["site_name"], repo_url, branch, site_url, directory_urls)


def _plain_url(url: object) -> bool:
    """Absent, or a URL MkDocs' URL option returns unchanged (a site URL's path is made to end in "/"
    here too, the same way: none with a query or fragment)."""
    if url is None or url == "":
        return True
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return bool(parts.scheme and parts.netloc) and not (parts.query or parts.fragment) and urlunsplit(parts) == url


def _edit_branch(plugins: object) -> str | None:
    """The catalog plugin's edit_branch ("main" without the plugin); None when the plugins are not
    plainly listed: a plugin named otherwise, given twice, switched off, or with options it lacks."""
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list) and all(isinstance(p, str) or (isinstance(p, dict) and len(p) == 1)
                                           for p in plugins):
        entries = [next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins]
    else:
        return None
    if not all(isinstance(name, str) for name, _ in entries):
        return None
    named = [(name, options) for name, options in entries if "catalog" in name]
    if len(named) > 1 or (named and named[0][0] != "catalog"):  # twice, or "/catalog", "x/catalog"…
        return None
    if not named:
        return "main"
    options = named[0][1] or {}
    if not isinstance(options, dict) or set(options) - {"edit_branch", "search"}:
        return None
    branch = options.get("edit_branch", "main")
    search = options.get("search", True)
    return branch if isinstance(branch, str) and branch and isinstance(search, bool) else None
