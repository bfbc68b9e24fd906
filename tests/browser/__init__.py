"""Browser tests: the built site in Chromium. A package, so its conftest and module names never
clash with the ones in tests/."""
