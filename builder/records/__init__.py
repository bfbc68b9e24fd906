"""The curated records: one YAML file per paper under ``data/papers/``."""
