"""The conversation evaluation runner (scripts/eval_conversations.py) without a stack: loading, matching, clicks."""

import json
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import eval_conversations as ev  # noqa: E402

SAMPLE = Path(__file__).parent / "fixtures" / "conversations_sample.yml"


def turn(**expect):
    data = {"version": 1, "today": "2026-11-24", "conversations": [
        {"id": "c", "flow": "bill", "turns": [{"user": "hi", "good_reply": "ok", "expect": expect}]}]}
    return ev.parse_set(data, "inline").conversations[0].turns[0]


def message(text=None, *titles):
    out = {"recipient_id": "x"}
    if text is not None:
        out["text"] = text
    if titles:
        out["buttons"] = [{"title": t, "payload": f"/{t.lower().replace(' ', '_')}"} for t in titles]
    return out


# --- matching -----------------------------------------------------------------------------------------

def test_all_patterns_must_every_one_match():
    t = turn(all=["mã khách hàng", "4 số"])
    assert ev.check_turn(t, "Dạ, cho em xin mã khách hàng và 4 số cuối") == []
    failures = ev.check_turn(t, "Dạ, cho em xin mã khách hàng")
    assert failures == ["all: /4 số/ did not match"]


def test_any_needs_one_match_and_none_forbids():
    t = turn(any=["CCCD", "căn cước"], none=["không tìm được"])
    assert ev.check_turn(t, "Cần căn cước công dân") == []
    assert ev.check_turn(t, "Cần hộ khẩu") == ["any: none of /CCCD/, /căn cước/ matched"]
    failures = ev.check_turn(t, "CCCD... em không tìm được")
    assert len(failures) == 1 and failures[0].startswith("none: /không tìm được/ matched")


def test_matching_ignores_case_and_unicode_composition():
    decomposed = unicodedata.normalize("NFD", "Tổng cộng")
    assert decomposed != "Tổng cộng"
    assert ev.check_turn(turn(all=["tổng CỘNG"]), decomposed + ": 346.356 đ") == []
    assert ev.check_turn(turn(all=[decomposed]), "TỔNG CỘNG") == []
    assert ev.check_turn(turn(all=["tong cong"]), "Tổng cộng") != []  # accents still count


def test_patterns_are_regexes_searched_anywhere():
    assert ev.check_turn(turn(all=[r"SC\d{6,}"]), "Mã sự cố của Quý khách là SC2026000123.") == []
    assert ev.check_turn(turn(all=[r"^Dạ"]), "Vâng. Dạ") != []


def test_an_empty_reply_always_fails():
    assert ev.check_turn(turn(none=["lỗi"]), "") == ["empty reply (customers must always get an answer)"]
    assert ev.check_turn(turn(none=["lỗi"]), "  \n ") != []
    assert ev.check_turn(turn(none=["lỗi"]), "Dạ") == []


def test_the_reply_joins_every_message_text_and_button_title():
    reply = ev.reply_text([message("Dạ, xin chào", "Tra cứu tiền điện", "Gặp nhân viên"), {"image": "x.png"},
                           message("Quý khách cần gì ạ?")])
    assert reply == "Dạ, xin chào\nTra cứu tiền điện\nGặp nhân viên\nQuý khách cần gì ạ?"
    assert ev.check_turn(turn(all=["gặp nhân viên"]), reply) == []
    assert ev.check_turn(turn(all=[r"chào\nTra cứu"]), reply) == []
    assert ev.reply_text([{"image": "x.png"}]) == ""


# --- clicks -------------------------------------------------------------------------------------------

class FakeBot:
    """Answers each message from a script and records what was sent."""

    def __init__(self, *replies):
        self.replies, self.sent = list(replies), []

    def __call__(self, sender, text):
        self.sent.append((sender, text))
        return self.replies.pop(0)


def clicking(title, expect):
    return ev.Conversation(id="c", flow="handoff", turns=[
        ev.Turn(number=1, good_reply="hi", user="xin chào", all=[]),
        ev.Turn(number=2, good_reply="ok", click=title, **expect)])


def compiled(*patterns):
    return [ev.re.compile(p, ev.re.IGNORECASE) for p in patterns]


def test_find_button_is_case_insensitive_and_accent_sensitive():
    reply = [message("Dạ", "Tra cứu tiền điện"), message("Hoặc", "Gặp nhân viên")]
    assert ev.find_button(reply, "GẶP NHÂN")["payload"] == "/gặp_nhân_viên"
    assert ev.find_button(reply, unicodedata.normalize("NFD", "nhân viên"))["title"] == "Gặp nhân viên"
    assert ev.find_button(reply, "gap nhan vien") is None
    assert ev.find_button([message("no buttons")], "Gặp") is None


def test_a_click_sends_the_buttons_payload_on_the_same_sender():
    bot = FakeBot([message("Dạ, xin chào", "Gặp nhân viên")], [message("Dạ, tổng đài 1900 545454")])
    result = ev.run_conversation(clicking("nhân viên", {"all": compiled("1900")}), bot)
    assert [text for _, text in bot.sent] == ["xin chào", "/gặp_nhân_viên"]
    assert len({sender for sender, _ in bot.sent}) == 1
    assert result.passed and result.turns[1].said == "[click] nhân viên -> /gặp_nhân_viên"


def test_a_missing_button_fails_the_turn_and_sends_the_title_as_text():
    bot = FakeBot([message("Dạ, xin chào")], [message("Dạ, tổng đài 1900 545454")], [message("x")])
    conversation = clicking("Gặp nhân viên", {"all": compiled("1900")})
    conversation.turns.append(ev.Turn(number=3, good_reply="x", user="cảm ơn", all=compiled("x")))
    result = ev.run_conversation(conversation, bot)
    assert [text for _, text in bot.sent] == ["xin chào", "Gặp nhân viên", "cảm ơn"]  # the conversation goes on
    assert not result.passed
    assert [t.passed for t in result.turns] == [True, False, True]
    assert result.turns[1].failures == ["click: no button titled like 'Gặp nhân viên' in the previous reply"]
    assert "no such button" in result.turns[1].said


def test_a_bot_error_fails_the_turn_only():
    def send(sender, text):
        if text == "boom":
            raise ev.BotError("HTTP 500")
        return [message("Dạ")]

    conversation = ev.Conversation(id="c", flow="bill", turns=[
        ev.Turn(number=1, good_reply="x", user="boom", all=compiled("Dạ")),
        ev.Turn(number=2, good_reply="x", user="ok", all=compiled("Dạ"))])
    result = ev.run_conversation(conversation, send)
    assert result.turns[0].failures == ["no answer: HTTP 500", "empty reply (customers must always get an answer)"]
    assert result.turns[1].passed


# --- validation ---------------------------------------------------------------------------------------

def sample_data():
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_the_sample_loads():
    loaded = ev.load_set(SAMPLE)
    assert loaded.name == "conversations_sample" and loaded.today == "2026-11-24"
    assert len(loaded.conversations) == 5 and len(loaded.sha256) == 64
    assert loaded.conversations[3].turns[2].click == "gặp nhân viên"


def problems(mutate):
    data = sample_data()
    mutate(data)
    with pytest.raises(ev.ConversationFileError) as error:
        ev.parse_set(data, "bad.yml")
    return error.value.errors


def first_turn(data):
    return data["conversations"][0]["turns"][0]


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["conversations"][1].update(id="smalltalk-greet-01"), "duplicate id"),
    (lambda d: first_turn(d)["expect"].update(all=["(unclosed"]), "does not compile"),
    (lambda d: first_turn(d).pop("good_reply"), "missing `good_reply`"),
    (lambda d: first_turn(d).update(good_reply="  "), "missing `good_reply`"),
    (lambda d: first_turn(d).update(expect={}), "`expect` has no pattern"),
    (lambda d: first_turn(d).update(expect={"all": [], "none": []}), "`expect` has no pattern"),
    (lambda d: first_turn(d).pop("expect"), "missing `expect`"),
    (lambda d: first_turn(d)["expect"].update(anyof=["x"]), "unknown expect key(s) anyof"),
    (lambda d: first_turn(d)["expect"].update(all="chào"), "expected a list of regex strings"),
    (lambda d: first_turn(d)["expect"].update(all=[""]), "empty pattern"),
    (lambda d: first_turn(d).update(click="Gặp"), "exactly one of `user` or `click`"),
    (lambda d: first_turn(d).update(click=first_turn(d).pop("user")), "first turn cannot be a `click`"),
    (lambda d: first_turn(d).update(expected={"all": ["x"]}), "unknown key(s) expected"),
    (lambda d: d["conversations"][0].update(flow="billing"), "flow 'billing' is not one of"),
    (lambda d: d["conversations"][0].update(turns=[]), "`turns` must be a non-empty list"),
    (lambda d: d.update(today="24/11/2026"), "today: expected an ISO date"),
    (lambda d: d.update(version=2), "version: expected 1"),
    (lambda d: d.update(conversations=[]), "conversations: expected a non-empty list"),
])
def test_invalid_files_are_refused_with_the_reason(mutate, expected):
    errors = problems(mutate)
    assert any(expected in e for e in errors), errors


def test_every_problem_is_listed_with_where_it_is():
    def mutate(data):
        first_turn(data).pop("good_reply")
        data["conversations"][2]["turns"][0]["expect"]["all"] = ["[oops"]

    errors = problems(mutate)
    assert len(errors) == 2
    assert errors[0].startswith("conversation 'smalltalk-greet-01' turn 1:")
    assert errors[1].startswith("conversation 'calculator-150kwh-01' turn 1 expect.all:")


def test_a_file_that_is_not_there_or_not_yaml_is_refused(tmp_path):
    with pytest.raises(ev.ConversationFileError, match="file not found"):
        ev.load_set(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("version: 1\nconversations: [\n", encoding="utf-8")
    with pytest.raises(ev.ConversationFileError, match="not valid UTF-8 YAML"):
        ev.load_set(broken)


def test_an_unquoted_date_is_accepted():
    data = sample_data()
    data["today"] = yaml.safe_load("d: 2026-11-24")["d"]
    assert ev.parse_set(data, "x").today == "2026-11-24"


# --- figures and the docs section ---------------------------------------------------------------------

def result(flow, *turns_passed):
    conversation = ev.Conversation(id=flow, flow=flow, turns=[])
    turns = [ev.TurnResult(turn=ev.Turn(number=i, good_reply="x"), sent="", reply="r", failures=[] if ok else ["f"])
             for i, ok in enumerate(turns_passed, 1)]
    return ev.ConversationResult(conversation=conversation, turns=turns)


def test_summary_counts_conversations_and_turns_per_flow():
    figures = ev.summarize([result("bill", True, True), result("bill", True, False), result("faq", False)])
    assert figures["conversations"] == {"passed": 1, "total": 3}
    assert figures["turns"] == {"passed": 3, "total": 5}
    assert figures["flows"] == {"bill": {"conversations": {"passed": 1, "total": 2}, "turns": {"passed": 3, "total": 4}},
                                "faq": {"conversations": {"passed": 0, "total": 1}, "turns": {"passed": 0, "total": 1}}}


def measurement(figures, when):
    return {**figures, "path": "tests/data/conversations_dev.yml", "sha256": "ab" * 32, "pinned_today": "2026-11-24",
            "measured_at": when, "code": "2b85f25", "command": "scripts/eval_conversations.py --label x",
            "resets": True}


def test_results_merge_per_label_and_the_section_shows_before_and_after(tmp_path):
    before = ev.summarize([result("bill", True, False), result("faq", True)])
    after = ev.summarize([result("bill", True, True), result("faq", True)])
    ev.save_results("before", {"dev": measurement(before, "2026-11-24T10:00:00+00:00")}, tmp_path)
    ev.save_results("before", {"heldout": measurement(before, "2026-11-24T11:00:00+00:00")}, tmp_path)
    ev.save_results("after", {"dev": measurement(after, "2026-11-25T10:00:00+00:00")}, tmp_path)
    saved = json.loads((tmp_path / "conversations-before.json").read_text(encoding="utf-8"))
    assert set(saved["sets"]) == {"dev", "heldout"}  # the second run kept the first one's set

    section = ev.render_section(ev.load_results(tmp_path))
    rows = [line for line in section.splitlines() if line.startswith("| dev |") or line.startswith("| heldout |")]
    assert rows[0].startswith("| dev | before | 1/2 (50.0%) | 2/3 (66.7%) | 2026-11-24 |")
    assert rows[1].startswith("| dev | after | 2/2 (100.0%) | 3/3 (100.0%) | 2026-11-25 |")
    assert rows[2].startswith("| heldout | before |")
    assert "| flow | before | after |" in section
    assert "| bill | 0/1 · 1/2 | 1/1 · 2/2 |" in section
    assert "`scripts/eval_conversations.py --label x`" in section


def test_the_runner_refuses_invalid_files_and_heldout_reports_in_the_repository(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.yml"
    data = sample_data()
    data["conversations"][1]["id"] = data["conversations"][0]["id"]
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert ev.main(["--set", str(bad), "--no-write"]) == 2
    assert "duplicate id" in capsys.readouterr().err

    monkeypatch.setitem(ev.SETS, "heldout", SAMPLE)
    assert ev.main(["--set", "heldout", "--report", str(ROOT / "report.md"), "--no-write"]) == 2
    assert "refusing to write held-out failures inside the repository" in capsys.readouterr().err
    assert not (ROOT / "report.md").exists()


@pytest.mark.parametrize("name", sorted(ev.SETS))
def test_every_committed_set_loads(name):
    loaded = ev.load_set(ev.SETS[name])
    assert loaded.conversations and loaded.today
    assert all(c.flow in ev.FLOWS for c in loaded.conversations)
