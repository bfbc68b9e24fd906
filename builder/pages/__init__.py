"""Generated Markdown pages: Jinja2 templates, one per page kind, and the writer."""
