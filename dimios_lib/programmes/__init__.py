"""What the measurements steer: development initiatives and training programmes.

``initiatives``  the initiative register through the development process: funnel, time in
                 stage, stalled initiatives, KPIs, targeted capabilities' change
``training``     training programmes (Modig): summaries, outcome shares, competence before/after
"""
