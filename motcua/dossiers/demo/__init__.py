"""Demo dossiers for `load_demo`: a working day at the Thành Sen and provincial centres. Safe to repeat.

Call `load_demo_dossiers(report)` after the organisation, catalog, calendar, demo accounts and the payments
demo are loaded (motcua/core/demo.py). Every dossier goes through the real services, at moments counted in
working time back from `now` (the last ~45 working days, inside office hours), so the board, the work
lists and the reports look current whenever the demo is loaded: results returned early, on time and late
(some rated), work fresh, due soon and late at the agencies (one with its apology and new appointment),
supplements asked for and answered, dossiers asked to complete at the desk, refused, stopped, filed online
and waiting for a check, handled on the spot, results waiting at the desk; and a returning applicant
whose signed scan of an earlier dossier is reused in a later one (returning.py).

Applicants are made up from fixed lists with a fixed seed; their ID numbers lie in a reserved demo range
(`ID_PREFIX`), so a repeated load recognises what is there and adds nothing. A story that would need a
moment after `now` stops where it is: the dossier stays in the state it reached.

The board and the work lists judge "late" and "due soon" from each dossier's and step's due moment
against the clock, so they show at once; the deadline watch (`manage.py deadline_watch`, every minute in
production) is not run here: its warnings and overdue marks come with its first run, as for real work.
"""

from motcua.dossiers.demo.cast import ID_PREFIX
from motcua.dossiers.demo.plays import load_demo_dossiers

__all__ = ["ID_PREFIX", "load_demo_dossiers"]
