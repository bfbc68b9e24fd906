"""Enrichment derived at build time: topics, code links and status, related papers."""
