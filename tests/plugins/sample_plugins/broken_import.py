"""A plugin whose import fails, as when a dependency is missing."""

raise ImportError("No module named 'vendor_sdk' (a dependency the plugin forgot to declare)")
