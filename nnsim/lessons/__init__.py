"""What nnsim teaches, as data: the theory text, the "Try this" experiments, the FAQ, and
the catalogue of every text the app shows (text.py, locale/en.po)."""
