"""Plugin system: hookspecs, the plugin manager, and built-in industry and evaluator plugins."""
