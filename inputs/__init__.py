"""What comes in from outside (query strings, forms, files, command lines), read by one rule each.

- A whole number is what ``int()`` reads, within the range of the field it is for, and
  nothing else: ``str.isdigit()`` also accepts "²", "①" and "⁷", which ``int()`` refuses, and
  ``int()`` refuses more than 4,300 digits; both would otherwise surface as server errors.
- Text echoed back into a page loses its control characters: HTML forbids them, XML (the feed,
  the exports) cannot hold them, and they never mean anything in a query string.
- Text stored (typed in the admin, imported, sent later by the API) is ``normalise_text``'s: every
  versioned model applies it on save and every versioned form before telling a change, so a
  browser's "\r\n" is no change.
"""

import re

# C0 and C1 control characters but tab and newline, and the Unicode noncharacters: never meant,
# invisible, forbidden in HTML and refused by XML. (Carriage return goes too: "\r\n" is one
# line end, and the text rules keep "\n".)
_NONCHARACTERS = "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
CONTROL_CHARACTERS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef{_NONCHARACTERS}]")

MAX_ID = 2**63 - 1  # the largest primary key either database holds (BigAutoField)
MAX_SMALL = 32767  # a PositiveSmallIntegerField
MAX_INT = 2**31 - 1  # a PositiveIntegerField


def parse_int(value, *, minimum, maximum):
    """Return the whole number ``value`` spells, as ``int()`` reads it, or None if it spells none in range."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, int):
        try:
            value = int(str(value))
        except ValueError:  # not a number, or more digits than int() reads
            return None
    return value if minimum <= value <= maximum else None


def drop_control_characters(text):
    """Return ``text`` without control characters and noncharacters (tab and newline are kept)."""
    return CONTROL_CHARACTERS.sub("", text)


def normalise_text(value):
    """Return ``value`` with line endings as "\\n", control characters removed, lines and ends trimmed."""
    text = value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = drop_control_characters(text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
