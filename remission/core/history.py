"""What the visits before change: one state machine over every patient's time points.

The target response is the first of the criteria's target rules that is met
(:attr:`~remission.criteria.Criteria.target_order`); the overall response is the
criteria's table row for the target state, the non-target state and new lesions
(RECIST 1.1 Tables 1 and 2). Then history, in the papers' words:

* **reappearance** — after an overall CR, a target seen again is PD (RECIST 1.1 Table 3,
  footnote a; the RECIST FAQ, 'Does a new lesion always result in PD?');
* **disease back** — after an overall CR, any disease seen again is PD at that time point
  (Table 3, footnote a); a PR only because non-targets were not evaluated while the
  targets stayed gone (:func:`saw_nothing`) sees no disease, and the CR stands behind it;
* **PR hold** — after a PR or CR, a target SD stays PR until PD (the RECIST FAQ, 'Managing
  PR when TP measurements change slightly over time'), once the response is confirmed
  when the protocol asks for confirmation, confirmed exactly as the best response
  confirms it (:func:`remission.best.confirming_day`);
* **remission** — from the first CR to the next PD, for naming a recurrence.

The machine steps one visit position at a time (every patient's first follow-up, then
every second one …), each step vectorised over the patients that have it; a patient is
one array of length one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from remission.best import DISEASE_SEEN, confirming_day
from remission.core.facts import Facts
from remission.core.readings import (
    NT_NE,
    NT_STATES,
    RESPONSES,
    T_CR,
    T_NONE,
    T_PR,
    T_SD,
    T_STATES,
    Bools,
    Int64,
)
from remission.criteria import Rule, TargetRule
from remission.options import SeriesOptions
from remission.response import Response

__all__ = ["History", "run_history", "saw_nothing"]

_OTHER, _CR, _PR = 0, 1, 2
"""The latest overall response other than NE, as far as history matters."""
_CODE = {r: i for i, r in enumerate(RESPONSES)}


def saw_nothing(target: Response | None, non_target: Response | None, overall: Response) -> bool:
    """A PR only because non-targets were not evaluated while every target stayed gone.

    RECIST 1.1 Table 1 (Eisenhauer et al. 2009) makes target CR + non-target NE + no new
    lesion a PR: complete response cannot be claimed, but no disease was seen either, so
    after a CR it is not "disease seen again" (Table 3, footnote a).

    Examples:
        >>> saw_nothing(Response.CR, Response.NE, Response.PR)
        True
        >>> saw_nothing(Response.CR, Response.NON_CR_NON_PD, Response.PR)
        False
    """
    return overall is Response.PR and target is Response.CR and non_target is Response.NE


@dataclass(frozen=True, eq=False)
class History:
    """Per visit (baselines hold −1 / False): the decisions and what decided them."""

    target: Int64
    """Target state (:data:`~remission.core.readings.T_STATES` index)."""
    target_rule: Int64
    """Which of the criteria's target rules decided (index into ``TargetRule``), −1 none."""
    overall: Int64
    """Overall response (:data:`~remission.core.readings.RESPONSES` index)."""
    rule: Int64
    """The rule that decided the overall response (index into ``rules``)."""
    table_rule: Int64
    held: Bools
    back: Bools
    unseen: Bools
    remission_before: Int64
    """The day the remission in force began (−1: none), before this visit."""
    rules: tuple[Rule, ...]


def run_history(facts: Facts, options: SeriesOptions) -> History:  # noqa: PLR0915
    """Every follow-up's target and overall response, in visit order, for every patient.

    One function on purpose: the step loop reads as the papers' sequence (target rule,
    hold, table, disease back, history), and splitting it would scatter that order.
    """
    c = facts.criteria
    r = facts.readings
    n = r.n_visits
    order = list(c.target_order)
    rules: list[Rule] = []
    rule_index: dict[Rule, int] = {}

    def rule_id(rule: Rule) -> int:
        if rule not in rule_index:
            rule_index[rule] = len(rules)
            rules.append(rule)
        return rule_index[rule]

    rank_state = np.asarray(
        [T_STATES.index(c.target_rule(rule)[0]) for rule in order], dtype=np.int64
    )
    rank_rule = np.asarray([rule_id(c.target_rule(rule)[1]) for rule in order], dtype=np.int64)
    rank_kind = np.asarray([list(TargetRule).index(rule) for rule in order], dtype=np.int64)
    # The first rule met that does not need the history; the reappearance test is made
    # at each step, where the history is known.
    static = np.full(n, len(order), dtype=np.int64)
    for place in reversed(range(len(order))):
        met = facts.rule_met(order[place])
        if met is not None:
            static = np.where(met, place, static)
    reappear_rank = order.index(TargetRule.REAPPEARANCE) if TargetRule.REAPPEARANCE in order else -1

    overall_of = np.full((6, 5, 2), -1, dtype=np.int64)
    row_rule_of = np.full((6, 5, 2), -1, dtype=np.int64)
    for (t_state, nt_state_of, is_new), table_row in c.lookup().items():
        ti, ni = T_STATES.index(t_state), NT_STATES.index(nt_state_of)
        overall_of[ti, ni, int(is_new)] = _CODE[table_row.overall]
        row_rule_of[ti, ni, int(is_new)] = rule_id(table_row.rule)
    hold_rule = -1 if c.holds_response is None else rule_id(c.holds_response)
    back_rule = rule_id(c.disease_back)

    has = facts.has_targets
    nt_state = r.visit_non_target
    new = r.visit_new.astype(np.int64)
    day = r.visit_day
    target = np.full(n, -1, dtype=np.int64)
    target_rule = np.full(n, -1, dtype=np.int64)
    overall = np.full(n, -1, dtype=np.int64)
    rule = np.full(n, -1, dtype=np.int64)
    table_rule = np.full(n, -1, dtype=np.int64)
    held = np.zeros(n, dtype=bool)
    back = np.zeros(n, dtype=bool)
    unseen = np.zeros(n, dtype=bool)
    last = np.full(n, _OTHER, dtype=np.int64)
    remission = np.full(n, -1, dtype=np.int64)
    remission_before = np.full(n, -1, dtype=np.int64)
    base = np.flatnonzero(facts.visit_base)
    if r.start_after_cr is not None:
        after = r.start_after_cr[r.visit_patient[base]]
        last[base] = np.where(after, _CR, _OTHER)
        remission[base] = np.where(after, 0, -1)
    confirm = _Confirmation(facts, options, overall, unseen)

    first_of_visit = base[np.cumsum(facts.visit_base) - 1]
    position = np.arange(n) - first_of_visit
    by_position = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[by_position], np.arange(int(position.max(initial=0)) + 2))
    cr, pr, pd_, ne = (_CODE[x] for x in (Response.CR, Response.PR, Response.PD, Response.NE))
    disease = np.asarray([_CODE[x] for x in DISEASE_SEEN], dtype=np.int64)
    for k in range(1, bounds.size - 1):
        idx = by_position[bounds[k] : bounds[k + 1]]
        before = last[idx - 1]
        rank = static[idx]
        if reappear_rank >= 0:
            reappears = (before == _CR) & (facts.back[idx] > 0) & (rank > reappear_rank)
            rank = np.where(reappears, reappear_rank, rank)
        t = np.where(has[idx], rank_state[rank], T_NONE)
        t_rule = np.where(has[idx], rank_rule[rank], -1)
        if hold_rule >= 0:
            asked = has[idx] & (t == T_SD) & (before != _OTHER)
            hold = asked & confirm.confirmed(idx, asked)
            t = np.where(hold, T_PR, t)
            t_rule = np.where(hold, hold_rule, t_rule)
            held[idx] = hold
        o = overall_of[t, nt_state[idx], new[idx]]
        row = row_rule_of[t, nt_state[idx], new[idx]]
        as_target = np.asarray([_CODE[s] if s is not None else -2 for s in T_STATES])[t]
        decisive = np.where(has[idx] & (o == as_target), t_rule, row)
        nothing = (before == _CR) & (o == pr) & (t == T_CR) & (nt_state[idx] == NT_NE)
        returned = (before == _CR) & np.isin(o, disease) & ~nothing
        o = np.where(returned, pd_, o)
        decisive = np.where(returned, back_rule, decisive)
        target[idx] = t
        target_rule[idx] = np.where(has[idx], rank_kind[rank], -1)
        overall[idx] = o
        rule[idx] = decisive
        table_rule[idx] = row
        back[idx] = returned
        unseen[idx] = nothing
        last[idx] = np.where(
            (o == ne) | nothing,
            before,
            np.where(o == cr, _CR, np.where(o == pr, _PR, _OTHER)),
        )
        confirm.after(idx, o == pd_)
        rem = remission[idx - 1]
        remission_before[idx] = rem
        remission[idx] = np.where((o == cr) & (rem < 0), day[idx], np.where(o == pd_, -1, rem))
    return History(
        target=target,
        target_rule=target_rule,
        overall=overall,
        rule=rule,
        table_rule=table_rule,
        held=held,
        back=back,
        unseen=unseen,
        remission_before=remission_before,
        rules=tuple(rules),
    )


class _Confirmation:
    """Whether a patient's PR or CR so far is confirmed, asked only where a hold needs it.

    Confirmed exactly as the best response confirms (:func:`remission.best.confirming_day`
    on the assessments since the last PD): once true it stays true until the next PD.
    Most visits never ask; those that do ask once per patient and response.
    """

    def __init__(self, facts: Facts, options: SeriesOptions, overall: Int64, unseen: Bools) -> None:
        r = facts.readings
        self.options = options
        self.day = r.visit_day
        self.overall = overall
        self.unseen = unseen
        self.patient = r.visit_patient
        self.always = options.confirmation_days is None
        self.known = np.full(r.n_patients, self.always, dtype=bool)
        self.since = np.flatnonzero(facts.visit_base) + 1  # first visit after the last PD

    def confirmed(self, idx: Int64, asked: Bools) -> Bools:
        """For the visits ``idx``: the patient's response is confirmed (where ``asked``)."""
        found = self.known[self.patient[idx]]
        if self.always:
            return found
        days = self.options.confirmation_days or 0
        for i in np.flatnonzero(asked & ~found).tolist():
            visit = int(idx[i])
            p = int(self.patient[visit])
            start = int(self.since[p])
            seen = [
                (int(self.day[j]), RESPONSES[int(self.overall[j])]) for j in range(start, visit)
            ]
            quiet = {int(self.day[j]) for j in range(start, visit) if self.unseen[j]}
            ok = any(
                response in (Response.PR, Response.CR)
                and confirming_day(
                    seen, index, days, self.options.max_ne_between, self.options.accept_sd, quiet
                )
                is not None
                for index, (_, response) in enumerate(seen)
            )
            self.known[p] = ok
            found[i] = ok
        return found

    def after(self, idx: Int64, progressed: Bools) -> None:
        """A PD starts the count again (the best response counts nothing after it)."""
        ended = idx[progressed]
        patients = self.patient[ended]
        self.known[patients] = self.always
        self.since[patients] = ended + 1
