"""Where the web build finds the project's files, and the names of what it writes."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PAGE_DIR = ROOT / "assets" / "web"
FONT_DIR = ROOT / "assets" / "fonts"
STAGE_NAME = "karuta"                 # pygbag names the bundle after the folder: karuta.apk
BUNDLE = STAGE_NAME + ".apk"
# Files the page needs besides index.html and the bundle (all precached by the service worker).
PAGE_FILES = ("karuta.js", "manifest.webmanifest", "favicon.png", "apple-touch-icon.png",
              "icon-192.png", "icon-512.png")
JSQR_FILE = "jsqr.js"
PAGE_FONT = "page-font.ttf"           # made by the build (fonts.write_page_font)
PAGE_FONT_SOURCE = "BIZUDPGothic-Bold.ttf"
