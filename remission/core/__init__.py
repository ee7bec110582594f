"""The one decision core: every rule written once, for one patient and for a million.

Every entry point (``classify``, ``classify_series``, ``compare``, ``classify_frame``,
``best_response_frame``, the command line, the CDISC path and the app) hands the core the
same thing, :class:`~remission.core.readings.Readings` (a study's measurements as arrays of
exact integers; one patient is a study of one), and gets back one
:class:`~remission.core.outcome.Outcome`. The steps, each in its own module:

1. :mod:`~remission.core.facts` — per visit, exact integers: sums, baseline, nadir,
   lesions gone, not assessed, too small, node measures, the growth and shrinkage tests;
2. :mod:`~remission.core.history` — the target response from the criteria's ordered rules
   (:attr:`remission.criteria.Criteria.target_order`), the overall response from the
   criteria's table, and what the visits before change (reappearance and disease back
   after a complete response, the PR hold with its confirmation, remission for naming a
   recurrence): one state machine, stepped one visit position at a time for every patient;
3. :mod:`~remission.core.deviations` — the protocol deviations, once;
4. :mod:`remission.explain` writes every sentence from the outcome, column by column.

The front ends (:mod:`remission.engine` for Python values, :mod:`remission.frame` for a
long table) only build readings and shape results; they hold no rule.
"""

from remission.core.outcome import Outcome, assess
from remission.core.readings import Readings

__all__ = ["Outcome", "Readings", "assess"]
