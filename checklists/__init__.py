"""Checklists (检查表): schema, loading, validation, versions and offline bundles."""
