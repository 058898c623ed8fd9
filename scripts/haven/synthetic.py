"""Synthetic directories for benchmarks and scale tests.

Two shapes:

- ``service(i, languages)``: a tidy record with predictable texts ("Support Service QB (en)"),
  for tests that need to find a service's name on a page or in a PDF.
- ``realistic_service(i, places)`` and ``make_directory``: records shaped like a real national
  directory's, so that a benchmark pays what a real guide pays. Real directories list local
  programmes beside the national hotline they all share, chapters of one organisation share
  its website, about 40% of translatable texts are left in English, descriptions run from
  30 to 300 words, and services cover many places (states and nations, and their parts) and
  every kind of help. Rights and reporting routes grow with the places.

Everything is made from ``random.Random`` seeded by the record's number: the same ``i``
always gives the same record, so a benchmark run can be repeated.
"""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path
from typing import Any

import pycountry
import yaml

LANGUAGES = ("en", "es", "zh", "vi", "ar")
_REGIONS = ("US", "US-CA", "US-NY", "GB", "GB-ENG")
_SUPPORT = ("crisis-line", "counselling", "legal-advocacy", "housing-shelter", "financial-help")
_VICTIM = ("sexual-assault", "domestic-violence", "stalking", "all-crime")


def label(i: int) -> str:
    """A service's distinguishing word, in letters: a number in a name would read as a
    phone number ("Support Service 112"), which the validator rightly refuses."""
    letters = ""
    while True:
        i, rest = divmod(i, 26)
        letters = chr(ord("A") + rest) + letters
        if i == 0:
            return "Q" + letters


def _text(words: str, languages: tuple[str, ...], i: int) -> dict[str, str]:
    return {lang: f"{words} {label(i)} ({lang})" for lang in languages}


SHARED_HOTLINE = "+18007997233"
"""The number every service lists with ``shared=True``, as local programs list a national
hotline beside their own."""


def service(i: int, languages: tuple[str, ...], shared: bool = False) -> dict[str, object]:
    """A tidy record: every text translated, short and predictable, one unique number."""
    record: dict[str, object] = {
        "id": f"service-{i:05d}",
        "name": _text("Support Service", languages, i),
        "organization": {"name": _text("Organization", languages, i),
                         "kind": "community-nonprofit"},
        "description": _text("Free and confidential help for people affected by crime.",
                             languages, i),
        "support_types": [_SUPPORT[i % len(_SUPPORT)], _SUPPORT[(i + 2) % len(_SUPPORT)]],
        "victimization_types": [_VICTIM[i % len(_VICTIM)]],
        "service_areas": [_REGIONS[i % len(_REGIONS)]],
        "phones": [{"number": f"+1212555{i % 10000:04d}", "type": "voice",
                    "hours": {"always_open": True}}],
        "url": f"https://synthetic.test/services/{i}",
        "hours": {"schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                                "opens_at": "09:00", "closes_at": "17:00"}]},
        "languages": ["en", "es"],
        "cost": "free",
        "anonymous_contact": i % 2 == 0,
        "confidential_location": True,
        "eligibility": _text("Anyone aged 13 or over.", languages, i),
        "status": "active",
        "source": f"https://synthetic.test/services/{i}/about",
        "verification": {"date": "2026-10-01", "method": "desk-review"},
    }
    if shared:
        record["phones"] = [*record["phones"],  # type: ignore[misc]
                            {"number": SHARED_HOTLINE, "type": "voice",
                             "hours": {"always_open": True}}]
    return record


# --- Realistic records -------------------------------------------------------------------

SUPPORT_TYPES = ("crisis-line", "counselling", "support-group", "legal-advocacy",
                 "court-accompaniment", "medical-forensic-care", "housing-shelter",
                 "financial-help", "safety-planning", "information-referral")
VICTIMIZATION_TYPES = ("sexual-assault", "domestic-violence", "child-abuse", "stalking",
                       "trafficking", "hate-crime", "homicide-bereavement", "suicide-crisis",
                       "all-crime")
RIGHT_CATEGORIES = ("to-be-informed", "to-be-present", "to-be-heard", "to-protection",
                    "to-privacy", "to-compensation", "to-fair-treatment", "to-housing-and-work")
TRANSLATED = 0.6
"""The share of translatable texts given in each other language (the rest fall back to
English), as in real directories where about 40% of texts are never translated."""

# Words in each language, for texts that read like prose to Markdown, Pagefind's word
# splitting (Chinese has no spaces) and text shaping, and that hold no fact the validator
# would check (no digits, no month names, no addresses).
_WORDS = {
    "en": ("free", "confidential", "support", "for", "people", "affected", "by", "crime",
           "and", "their", "families", "we", "listen", "help", "you", "plan", "next", "steps",
           "trained", "advocates", "can", "go", "with", "to", "court", "hospital", "police",
           "safety", "planning", "housing", "counselling", "groups", "children", "young",
           "adults", "older", "neighbours", "community", "language", "interpreters",
           "available", "private", "respectful", "without", "judgement", "any", "time",
           "local", "services", "referral", "legal", "information", "advice", "shelter",
           "emergency", "practical", "emotional", "recovery", "rights", "options"),
    "es": ("apoyo", "gratuito", "confidencial", "para", "personas", "afectadas", "por", "el",
           "delito", "y", "sus", "familias", "escuchamos", "ayudamos", "a", "planear", "los",
           "próximos", "pasos", "defensores", "capacitados", "pueden", "acompañarle", "al",
           "tribunal", "hospital", "policía", "seguridad", "vivienda", "orientación", "grupos",
           "niños", "jóvenes", "adultos", "mayores", "comunidad", "idioma", "intérpretes",
           "disponible", "privado", "respeto", "sin", "juicios", "en", "cualquier",
           "momento", "servicios", "locales", "derivación", "información", "legal", "consejo",
           "refugio", "emergencia", "práctico", "emocional", "recuperación", "derechos",
           "opciones"),
    "zh": ("免费", "保密", "支持", "帮助", "受害人", "家人", "倾听", "计划", "下一步",
           "培训", "援助人员", "陪同", "法院", "医院", "警方", "安全", "住房", "心理辅导",
           "小组", "儿童", "青少年", "成年人", "老年人", "社区", "语言", "口译", "提供",
           "私密", "尊重", "随时", "当地", "服务", "转介", "法律", "信息", "建议", "庇护所",
           "紧急", "实际", "情感", "康复", "权利", "选择", "我们", "您", "可以", "和", "的"),
    "vi": ("hỗ", "trợ", "miễn", "phí", "bảo", "mật", "cho", "người", "bị", "ảnh", "hưởng",
           "tội", "phạm", "và", "gia", "đình", "chúng", "tôi", "lắng", "nghe", "giúp", "bạn",
           "lên", "kế", "hoạch", "bước", "tiếp", "theo", "nhân", "viên", "có", "thể", "đi",
           "cùng", "tòa", "án", "bệnh", "viện", "cảnh", "sát", "an", "toàn", "nhà", "ở",
           "tư", "vấn", "nhóm", "trẻ", "em", "cộng", "đồng", "ngôn", "ngữ", "thông", "dịch",
           "pháp", "lý", "quyền", "lựa", "chọn"),
    "ar": ("دعم", "مجاني", "وسري", "للأشخاص", "المتضررين", "من", "الجريمة", "وعائلاتهم",
           "نستمع", "إليك", "ونساعدك", "على", "التخطيط", "للخطوات", "التالية", "مناصرون",
           "مدربون", "يمكنهم", "مرافقتك", "إلى", "المحكمة", "المستشفى", "الشرطة", "السلامة",
           "السكن", "الإرشاد", "مجموعات", "الأطفال", "الشباب", "كبار", "السن", "المجتمع",
           "اللغة", "مترجمون", "متاح", "خاص", "باحترام", "دون", "أحكام", "في", "أي", "وقت",
           "خدمات", "محلية", "إحالة", "معلومات", "قانونية", "نصيحة", "مأوى", "طوارئ",
           "عملي", "عاطفي", "التعافي", "الحقوق", "الخيارات"),
}
_STOP = {"zh": "。", "ar": ".", "en": ".", "es": ".", "vi": "."}
_NAME_WORDS = ("Harbour", "Beacon", "Bridge", "Willow", "Lantern", "Compass", "Haven",
               "Meadow", "Anchor", "Horizon", "Cedar", "Riverside", "Northgate", "Oak")
_NAME_KINDS = ("Advocacy Centre", "Support Line", "Crisis Service", "Family Project",
               "Survivors' Network", "Legal Clinic", "Outreach Team", "Refuge")
_US_AREAS = ("212", "213", "305", "312", "404", "415", "503", "512", "602", "617", "702",
             "713", "720", "801", "808", "907", "919", "971", "206", "215")
_GB_AREAS = ("20 7946", "113 496", "114 496", "116 496", "117 496", "118 496",
             "121 496", "131 496", "141 496", "151 496", "161 496", "191 498")
"""Ofcom's ranges for drama (UK) and the 555 exchange (US): valid numbers, nobody's line."""


def places(count: int = 50) -> list[dict[str, Any]]:
    """``count`` places: the US and the UK, their nations, and US states in code order."""
    nations = sorted(s.code for s in pycountry.subdivisions.get(country_code="GB")
                     if s.type == "Country")
    states = sorted(s.code for s in pycountry.subdivisions.get(country_code="US")
                    if s.type == "State")
    codes = ["US", "GB", *nations, *states][:count]
    return [{"code": c, "emergency_number": "911" if c.startswith("US") else "999"}
            for c in codes]


def _prose(rng: random.Random, lang: str, words: int) -> str:
    vocabulary = _WORDS[lang]
    sentences, left = [], words
    while left > 0:
        size = min(left, rng.randint(6, 16))
        chosen = [rng.choice(vocabulary) for _ in range(size)]
        joiner = "" if lang == "zh" else " "
        sentence = joiner.join(chosen)
        sentences.append(sentence[:1].upper() + sentence[1:] + _STOP[lang])
        left -= size
    return ("" if lang == "zh" else " ").join(sentences)


def _translatable(rng: random.Random, english: str, make: Any) -> dict[str, str]:
    """English always; each other language with probability TRANSLATED."""
    text = {"en": english}
    for lang in LANGUAGES[1:]:
        if rng.random() < TRANSLATED:
            text[lang] = make(lang)
    return text


def _number(rng: random.Random, country: str, i: int) -> str:
    if country == "US":
        return f"+1{_US_AREAS[i % len(_US_AREAS)]}555{(i // len(_US_AREAS)) % 10000:04d}"
    area = _GB_AREAS[i % len(_GB_AREAS)].replace(" ", "")
    return f"+44{area}0{(i // len(_GB_AREAS)) % 1000:03d}"


def national_hotlines(country: str) -> tuple[str, ...]:
    """The few national numbers that local services list beside their own."""
    if country == "US":
        return ("+18005550190", "+18885550191", "+18775550192", "+18665550193")
    return ("+448081234560", "+448081234561", "+448002345670")


def realistic_service(i: int, regions: list[dict[str, Any]]) -> dict[str, Any]:
    """Record ``i`` of a national directory over ``regions`` (see the module's docstring)."""
    rng = random.Random(i)
    codes = [r["code"] for r in regions]
    national = rng.random() < 0.08
    area = rng.choice([c for c in codes if "-" not in c] if national
                      else [c for c in codes if "-" in c] or codes)
    country = area.split("-")[0]
    name = f"{rng.choice(_NAME_WORDS)} {rng.choice(_NAME_KINDS)} {label(i)}"
    organisation = i // 20  # chapters of one organisation share its website
    site = f"https://org-{label(organisation).lower()}.synthetic.test"
    own_site = rng.random() < 0.7
    url = f"{site}/services/{label(i).lower()}" if own_site else site
    phones: list[dict[str, Any]] = [{"number": _number(rng, country, i), "type": "voice"}]
    if rng.random() < 0.5:
        phones.append({"number": rng.choice(national_hotlines(country)), "type": "voice",
                       "hours": {"always_open": True}})
    open_always = rng.random() < 0.15
    phones[0]["hours"] = ({"always_open": True} if open_always else
                          {"schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                                         "opens_at": "09:00", "closes_at": "17:00"}]})
    description_words = rng.randint(30, 300)
    record: dict[str, Any] = {
        "id": f"service-{i:05d}",
        "name": _translatable(rng, name, lambda lang: f"{name} ({lang})"),
        "organization": {"name": _translatable(
                             rng, f"Organisation {label(organisation)}",
                             lambda lang: f"Organisation {label(organisation)} ({lang})"),
                         "kind": rng.choice(("community-nonprofit", "national-advocacy",
                                             "government-agency")),
                         "url": site},
        "description": _translatable(
            rng, _prose(rng, "en", description_words),
            lambda lang: _prose(rng, lang, description_words)),
        "support_types": rng.sample(SUPPORT_TYPES, rng.randint(1, 3)),
        "victimization_types": rng.sample(VICTIMIZATION_TYPES, rng.randint(1, 2)),
        "service_areas": [area],
        "phones": phones,
        "url": url,
        "hours": copy.deepcopy(phones[0]["hours"]),
        "languages": ["en", *rng.sample(LANGUAGES[1:], rng.randint(0, 2))],
        "cost": rng.choice(("free", "free", "free", "sliding-scale")),
        "anonymous_contact": rng.random() < 0.5,
        "confidential_location": True,
        "status": "active",
        "source": url,
        "verification": {"date": f"2026-{rng.randint(6, 11):02d}-{rng.randint(1, 28):02d}",
                         "method": "desk-review"},
    }
    if rng.random() < 0.5:
        record["eligibility"] = _translatable(rng, _prose(rng, "en", rng.randint(6, 20)),
                                              lambda lang: _prose(rng, lang, 12))
    return record


def _right(place: str, n: int) -> dict[str, Any]:
    rng = random.Random(f"right-{place}-{n}")
    words = rng.randint(40, 120)
    return {
        "id": f"right-{place.lower()}-{label(n).lower()}",
        "title": _translatable(rng, f"Right {label(n)} in {place}",
                               lambda lang: f"Right {label(n)} in {place} ({lang})"),
        "jurisdiction": place,
        "category": RIGHT_CATEGORIES[n % len(RIGHT_CATEGORIES)],
        "summary": _translatable(rng, _prose(rng, "en", words),
                                 lambda lang: _prose(rng, lang, words)),
        "how_to_use": _translatable(rng, _prose(rng, "en", words // 2),
                                    lambda lang: _prose(rng, lang, words // 2)),
        "citation": f"Synthetic Victims Code {place} section {label(n)}",
        "source": f"https://law.synthetic.test/{place.lower()}",
        "verification": {"date": "2026-10-01", "method": "desk-review"},
    }


def _route(place: str, n: int) -> dict[str, Any]:
    rng = random.Random(f"route-{place}-{n}")
    step = lambda lang: _prose(rng, lang, rng.randint(10, 30))  # noqa: E731
    return {
        "id": f"route-{place.lower()}-{label(n).lower()}",
        "title": _translatable(rng, f"Report online in {place} {label(n)}",
                               lambda lang: f"Report online in {place} {label(n)} ({lang})"),
        "kind": ("online-report", "police", "campus-or-workplace")[n % 3],
        "jurisdiction": place,
        "anonymous": n % 2 == 0,
        "steps": [_translatable(rng, step("en"), step) for _ in range(rng.randint(2, 4))],
        "what_happens_next": _translatable(rng, step("en"), step),
        "url": f"https://report.synthetic.test/{place.lower()}/{label(n).lower()}",
        "source": f"https://report.synthetic.test/{place.lower()}",
        "verification": {"date": "2026-10-01", "method": "desk-review"},
    }


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""LibYAML's writer when PyYAML has it: fifteen thousand records in seconds, not a minute."""


def _write(folder: Path, record: dict[str, Any]) -> None:
    text = yaml.dump(record, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    (folder / f"{record['id']}.yaml").write_text(text, encoding="utf-8")


def make_directory(target: Path, shipped: Path, count: int,
                   languages: tuple[str, ...] = LANGUAGES, shared: bool = False,
                   realistic: bool = True, place_count: int = 50) -> Path:
    """Write a directory folder with the shipped schemas and vocabularies and ``count`` services.

    ``realistic`` (the default): ``realistic_service`` records over ``place_count`` places,
    with three rights and two reporting routes per place beside the shipped ones. Otherwise
    tidy ``service`` records in ``languages`` over the shipped places; ``shared``: each also
    lists one national hotline (SHARED_HOTLINE).
    """
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(shipped, target, ignore=shutil.ignore_patterns("services"))
    (target / "services").mkdir()
    if not realistic:
        for i in range(count):
            _write(target / "services", service(i, languages, shared))
        return target
    regions = places(place_count)
    shipped_codes = {r["code"] for r in yaml.safe_load(
        (shipped / "regions.yaml").read_text(encoding="utf-8"))["regions"]}
    header = "# Synthetic places for a benchmark: the shipped ones and more.\n"
    kept = [r for r in yaml.safe_load((shipped / "regions.yaml").read_text(
        encoding="utf-8"))["regions"]]
    regions_out = kept + [r for r in regions if r["code"] not in shipped_codes]
    (target / "regions.yaml").write_text(header + yaml.safe_dump(
        {"regions": regions_out}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for i in range(count):
        _write(target / "services", realistic_service(i, regions_out))
    for region in regions_out:
        for n in range(3):
            _write(target / "rights", _right(region["code"], n))
        for n in range(2):
            _write(target / "reporting", _route(region["code"], n))
    return target
