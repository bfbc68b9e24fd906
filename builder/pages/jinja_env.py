"""The Jinja environment of the package's templates, shared by the pages and the feeds."""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined


def package_environment(finalize: Callable[[object], object]) -> Environment:
    """Templates from builder/pages/templates. Every printed value goes through ``finalize`` (the
    escaping of the output's language), an undefined name is an error, and templates see only what
    their caller passes: Jinja's default globals go (every render copied them into its context)."""
    env = Environment(
        loader=PackageLoader("builder.pages", "templates"),
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        auto_reload=False,  # part of the package: get_template (and each include) need not look at the file
        # Compiled templates are kept between runs, as Python keeps its .pyc files: compiling them
        # was 0.15 s of every build. Jinja keys each by the template's source (a changed template is
        # compiled again) in a folder of the user's own under the temporary directory.
        bytecode_cache=FileSystemBytecodeCache(),
    )
    env.globals.clear()
    return env
