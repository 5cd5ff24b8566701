"""The editor server: ``pfocr-lint server`` (the Language Server Protocol)."""
