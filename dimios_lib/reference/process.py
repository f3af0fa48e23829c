"""Region Västernorrland's development process (seed 004): its stages, the gates with their
decisions, which stage may follow which, and how a register file may name them.

dialog → utforska → idéskissa → prova → beslut (gate 1) → [bereda → beslut (gate 2), portfolio
initiatives only] → införa → följa upp; after dialog or prova an initiative may leave for system
management (``systemförvaltning``).
"""

from __future__ import annotations

#: The stage ids, in the order of the process. A report names a stage with the message
#: catalogs' ``stage.<id>``.
STAGES = ("dialog", "utforska", "ideskissa", "prova", "beslut_1", "bereda", "beslut_2", "infora",
          "folja_upp", "systemforvaltning")


#: Each stage's name as a register file writes it: the process's own (Swedish) term, which the
#: demo register writes and the register contract quotes.
STAGE_NAMES = {
    "dialog": "Dialog", "utforska": "Utforska", "ideskissa": "Idéskissa", "prova": "Prova",
    "beslut_1": "Beslut om fortsättning", "bereda": "Bereda", "beslut_2": "Beslut om införande",
    "infora": "Införa", "folja_upp": "Följa upp", "systemforvaltning": "Till systemförvaltning",
}


FUNNEL = ("dialog", "utforska", "ideskissa", "prova", "beslut_1", "infora", "folja_upp")


GATES = ("beslut_1", "beslut_2")


FINAL = ("folja_upp", "systemforvaltning")


# which stages may follow each stage (rework: back to an earlier creative stage)
NEXT = {
    None: {"dialog"},
    "dialog": {"utforska", "systemforvaltning"},
    "utforska": {"ideskissa"},
    "ideskissa": {"prova"},
    "prova": {"beslut_1", "systemforvaltning"},
    "beslut_1": {"bereda", "infora", "utforska", "ideskissa", "prova"},
    "bereda": {"beslut_2"},
    "beslut_2": {"infora", "bereda", "prova"},
    "infora": {"folja_upp"},
    "folja_upp": set(),
    "systemforvaltning": set(),
}


# after a gate decision: continue forward, rework back to an earlier stage
GATE_NEXT = {
    "beslut_1": {"continue": {"bereda", "infora"}, "rework": {"utforska", "ideskissa", "prova"}},
    "beslut_2": {"continue": {"infora"}, "rework": {"bereda", "prova"}},
}


DECISIONS = {"fortsätt": "continue", "fortsatt": "continue", "continue": "continue",
             "stoppa": "stop", "stopp": "stop", "stop": "stop",
             "omarbeta": "rework", "rework": "rework"}


STAGE_ALIASES = {
    "dialog": "dialog", "dialogue": "dialog", "utforska": "utforska", "explore": "utforska",
    "idéskissa": "ideskissa", "ideskissa": "ideskissa", "sketch": "ideskissa",
    "sketch ideas": "ideskissa", "prova": "prova", "try": "prova", "try out": "prova",
    "pilot": "prova", "beslut 1": "beslut_1", "beslut_1": "beslut_1",
    "beslut om fortsättning": "beslut_1", "decision 1": "beslut_1", "gate 1": "beslut_1",
    "bereda": "bereda", "prepare": "bereda", "beslut 2": "beslut_2", "beslut_2": "beslut_2",
    "beslut om införande": "beslut_2", "decision 2": "beslut_2", "gate 2": "beslut_2",
    "införa": "infora", "infora": "infora", "implement": "infora",
    "följa upp": "folja_upp", "följ upp": "folja_upp", "folja upp": "folja_upp",
    "folja_upp": "folja_upp", "follow up": "folja_upp", "follow-up": "folja_upp",
    "systemförvaltning": "systemforvaltning", "systemforvaltning": "systemforvaltning",
    "system management": "systemforvaltning", "till systemförvaltning": "systemforvaltning",
    "to system management": "systemforvaltning", "decision to continue": "beslut_1",
    "decision to implement": "beslut_2",
}
