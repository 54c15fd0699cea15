"""The articles of the regulation that requirement IDs cite, as users read them: R8.1 is
第八条 in Chinese, Art. 8 otherwise."""

import re

DIGITS = "零一二三四五六七八九"


def chinese_number(number):
    """1 to 99 in Chinese numerals (the regulation has 23 articles)."""
    tens, units = divmod(number, 10)
    if not tens:
        return DIGITS[units]
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[units] if units else ''}"


def article_numbers(refs):
    return sorted({int(n) for n in re.findall(r"R(\d+)(?:\.\d+)?", refs or "")})


def article_label(refs, lang):
    numbers = article_numbers(refs)
    if not numbers:
        return ""
    if (lang or "").startswith("zh"):
        return "、".join(f"第{chinese_number(n)}条" for n in numbers)
    return "Art. " + ", ".join(str(n) for n in numbers)
