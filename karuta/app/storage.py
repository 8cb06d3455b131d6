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
MAX_RECORD = 256 * 1024  # bytes of JSON; a save larger than this is refused, not written (nor read)
# What a record may hold that is not usable (ValueError...) or not even parseable within limits
# (RecursionError for deep nesting, OverflowError for huge numbers a validator converts).
_UNUSABLE = (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError)


def _checksum(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _encode(key: str, data: Any) -> str:
    """The record text; raises ValueError for what JSON cannot hold faithfully (NaN, infinity, cycles)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return json.dumps({"magic": _MAGIC, "v": _VERSION, "key": key, "sum": _checksum(payload), "data": payload},
                      ensure_ascii=False)


def _decode(key: str, raw: str) -> Any:
    """The stored data, or raise ValueError saying why the record is not usable."""
    if len(raw) > MAX_RECORD:
        raise ValueError(f"{len(raw):,} characters long, larger than any save of this game ({MAX_RECORD:,})")
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
    try:
        return json.loads(payload, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply to be a save of this game") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which this game never saves")


class Store:
    """Named records on top of the platform's key-value storage."""

    def __init__(self, platform: Platform):
        self.platform = platform
        self.notices: list[str] = []  # Japanese messages for the player, shown once

    def load(self, key: str, default: Any, validate: Callable[[Any], Any] | None = None) -> Any:
        """The saved value, else the last good copy, else ``default``. Never raises: any state of
        the storage (missing, unreadable, read-only, corrupt, nonsensical) gives a value to play with.

        ``validate`` may clean the data or raise ValueError/TypeError/KeyError for foreign content.
        """
        try:
            raw = self.platform.storage_get(key)
        except Exception as exc:  # a storage that cannot even be asked counts as an unreadable record
            raw, reason = "", f"cannot be read ({exc!r})"
        if raw is None:
            return default
        try:
            data = _decode(key, raw)
            return validate(data) if validate else data
        except _UNUSABLE as exc:
            reason = str(exc)
        try:
            backup = self.platform.storage_get(key + ".bak")
        except Exception:
            backup = None
        if backup:
            try:
                data = _decode(key, backup)
                data = validate(data) if validate else data
            except _UNUSABLE:
                pass
            else:
                # Something in the way (a folder where the file belongs) is moved aside by the platform;
                # a read-only folder still gets the data for this session.
                kept = self._write(key, backup) or (self._delete(key) and self._write(key, backup))
                self.notices.append(f"ほぞんデータ（{_label(key)}）がこわれていたので、まえのデータにもどしました。")
                self._log(key, reason, "restored the last good copy" + ("" if kept else " for this session only"))
                return data
        self.notices.append(f"ほぞんデータ（{_label(key)}）がよめなかったので、はじめからにしました。")
        # Keep the unreadable record aside (someone may want to look at it) and out of the way,
        # so the next start does not read it, and tell the player, again.
        aside = self._write(key + ".bad", raw) and self._delete(key)
        self._log(key, reason, "using defaults; " + (f"the unreadable copy is kept as {key}.bad" if aside else
                                                     "the unreadable copy is left where it is (cannot write)"))
        return default

    def save(self, key: str, data: Any) -> bool:
        """Write atomically, keeping the current good record as the backup. False when it could not be saved."""
        try:
            record = _encode(key, data)
        except _UNUSABLE as exc:  # a value JSON cannot hold: a bug, but the game goes on
            self.notices.append(f"ほぞんできませんでした（{_label(key)}）。")
            self._log(key, f"cannot be written ({exc})", "not saved; the copy saved before is kept")
            return False
        if len(record.encode("utf-8")) > MAX_RECORD:
            self.notices.append(f"ほぞんデータ（{_label(key)}）が大きすぎてほぞんできませんでした。")
            return False
        try:
            current = self.platform.storage_get(key)
            if current:
                try:
                    _decode(key, current)
                except _UNUSABLE:
                    pass  # never let a corrupt record overwrite the last good backup
                else:
                    self._write(key + ".bak", current)  # best effort: an unwritable backup must not stop the save
            self.platform.storage_set(key, record)
            return True
        except Exception as exc:  # storage full, read-only, private browsing...
            self.notices.append(f"ほぞんできませんでした（{_label(key)}）。")
            self._log(key, repr(exc), "not saved; the copy saved before is kept")
            return False

    def _delete(self, key: str) -> bool:
        try:
            self.platform.storage_delete(key)
            return True
        except Exception:
            return False

    def _write(self, key: str, value: str) -> bool:
        try:
            self.platform.storage_set(key, value)
            return True
        except Exception:
            return False

    def delete(self, key: str) -> None:
        self.platform.storage_delete(key)
        self.platform.storage_delete(key + ".bak")

    def take_notices(self) -> list[str]:
        out, self.notices = self.notices, []
        return out

    @staticmethod
    def _log(key: str, reason: str, what: str) -> None:
        import sys

        print(f"karuta: save data {key!r}: {reason}; {what}", file=sys.stderr)


_LABELS = {"settings": "せってい", "scores": "さいこうとくてん", "collection": "あつめたカルタ", "cardsets": "カードのくみあわせ",
           "onscreen_best": "さいこうきろく"}


def _label(key: str) -> str:
    return _LABELS.get(key.split(".")[0], key)
