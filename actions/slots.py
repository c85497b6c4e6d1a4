"""What a customer's words mean as the value of a form field: names, phones, addresses, kWh, phases…

Pure functions, no Rasa: the form validators (actions/forms.py) call them with
the latest message, and they are unit-tested on the way customers really write
(with or without diacritics, teencode, separators, full-width digits). Each
``parse_*`` returns the canonical value, or None when the text is not one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Optional, Tuple

from bot.text.codes import CUSTOMER_CODE, PHONE, REQUEST_CODE, canonical_phone, find_codes
from bot.text.vietnamese import fold_diacritics, has_diacritics
from vocabulary import ASSISTANT_CHANGE_TYPES, CHANGE_TYPE_LABELS, PROVINCE_DISTRICTS, PROVINCE_SPELLINGS, PURPOSE_LABELS


def clean(text: Optional[str]) -> str:
    """NFKC (full-width digits and letters become ASCII), single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text or "")).split())


def folded(text: Optional[str]) -> str:
    return fold_diacritics(clean(text)).lower()


def codes_in(text: Optional[str], entity: str) -> List[str]:
    return [match.value for match in find_codes(clean(text)) if match.entity == entity]


# --- questions, commands and small talk are not field values -------------------

# Words that make a message a question (folded, whole words).
_QUESTION_WORDS = re.compile(
    r"\b(gi|j|sao|bao lau|bao gio|bao nhieu|bn|may gio|may ngay|khi nao|luc nao|o dau|the nao|ntn|nhu the nao|"
    r"duoc khong|dc ko|duoc ko|dc k|duoc k|dc hong|co khong|co ko|co bi|co phai|phai khong|chua|khong a|ko a|ko ad|"
    r"khong ad|ha|hả|hong|nhi|what|how|when|why)\b"
)


def is_question(text: Optional[str]) -> bool:
    raw = clean(text)
    return "?" in raw or bool(_QUESTION_WORDS.search(folded(raw)))


# --- person names -------------------------------------------------------------

_NAME_PREFIX = re.compile(
    r"^(?:(?:ho va |ho )?ten(?: day du)?(?: cua)?(?: toi| em| minh| tui| chau| bac| anh| chi| khach hang| nguoi dang ky| chu ho)?"
    r"(?: la| :)?|(?:toi|em|minh|tui|chau|bac|anh|chi) ten(?: la)?|toi la|em la|minh la|tui la|day la|nguoi dang ky la|"
    r"dung ten|ten dung la)\s+",
)
_HONORIFIC = re.compile(r"^(?:anh|chi|em|co|chu|bac|ong|ba|ba con|mr|mrs|ms)\s+")
_TRAILING = re.compile(r"\s+(?:a|nhe|nha|nhen|ak|ah|oi|day|em|nhe em|a em|nha em)$")
# Words no Vietnamese name is made of: with diacritics exactly, and folded only
# where the folded form is not also a name syllable ("huy", "minh", "dung", "bao", "cong" are names).
_NOT_NAME_ACCENTED = {
    "không", "gì", "sao", "bao", "mấy", "đâu", "nào", "hủy", "thôi", "để", "tính", "chào", "cảm", "ơn", "được",
    "nhé", "vâng", "gửi", "điện", "tiền", "hóa", "đơn", "mất", "cúp", "cắt", "muốn", "cần", "hỏi", "giúp",
    "xin", "cho", "với", "của", "là", "tôi", "mình", "rồi", "đã", "sẽ", "đang", "bị", "nhà", "số", "mã", "tháng",
    "biết", "lắp", "đăng", "ký", "công", "tơ", "pha", "ạ", "nha", "nhỉ", "vậy", "thế", "đi", "ok", "oke",
    "có", "phải", "đúng", "sai", "nhầm", "sửa", "hợp", "đồng", "khi", "lúc", "giờ", "ngày", "mai", "nay",
}
_NOT_NAME_FOLDED = {
    "khong", "ko", "k", "gi", "j", "nao", "thoi", "on", "duoc", "dc", "nhe", "muon", "giup", "xin", "cho", "voi", "cua",
    "toi", "roi", "bi", "biet", "lap", "ky", "pha", "vay", "di", "ok", "oke", "phai", "sai", "nham", "sua",
    "dien", "hello", "hi", "alo", "bye", "thanks", "cancel", "ntn", "bn", "hd", "sdt", "dt",
}
_LETTERS = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)?$")
MIN_NAME_SYLLABLES, MAX_NAME_SYLLABLES = 2, 6


# Question particles that are also name syllables when written without accents: "Thu Ha", "Hong", "Nhi".
_NAME_SYLLABLE_PARTICLES = re.compile(r"\b(ha|hong|nhi)\b")
_ACCENTED_PARTICLES = re.compile(r"(?<!\w)(hả|hông|nhỉ|hở)(?!\w)", re.IGNORECASE)


def _asks(raw: str) -> bool:
    """A question, for a text that may be a name: "Nguyen Thi Thu Ha" is a name, "vậy hả" a question."""
    if "?" in raw or _ACCENTED_PARTICLES.search(raw):
        return True
    return bool(_QUESTION_WORDS.search(_NAME_SYLLABLE_PARTICLES.sub(" ", folded(raw))))


def parse_person_name(text: Optional[str]) -> Optional[str]:
    """``tên tôi là nguyễn văn an ạ`` -> ``Nguyễn Văn An``; None for a question, a command, a greeting, a sentence."""
    raw = clean(text).strip(" .,!;:")
    if not raw or _asks(raw) or re.search(r"\d", raw):
        return None
    words = raw.split()
    # Strip the framing ("tên tôi là", "anh", trailing "ạ") on the folded form, keep the customer's spelling.
    fold = folded(raw)
    for pattern in (_NAME_PREFIX, _HONORIFIC):
        match = pattern.match(fold)
        if match:
            cut = len(match.group(0).split())
            words, fold = words[cut:], " ".join(fold.split()[cut:])
    match = _TRAILING.search(fold)
    while match and len(words) > MIN_NAME_SYLLABLES:
        words, fold = words[: -len(match.group(0).split())], fold[: match.start()]
        match = _TRAILING.search(fold)
    if not MIN_NAME_SYLLABLES <= len(words) <= MAX_NAME_SYLLABLES:
        return None
    for word in words:
        if not _LETTERS.match(word):
            return None
        lower = word.lower()
        if lower in _NOT_NAME_ACCENTED if has_diacritics(word) else fold_diacritics(lower) in _NOT_NAME_FOLDED:
            return None
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


_NAME_PIECES = re.compile(r"\s*[,;\n]\s*|\s+(?=(?:sdt|sđt|so dt|số đt|so dien thoai|số điện thoại|dt|đt|dia chi|địa chỉ)\b)",
                          re.IGNORECASE)


def person_name_in(text: Optional[str]) -> Optional[str]:
    """The name in a message that gives more: "ten Nguyen Thi Thu Ha, sdt 0977 123 456" -> "Nguyen Thi Thu Ha"."""
    whole = parse_person_name(text)
    if whole or not text:
        return whole
    pieces = [piece for piece in _NAME_PIECES.split(clean(text)) if piece and piece.strip()]
    if len(pieces) < 2:
        return None
    named = [piece for piece in pieces if _NAME_PREFIX.match(folded(piece.strip(" .,!;:")))]
    for piece in named or pieces[:1]:
        name = parse_person_name(piece)
        if name:
            return name
    return None


def name_syllables(text: Optional[str]) -> int:
    return len(clean(text).split())


# --- phones -------------------------------------------------------------------


def parse_phone(text: Optional[str]) -> Optional[str]:
    """The mobile number in the text (``090.312.3456``, ``+84 903 123 456``, full-width digits) or None."""
    phones = codes_in(text, PHONE)
    if phones:
        return phones[-1]  # "không phải 0903…, đúng là 0912…": the last one given
    return canonical_phone(clean(text)) if re.fullmatch(r"[\d .+\-]{9,16}", clean(text)) else None


def looks_like_a_phone_attempt(text: Optional[str]) -> bool:
    """Digits that were meant as a phone but are not a valid one (``0903 123``, ``12345678901``)."""
    digits = re.sub(r"\D", "", clean(text))
    return len(digits) >= 7 and not codes_in(text, CUSTOMER_CODE) and not codes_in(text, REQUEST_CODE)


# --- addresses ----------------------------------------------------------------

_ADDRESS_WORDS = re.compile(
    r"\b(duong|pho|phuong|xa|quan|huyen|tinh|thanh pho|tp|thi xa|thi tran|thon|ap|khu pho|kp|hem|ngo|ngach|kiet|"
    r"to|so nha|so|chung cu|block|lo|khu|ql|quoc lo|tl|p|q|h)\b"
)
_ADDRESS_PREFIX = re.compile(r"^(?:dia chi(?: nha| lap dat| can cap dien| cap dien)?(?: cua (?:toi|em|minh))?(?: la| :)?|o|tai|nha (?:toi|em|minh) o)\s+")
MIN_ADDRESS_LENGTH = 10
MAX_ADDRESS_LENGTH = 300


def parse_address(text: Optional[str]) -> Optional[str]:
    """A place where electricity is needed: a house number, a street, a ward or a district, not a question."""
    raw = clean(text).strip(" .!;")
    if not raw or "?" in raw:
        return None
    fold = folded(raw)
    match = _ADDRESS_PREFIX.match(fold)
    if match:
        raw = " ".join(raw.split()[len(match.group(0).split()):])
        fold = folded(raw)
    tail = _NOT_ADDRESS_TAIL.search(fold)
    if tail:  # "…, TP.HCM, 1 pha" / "…, sđt 09…": the rest of the message gives other values
        raw, fold = raw[: tail.start()].rstrip(" ,;."), fold[: tail.start()].rstrip(" ,;.")
    if len(raw) < MIN_ADDRESS_LENGTH or codes_in(raw, PHONE):
        return None
    if not (re.search(r"\d", raw) or _ADDRESS_WORDS.search(fold)) or _QUESTION_WORDS.search(fold):
        return None
    return raw[:MAX_ADDRESS_LENGTH]


# Where an address given with other values ends (folded; same offsets as the text).
_NOT_ADDRESS_TAIL = re.compile(r"[,;.]?\s*\b(?:\d\s*pha|mot pha|ba pha|sdt|so dt|so dien thoai|dien thoai|muc dich|"
                               r"sinh hoat|kinh doanh|san xuat)\b")
_HOUSE_NUMBER = re.compile(r"\bso nha\s*(?:la|dung la|:)?\s*(\d+[a-z]?(?:/\d+[a-z]?)*)\b")
_LEADING_NUMBER = re.compile(r"^\s*(?:số\s*|so\s*)?\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*")


def corrected_house_number(text: Optional[str], address: Optional[str]) -> Optional[str]:
    """"số nhà là 58 chứ không phải 56": the address with its house number replaced, or None."""
    match = _HOUSE_NUMBER.search(folded(text))
    if not match or not address or not _LEADING_NUMBER.match(address):
        return None
    return _LEADING_NUMBER.sub(match.group(1).upper(), address, count=1)


# --- provinces ------------------------------------------------------------------

PROVINCES = PROVINCE_SPELLINGS
# Districts that name their province (numbered districts are TP.HCM's only).
DISTRICTS = PROVINCE_DISTRICTS


def province_of(address: Optional[str]) -> str:
    """The province an address names, directly or by a district only it has; empty when none is recognised."""
    fold = " " + re.sub(r"[^a-z0-9 ]", " ", folded(address)) + " "
    for key, name in PROVINCES.items():
        if f" {key} " in fold:
            return name
    for name, districts in DISTRICTS.items():
        if any(re.search(rf"\b{d}\b", fold) for d in districts):
            return name
    return ""


def parse_province(text: Optional[str]) -> Optional[str]:
    """The answer to "which province?": a known one, or a short place name as written."""
    known = province_of(text)
    if known:
        return known
    raw = clean(text).strip(" .!")
    raw = re.sub(r"(?i)^(tỉnh|tinh|thành phố|thanh pho|tp\.?)\s+", "", raw)
    if not raw or is_question(raw) or re.search(r"\d", raw) or not 2 <= len(raw) <= 40 or len(raw.split()) > 4:
        return None
    return raw[:1].upper() + raw[1:]


# --- choices --------------------------------------------------------------------

def _words_only(text: Optional[str]) -> str:
    """Folded words between spaces, punctuation and underscores dropped: `` cho nha o ``."""
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", folded(text)).split()) + " "


PURPOSES = PURPOSE_LABELS
PURPOSE_WORDS: Dict[str, Tuple[str, ...]] = {
    "sinh_hoat": ("sinh hoat", "gia dinh", "ho gia dinh", "nha o", "de o", "o thoi", "dung trong nha", "residential", "household"),
    "kinh_doanh": ("kinh doanh", "buon ban", "ban hang", "cua hang", "quan an", "mo quan", "quan cafe", "van phong",
                   "shop", "cho thue", "business", "nha hang", "khach san", "tiem"),
    "san_xuat": ("san xuat", "xuong", "nha may", "may moc", "co khi", "che bien", "production", "factory"),
}


def parse_purpose(text: Optional[str]) -> Optional[str]:
    """``sinh_hoat``, ``kinh_doanh`` or ``san_xuat`` from a button payload or the customer's words."""
    fold = _words_only(text)
    found = [key for key, words in PURPOSE_WORDS.items() if any(f" {w} " in fold for w in words)]
    if not found:  # the label itself: "sinh hoạt" is stored in the slot
        found = [key for key, label in PURPOSES.items() if f" {folded(label)} " in fold]
    return found[0] if len(found) == 1 else None


def parse_phases(text: Optional[str], bare_number: bool = False) -> Optional[str]:
    """``3 pha``, ``ba pha``, ``pha 3``, ``1 phase`` -> ``"3"``; a bare ``1``/``3`` only when ``bare_number``."""
    fold = folded(text)
    match = re.search(r"\b(1|3|mot|ba)\s*(?:pha|phase|fa)\b|\b(?:pha|phase)\s*(1|3|mot|ba)\b", fold)
    if match:
        word = match.group(1) or match.group(2)
        return {"mot": "1", "ba": "3"}.get(word, word)
    if bare_number:
        bare = re.fullmatch(r"(?:cong to |loai )?(1|3|mot|ba)(?: a| nhe| nha)?", fold)
        if bare:
            return {"mot": "1", "ba": "3"}.get(bare.group(1), bare.group(1))
    return None


CHANGE_TYPES = {kind: CHANGE_TYPE_LABELS[kind] for kind in ASSISTANT_CHANGE_TYPES}
CHANGE_WORDS = {
    "sang_ten": ("sang ten", "doi ten", "chuyen ten", "ten chu hop dong", "chu moi", "mua nha"),
    "doi_thong_tin": ("thong tin lien he", "doi so dien thoai", "doi sdt", "so dien thoai", "email", "doi so dt"),
    "doi_muc_dich": ("muc dich", "sang kinh doanh", "chuyen sang kinh doanh"),
    "dinh_muc": ("dinh muc", "so ho", "nhan khau", "so nguoi", "thue tro", "tam tru"),
    "tang_cong_suat": ("cong suat", "tang cong suat", "len 3 pha", "nang pha"),
    "cham_dut": ("cham dut", "thanh ly", "huy hop dong", "ngung hop dong", "cat hop dong"),
}


def change_type_of(text: Optional[str]) -> Optional[str]:
    """The kind of contract change the customer names (a button payload or their own words)."""
    fold = _words_only(text)
    found = [key for key, words in CHANGE_WORDS.items() if any(f" {w} " in fold for w in words)]
    if not found:  # the label itself, as stored in the slot
        found = [key for key, label in CHANGE_TYPES.items() if f" {folded(label)} " in fold]
    return found[0] if len(found) == 1 else None


# --- amounts of electricity -------------------------------------------------------

_UNITS = r"(?:kwh|kw|kwh|kw h|so dien|so|ky dien|ky|ki|k wh|chu|dien)"
# Numbers that are something else: months, days, people, phases, money…
_NOT_KWH_AFTER = re.compile(
    r"^\s*(?:thang|ngay|nam|tuan|nguoi|nhan khau|ho|pha|lan|gio|tieng|phut|tuoi|trieu|nghin|ngan|tr|k\b|d\b|dong|vnd|%|phong|can|cong to|cai|dong ho|may)"
)
_NUMBER = re.compile(r"(?<![\w.,\-])\d{1,3}(?:[.,]\d{3})+(?!\d)|(?<![\w.,\-])\d+(?:[.,]\d+)?(?!\d)")
_DIGIT_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9}
MAX_KWH = 100_000


def _words_to_number(fold: str) -> Optional[Tuple[int, int]]:
    """``hai tram ruoi`` -> 250, ``mot nghin hai`` -> 1200, with the span's end; None when no such number."""
    match = re.search(
        r"\b(?:(mot|hai|ba|bon|nam|sau|bay|tam|chin) (nghin|ngan)(?: (mot|hai|ba|bon|nam|sau|bay|tam|chin)(?: tram)?)?)"
        r"|\b(mot|hai|ba|bon|nam|sau|bay|tam|chin) tram(?: (ruoi)|(?: (mot|hai|ba|bon|nam|sau|bay|tam|chin) muoi)"
        r"(?: (mot|hai|ba|bon|lam|nam|sau|bay|tam|chin))?| (linh|le) (mot|hai|ba|bon|nam|sau|bay|tam|chin))?\b", fold)
    if not match:
        return None
    g = match.groups()
    if g[0]:
        value = _DIGIT_WORDS[g[0]] * 1000 + (_DIGIT_WORDS[g[2]] * 100 if g[2] else 0)
    else:
        value = _DIGIT_WORDS[g[3]] * 100
        if g[4]:
            value += 50
        elif g[5]:
            value += _DIGIT_WORDS[g[5]] * 10 + (_DIGIT_WORDS[g[6]] if g[6] else 0)
        elif g[8]:
            value += _DIGIT_WORDS[g[8]]
    return value, match.end()


def parse_kwh(text: Optional[str]) -> Optional[int]:
    """The kWh in ``xài 200 ký điện 1 tháng`` (200, never the month), ``1.500 kWh``, ``hai trăm số``, ``150``."""
    fold = folded(text)
    if not fold:
        return None
    candidates: List[Tuple[bool, int]] = []  # (has a kWh unit, value)
    for match in _NUMBER.finditer(fold):
        raw, after = match.group(0), fold[match.end():]
        if _NOT_KWH_AFTER.match(after) or re.match(r"^\s*[/\-]\s*\d", after):
            continue
        before = fold[: match.start()]
        if re.search(r"\b(?:thang|t|ky|nam|ngay|bac|(?<!cong )to|so nha|hem|ngo|quan|q|phuong|p)\s*$", before):
            continue  # "tháng 10", "bậc 3", "quận 7"
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            number = float(raw.replace(".", "").replace(",", ""))
        else:
            number = float(raw.replace(",", "."))
        has_unit = bool(re.match(r"^\s*" + _UNITS + r"\b", after))
        candidates.append((has_unit, int(round(number))))
    worded = _words_to_number(fold)
    if worded:
        value, end = worded
        if not _NOT_KWH_AFTER.match(fold[end:]):
            candidates.append((bool(re.match(r"^\s*" + _UNITS + r"\b", fold[end:])), value))
    with_unit = [value for has_unit, value in candidates if has_unit]
    if with_unit:
        return with_unit[0]
    return candidates[0][1] if len(candidates) == 1 else None


_TENANTS = re.compile(r"\b(\d{1,3})\s*(?:nguoi|sinh vien|ban|nhan khau)\s*(?:thue|o tro|tro|tam tru|o ghep)\b"
                      r"|\b(?:thue|tro)\s*(?:nha\s*)?(?:co\s*)?(\d{1,3})\s*(?:nguoi|sinh vien)\b")
_HOUSEHOLDS = re.compile(r"\b(\d{1,2})\s*(?:ho|gia dinh)\b(?!\s*(?:so|chieu))")
PEOPLE_PER_QUOTA = 4  # tenants with a residence registration: 4 people count as one household


def households_of(text: Optional[str]) -> Optional[int]:
    """The quota households a message states: ``8 người thuê`` -> 2 (one per 4 tenants), ``2 hộ`` -> 2."""
    fold = folded(text)
    tenants = _TENANTS.search(fold)
    if tenants:
        people = int(tenants.group(1) or tenants.group(2))
        return max(1, -(-people // PEOPLE_PER_QUOTA)) if people else None
    households = _HOUSEHOLDS.search(fold)
    return int(households.group(1)) if households and 0 < int(households.group(1)) <= 20 else None


# --- corrections ----------------------------------------------------------------

_CORRECTION = re.compile(
    r"\b(sai|nham|sua|sua lai|doi lai|doi|khoan|khong phai|ko phai|k phai|dung ra|dung la|chinh xac la|ghi lai|lon|wrong|correct)\b"
)
# Which field a correction names.
FIELD_WORDS: Dict[str, re.Pattern] = {
    "person_name": re.compile(r"\b(ten|ho ten|ho va ten|nguoi dung ten|name)\b"),
    "phone": re.compile(r"\b(so dien thoai|sdt|so dt|dien thoai|dt|so phone|phone|so lien he|so di dong)\b"),
    "connection_address": re.compile(r"\b(dia chi|so nha|duong|address|cho lap|noi lap)\b"),
    "connection_purpose": re.compile(r"\b(muc dich|kinh doanh|sinh hoat|san xuat)\b"),
    "phases": re.compile(r"\b(pha|phase)\b"),
}


def is_correction(text: Optional[str]) -> bool:
    return bool(_CORRECTION.search(folded(text)))


def value_after_field_word(text: Optional[str], field: str) -> Optional[str]:
    """``sai rồi, tên là Nguyễn Văn Bình`` -> ``Nguyễn Văn Bình`` for ``person_name``: the words after the field's name."""
    raw = clean(text)
    fold = fold_diacritics(raw).lower()  # same length as raw: offsets carry over
    matches = list(FIELD_WORDS[field].finditer(fold))
    if not matches:
        return None
    rest = raw[matches[-1].end():]
    rest = re.sub(r"^\s*(?:(?:của|cua) (?:tôi|toi|em|mình|minh))?\s*(?:mới|moi|đúng|dung)?\s*(?:là|la|:|=)?\s*", "", rest,
                  flags=re.IGNORECASE)
    return rest.strip(" .,!") or None
