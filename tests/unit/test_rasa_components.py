"""The custom Rasa graph components, run the way Rasa runs them."""

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.identifier_extractor import IdentifierExtractor
from bot.nlu.normalizer import VietnameseNormalizer, get_normalized
from bot.nlu.tokenizer import UndertheseaTokenizer


def create(component_class, config=None):
    return component_class.create(
        {**component_class.get_default_config(), **(config or {})}, None, None, None
    )


@pytest.fixture(scope="module")
def pipeline():
    return [create(VietnameseNormalizer), create(UndertheseaTokenizer), create(IdentifierExtractor)]


def run(pipeline, text, entities=None):
    message = Message(data={TEXT: text, **({ENTITIES: entities} if entities else {})})
    for component in pipeline:
        component.process([message])
    return message


def test_normalizer_keeps_the_text_and_stores_the_normalized_form(pipeline):
    message = run(pipeline, "Tđ T10 bn?")
    assert message.get(TEXT) == "Tđ T10 bn?"
    assert get_normalized(message).text == "tiền điện tháng 10 bao nhiêu"


def test_tokens_carry_original_offsets_and_folded_lemmas(pipeline):
    text = "Tiền điện tháng này BAO NHIÊU"
    tokens = run(pipeline, text).get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens][-1] == "bao_nhiêu"
    assert [text[t.start : t.end] for t in tokens][-1] == "BAO NHIÊU"
    assert [t.lemma for t in tokens] == ["tien", "dien", "thang", "nay", "bao nhieu"]


def test_unaccented_text_gives_the_same_lemmas(pipeline):
    accented = run(pipeline, "tiền điện tháng này").get(TOKENS_NAMES[TEXT])
    plain = run(pipeline, "tien dien thang nay").get(TOKENS_NAMES[TEXT])
    assert " ".join(t.lemma for t in accented) == " ".join(t.lemma for t in plain)


def test_training_data_is_normalized_and_tokenized():
    data = TrainingData([Message(data={TEXT: "hđ t10", "intent": "check_bill"})])
    create(VietnameseNormalizer).process_training_data(data)
    create(UndertheseaTokenizer).process_training_data(data)
    tokens = data.training_examples[0].get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["hóa", "đơn", "tháng", "10"]


def test_tokenizer_needs_the_normalizer():
    message = Message(data={TEXT: "xin chào"})
    with pytest.raises(ValueError, match="VietnameseNormalizer"):
        create(UndertheseaTokenizer).process([message])


@pytest.mark.parametrize("text", ["👍", "???", "😡😡 !!"])
def test_messages_without_words_keep_one_token(pipeline, text):
    tokens = run(pipeline, text).get(TOKENS_NAMES[TEXT])
    assert len(tokens) == 1 and tokens[0].text == text.strip()


def test_long_and_mixed_messages(pipeline):
    text = ("Nhà tôi ở 中国 城 mất điện 😭 " * 200)[:5000]
    tokens = run(pipeline, text).get(TOKENS_NAMES[TEXT])
    assert tokens and all(0 <= t.start < t.end <= len(text) for t in tokens)


def test_identifier_extractor_gives_canonical_values_on_original_spans(pipeline):
    text = "mã pe 0100 0123456, sđt +84 903 123 456, hồ sơ yc2026001234"
    entities = run(pipeline, text).get(ENTITIES)
    assert [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in entities] == [
        ("customer_code", "PE01000123456", "pe 0100 0123456"),
        ("phone", "0903123456", "+84 903 123 456"),
        ("request_code", "YC2026001234", "yc2026001234"),
    ]


def test_identifier_extractor_overrides_statistical_guesses(pipeline):
    text = "mã PE01000123456 ở quận 7"
    statistical = [
        {"entity": "customer_code", "start": 3, "end": 9, "value": "PE0100", "extractor": "DIETClassifier"},
        {"entity": "person_name", "start": 3, "end": 16, "value": "PE01000123456", "extractor": "DIETClassifier"},
        {"entity": "location", "start": 20, "end": 26, "value": "quận 7", "extractor": "DIETClassifier"},
    ]
    entities = run(pipeline, text, statistical).get(ENTITIES)
    assert [(e["entity"], e["value"]) for e in entities] == [
        ("customer_code", "PE01000123456"),
        ("location", "quận 7"),
    ]


def test_the_meter_words_settle_a_close_lookup():
    from bot.nlu.keyword_intents import settled

    ranking = [{"name": "check_bill", "confidence": 0.45}, {"name": "check_meter_reading", "confidence": 0.40},
               {"name": "report_outage", "confidence": 0.15}]
    new = settled("cho xin chỉ số điện tháng 9 của mã PC01000456789", ranking)
    assert new[0]["name"] == "check_meter_reading" and abs(new[0]["confidence"] - 0.85) < 1e-9
    assert [item["name"] for item in new] == ["check_meter_reading", "report_outage"]
    assert settled("tiền điện tháng 9 bao nhiêu", ranking) is None  # no meter words
    assert settled("chỉ số công tơ nhà tôi chạy nhanh bất thường", [{"name": "complaint", "confidence": 0.6}]) is None
