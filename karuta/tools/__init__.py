"""Desktop-only tools (deck import/validate/new, voice, QR sheets, web build, bench); never imported by the game."""
