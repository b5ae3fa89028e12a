"""UK phone numbers, parsed with the phonenumbers library (Google's libphonenumber metadata)
rather than a home-made pattern, so a digit short or a non-existent range is caught."""

from __future__ import annotations

import phonenumbers
from phonenumbers import shortnumberinfo


def parse_uk_phone(text: str) -> phonenumbers.PhoneNumber | None:
    """The parsed number if `text` is a valid UK number, else None."""
    if any(ch.isalpha() for ch in text):
        # phonenumbers reads letters as keypad digits (0800 FLOWERS; 0130O 7377OO, a mistyped O,
        # as 01306 737766, someone else's number). A handbook prints numbers as people dial them.
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == "GB":
        return number
    return None


def is_uk_emergency_number(text: str) -> bool:
    return text.strip() in {"999", "112"} and shortnumberinfo.is_emergency_number(text, "GB")


def national_format(text: str) -> str:
    """01302 734110: how people in the UK read and dial the number."""
    return phonenumbers.format_number(parse_uk_phone(text), phonenumbers.PhoneNumberFormat.NATIONAL)


def e164(text: str) -> str:
    """+441302734110: works in a tel: link from any phone, including a mobile abroad."""
    return phonenumbers.format_number(parse_uk_phone(text), phonenumbers.PhoneNumberFormat.E164)
