r"""A whole study's front end: a long table in, through the core, one row per visit out.

:func:`classify_frame` gives one row per patient × visit and :func:`best_response_frame`
one row per patient. Both read and check the table (:func:`remission.table.read_table`),
hand the core the study's :class:`~remission.core.readings.Readings` and shape its outcome
into columns. No rule is decided here and no sentence written: :mod:`remission.core`
decides and :mod:`remission.explain` writes, the same code one patient's
:func:`remission.classify_series` runs, so the two give the same answers and the same text.

Sizes of any precision take the same path: the table's sizes become integers at the
scale the data needs (whole micrometres for three decimals, more for more), and a study
whose numbers could overflow ``int64`` is held in Python integers instead.

Each patient is classified on its own visits alone, so classifying any split of the
patients and concatenating the results equals classifying them all (per-patient
parallelism, e.g. ``applyInPandas``, is safe).

Examples:
    >>> from remission import examples
    >>> visits = classify_frame(examples.load("recist-worked"), criteria="recist1.1")
    >>> visits["response"].tolist()  # baseline rows have none
    [nan, 'PD', nan, 'NE', 'PR']
    >>> visits["pct_change_baseline"].tolist()[-1]  # 35 mm vs 50 mm: exactly 30 % smaller
    -30.0
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from remission.best import BestResponse, best_of_checked, stable_response
from remission.core import Outcome, Readings, assess
from remission.core.facts import units
from remission.core.readings import (
    NT_CR,
    NT_NE,
    NT_NN,
    NT_NONE,
    NT_PD,
    NT_STATES,
    RESPONSES,
    T_STATES,
    Sizes,
    needs_wide,
    scale_for,
)
from remission.core.runs import segments
from remission.criteria import Criteria, Measure, get_criteria
from remission.explain import baseline_texts, explain_visits
from remission.options import SeriesOptions, series_options
from remission.response import Response
from remission.results import recurrence_label
from remission.table import (
    FINE_PER_MM,
    NEW_LESION_SEEN,
    UM_PER_MM,
    Role,
    Source,
    Status,
    Table,
    read_table,
)

__all__ = ["BEST_COLUMNS", "VISIT_COLUMNS", "best_response_frame", "classify_frame"]

Int64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]

VISIT_COLUMNS: Final = (
    "patient",
    "visit",
    "day",
    "sum_mm",
    "baseline_sum_mm",
    "nadir_mm",
    "pct_change_baseline",
    "pct_change_nadir",
    "target_response",
    "non_target_response",
    "new_lesions",
    "response",
    "rule",
    "explanation",
    "recurrence",
    "criteria",
    "measure",
    "unit",
    "all_assessed",
    "lesions_assessed",
    "target_lesions",
    "warnings",
)
"""Columns of :func:`classify_frame` (``date`` follows ``day`` when dates were given;
``explanation`` is left out with ``explain=False``)."""

BEST_COLUMNS: Final = (
    "patient",
    "best_response",
    "best_response_day",
    "confirmed_day",
    "best_pct_change",
    "explanation",
    "criteria",
    "rule",
    "assessments",
    "warnings",
)
"""Columns of :func:`best_response_frame`."""

BASELINE_RULE: Final = "baseline"
"""The ``rule`` of a baseline row: the reference visit, not an assessment."""

_EXACT_FLOAT: Final = 2**53


# --------------------------------------------------------------------------- public API


def classify_frame(
    df: Source | Table,
    *,
    criteria: str | Criteria = "basic",
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
    explain: bool = True,
) -> pd.DataFrame:
    r"""Classify every visit of every patient in a long measurement table.

    Args:
        df: the long table (see :mod:`remission.table`): a DataFrame (never modified), a
            CSV path or text, or a checked :class:`~remission.table.Table`.
        criteria: ``basic``, ``who``, ``recist1.0``, ``recist1.1`` or a
            :class:`~remission.Criteria`.
        confirmation_days: as :func:`remission.classify_series` (it decides when a PR
            holds under RECIST 1.1).
        sd_min_days: idem; used by :func:`best_response_frame`.
        max_ne_between: idem.
        accept_sd: idem.
        explain: write the ``explanation`` column (the same text as
            :attr:`remission.Explanation.text` of ``classify_series``); without it the
            ``rule`` column (a short stable id of the rule that fired) still says why.

    Returns:
        One row per patient × visit, baseline included (its ``rule`` is ``"baseline"``
        and its responses are empty), in the order of :data:`VISIT_COLUMNS`. Sums are in
        mm, or mm² when the criteria multiply diameters (see ``unit``); percent changes
        are empty when undefined (a lesion not assessed, or a nadir of 0) and keep full
        precision (the explanation shows them rounded).

    Raises:
        InvalidInput: every problem in the table or the options, at once.

    Examples:
        >>> from remission import examples
        >>> out = classify_frame(examples.load("mixed-cohort"), criteria="recist1.1")
        >>> p03 = out[out["patient"] == "P03"]
        >>> p03["sum_mm"].tolist(), p03["nadir_mm"].tolist()[1:], p03["response"].tolist()[1:]
        ([50.0, 40.0, 48.0], [50.0, 40.0], ['SD', 'PD'])
        >>> p03["rule"].tolist()[1:]
        ['target:stable', 'target:growth']
    """
    chosen = get_criteria(criteria)
    options = series_options(chosen, confirmation_days, sd_min_days, max_ne_between, accept_sd)
    table = read_table(df)
    if table.data.empty:  # every patient excluded (keep_going): nothing to classify
        columns = [c for c in VISIT_COLUMNS if explain or c != "explanation"]
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    study = _Study(table)
    outcome = assess(study.readings, chosen, options)
    return _visit_frame(study, outcome, explain=explain)


def best_response_frame(
    df: Source | Table,
    *,
    criteria: str | Criteria = "basic",
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
) -> pd.DataFrame:
    r"""Best overall response of every patient (RECIST 1.1 section 4.4.3 and Table 3).

    The visits are classified as in :func:`classify_frame`; the best response comes from
    :func:`remission.best_response` with the same options as
    :func:`remission.classify_series`. ``best_pct_change`` is the largest shrinkage from
    baseline up to the first PD (the waterfall-plot value).

    Returns:
        One row per patient, in the order of :data:`BEST_COLUMNS`.

    Examples:
        >>> from remission import examples
        >>> best = best_response_frame(examples.load("breast-recurrence"),
        ...                            criteria="recist1.1", confirmation_days=28)
        >>> best[["patient", "best_response", "best_response_day", "confirmed_day"]].to_string(index=False)
        'patient best_response  best_response_day  confirmed_day\n   B-01            CR                112            168'
    """
    chosen = get_criteria(criteria)
    options = series_options(chosen, confirmation_days, sd_min_days, max_ne_between, accept_sd)
    table = read_table(df)
    if table.data.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in BEST_COLUMNS})
    study = _Study(table)
    outcome = assess(study.readings, chosen, options)
    return _best(study, outcome, options)


# --------------------------------------------------------------------------- to the core


class _Study:
    """A checked table as the core's readings, and the way back to its patients' names."""

    def __init__(self, table: Table) -> None:
        self.table = table
        data = table.data
        pid = data["pid"].to_numpy(dtype=np.int64)
        day = data["day"].to_numpy(dtype=np.int64)
        role = data["role"].to_numpy()
        status = data["status"].to_numpy()
        # Visits: runs of (patient, day) in the sorted table.
        key = pid * (int(day.max()) + 1) + day
        self.visit_start, self.visit_of = segments(key)
        self.row_end = np.append(self.visit_start[1:], len(data))
        self.v_pid = pid[self.visit_start]
        starts, dense = segments(self.v_pid)
        self.patient_pid = self.v_pid[starts]  # the table's patient number of each patient
        v_day = day[self.visit_start]
        n_visits = self.visit_start.size
        self.role = role
        self.status = status
        self.visit_codes = np.asarray(data["visit"].cat.codes, dtype=np.int64)[self.visit_start]

        v_base = np.zeros(n_visits, dtype=bool)
        v_base[starts] = True
        base_row = v_base[self.visit_of]
        target = self._targets_in_baseline_order(role == Role.TARGET, base_row, dense)
        non_target = role == Role.NON_TARGET
        row_visit = self.visit_of[target]
        # Non-target state per visit (remission.table.non_target_status, vectorised).
        present, absent, progression = (
            np.bincount(self.visit_of[non_target & (status == s)], minlength=n_visits)
            for s in (Status.PRESENT, Status.ABSENT, Status.PROGRESSION)
        )
        expected_by_patient = np.bincount(
            dense[self.visit_of[non_target & base_row]], minlength=starts.size
        )
        expected = expected_by_patient[dense]
        state = np.full(n_visits, NT_CR, dtype=np.int64)
        state = np.where(present > 0, NT_NN, state)
        state = np.where(present + absent < expected, NT_NE, state)
        state = np.where(progression > 0, NT_PD, state)
        state = np.where(v_base, NT_NN, state)
        seen = np.isin(status, [int(s) for s in NEW_LESION_SEEN])
        new = np.bincount(self.visit_of[(role == Role.NEW) & seen], minlength=n_visits) > 0

        size, perp, scale = self._sizes(target)
        self.readings = Readings(
            scale=scale,
            n_patients=int(starts.size),
            visit_patient=dense,
            visit_day=v_day,
            visit_label=self.visit_codes,
            labels=_Labels(data["visit"].cat.categories),
            visit_non_target=np.where(expected > 0, state, NT_NONE),
            visit_new=new,
            row_visit=row_visit,
            row_lesion=np.asarray(data["lesion"].cat.codes, dtype=np.int64)[target],
            lesion_names=_Labels(data["lesion"].cat.categories),
            row_size=size,
            row_perp=perp,
            row_too_small=status[target] == Status.TOO_SMALL,
            row_node=data["node"].to_numpy(dtype=bool)[target],
            row_organ=np.asarray(data["organ"].cat.codes, dtype=np.int64)[target],
            organ_names=_Labels(data["organ"].cat.categories),
            row_note=np.zeros(target.size, dtype=np.int64),
            notes=[""],
            sites=self._sites,
        )

    def _targets_in_baseline_order(self, target: Bools, base_row: Bools, dense: Int64) -> Int64:
        """The target rows, each visit's in its patient's baseline order (the readings' order)."""
        rows = np.flatnonzero(target)
        lesion = np.asarray(self.table.data["lesion"].cat.codes, dtype=np.int64)[rows]
        key = dense[self.visit_of[rows]] * (int(lesion.max(initial=0)) + 1) + lesion
        base = base_row[rows]
        base_keys = key[base]
        order = np.argsort(base_keys, kind="stable")
        _, rank_in_visit = segments(self.visit_of[rows][base])
        position = np.arange(base_keys.size) - np.searchsorted(
            self.visit_of[rows][base], self.visit_of[rows][base]
        )
        del rank_in_visit
        found = np.searchsorted(base_keys[order], key).clip(max=max(base_keys.size - 1, 0))
        rank = position[order][found] if base_keys.size else np.zeros(rows.size, dtype=np.int64)
        visit = self.visit_of[rows]
        if rows.size > 1 and np.all((visit[1:] > visit[:-1]) | (rank[1:] >= rank[:-1])):
            return rows
        return rows[np.lexsort((rank, visit))]

    def _sizes(self, target: Int64) -> tuple[Sizes, Sizes, int]:
        """The targets' sizes at the scale the data needs (whole µm unless finer).

        Whole micrometres for three decimals; millionths of a mm when any size is finer
        (the table holds those in ``size_fine``); a finer scale still for the few exotic
        fractions (a split lesion's sum, say). Python integers where ``int64`` could
        overflow.
        """
        table = self.table
        data = table.data
        size = data["size_um"].to_numpy(dtype=np.int64)[target]
        perp = data["perp_um"].to_numpy(dtype=np.int64)[target]
        exact = data["exact"].to_numpy(dtype=bool)[target]
        size_fine = data["size_fine"].to_numpy(dtype=np.int64)[target]
        perp_fine = data["perp_fine"].to_numpy(dtype=np.int64)[target]
        finer = ~exact
        scale = UM_PER_MM
        exotic: dict[int, tuple[Fraction | None, Fraction | None]] = {}
        if finer.any():
            scale = FINE_PER_MM
            lines = data["line"].to_numpy(dtype=np.int64)[target]
            for i in np.flatnonzero(finer).tolist():
                pair = table.exact_sizes.get(int(lines[i]))
                if pair is not None:
                    exotic[i] = pair
            if exotic:
                scale = scale_for(
                    [Fraction(1, FINE_PER_MM)]
                    + [v for pair in exotic.values() for v in pair if v is not None]
                )
        factor = scale // UM_PER_MM
        fine_factor = scale // FINE_PER_MM if scale % FINE_PER_MM == 0 else 0
        largest = max(
            int(size.max(initial=0)) * factor,
            int(perp.max(initial=0)) * factor,
            int(size_fine.max(initial=0)) * fine_factor,
            int(perp_fine.max(initial=0)) * fine_factor,
            *(int(v * scale) for pair in exotic.values() for v in pair if v is not None),
            1,
        )
        wide = needs_wide(largest, factor=1)  # the core widens sums itself where needed

        def scaled(um: Int64, fine: Int64) -> Sizes:
            if wide:
                return np.asarray(
                    [
                        f * fine_factor if f >= 0 and not e else (u * factor if u >= 0 else -1)
                        for u, f, e in zip(um.tolist(), fine.tolist(), exact.tolist(), strict=True)
                    ],
                    dtype=object,
                )
            found: Int64 = np.where(um >= 0, um * factor, -1)
            if fine_factor:
                found = np.where(~exact & (fine >= 0), fine * fine_factor, found)
            return found

        sizes, perps = scaled(size, size_fine), scaled(perp, perp_fine)
        for i, (a, b) in exotic.items():
            if a is not None:
                sizes[i] = int(a * scale)
            if b is not None:
                perps[i] = int(b * scale)
        return sizes, perps, scale

    def _sites(self, visit: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A visit's new-lesion sites and its non-target sites with disease seen."""
        organ = self.table.data["organ"].to_numpy()
        rows = range(int(self.visit_start[visit]), int(self.row_end[visit]))
        seen = {int(x) for x in NEW_LESION_SEEN}
        new = tuple(
            str(organ[r])
            for r in rows
            if self.role[r] == Role.NEW and int(self.status[r]) in seen and not pd.isna(organ[r])
        )
        non_target = tuple(
            str(organ[r])
            for r in rows
            if self.role[r] == Role.NON_TARGET
            and int(self.status[r]) in (Status.PRESENT, Status.PROGRESSION)
            and not pd.isna(organ[r])
        )
        return new, non_target


class _Labels(Sequence[str]):
    """A categorical's labels, read one at a time (a study can have millions)."""

    def __init__(self, labels: pd.Index) -> None:
        self.labels = labels

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return str(self.labels[i])


# --------------------------------------------------------------------------- to columns


def _categorical(codes: Int64, categories: Sequence[str] | pd.Index) -> pd.Categorical:
    """A categorical column from codes (−1 = missing) and its distinct labels."""
    labels = categories if isinstance(categories, pd.Index) else pd.Index(list(categories))
    return pd.Categorical.from_codes(codes, categories=labels)


def _codes(texts: Sequence[str]) -> tuple[list[str], Int64]:
    """Distinct texts in order of first use, and each text's code (for a categorical)."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(t, len(index)) for t in texts), dtype=np.int64, count=len(texts)
    )
    return list(index), codes


def _percent(current: Sizes, reference: Sizes, defined: Bools) -> Floats:
    """``100 × (current − reference) / reference``, rounded once as ``float(Fraction)`` is.

    Both operands are exact in float64 below 2**53 and IEEE division rounds the exact
    quotient correctly, which is what ``float(Fraction)`` does; larger values go through
    :class:`~fractions.Fraction`.
    """
    out = np.full(current.size, np.nan)
    if current.dtype != object:
        numerator = (current - reference) * 100
        safe = defined & (np.abs(numerator) < _EXACT_FLOAT) & (np.abs(reference) < _EXACT_FLOAT)
        out[safe] = numerator[safe].astype(np.float64) / reference[safe].astype(np.float64)
    else:
        safe = np.zeros(current.size, dtype=bool)
    for i in np.flatnonzero(defined & ~safe).tolist():
        out[i] = float(Fraction(int(current[i]) - int(reference[i]), int(reference[i])) * 100)
    return out


def _floats(values: Sizes, scale: Sizes) -> Floats:
    """Exact integers over their scale, as the nearest floats."""
    if object not in (values.dtype, scale.dtype):
        found: Floats = values.astype(np.float64) / scale.astype(np.float64)
        return found
    return np.asarray([float(Fraction(int(v), int(s))) for v, s in zip(values, scale, strict=True)])


def _warnings(outcome: Outcome, visits: Int64) -> list[str]:
    """Each visit's deviations as one text (its patient's, then its own)."""
    r = outcome.readings
    d = outcome.deviations
    by_patient = {p: [str(x) for x in found] for p, found in d.patients.items()}
    out = []
    for i in visits.tolist():
        parts = by_patient.get(int(r.visit_patient[i]), [])
        more = d.visits.get(i)
        out.append("; ".join([*parts, *(str(x) for x in more)] if more else parts))
    return out


def _visit_frame(study: _Study, outcome: Outcome, *, explain: bool) -> pd.DataFrame:
    """The outcome as :data:`VISIT_COLUMNS`."""
    c = outcome.criteria
    f = outcome.facts
    h = outcome.history
    r = outcome.readings
    table = study.table
    n = r.n_visits
    follow = ~f.visit_base
    has = f.has_targets
    products = f.visit_products
    scale = units(products, r.scale)
    complete = has & follow & f.complete
    responses = [x.value for x in RESPONSES]
    t_codes = np.asarray([responses.index(x.value) for x in T_STATES if x is not None] + [-1, -1])
    nt_codes = np.asarray([responses.index(x.value) for x in NT_STATES if x is not None] + [-1, -1])
    ids = c.rule_ids()
    rule_words = [ids.get(rule, "") for rule in h.rules]
    categories = list(dict.fromkeys([*rule_words, BASELINE_RULE]))
    rule_code = np.asarray(
        [categories.index(w) for w in rule_words] + [categories.index(BASELINE_RULE)],
        dtype=np.int64,
    )
    warning_index, warning_codes = _codes(_warnings(outcome, np.arange(n)))
    recurrences = [""] * n
    for i, found in outcome.deviations.recurrences.items():
        recurrences[i] = recurrence_label(found)
    rec_index, rec_codes = _codes(recurrences)
    columns: dict[str, object] = {
        "patient": _categorical(study.v_pid, table.data["patient"].cat.categories),
        "visit": _categorical(study.visit_codes, table.data["visit"].cat.categories),
        "day": r.visit_day,
    }
    if table.has_dates:
        columns["date"] = table.data["date"].to_numpy()[study.visit_start]
    columns.update(
        {
            "sum_mm": np.where(has & (f.assessed > 0), _floats(f.total, scale), np.nan),
            "baseline_sum_mm": np.where(has, _floats(f.baseline, scale), np.nan),
            "nadir_mm": np.where(has & follow, _floats(f.nadir, scale), np.nan),
            "pct_change_baseline": _percent(f.total, f.baseline, complete & (f.baseline != 0)),
            "pct_change_nadir": _percent(f.total, f.nadir, complete & (f.nadir > 0)),
            "target_response": _categorical(
                t_codes[np.where(follow & has, h.target, -1)], responses
            ),
            "non_target_response": _categorical(
                nt_codes[np.where(follow, r.visit_non_target, -1)], responses
            ),
            "new_lesions": follow & r.visit_new,
            "response": _categorical(np.where(follow, h.overall, -1), responses),
            "rule": _categorical(rule_code[np.where(follow, h.rule, -1)], categories),
        }
    )
    if explain:
        words = np.empty(n, dtype=object)
        later = np.flatnonzero(follow)
        if later.size:
            words[later] = explain_visits(outcome, later).paragraphs()
        first = np.flatnonzero(~follow)
        words[first] = baseline_texts(outcome, first)
        # Object dtype on purpose: converting 250,000 unique sentences to Arrow strings
        # would cost more than building them.
        columns["explanation"] = pd.Series(words, dtype=object)
    columns.update(
        {
            "recurrence": _categorical(rec_codes.astype(np.int64), list(rec_index)),
            "criteria": _categorical(np.zeros(n, dtype=np.int64), [c.name]),
            "measure": _categorical(
                products.astype(np.int64), [Measure.DIAMETER.value, Measure.PRODUCT.value]
            ),
            "unit": _categorical(products.astype(np.int64), ["mm", "mm²"]),
            "all_assessed": np.where(has, f.complete, True),
            "lesions_assessed": f.assessed.astype(np.int64),
            "target_lesions": f.visit_targets.astype(np.int64),
            "warnings": _categorical(warning_codes.astype(np.int64), list(warning_index)),
        }
    )
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------- best response


def _best(study: _Study, outcome: Outcome, options: SeriesOptions) -> pd.DataFrame:
    """Best overall response per patient from the outcome.

    The algorithm is ``best_response``'s own (:func:`remission.best.best_of_checked`, as
    the options were checked once for all patients). Patients with the same sequence of
    (day, response) share one call: the answer is a function of that sequence and the
    options alone.
    """
    c = outcome.criteria
    f = outcome.facts
    h = outcome.history
    r = outcome.readings
    patient = r.visit_patient
    starts, groups = segments(patient)
    follow = ~f.visit_base
    overall = h.overall
    is_pd = follow & (overall == RESPONSES.index(Response.PD))
    pd_before = pd.Series(is_pd.astype(np.int64)).groupby(patient).cumsum().to_numpy() - is_pd
    pct = _percent(f.total, f.baseline, f.has_targets & follow & f.complete & (f.baseline != 0))
    counted = np.where(follow & (pd_before == 0), pct, np.nan)
    best_pct = pd.Series(counted).groupby(patient, sort=False).min().to_numpy(dtype=np.float64)
    nothing = h.unseen
    cache: dict[tuple[Response, tuple[tuple[int, int, bool], ...]], int] = {}
    results: list[BestResponse] = []
    which = np.empty(starts.size, dtype=np.int64)
    ends = np.append(starts[1:], patient.size).tolist()
    day_list = r.visit_day.tolist()
    r_list = overall.tolist()
    nothing_list = nothing.tolist()
    stable_of = {has: stable_response(c, has_targets=has) for has in (False, True)}
    stable = [stable_of[bool(x > 0)] for x in f.n_targets.tolist()]
    for index, (start, end) in enumerate(zip(starts.tolist(), ends, strict=True)):
        pairs = tuple((day_list[i], r_list[i], nothing_list[i]) for i in range(start + 1, end))
        key = (stable[index], pairs)
        found = cache.get(key)
        if found is None:
            found = len(results)
            results.append(
                best_of_checked(
                    [(d, RESPONSES[x]) for d, x, _ in pairs],
                    unseen={d for d, _, saw_nothing in pairs if saw_nothing},
                    confirmation_days=options.confirmation_days,
                    sd_min_days=options.sd_min_days,
                    max_ne_between=options.max_ne_between,
                    accept_sd=options.accept_sd,
                    stable=stable[index],
                )
            )
            cache[key] = found
        which[index] = found
    patient_warnings = _warnings(outcome, starts)
    warnings = [
        "; ".join([w for w in (p,) if w] + [str(x) for x in results[k].warnings])
        for p, k in zip(patient_warnings, which.tolist(), strict=True)
    ]
    warning_texts = list(dict.fromkeys(warnings))
    warning_index = {w: i for i, w in enumerate(warning_texts)}
    responses = [x.value for x in RESPONSES]
    rule_texts = list(dict.fromkeys(str(b.explanation.rule) for b in results))
    explanation = np.asarray(
        [f"{b.explanation.clinician} Rule: {b.explanation.rule}." for b in results], dtype=object
    )
    return pd.DataFrame(
        {
            "patient": _categorical(study.patient_pid, study.table.data["patient"].cat.categories),
            "best_response": _categorical(
                np.asarray([responses.index(b.response.value) for b in results], dtype=np.int64)[
                    which
                ],
                responses,
            ),
            "best_response_day": pd.array([results[k].day for k in which.tolist()], dtype="Int64"),
            "confirmed_day": pd.array(
                [results[k].confirmed_day for k in which.tolist()], dtype="Int64"
            ),
            "best_pct_change": best_pct,
            "explanation": explanation[which],
            "criteria": _categorical(np.zeros(starts.size, dtype=np.int64), [c.name]),
            "rule": _categorical(
                np.asarray(
                    [rule_texts.index(str(b.explanation.rule)) for b in results], dtype=np.int64
                )[which],
                rule_texts,
            ),
            "assessments": np.bincount(groups[follow], minlength=starts.size).astype(np.int64),
            "warnings": _categorical(
                np.asarray([warning_index[w] for w in warnings], dtype=np.int64), warning_texts
            ),
        }
    )
