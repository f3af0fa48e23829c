"""The words of the reports, in Swedish and English.

``catalog``  the message catalogs (gettext, one per language, in ``locale/``) and :func:`t` and
             :func:`tn` (plurals), the one way a sentence reaches a reader
``numbers``  numbers, percentages and dates in the language's conventions (Babel), no words
``fmt``      everything ``numbers`` does, plus the formats with words (intervals, percentage
             points, lists); what reports and notebooks call
``common``   what several reports say (method, reliability, change, settings in words)
``municipality``, ``group``, ``national``, ``study``, ``followup``: one narrative module per
report, turning its computed values (and the study's codes) into sentences and formatted tables
``provenance``  the page footer and the run index
``keys``     the key families the code builds at run time, from the code's constants
``extract``  finding the keys in the code and notebooks (``make catalogs``; docs/text.md)
"""
