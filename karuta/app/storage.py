"""Save data (settings, best scores, collections, saved card sets) that never loses what it had.

Each record is stored as a JSON envelope with a checksum, and the previous good
copy is kept under a second key. A truncated, corrupt or foreign record is
detected on load: the last good copy is restored (or the default used), and a
notice is queued once so the screen can tell the player what happened.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from .platform import Platform

_MAGIC = "karuta-save"
_VERSION = 1
MAX_RECORD = 256 * 1024  # bytes of JSON; a save larger than this is refused, not written


def _checksum(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _encode(key: str, data: Any) -> str:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return json.dumps({"magic": _MAGIC, "v": _VERSION, "key": key, "sum": _checksum(payload), "data": payload},
                      ensure_ascii=False)


def _decode(key: str, raw: str) -> Any:
    """The stored data, or raise ValueError saying why the record is not usable."""
    try:
        env = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValueError("not readable (truncated or corrupt)") from exc
    if not isinstance(env, dict) or env.get("magic") != _MAGIC:
        raise ValueError("not a save file of this game")
    if env.get("key") != key:
        raise ValueError(f"belongs to {str(env.get('key'))[:40]!r}, not {key!r}")
    payload = env.get("data")
    if not isinstance(payload, str) or env.get("sum") != _checksum(payload):
        raise ValueError("damaged (checksum mismatch)")
    return json.loads(payload)


class Store:
    """Named records on top of the platform's key-value storage."""

    def __init__(self, platform: Platform):
        self.platform = platform
        self.notices: list[str] = []  # Japanese messages for the player, shown once

    def load(self, key: str, default: Any, validate: Callable[[Any], Any] | None = None) -> Any:
        """The saved value, else the last good copy, else ``default``.

        ``validate`` may clean the data or raise ValueError/TypeError/KeyError for foreign content.
        """
        raw = self.platform.storage_get(key)
        if raw is None:
            return default
        try:
            data = _decode(key, raw)
            return validate(data) if validate else data
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = str(exc)
        backup = self.platform.storage_get(key + ".bak")
        if backup:
            try:
                data = _decode(key, backup)
                data = validate(data) if validate else data
                self.platform.storage_set(key, backup)
                self.notices.append(f"ほぞんデータ（{_label(key)}）がこわれていたので、まえのデータにもどしました。")
                self._log(key, reason, restored=True)
                return data
            except (ValueError, TypeError, KeyError, AttributeError):
                pass
        self.notices.append(f"ほぞんデータ（{_label(key)}）がよめなかったので、はじめからにしました。")
        self._log(key, reason, restored=False)
        # Keep the unreadable record aside (someone may want to look at it) and out of the way,
        # so the next start does not read it, and tell the player, again.
        try:
            self.platform.storage_set(key + ".bad", raw)
            self.platform.storage_delete(key)
        except Exception:
            pass
        return default

    def save(self, key: str, data: Any) -> bool:
        """Write atomically, keeping the current good record as the backup. False when it could not be saved."""
        record = _encode(key, data)
        if len(record.encode("utf-8")) > MAX_RECORD:
            self.notices.append(f"ほぞんデータ（{_label(key)}）が大きすぎてほぞんできませんでした。")
            return False
        try:
            current = self.platform.storage_get(key)
            if current:
                try:
                    _decode(key, current)
                    self.platform.storage_set(key + ".bak", current)
                except ValueError:
                    pass  # never let a corrupt record overwrite the last good backup
            self.platform.storage_set(key, record)
            return True
        except Exception as exc:  # storage full, read-only, private browsing...
            self.notices.append(f"ほぞんできませんでした（{_label(key)}）。")
            self._log(key, repr(exc), restored=False)
            return False

    def delete(self, key: str) -> None:
        self.platform.storage_delete(key)
        self.platform.storage_delete(key + ".bak")

    def take_notices(self) -> list[str]:
        out, self.notices = self.notices, []
        return out

    @staticmethod
    def _log(key: str, reason: str, restored: bool) -> None:
        import sys

        what = "restored the last good copy" if restored else "using defaults"
        print(f"karuta: save data {key!r}: {reason}; {what}", file=sys.stderr)


_LABELS = {"settings": "せってい", "scores": "さいこうとくてん", "collection": "あつめたカルタ", "cardsets": "カードのくみあわせ",
           "onscreen_best": "さいこうきろく"}


def _label(key: str) -> str:
    return _LABELS.get(key.split(".")[0], key)
