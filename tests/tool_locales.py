"""Run a facilitator tool as a real process under a Japanese and an English locale.

    en, ja = run_in_both_locales(["serve", "--help"])

Each run is ``python -m karuta ARGS`` with LANG set (LANGUAGE, LC_ALL and LC_MESSAGES removed, so
the test machine's own settings do not decide). ``check_japanese`` asserts what a Japanese
facilitator must see: at least one Japanese line, and no English sentence anywhere in the output.
Commands, option names, paths and addresses are not sentences and may stay as they are.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Words that only occur in English prose; a run of 3+ English words with one of them is a sentence.
FUNCTION_WORDS = {"a", "an", "the", "is", "are", "be", "to", "of", "and", "or", "in", "on", "at", "for",
                  "with", "not", "no", "this", "that", "it", "its", "can", "cannot", "from", "by", "as",
                  "your", "you", "there", "these", "here", "only", "so", "then", "when", "than", "first"}
# A hyphenated word is one word: `karuta deck from-csv` is a command, not the preposition "from".
WORD_RUN = re.compile(r"[A-Za-z'][A-Za-z'-]*(?:,? [A-Za-z'][A-Za-z'-]*){2,}")


@dataclass
class ToolRun:
    lang: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def english_sentences(text: str) -> list[str]:
    """Runs of English words that read as prose (not commands such as `karuta voice decks`)."""
    found = []
    for m in WORD_RUN.finditer(text):
        words = {w.lower() for w in re.findall(r"[A-Za-z'][A-Za-z'-]*", m.group())}
        if words & FUNCTION_WORDS:
            found.append(m.group())
    return found


def japanese_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if JAPANESE.search(line)]


def tool_env(lang: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(LANG=lang, PYTHONIOENCODING="utf-8", PYGAME_HIDE_SUPPORT_PROMPT="1")
    return env


def run_tool(args: list[str], lang: str, *, cwd: Path | None = None, until: str | None = None,
             timeout: float = 120) -> ToolRun:
    """Run ``karuta ARGS``; with ``until``, stop the (long-running) tool once a line contains it."""
    proc = subprocess.Popen([sys.executable, "-m", "karuta", *args], cwd=cwd or ROOT, env=tool_env(lang),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    if until is None:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"karuta {' '.join(args)} did not finish in {timeout} s:\n{out}\n{err}")
        return ToolRun(lang, proc.returncode, out, err)
    lines: list[str] = []
    seen = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if until in line:
                seen.set()
        seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen.wait(timeout)
    time.sleep(0.3)  # the lines printed right after the awaited one
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    reader.join(5)
    out = "".join(lines)
    assert until in out, f"karuta {' '.join(args)} never printed {until!r}:\n{out}\n{err}"
    return ToolRun(lang, proc.returncode, out, err)


def check_japanese(run: ToolRun) -> None:
    assert japanese_lines(run.text), f"no Japanese line under {run.lang}:\n{run.text}"
    leaks = english_sentences(run.text)
    assert not leaks, f"English under {run.lang}: {leaks}\n{run.text}"


def check_english(run: ToolRun) -> None:
    """The tool's messages are English: no Japanese line (for tools that print no Japanese data)."""
    assert not japanese_lines(run.text), f"Japanese under {run.lang}:\n{run.text}"


def run_in_both_locales(args: list[str], **kw) -> tuple[ToolRun, ToolRun]:
    """The tool under LANG=C.UTF-8 (English) and LANG=ja_JP.UTF-8 (Japanese), both checked."""
    en = run_tool(args, "C.UTF-8", **kw)
    ja = run_tool(args, "ja_JP.UTF-8", **kw)
    check_english(en)
    check_japanese(ja)
    assert en.returncode == ja.returncode, (en, ja)
    return en, ja
