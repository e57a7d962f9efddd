# English dates as the United Nations writes them: "23 March 2016", not Django's "March 23, 2016".
# The other languages keep Django's own formats, which already follow their usage.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
