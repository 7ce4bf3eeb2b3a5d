"""Evidence of learning: completions (and, later, the xAPI Learning Record Store)."""
