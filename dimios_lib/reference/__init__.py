"""Reference data: what the model and the reports take as given.

``municipalities``  Sweden's 290 municipalities and 21 counties (SCB codes) and custom groups
``items``           the DiMiOS item bank: items, categories, dimensions, reverse scoring
``instrument``      before/after study instruments (innovation capability, digital competence)
``types``           the organisation types A–D
``process``         Region Västernorrland's development process: stages, gates, decisions
``published``       published figures the reports hold results against (SKR's 48 % baseline and
                    55 % goal, Modig's totals)
"""
