"""The one place that knows where the game runs: desktop or browser (pygbag).

Everything that differs between the two (storage, launch parameters, speech,
the camera scan, the device position) goes through a ``Platform`` object, so the
rest of the code never asks where it runs and tests can swap in a fake web side.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import urllib.parse
from typing import Any

IS_WEB = sys.platform == "emscripten"


class Platform:
    """Desktop behaviour; also the interface the web version and test fakes implement."""

    name = "desktop"

    def __init__(self, data_dir: str | None = None, params: dict[str, str] | None = None):
        self._data_dir = data_dir
        self._params = dict(params or {})
        self._scan_result: str | None = None

    # -- storage: small named strings that must survive a restart

    @property
    def data_dir(self) -> str:
        if self._data_dir is None:
            env = os.environ.get("KARUTA_DATA_DIR")
            if env:
                self._data_dir = env
            else:
                from platformdirs import user_data_dir  # desktop only

                self._data_dir = user_data_dir("karuta", appauthor=False)
        return self._data_dir

    def _key_path(self, key: str) -> str:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in key)
        return os.path.join(self.data_dir, safe + ".json")

    def storage_get(self, key: str) -> str | None:
        try:
            with open(self._key_path(key), encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            return ""  # unreadable counts as corrupt, never as absent

    def storage_set(self, key: str, value: str) -> None:
        """Atomic: a crash mid-write leaves the previous file intact."""
        path = self._key_path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(value)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def storage_delete(self, key: str) -> None:
        path = self._key_path(key)
        if os.path.isdir(path) and not os.path.islink(path):
            # A folder where a save file belongs (made by hand?) would stop every save: it is moved
            # aside, never deleted, since it may hold someone's files.
            aside = f"{path}.folder-{int(time.time())}"
            os.rename(path, aside)
            print(f"karuta: {path} was a folder, not a save file; moved it to {aside}", file=sys.stderr)
            return
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass

    # -- launch parameters (?deck=..&card=..&k=.. on the web; options on the desktop)

    def launch_params(self) -> dict[str, str]:
        return dict(self._params)

    # -- speech: the browser's own voice; the desktop has none (recorded/voice-pack audio is played by Audio)

    def can_speak(self) -> bool:
        return False

    def speak(self, text: str, rate: float = 1.0, volume: float = 1.0) -> bool:
        return False

    def stop_speaking(self) -> None:
        pass

    def is_speaking(self) -> bool:
        return False

    # -- camera scan: the page overlay on the web; on the desktop a result can be injected (--open-url, tests)

    def can_scan(self) -> bool:
        return False

    def start_scan(self) -> bool:
        return False

    def cancel_scan(self) -> None:
        pass

    def poll_scan(self) -> str | None:
        """Text of a finished scan (once), else None."""
        result, self._scan_result = self._scan_result, None
        return result

    def scan_active(self) -> bool:
        """True while a camera view is open (the page's overlay on the web)."""
        return False

    def page_url(self) -> str:
        """The address the game was loaded from, without its query (web only; '' on the desktop)."""
        return ""

    def inject_scan(self, text: str) -> None:
        self._scan_result = text

    # -- optional position hint (web only)

    def position(self) -> tuple[float, float, float] | None:
        return None


class WebPlatform(Platform):
    """pygbag in a browser: localStorage, the query string, speechSynthesis and the page's scanner."""

    name = "web"

    def __init__(self, window: Any = None):
        super().__init__(data_dir="/tmp")
        if window is None:  # pragma: no cover - only in the browser
            import platform as _browser  # pygbag's module, not the standard library one

            window = _browser.window
        self.window = window

    def storage_get(self, key: str) -> str | None:
        try:
            value = self.window.localStorage.getItem("karuta." + key)
        except Exception:
            return None
        if value is None or value == "null":
            return None
        return str(value)

    def storage_set(self, key: str, value: str) -> None:
        self.window.localStorage.setItem("karuta." + key, value)

    def storage_delete(self, key: str) -> None:
        try:
            self.window.localStorage.removeItem("karuta." + key)
        except Exception:
            pass

    def launch_params(self) -> dict[str, str]:
        try:
            search = str(self.window.location.search or "")
        except Exception:
            return {}
        return parse_query(search)

    def _js(self, code: str) -> Any:
        try:
            return self.window.eval(code)
        except Exception:
            return None

    def can_speak(self) -> bool:
        return bool(self._js("(window.karutaSpeech && window.karutaSpeech.available()) ? 1 : 0"))

    def speak(self, text: str, rate: float = 1.0, volume: float = 1.0) -> bool:
        args = json.dumps([text, rate, volume], ensure_ascii=True)
        return bool(self._js(f"window.karutaSpeech ? window.karutaSpeech.speak(...{args}) : 0"))

    def stop_speaking(self) -> None:
        self._js("window.karutaSpeech && window.karutaSpeech.stop()")

    def is_speaking(self) -> bool:
        return bool(self._js("(window.karutaSpeech && window.karutaSpeech.speaking()) ? 1 : 0"))

    def can_scan(self) -> bool:
        return bool(self._js("(window.karutaScan && window.karutaScan.available()) ? 1 : 0"))

    def start_scan(self) -> bool:
        return bool(self._js("window.karutaScan ? window.karutaScan.start() : 0"))

    def cancel_scan(self) -> None:
        self._js("window.karutaScan && window.karutaScan.cancel()")

    def poll_scan(self) -> str | None:
        value = self._js("window.karutaScan ? window.karutaScan.take() : null")
        if value is None or value == "null" or value == "":
            return super().poll_scan()
        return str(value)

    def scan_active(self) -> bool:
        state = self._js("window.karutaScan && window.karutaScan.state ? window.karutaScan.state() : ''")
        return str(state) in ("starting", "scanning")

    def page_url(self) -> str:
        try:
            location = self.window.location
            return str(location.origin) + str(location.pathname)
        except Exception:
            return ""

    def position(self) -> tuple[float, float, float] | None:
        value = self._js("window.karutaPosition ? JSON.stringify(window.karutaPosition()) : 'null'")
        try:
            data = json.loads(str(value))
            return float(data[0]), float(data[1]), float(data[2])
        except Exception:
            return None


def parse_query(search: str) -> dict[str, str]:
    """``?a=1&b=2`` -> {"a": "1", "b": "2"}; the first value of a repeated key wins."""
    out: dict[str, str] = {}
    for key, value in urllib.parse.parse_qsl(search.lstrip("?"), keep_blank_values=True)[:20]:
        out.setdefault(key[:40], value[:500])
    return out


def current(data_dir: str | None = None, params: dict[str, str] | None = None) -> Platform:
    """The platform the game is running on."""
    if IS_WEB:  # pragma: no cover - only in the browser
        return WebPlatform()
    return Platform(data_dir=data_dir, params=params)
