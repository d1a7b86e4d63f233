# Times as the newsroom writes them, zone included (“17 Jul 2026 09:00 CST”): Django's admin
# prints read-only fields and list columns with DATETIME_FORMAT, in the zone the request runs in
# (dialogues.newsroom: the newsroom's, for the admin). Public pages give their own formats.
DATETIME_FORMAT = "j M Y H:i T"
