"""Paper Catalog: raw paper listings → YAML records → enriched records → Markdown pages → MkDocs site.

The package follows that pipeline:

- ``sources/``  parse raw listings (text scrapes of trending pages);
- ``records/``  the YAML records: ids, safe loading, schema validation, import;
- ``enrich/``   topics, code links and related papers, derived at build time;
- ``pages/``    Jinja2 templates and the writer of the generated Markdown;
- ``site/``     the MkDocs hook and theme overrides that publish it;
- ``build.py``  the pipeline itself, one named stage per line.
"""

__version__ = "0.1.0"
