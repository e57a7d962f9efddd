class IdConverter:
    """Any whole number in a path, so that every id reaches the view and gets its JSON 404.

    Numbers too long for the database's integers become 0, which no record has.
    """

    regex = "-?[0-9]+"

    def to_python(self, value):
        return int(value) if len(value) <= 18 else 0

    def to_url(self, value):
        return str(value)
