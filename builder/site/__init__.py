"""Publishing with MkDocs: the plugin that runs the build, and theme overrides that keep text inert."""
