"""Phone numbers in the country a project's data/site.yaml names (`phone_region`, a region code such
as GB or IE), parsed with the phonenumbers library (Google's libphonenumber metadata) rather than a
home-made pattern, so a digit short or a non-existent range is caught. Nothing here assumes a
country: every function takes the region."""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from babel import Locale
from phonenumbers import Leniency, PhoneMetadata, PhoneNumberMatcher, shortnumberinfo

# The regions the phonenumbers library has metadata for: the values phone_region may take.
SUPPORTED_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
# A short number as it is written and dialled: digits only (emergency numbers have two to six).
# The library alone would also take "9 9 9", or "999" with words around it.
_SHORT = re.compile(r"[0-9]{2,6}")
# Country names that take "the" in a sentence ("a number in the United Kingdom").
_WITH_THE = {"Bahamas", "Gambia", "Netherlands", "Philippines", "Maldives", "Seychelles", "Comoros",
             "Vatican City", "Isle of Man", "Caribbean Netherlands", "Central African Republic",
             "Dominican Republic"}


def region_message(value: str) -> str | None:
    """Why `value` cannot be a project's phone_region, or None when it can. The editors' form gives
    the same message (handbook/editors/assets/checks.js)."""
    if value in SUPPORTED_REGIONS:
        return None
    wanted = value.strip().upper()
    hint = (' Did you mean "GB"? The United Kingdom\'s code is GB.' if wanted == "UK" else
            f' Did you mean "{wanted}"?' if wanted in SUPPORTED_REGIONS else "")
    return (f'"{value}" is not a country code the handbook can check phone numbers for.{hint} Write the '
            "two-letter code of the country the handbook's phone numbers are in, in capitals: for example "
            '"GB" for the United Kingdom or "IE" for Ireland.')


@cache
def country_name(region: str) -> str:
    """The region's name in English, e.g. United Kingdom."""
    return Locale("en").territories.get(region, region)


@cache
def place(region: str) -> str:
    """The region as a sentence names it, with its code: the United Kingdom (GB), Ireland (IE)."""
    name = country_name(region)
    the = "the " if (name in _WITH_THE or name.startswith("United ") or name.endswith(" Islands")) else ""
    return f"{the}{name} ({region})"


@cache
def example_number(region: str) -> str:
    """A valid number of the region as people there write it, for messages: 0121 234 5678 (GB)."""
    number = phonenumbers.example_number(region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""


def parse_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The parsed number if `text` is a valid number in `region`, else None."""
    if any(ch.isalpha() for ch in text):
        # phonenumbers reads letters as keypad digits (0800 FLOWERS; 0130O 7377OO, a mistyped O,
        # as 01306 737766, someone else's number). A handbook prints numbers as people dial them.
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
        return number
    return None


def is_emergency_number(text: str, region: str) -> bool:
    """`text` is one of the region's emergency numbers, written as it is dialled (999 or 112 in GB)."""
    short = text.strip()
    return bool(_SHORT.fullmatch(short)) and shortnumberinfo.is_emergency_number(short, region)


@cache
def emergency_pattern(region: str) -> str | None:
    """The library's pattern of the region's emergency numbers (GB: 112|999), for the editors' form,
    which has no short-number metadata of its own; None for a region without any."""
    metadata = PhoneMetadata.short_metadata_for_region(region)
    emergency = metadata.emergency if metadata else None
    return emergency.national_number_pattern if emergency else None


def emergency_examples(region: str) -> str:
    """The region's emergency numbers in words ("112 or 999") when its pattern simply lists them."""
    pattern = emergency_pattern(region) or ""
    if not re.fullmatch(r"[0-9]+(\|[0-9]+)*", pattern):
        return ""
    numbers = sorted(pattern.split("|"), key=lambda n: (len(n), n))
    return " or ".join([", ".join(numbers[:-1]), numbers[-1]] if len(numbers) > 1 else numbers)


def phone_message(value: str, region: str) -> str | None:
    """Why `value` is not a phone number a page can show for `region`, or None. The editors' form
    gives the same message (handbook/editors/assets/checks.js)."""
    if parse_phone(value, region) or is_emergency_number(value, region):
        return None
    digits = sum(ch.isdigit() for ch in value)
    return (f'"{value}" ({digits} digits) is not a valid phone number in {place(region)}. Check every digit '
            f'against the source; numbers there are written like "{example_number(region)}".')


def national_format(text: str, region: str) -> str:
    """01302 734110 (GB): how people in the region read and dial the number."""
    return phonenumbers.format_number(parse_phone(text, region), phonenumbers.PhoneNumberFormat.NATIONAL)


def e164(text: str, region: str) -> str:
    """+441302734110: works in a tel: link from any phone, including a mobile abroad."""
    return phonenumbers.format_number(parse_phone(text, region), phonenumbers.PhoneNumberFormat.E164)


def form_settings(region: str | None) -> dict | None:
    """What the editors' form needs to check numbers as `handbook check` does (checks.js)."""
    if region is None or region_message(region) is not None:
        return None
    return {"region": region, "place": place(region), "example": example_number(region),
            "emergency": emergency_pattern(region)}


# ---- numbers typed into a page --------------------------------------------------------------

@cache
def _typed_number(region: str) -> re.Pattern:
    """A number of the region as people type it, valid or not (a mistyped number typed into a page
    is exactly what must be caught): the country code or the national prefix, then as many digits
    as the region's landline and mobile numbers have, with spaces, brackets or hyphens. For GB: 0 or
    +44 and then 9 or 10 more digits."""
    metadata = PhoneMetadata.metadata_for_region(region)
    lengths = {n for desc in (metadata.fixed_line, metadata.mobile) if desc for n in desc.possible_length if n > 0}
    lengths = lengths or {n for n in metadata.general_desc.possible_length if n > 0}
    prefix = re.escape(metadata.national_prefix) if metadata.national_prefix else ""
    international = rf"\+{metadata.country_code}\s?" + (rf"\(?{prefix}?\)?\s?" if prefix else "")
    start = rf"(?:{international}|\(?{prefix})" if prefix else rf"(?:{international})"
    return re.compile(rf"(?<![\w/.#=%-]){start}\d(?:[\s()-]{{0,2}}\d){{{min(lengths) - 1},{max(lengths) - 1}}}"
                      r"(?![\w%])")


_DIGIT_RUN = re.compile(r"(?<![\w/.#=%-])[0-9]{3,6}(?![\w%])")


def typed_numbers(line: str, region: str) -> list[str]:
    """The phone numbers of `region` written in a line of text, as written: the pattern above, and
    every valid number the library's matcher finds besides (numbers written without a prefix, such
    as (202) 555-0143 in the United States)."""
    found = [(m.start(), m.end(), m.group(0).strip()) for m in _typed_number(region).finditer(line)]
    for match in PhoneNumberMatcher(line, region, leniency=Leniency.VALID):
        if not any(start < match.end and match.start < end for start, end, _ in found):
            found.append((match.start, match.end, match.raw_string.strip()))
    return [text for _, _, text in sorted(found)]


def typed_emergency_numbers(line: str, region: str) -> list[str]:
    """The region's emergency numbers of three digits or more written in a line (999 and 112 in GB).
    Two-digit ones (France's 15, 17 and 18) read like any other number in a sentence, so they are
    left alone."""
    return [m.group(0) for m in _DIGIT_RUN.finditer(line) if is_emergency_number(m.group(0), region)]
