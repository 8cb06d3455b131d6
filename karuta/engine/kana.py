"""Kana sets and rows used by decks (あいうえお and いろは orders)."""

from __future__ import annotations

AIUEO_ROWS: dict[str, str] = {
    "あ行": "あいうえお",
    "か行": "かきくけこ",
    "さ行": "さしすせそ",
    "た行": "たちつてと",
    "な行": "なにぬねの",
    "は行": "はひふへほ",
    "ま行": "まみむめも",
    "や行": "やゆよ",
    "ら行": "らりるれろ",
    "わ行": "わ",
}

AIUEO: tuple[str, ...] = tuple("".join(AIUEO_ROWS.values()))  # 44 kana
IROHA: tuple[str, ...] = tuple("いろはにほへとちりぬるをわかよたれそつねならむうゐのおくやまけふこえてあさきゆめみしゑひもせす")  # 47
IROHA_N: tuple[str, ...] = IROHA + ("ん",)  # 48, some decks add ん

KANA_ORDERS: dict[str, tuple[str, ...]] = {
    "aiueo": AIUEO,
    "iroha": IROHA,
    "iroha48": IROHA_N,
}

_ROW_OF: dict[str, str] = {k: row for row, ks in AIUEO_ROWS.items() for k in ks}
# Old kana and ん are grouped with the row where children would look for them.
_ROW_OF.update({"ゐ": "わ行", "ゑ": "わ行", "を": "わ行", "ん": "わ行"})

_SMALL_TO_BIG = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")
_DAKUTEN = str.maketrans(
    "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔ",
    "かきくけこさしすせそたちつてとはひふへほはひふへほう",
)


def row_of(kana: str) -> str:
    """The あいうえお row (e.g. "か行") a kana belongs to; dakuten count as their base."""
    base = kana.translate(_DAKUTEN).translate(_SMALL_TO_BIG)
    return _ROW_OF.get(base, "わ行")


def katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def is_hiragana(ch: str) -> bool:
    return "ぁ" <= ch <= "ゖ" or ch in "ー゛゜ゝゞ"


def first_sound(kana_text: str) -> str:
    """The first kana of a reading, ignoring leading punctuation/spaces; katakana folded to hiragana."""
    for ch in katakana_to_hiragana(kana_text):
        if is_hiragana(ch) and ch != "ー":
            return ch
    return ""


def same_initial(card_kana: str, reading_first: str) -> bool:
    """A card's kana matches its reading's first sound, allowing dakuten (が for か) and old kana."""
    if not reading_first:
        return False
    norm = lambda s: s.translate(_DAKUTEN).translate(_SMALL_TO_BIG)  # noqa: E731
    aliases = {"ゐ": "い", "ゑ": "え", "を": "お"}
    a, b = norm(card_kana), norm(reading_first)
    return a == b or aliases.get(a, a) == aliases.get(b, b)
