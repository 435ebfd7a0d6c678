"""Vietnamese text: folding for search without diacritics, and alphabetical sort keys.

People type "nguyen thi hoa" and expect "Nguyễn Thị Hoa"; text pasted from other keyboards arrives
in NFC or NFD. Everything that is searched is stored folded (``fold``) next to the original, and
everything that is listed in alphabetical order carries a ``vi_sort_key``.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """NFC, single spaces, trimmed. The form every name is stored in."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text: str | None) -> str:
    """Lower-case ASCII without diacritics: 'Đăk Mar' -> 'dak mar'. NFC and NFD give the same result."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


# The Vietnamese alphabet (the base letters with their letter-forming marks), in dictionary order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
# Tones in dictionary order: none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_COMPOSE_BASE = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}


def _letters(text: str):
    """Yield (letter, tone) for each base character of ``text``, lower-cased."""
    for ch in unicodedata.normalize("NFC", text.lower()):
        if ch == "đ":
            yield "đ", 0
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = 0
        for m in marks:
            if m in _LETTER_MARKS:
                base = _COMPOSE_BASE.get((base, _LETTER_MARKS[m]), base)
            elif m in _TONES:
                tone = _TONES[m]
        yield base, tone


def vi_sort_key(text: str | None) -> str:
    """A string whose binary order is Vietnamese dictionary order, syllable by syllable.

    Each word (syllable) compares by its letters in the Vietnamese alphabet (a ă â b c d đ e ê …),
    then by its tone (none, huyền, hỏi, ngã, sắc, nặng), before the next word is looked at — so
    "Hoa Trần" < "Hoà An" < "Hoàn" and "An" < "Anh" < "Ân" < "Bình", "a" < "à" < "ả" < "ã" < "á" < "ạ".
    A word's key is its letters (``A``… for the alphabet, digits as digits, anything else by code
    point after them) followed by one tone mark (``"`` … ``'``, below every letter and digit, so a
    shorter word sorts first); words are joined by ``!``, below the tone marks. The key of a phrase
    is therefore the keys of its words joined by ``!`` (importers compose it from cached words).
    """
    if not text:
        return ""
    return "!".join(_word_key(w) for w in normalize(text).split(" "))


def _word_key(word: str) -> str:
    out: list[str] = []
    tone = 0
    for letter, t in _letters(word):
        idx = _ALPHABET.find(letter)
        if idx >= 0:
            out.append(chr(0x41 + idx))  # 'A'.. : above the digits and the marks
        elif letter.isdigit():
            out.append(chr(0x30 + int(letter)) if letter.isascii() else letter)
        else:
            out.append(chr(0x7B) + letter)
        if t and not tone:
            tone = t
    out.append(chr(0x22 + tone))
    return "".join(out)


def vi_name_sort_key(full_name: str | None) -> str:
    """Sort key for a person's name the way Vietnamese lists do: given name, then the family and middle names."""
    name = normalize(full_name)
    if not name:
        return ""
    parts = name.split(" ")
    return vi_sort_key(" ".join([parts[-1], *parts[:-1]]))
