"""How typed and imported text is stored: one rule for line endings and invisible characters."""

from inputs import drop_control_characters


def normalise_text(value):
    """Return ``value`` with line endings as "\\n", control characters removed, lines and ends trimmed."""
    text = value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = drop_control_characters(text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
