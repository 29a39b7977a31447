"""English numbers in words, as a desk spells them: "twenty-one", "one hundred and twenty", "twenty-second".

The word lists are also what ``numbers`` reads English number words with.
"""

from __future__ import annotations

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
NTH = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
       "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
TENTHS = "_ _ twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
_ORDINAL_OF = {**dict(zip(ONES, NTH)), **dict(zip(TENS[2:], TENTHS[2:]))}


def number_words(n: int) -> str | None:
    """0 to 999,999 in words: 4 "four", 21 "twenty-one", 120 "one hundred and twenty"; None beyond."""
    if not 0 <= n < 1_000_000:
        return None
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = f" and {number_words(n % 100)}" if n % 100 else ""
        return f"{ONES[n // 100]} hundred{rest}"
    below = n % 1000
    joiner = " and " if 0 < below < 100 else " "
    return f"{number_words(n // 1000)} thousand" + (f"{joiner}{number_words(below)}" if below else "")


def ordinal_words(n: int) -> str | None:
    """1 "first", 22 "twenty-second", 100 "one hundredth"; None beyond 999,999 or below 1."""
    words = number_words(n) if n >= 1 else None
    if words is None:
        return None
    head, sep, last = max(words.rpartition("-"), words.rpartition(" "), key=lambda p: len(p[0]))
    if last in ("hundred", "thousand"):
        return f"{words}th"
    return f"{head}{sep}{_ORDINAL_OF[last]}"
