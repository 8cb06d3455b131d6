"""The card engine: pure Python rules and data. It never imports pygame."""
