"""Publication dates: explicit full dates, and datelines completed by a year the same file states.

News leads give the day without the year (`本报讯(记者 杨文)3月28日,…`); the year is elsewhere in the
file: a page head (`2023年3月30日 星期四`), a neighbour link (`上一篇 2022-06-22 10:51`), or another
article of the same page. A dateline takes the year of such a full date only when the result lies
within `NEAR` of it, and only when every full date in reach agrees; otherwise the date is unknown.
A bare year (`2023年重点工作安排`) is never used: it names a plan or a period, not the day of writing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import islice

__all__ = ["find_dateline", "full_dates", "month_day", "parse_iso_date", "published_date"]

# A page head or neighbour link is a few days from the article; a weekly or monthly issue can be
# weeks later. Two months keeps those and stays far from the half year at which the year would be ambiguous.
NEAR = timedelta(days=62)
# Leads sit under the headline lines; the 7 title lines of a government page are the most we have seen.
LEAD_PARAGRAPHS = 10

# A year not preceded by a digit: the look-behind comes after "19"/"20" (looking back past them), so the
# pattern starts with a literal and the regex engine skips ahead to the next 1 or 2 instead of trying every place.
_FULL_DATE = re.compile(
    r"((?:19|20)(?<!\d..)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))"
)
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A dateline opens a paragraph: an optional short credit without sentence punctuation
# (`本报讯(山西日报记者 杨文)`, `新华社北京`), the day, then `电`, a comma or a space.
_DATELINE = re.compile(r"^[^。，,；;\n]{0,40}?((?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日)(?=电|讯|[,，\s])")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_dates(text: str) -> list[date]:
    """Every date in `text` that states year, month and day, in order of appearance.

    >>> full_dates("上一篇 2022-06-22 10:51\\n下一篇 2022-06-22 18:43")
    [datetime.date(2022, 6, 22), datetime.date(2022, 6, 22)]
    >>> full_dates("2023年3月30日 星期四 第3版; 2022年黄河流域生态环境警示片; 2021/2/30")
    [datetime.date(2023, 3, 30)]
    """
    found = []
    for match in _FULL_DATE.finditer(text):
        year, month, day = match.group(1), match.group(2) or match.group(4), match.group(3) or match.group(5)
        if (parsed := _date(int(year), int(month), int(day))) is not None:
            found.append(parsed)
    return found


def month_day(text: str) -> tuple[int, int] | None:
    """Month and day of a dateline such as `3月28日`.

    >>> month_day("3月28日")
    (3, 28)
    >>> month_day("今年") is None
    True
    """
    match = _MONTH_DAY.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def find_dateline(text: str) -> str | None:
    """The date at the head of the lead paragraph, as written, when the clean stage has not given one.

    >>> find_dateline("蓝佛安主持召开会议\\n\\n本报讯(山西日报记者 杨文)3月28日,省委书记蓝佛安主持召开…")
    '3月28日'
    >>> find_dateline("新华社北京2023年3月28日电 记者…")
    '2023年3月28日'
    >>> find_dateline("201x年,习近平总书记在郑州主持召开座谈会;今年8月31日又主持召开会议") is None
    True
    """
    leads = islice((stripped for line in text.split("\n") if (stripped := line.strip())), LEAD_PARAGRAPHS)
    for paragraph in leads:
        if "日" in paragraph and (match := _DATELINE.match(paragraph)):  # every dateline has 日: skip the regex
            return match.group(1)
    return None


def parse_iso_date(value: str) -> date | None:
    """The date of an ISO date or date-time string, None if it is not one.

    >>> parse_iso_date("2022-06-22T10:51:00+08:00")
    datetime.date(2022, 6, 22)
    >>> parse_iso_date("June") is None
    True
    """
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    return _date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def published_date(dateline: str | None, context: Iterable[date]) -> date | None:
    """The full date of `dateline`, taking its year from the full dates found in the same file.

    >>> published_date("6月20日", [date(2022, 6, 22), date(2022, 6, 22)])
    datetime.date(2022, 6, 20)
    >>> published_date("12月30日", [date(2023, 1, 2)])  # the page head is already in the new year
    datetime.date(2022, 12, 30)
    >>> published_date("3月28日", []) is None  # no year anywhere: unknown, not this year
    True
    >>> published_date("3月28日", [date(2022, 9, 1)]) is None  # too far to vouch for the year
    True
    >>> published_date("3月28日", [date(2022, 3, 30), date(2023, 3, 30)]) is None  # disagreeing years
    True
    >>> published_date("2023年3月28日", [])
    datetime.date(2023, 3, 28)
    """
    if not dateline:
        return None
    if explicit := full_dates(dateline):
        return explicit[0]
    if (parsed := month_day(dateline)) is None:
        return None
    month, day = parsed
    references = sorted(set(context))  # a file states the same date many times
    # NEAR is less than a year: a date near a reference falls in the reference's year, the one before or the
    # one after. So one candidate a year, each checked against its neighbours in the sorted references.
    years = {year + step for year in {reference.year for reference in references} for step in (-1, 0, 1)}
    candidates = {
        candidate
        for year in years
        if (candidate := _date(year, month, day)) is not None and _near_any(candidate, references)
    }
    return candidates.pop() if len(candidates) == 1 else None


def _near_any(day: date, references: list[date]) -> bool:
    """Whether some date of the sorted `references` lies within NEAR of `day`: one of the two around it does.

    >>> _near_any(date(2023, 3, 28), [date(2022, 3, 30), date(2023, 3, 30)]), _near_any(date(2023, 3, 28), [])
    (True, False)
    """
    after = bisect_left(references, day)
    return any(abs(reference - day) <= NEAR for reference in references[max(0, after - 1) : after + 1])
