"""The 39 ARPAbet phonemes of General American English: IPA, class, and an articulation tip for each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phoneme:
    arpabet: str
    ipa: str
    vowel: bool
    example: str
    tip: str


_TABLE: tuple[Phoneme, ...] = (
    Phoneme("AA", "ɑ", True, "father", "Open the mouth wide, tongue low and back, lips relaxed."),
    Phoneme("AE", "æ", True, "cat", "Drop the jaw and spread the lips; tongue low and front, longer than /ɛ/."),
    Phoneme("AH", "ʌ", True, "cup", "Short, relaxed, central vowel; jaw half open, lips neutral."),
    Phoneme("AO", "ɔ", True, "thought", "Round the lips slightly, tongue low and back; hold it a little longer."),
    Phoneme("AW", "aʊ", True, "now", "Glide from an open /a/ to rounded lips /ʊ/ in one syllable."),
    Phoneme("AY", "aɪ", True, "my", "Glide from an open /a/ up to /ɪ/; start with the jaw open."),
    Phoneme("EH", "ɛ", True, "bed", "Jaw half open, tongue front and mid; keep it short and do not glide."),
    Phoneme("ER", "ɝ", True, "bird", "Curl or bunch the tongue for r-colouring throughout the vowel."),
    Phoneme("EY", "eɪ", True, "day", "Start at /e/ and glide up towards /ɪ/; smile slightly."),
    Phoneme("IH", "ɪ", True, "sit", "Short and lax: tongue high-front but relaxed, not the long /i/ of 'seat'."),
    Phoneme("IY", "i", True, "see", "Long and tense: spread the lips, tongue high and front."),
    Phoneme("OW", "oʊ", True, "go", "Start mid-back and round the lips more as you glide to /ʊ/."),
    Phoneme("OY", "ɔɪ", True, "boy", "Start with rounded /ɔ/ and glide to /ɪ/."),
    Phoneme("UH", "ʊ", True, "book", "Short and lax; lips loosely rounded, tongue high-back but relaxed."),
    Phoneme("UW", "u", True, "food", "Long and tense; round and push the lips forward, tongue high and back."),
    Phoneme("B", "b", False, "bat", "Close both lips and release with voice; the vocal folds vibrate."),
    Phoneme("CH", "tʃ", False, "church", "Start as /t/ with the tongue behind the ridge and release into /ʃ/."),
    Phoneme("D", "d", False, "dog", "Tongue tip on the ridge behind the upper teeth; release with voice."),
    Phoneme("DH", "ð", False, "this", "Tongue tip lightly between the teeth, voiced: feel the buzz; not /d/ or /z/."),
    Phoneme("F", "f", False, "fan", "Upper teeth on the lower lip, blow air without voice."),
    Phoneme("G", "g", False, "go", "Back of the tongue against the soft palate; release with voice."),
    Phoneme("HH", "h", False, "hat", "A soft breath from the throat; no friction in the mouth."),
    Phoneme("JH", "dʒ", False, "judge", "Voiced version of /tʃ/: start as /d/ and release into /ʒ/."),
    Phoneme("K", "k", False, "cat", "Back of the tongue on the soft palate; release with a puff of air."),
    Phoneme("L", "l", False, "leg", "Tongue tip on the ridge behind the upper teeth, air flows round the sides."),
    Phoneme("M", "m", False, "man", "Close the lips and hum through the nose."),
    Phoneme("N", "n", False, "no", "Tongue tip on the ridge, air through the nose; do not drop it at word end."),
    Phoneme("NG", "ŋ", False, "sing", "Back of the tongue on the soft palate, air through the nose; no /g/ after it."),
    Phoneme("P", "p", False, "pen", "Close the lips and release with a strong puff of air (aspiration)."),
    Phoneme("R", "ɹ", False, "red", "Curl the tongue tip back without touching the roof; round the lips a little."),
    Phoneme("S", "s", False, "sun", "Tongue tip near the ridge, a narrow groove, a sharp hiss without voice."),
    Phoneme("SH", "ʃ", False, "she", "Tongue further back than /s/, lips rounded and pushed forward."),
    Phoneme("T", "t", False, "top", "Tongue tip on the ridge; release with a puff of air."),
    Phoneme("TH", "θ", False, "think", "Tongue tip lightly between the teeth and blow without voice; not /s/ or /t/."),
    Phoneme("V", "v", False, "van", "Upper teeth on the lower lip with voice; not /w/ or /b/."),
    Phoneme("W", "w", False, "we", "Round the lips tightly, then open into the vowel; no teeth on the lip."),
    Phoneme("Y", "j", False, "yes", "Tongue high and front as for /i/, then glide into the vowel."),
    Phoneme("Z", "z", False, "zoo", "Like /s/ but with voice: feel the buzz in the throat."),
    Phoneme("ZH", "ʒ", False, "vision", "Like /ʃ/ but with voice."),
)

PHONEMES: dict[str, Phoneme] = {p.arpabet: p for p in _TABLE}
ARPABET: tuple[str, ...] = tuple(p.arpabet for p in _TABLE)


def base_phone(arpabet: str) -> str:
    """'IH1' -> 'IH': pocketsphinx's dictionary and acoustic model carry no stress."""
    return arpabet.rstrip("012").upper()


def to_ipa(arpabet: str) -> str:
    phone = PHONEMES.get(base_phone(arpabet))
    return phone.ipa if phone else arpabet.lower()


def is_vowel(arpabet: str) -> bool:
    phone = PHONEMES.get(base_phone(arpabet))
    return bool(phone and phone.vowel)


def articulation_tip(arpabet: str) -> str | None:
    phone = PHONEMES.get(base_phone(arpabet))
    return f"/{phone.ipa}/ as in '{phone.example}': {phone.tip}" if phone else None
