"""The rulebook's version, recorded on every event that applied a rule."""

RULEBOOK_VERSION = "ZPIC-WF-20-B1/2026.2"
"""Bump when any ruling changes, so a past result can be explained by the rules it used.

2026.2 (rules.md §12, business dates rather than the order of entry):
- a deadline decision (5.3, 7.3.1 item 7, 8.1.2) is made from the facts whose business dates
  are on or before its day (`domain.sweeps.due_change`, `rulebook.schedule.missed_surveillances`);
- one suspension at a time: an overdue surveillance found while the certificate is suspended
  for another reason suspends it from the day it is valid again, if still not done then
  (`domain.sweeps.overdue_suspension`); where a suspension recorded to start later would fall
  inside the overdue one, the conflict is noted for a person, never guessed;
- guards compare the certificate's state on the effective date (`Certificate.status_on`);
- a late entry that contradicts a deadline job's action is noted and rescinded by a decision
  maker (`Certificate.contradictions`, `Certificate.rescind`);
- working days: statutory holidays of the 2024 revision as the floor for any year, the State
  Council's notice loaded as data (`rulebook.working_days`);
- a team member's days are at most the audit's calendar days; appeals are received on or after
  the decision they object to.
2026.1: the rulings of rules.md §0–§11.
"""
