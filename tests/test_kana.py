from karuta.engine import kana


def test_aiueo_has_44_kana_in_rows():
    assert len(kana.AIUEO) == 44
    assert kana.AIUEO[0] == "あ" and kana.AIUEO[-1] == "わ"
    assert sum(len(v) for v in kana.AIUEO_ROWS.values()) == 44


def test_iroha_orders():
    assert len(kana.IROHA) == 47 and len(set(kana.IROHA)) == 47
    assert kana.IROHA[:3] == ("い", "ろ", "は")
    assert kana.IROHA_N[-1] == "ん"


def test_row_of_handles_dakuten_and_old_kana():
    assert kana.row_of("か") == "か行"
    assert kana.row_of("が") == "か行"
    assert kana.row_of("ぱ") == "は行"
    assert kana.row_of("を") == "わ行"


def test_first_sound_skips_punctuation_and_folds_katakana():
    assert kana.first_sound("「あさ」") == "あ"
    assert kana.first_sound("カッパ") == "か"
    assert kana.first_sound("123") == ""


def test_same_initial_allows_dakuten_and_old_kana():
    assert kana.same_initial("か", "が")
    assert kana.same_initial("を", "お")
    assert not kana.same_initial("か", "さ")
    assert not kana.same_initial("か", "")
