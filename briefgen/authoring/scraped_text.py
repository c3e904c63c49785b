"""Pure: the story in text scraped from a news page, without the page around it.

A scraped page is the story's paragraphs with the site around them: menus, share buttons,
photo credits, the byline and date, "Related" blocks, ads, cookie notices, comments and the
footer. Each line is read for what it is; the date, author and publication are taken from
the lines that give them; the title is the first headline-like line; the story runs from the
first paragraph after it to where the page turns to something else (comments, the footer),
and within it every line that is not story text is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

# Lines that are a site's furniture, whatever page they are on (compared lower-case,
# without punctuation).
_FURNITURE = {
    "home",
    "news",
    "world",
    "business",
    "sport",
    "sports",
    "politics",
    "opinion",
    "culture",
    "tech",
    "technology",
    "science",
    "health",
    "travel",
    "video",
    "videos",
    "live",
    "menu",
    "search",
    "contact",
    "contact us",
    "about",
    "about us",
    "subscribe",
    "subscribe now",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "my account",
    "newsletter",
    "newsletters",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "share on twitter",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "telegram",
    "reddit",
    "email",
    "e-mail",
    "copy link",
    "link copied",
    "print",
    "comment",
    "comments",
    "advertisement",
    "advertising",
    "ad",
    "sponsored",
    "sponsored content",
    "accept",
    "accept all",
    "reject",
    "reject all",
    "manage cookies",
    "cookie settings",
    "privacy",
    "privacy policy",
    "terms",
    "terms of use",
    "terms of service",
    "careers",
    "follow us",
    "back to top",
    "skip to content",
    "ready for more",
    "next",
    "previous",
    "listen",
    "listen to this article",
    "more",
    "load more",
    "show more",
    "trending",
    "topics",
    "tags",
    "save",
    "saved",
}
_FURNITURE_PREFIXES = (
    "sign up for",
    "subscribe to",
    "follow us on",
    "download our app",
    "get the app",
    "listen to this",
    "watch:",
    "watch live",
    "join our",
    "support our journalism",
    "thanks for reading",
    "like this:",
    "like loading",
    "updated ",
    "last updated",
)
# Promotions for the site itself: its newsletter, its app, its subscription.
PROMO = re.compile(
    r"\b(?:your inbox|your email|newsletter|subscribe|sign up|free trial|download the app)\b",
    re.IGNORECASE,
)
_WITH_AGENCY = re.compile(
    r"^(?P<source>[A-Z][\w'&.]*(?: [A-Z][\w'&.]*){0,3}) (?:with|and) "
    r"(?:AFP|Reuters|AP|agencies|wires|news agencies)$"
)
# Where a page leaves the story for good.
_END = re.compile(
    r"^(\d+\s+comments?|\d+\s+(?:thoughts|responses|replies|comments) on\b.*|"
    r"comments?\s*\(\d+\)|log in to comment|sign in to comment|"
    r"leave a comment|join the conversation|most read|most popular|more from\b.*|"
    r"©.*|copyright\b.*|.*all rights reserved\.?)$",
    re.IGNORECASE,
)
# A block of other articles' headlines inside the story.
RELATED = re.compile(
    r"^(read more|related|related articles|related stories|related coverage|see also|"
    r"also read|you may also like|recommended|more on this story|more stories)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\(?\s*(?:photo|image|picture|pictures|credit|photograph|video)s?\s*(?:by|credit)?\s*[:\-]"
    r"|^\((?:[A-Z]{1,5}|AA|AP) (?:Photo|Images?)\)$"
    r"|^\((?:photo|image) (?:by )?[^)]*\)$"
    r"|^(?:photo|image|picture)\s*(?:courtesy|credit)\b"
    r"|(?:/(?:AFP|Reuters|AP|Getty Images|EPA|Anadolu))\)?$",
    re.IGNORECASE,
)
_COOKIES = re.compile(r"\bcookies?\b", re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = [
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s*(?P<year>\d{{4}})"),
    re.compile(rf"(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})"),
    re.compile(r"(?P<year>\d{4})-(?P<num>\d{2})-(?P<day>\d{2})"),
]
_TIME = re.compile(
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<half>[AaPp]\.?[Mm]\.?)?\s*(?P<zone>GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|TRT)?(?P<offset>[+-]\d{2}:?\d{2})?"
)
_ZONES = {
    "GMT": 0,
    "UTC": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "TRT": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "PST": -8,
    "PDT": -7,
}
_DATE_LINE = re.compile(
    r"^(?P<kind>published|posted|updated|last updated|modified|first published)?\s*(?:on|:)?\s*",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|written by|words by)\s+(?P<names>.+)$", re.IGNORECASE)
_ROLE_BYLINE = re.compile(
    r"^(?P<names>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3})\s*[|,]\s*(?i:staff|senior|chief|"
    r"political|foreign|business|tech|science|health|sports?|culture)\b.*$"
)
# A picture's caption with its credit on the same line.
_CAPTION = re.compile(
    r"\((?:photo|image|picture|pictures)s?\s*(?:by|:|credit)[^)]*\)$"
    r"|\b(?:photo|image|picture)s?:\s*[^.]{2,60}$"
    r"|\b(?:REUTERS|AFP|AP|EPA|GETTY IMAGES|ANADOLU)/[A-Z][^\s/]*(?: [A-Z][^\s/]*){0,3}$",
    re.IGNORECASE,
)
# "Agencies and A News WORLD", "Reuters | WORLD": a source, then the section in capitals.
_SECTIONS = (
    "WORLD|POLITICS|BUSINESS|ECONOMY|MARKETS|SPORTS?|TECH|TECHNOLOGY|SCIENCE|HEALTH|CULTURE|"
    "OPINION|EUROPE|ASIA|AFRICA|AMERICAS|MIDDLE EAST|LOCAL|NATIONAL|REGION|DIPLOMACY|"
    "DEFENCE|DEFENSE|ENVIRONMENT|CLIMATE|ENERGY|NEWS|LATEST"
)
_SECTION_LINE = re.compile(
    r"^(?i:(?:agencies|agency|wires?)\s+(?:and|&)\s+)?(?P<source>.+?)\s*[|·-]?\s*"
    rf"(?P<section>{_SECTIONS})$"
)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}\((?P<agency>[A-Z][\w .&]+)\)\s*[-–—]")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’)\]]*$")


@dataclass(frozen=True)
class ScrapedStory:
    title: str
    paragraphs: tuple[str, ...]
    published: datetime | date | None = None
    author: str = ""
    source: str = ""
    dropped: tuple[str, ...] = field(default=())  # the lines left out, for the record


def read_scraped_text(text: str) -> ScrapedStory | None:
    """The story in ``text``, or None when there is no story text in it."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    published: datetime | date | None = None
    author = source = ""
    kinds: list[str] = []
    for line in lines:
        kind = _kind(line)
        if kind == "date":
            found = _read_date(line)
            if found and published is None and not _is_update(line):
                published = found
            by = re.search(r"\bby\s+(.+)$", line)  # "Posted on October 30, 2024 by Mara Quint"
            if by and not author:
                author = _byline_names(f"By {by.group(1)}")
        elif kind == "byline":
            author = author or _byline_names(line)
        elif kind == "section":
            match = _SECTION_LINE.match(line) or _WITH_AGENCY.match(line)
            source = source or (match.group("source").strip(" |·-") if match else "")
        kinds.append(kind)
    if not author:  # a name on a line of its own beside the date: the byline
        for i, kind in enumerate(kinds):
            if kind == "date":
                for j in (i - 1, i + 1):
                    if 0 <= j < len(lines) and _name_shaped(lines[j]):
                        author, kinds[j] = lines[j], "byline"
                        break
                if author:
                    break
    # The story starts at the first paragraph that has a headline before it; the title is
    # the headline nearest above it (a site's tagline or a cookie banner's heading is not).
    title_at = body_start = None
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind != "text":
            continue
        if title_at is not None and _paragraph_like(line) and not _is_caption(lines, kinds, i):
            body_start = i
            break
        if _headline_like(line):
            title_at = i
    if title_at is None or body_start is None:
        return None
    title = lines[title_at]
    end = next((i for i in range(body_start, len(lines)) if kinds[i] == "end"), len(lines))
    paragraphs: list[str] = []
    dropped: list[str] = [line for i, line in enumerate(lines) if i < body_start and i != title_at]
    seen = {title}
    skipping_related = False
    for i in range(body_start, end):
        line, kind = lines[i], kinds[i]
        if kind == "related":
            skipping_related = True
            dropped.append(line)
            continue
        if skipping_related:
            if kind == "text" and _paragraph_like(line):
                skipping_related = False
            else:
                dropped.append(line)
                continue
        if kind != "text" or line in seen or _is_caption(lines, kinds, i):
            dropped.append(line)
            continue
        seen.add(line)
        paragraphs.append(line)
    paragraphs = _without_echoes(paragraphs, dropped)
    if author:
        paragraphs = _without_bio(paragraphs, author, dropped)
    dropped += lines[end:]
    # The publication: its name atop the page, else a section line's, else the copyright
    # line's, else the agency of a wire story's dateline.
    source = _masthead(lines[:title_at]) or source or _copyright_holder(lines, author)
    if not source:
        match = next((m for p in paragraphs[:1] if (m := _DATELINE.match(p))), None)
        source = match.group("agency").strip() if match else ""
    return ScrapedStory(title, tuple(paragraphs), published, author, source, tuple(dropped))


_SMALL_WORDS = {"of", "the", "and", "a", "an", "in", "on", "for", "&"}
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<name>[^.]*?)\s*"
    r"(?:\b(?:Media Ltd|Media Group|Ltd|Limited|Inc|LLC|plc)\b)?\.?\s*"
    r"(?:All rights reserved\.?)?$",
    re.IGNORECASE,
)


def _without_echoes(paragraphs: list[str], dropped: list[str]) -> list[str]:
    """Without a pull quote: a line whose every sentence stands, word for word, in a longer
    paragraph of the story."""
    words = [" ".join(re.findall(r"\w+", p.lower())) for p in paragraphs]
    kept: list[str] = []
    for index, line in enumerate(paragraphs):
        pieces = [" ".join(re.findall(r"\w+", part.lower())) for part in re.split(r"[.!?;]", line)]
        pieces = [piece for piece in pieces if piece]
        echoed = len(line) > 20 and any(
            all(piece in other for piece in pieces)
            for other_index, other in enumerate(words)
            if other_index != index and len(other) > len(words[index])
        )
        (dropped if echoed else kept).append(line)
    return kept


_BIO = re.compile(r"\b(?:correspondent|reporter|reported from|contributed|editor|writes about)\b")


def _without_bio(paragraphs: list[str], author: str, dropped: list[str]) -> list[str]:
    """Without the lines about the author at the end ("X is our culture correspondent")."""
    names = [name.strip() for name in re.split(r"\s+and\s+|,", author) if name.strip()]
    while paragraphs and _BIO.search(paragraphs[-1]) and any(n in paragraphs[-1] for n in names):
        dropped.append(paragraphs.pop())
    return paragraphs


def _masthead(top: list[str]) -> str:
    """The site's name when the page starts with it: the first line of two to four Title Case
    words that is not a menu item (single words at the top are menus)."""
    for line in top:
        plain = re.sub(r"[^\w\s&'-]", "", line).strip().lower()
        if plain in _FURNITURE or _COOKIES.search(line) or _SENTENCE_END.search(line):
            continue
        words = line.split()
        if 2 <= len(words) <= 4 and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words):
            return line
    return ""


def _copyright_holder(lines: list[str], author: str) -> str:
    for line in reversed(lines):
        match = _COPYRIGHT.match(line)
        if match and match.group("name").strip() and match.group("name").strip() != author:
            return match.group("name").strip(" ,")
    return ""


def _kind(line: str) -> str:
    plain = re.sub(r"[^\w\s&'-]", "", line).strip().lower()
    if plain in _FURNITURE or line.lower().startswith(_FURNITURE_PREFIXES):
        return "furniture"
    if _END.match(line):
        return "end"
    if RELATED.match(line):
        if re.match(r"^[^:]{0,30}:\s*\S", line):  # "Related: <one headline>"
            return "furniture"
        if len(line.split()) <= 8:
            return "related"  # a heading, and the headlines under it
    if _CREDIT.search(line) and len(line.split()) <= 12:
        return "credit"
    if _CAPTION.search(line) and len(line.split()) <= 60:
        return "credit"  # a caption and its credit
    if _COOKIES.search(line) and len(line.split()) <= 40:
        return "furniture"
    if PROMO.search(line) and len(line.split()) <= 30:
        return "furniture"
    if _WITH_AGENCY.match(line):
        return "section"
    if _date_line(re.sub(r"\s+by\s+[A-Z][\w.' -]+$", "", line)):
        return "date"
    if _BYLINE.match(line) and len(line.split()) <= 12 and not _SENTENCE_END.search(line):
        return "byline"
    if _ROLE_BYLINE.match(line):
        return "byline"
    if _SECTION_LINE.match(line) and len(line.split()) <= 7:
        return "section"
    if len(line.split()) <= 3 and not _SENTENCE_END.search(line):
        return "furniture"  # a menu item, a tag, a button
    return "text"


def _date_line(line: str) -> bool:
    """A line that is a date and little else ("Published October 28,2024")."""
    if len(line.split()) > 9:
        return False
    rest = _DATE_LINE.sub("", line, count=1)
    if _TIME.match(rest):  # "6:12 a.m. Oct. 31, 2024"
        rest = _TIME.sub("", rest, count=1).strip()
    for form in _DATE_FORMS:
        match = form.search(rest)
        if match and match.start() <= 4:
            leftover = _TIME.sub("", rest[match.end() :]).strip(" |,·-")
            return len(leftover.split()) <= 2
    return False


def _is_update(line: str) -> bool:
    return line.lower().startswith(("updated", "last updated", "modified"))


def _read_date(line: str) -> datetime | date | None:
    for form in _DATE_FORMS:
        match = form.search(line)
        if not match:
            continue
        groups = match.groupdict()
        month = (
            int(groups["num"])
            if groups.get("num")
            else _MONTHS.get((groups.get("month") or "").lower())
        )
        if not month:
            continue
        try:
            day = date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
        time = _TIME.search(line, match.end())
        if not time or not (time.group("zone") or time.group("offset")):
            return day
        hour, minute = int(time.group("hour")), int(time.group("minute"))
        half = (time.group("half") or "").lower().replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        if time.group("offset"):
            sign = 1 if time.group("offset")[0] == "+" else -1
            digits = time.group("offset")[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            zone = timezone(sign * offset)
        else:
            zone = timezone(timedelta(hours=_ZONES[time.group("zone")]))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    return None


def _byline_names(line: str) -> str:
    match = _BYLINE.match(line) or _ROLE_BYLINE.match(line)
    names = match.group("names") if match else line
    names = re.split(r"\s*[|,]\s*", names)[0]  # "Jane Doe, Reuters" -> Jane Doe
    names = re.sub(r"\s+(?:in|for)\s+[A-Z].*$", "", names)  # "in Ankara"
    return names.strip()


def _name_shaped(line: str) -> bool:
    words = line.split()
    plain = line.lower()
    return (
        2 <= len(words) <= 3
        and all(w[0].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)
        and plain not in _FURNITURE
    )


def _headline_like(line: str) -> bool:
    words = line.split()
    return 4 <= len(words) <= 30 and len(line) <= 220 and not line.endswith(".")


def _paragraph_like(line: str) -> bool:
    return len(line.split()) >= 8 and bool(_SENTENCE_END.search(line))


def _is_caption(lines: list[str], kinds: list[str], i: int) -> bool:
    """A picture's caption: a short line right before its credit."""
    return i + 1 < len(lines) and kinds[i + 1] == "credit" and len(lines[i].split()) <= 30
