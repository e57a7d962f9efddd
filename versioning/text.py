"""How typed and imported text is stored: one rule for line endings and invisible characters.

Every versioned model applies it to its text fields on save (``VersionedModel.save``) and every
versioned form before comparing with the stored value (``VersionedModelForm``), so the admin, the
import and any later path store "\\n" line endings, and posting a text back unchanged is no change.
"""

import re

# C0 and C1 control characters but tab and newline: never meant, invisible, refused by XML.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise_text(value):
    """Return ``value`` with line endings as "\\n", control characters removed, lines and ends trimmed."""
    text = value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
