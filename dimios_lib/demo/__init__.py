"""Every SYNTHETIC generator, and the rule "no path means the demo".

Nothing here is real data about any municipality. Each generator is a documented, seeded
simulation whose truth is known:

``responses``  DiMiOS answers of all 290 municipalities over six rounds
``study``      a DigiGrow-like before/after study
``register``   an initiative register for the Modig municipalities
``modig``      Modig's training log, outcome survey and self-rated competence
"""
