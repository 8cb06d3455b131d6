import pytest

from karuta.engine import ruby


def test_parse_splits_plain_and_ruby_segments():
    assert ruby.parse("あさの川(かわ)　ひかる") == [
        ruby.Segment("あさの"), ruby.Segment("川", "かわ"), ruby.Segment("　ひかる")]


def test_kanji_run_takes_the_whole_run_before_the_reading():
    assert ruby.parse("下川淵(しもかわぶち)の夏(なつ)") == [
        ruby.Segment("下川淵", "しもかわぶち"), ruby.Segment("の"), ruby.Segment("夏", "なつ")]


def test_full_width_parentheses_and_explicit_base_marker():
    assert ruby.kana_reading("｜前橋市(まえばしし)へ") == "まえばししへ"
    assert ruby.kana_reading("古墳（こふん）") == "こふん"
    assert ruby.parse("｜ABC(えーびーしー)") == [ruby.Segment("ABC", "えーびーしー")]


def test_kana_reading_and_plain_text():
    markup = "むかしの井戸(いど)　みんなで水(みず)を"
    assert ruby.kana_reading(markup) == "むかしのいど　みんなでみずを"
    assert ruby.plain_text(markup) == "むかしの井戸　みんなで水を"


def test_iteration_mark_belongs_to_the_kanji_run():
    assert ruby.parse("人々(ひとびと)") == [ruby.Segment("人々", "ひとびと")]


@pytest.mark.parametrize("bad, message", [
    ("川(かわ", "unmatched 「(」"),
    ("かわ)のおと", "unmatched 「)」"),
    ("川()のおと", "empty furigana after 「川」"),
    ("(かわ)のおと", "unmatched 「(」"),
])
def test_broken_markup_is_reported(bad, message):
    with pytest.raises(ruby.RubyError) as err:
        ruby.parse(bad)
    assert message in str(err.value)
    assert ruby.check(bad) is not None


def test_kanji_without_ruby_finds_what_a_kana_reader_cannot_read():
    assert ruby.kanji_without_ruby("川(かわ)の橋") == "橋"
    assert ruby.kanji_without_ruby("ひらがなだけ") == ""
