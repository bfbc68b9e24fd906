"""Raw listings as they arrive, parsed into (title, abstract, date) entries."""
