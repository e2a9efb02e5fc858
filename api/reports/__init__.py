"""Documents generated from the records: the evaluation report (ZPIC-WF-20 4.5)."""
