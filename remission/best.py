"""Best overall response across visits, with confirmation, as RECIST 1.1 section 4.4.3.

The options are admiralonco's (``derive_param_confirmed_bor``) so trial programmers get
the same answers: a CR or PR is confirmed by a later assessment at least
``confirmation_days`` later (no "+1"); between the two, at most ``max_ne_between`` NE
assessments and (for PR, when ``accept_sd``) one SD may lie. An unconfirmed CR or PR, and
SD or NON-CR/NON-PD, count as SD (or themselves) only once ``sd_min_days`` have passed
since baseline, else NE (RECIST 1.1 Table 3; section 4.6.1).

Disease seen again right after a CR (a PR, SD or NON-CR/NON-PD) is progression at that
point, as Table 3's footnote a reads when the CR was real (rows CR/PR, CR/SD: "SD provided
minimum criteria for SD duration met, otherwise PD"); a PR after a CR is also flagged,
since the footnote's other reading (a doubtful CR, to be recorded as PR) needs the data
checked. Assessments after the first PD, recorded or so counted, do not count. (Here
admiralonco's ``derive_param_confirmed_bor`` may answer SD where remission answers PD: it
does not count disease after a CR as progression.)
"""

from __future__ import annotations

import numbers
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Final

from remission.citations import EISENHAUER_2009, Citation
from remission.criteria import Criteria, Rule
from remission.errors import Deviation, Problem, Problems
from remission.response import Response
from remission.results import BestResponse, Counted, Explanation

__all__ = ["DISEASE_SEEN", "BestResponse", "Counted", "best_response", "stable_response"]

_TABLE_3 = Rule(
    "Best overall response: the best time-point response from the start of treatment "
    "until progression, confirmed when required",
    Citation(EISENHAUER_2009, "section 4.4.3 and Table 3"),
)
_NO_CONFIRMATION = Rule(
    "Best overall response without confirmation: the best time-point response; SD must "
    "be met at least the minimum interval after baseline",
    Citation(EISENHAUER_2009, "sections 4.4.3 and 4.6.1"),
)


def best_response(
    assessments: Iterable[tuple[int, str | Response]],
    *,
    confirmation_days: int | None = None,
    sd_min_days: int = 42,
    max_ne_between: int = 1,
    accept_sd: bool = False,
    stable: Response | None = None,
    unseen: Iterable[int] = (),
) -> BestResponse:
    """Best overall response from recorded time-point responses ``(day, code)``.

    Days count from baseline. ``confirmation_days=None`` means no confirmation is
    required (RECIST 1.1 section 4.6.1: randomised trials). ``stable`` is what an
    unconfirmed CR or PR counts as: SD, or NON-CR/NON-PD for a patient with only
    non-target disease (RECIST 1.1 Table 2 footnote: never SD); ``None`` infers it:
    NON-CR/NON-PD when any was recorded (only such patients get it), else SD.
    ``unseen`` are the days of PRs that saw no disease (targets still gone, non-targets
    not evaluated: RECIST 1.1 Table 1 row CR/NE/No): after a CR they are not disease seen
    again (Table 3 footnote a needs disease), and the CR still stands behind them.

    Examples:
        >>> b = best_response([(56, "SD"), (84, "PR"), (112, "PR"), (168, "PD")],
        ...                   confirmation_days=28, sd_min_days=42)
        >>> b.response, b.day, b.confirmed_day
        (<Response.PR: 'PR'>, 84, 112)
        >>> best_response([(28, "CR"), (56, "PD")], confirmation_days=28).response
        <Response.PD: 'PD'>
        >>> best_response([(42, "PR"), (84, "SD")], confirmation_days=28).response
        <Response.SD: 'SD'>
        >>> best_response([(28, "CR"), (35, "SD")], confirmation_days=28).response
        <Response.PD: 'PD'>
        >>> best_response([(42, "CR"), (56, "CR")], confirmation_days=28,
        ...               stable=Response.NON_CR_NON_PD).response
        <Response.NON_CR_NON_PD: 'NON-CR/NON-PD'>
    """
    problems = Problems()
    problems.extend(option_problems(confirmation_days, sd_min_days, max_ne_between, accept_sd))
    listed = _listed(unseen, problems)
    problems.raise_if_any()
    visits = _read(assessments)
    return best_of_checked(
        visits,
        unseen=_unseen_prs(visits, listed),
        confirmation_days=None if confirmation_days is None else int(confirmation_days),
        sd_min_days=int(sd_min_days),
        max_ne_between=int(max_ne_between),
        accept_sd=bool(accept_sd),
        stable=stable,
    )


def best_of_checked(
    visits: Sequence[tuple[int, Response]],
    *,
    unseen: Collection[int],
    confirmation_days: int | None,
    sd_min_days: int,
    max_ne_between: int,
    accept_sd: bool,
    stable: Response | None,
) -> BestResponse:
    """:func:`best_response` of assessments and options already checked.

    For callers that checked them once for many patients (the batch engine): days are
    ints after 0 in increasing order, responses are :class:`Response` members, ``unseen``
    are days of PRs among them. Nothing is checked again.
    """
    if stable is None:
        seen = any(recorded is Response.NON_CR_NON_PD for _, recorded in visits)
        stable = Response.NON_CR_NON_PD if seen else Response.SD
    # Up to the first progression, recorded or implied: disease seen again after a CR is
    # PD at that point (Table 3, footnote a, and rows CR/SD and CR/PD).
    kept: list[tuple[int, Response]] = []
    came_back: dict[int, Response] = {}
    for day, recorded in visits:
        response = recorded
        if recorded in DISEASE_SEEN and day not in unseen and _after_cr(kept, unseen):
            came_back[len(kept)] = recorded
            response = Response.PD
        kept.append((day, response))
        if response is Response.PD:
            break
    ignored = len(visits) - len(kept)

    counted: list[Counted] = []
    confirmations: dict[int, int] = {}
    for index, (day, response) in enumerate(kept):
        if index in came_back:
            why = (
                f"{came_back[index].value} after CR: disease seen again after a complete "
                "response is progression (Table 3, footnote a)"
            )
            counted.append(Counted(day, came_back[index], Response.PD, why))
        elif response in (Response.CR, Response.PR) and confirmation_days is not None:
            confirmed = confirming_day(
                kept, index, confirmation_days, max_ne_between, accept_sd, unseen
            )
            if confirmed is not None:
                confirmations[index] = confirmed
                why = f"confirmed by day {confirmed}"
                counted.append(Counted(day, response, response, why))
                continue
            fallback, why = _too_early(day, sd_min_days, stable)
            counted.append(Counted(day, response, fallback, f"not confirmed; {why}"))
        elif response in (Response.SD, Response.NON_CR_NON_PD):
            counted_as, why = _too_early(day, sd_min_days, response)
            counted.append(Counted(day, response, counted_as, why))
        else:
            counted.append(Counted(day, response, response, "as recorded"))

    warnings = _cr_then_pr(kept, came_back)
    if not counted:
        return BestResponse(
            Response.NE,
            None,
            None,
            Explanation(
                clinician="No follow-up assessment: best overall response is NE.",
                patient="There is no follow-up measurement yet, so there is no best response.",
                rule=_TABLE_3 if confirmation_days is not None else _NO_CONFIRMATION,
            ),
        )
    best_index = max(range(len(counted)), key=lambda i: (counted[i].counted_as.rank, -i))
    best = counted[best_index]
    confirmed_day = confirmations.get(best_index)
    rule = _TABLE_3 if confirmation_days is not None else _NO_CONFIRMATION
    trail = "; ".join(
        f"day {c.day} {c.recorded.value}"
        + ("" if c.counted_as is c.recorded else f" → {c.counted_as.value}")
        + f" ({c.why})"
        for c in counted
    )
    clinician = (
        f"Best overall response {best.counted_as.value} ({best.counted_as.phrase}), "
        f"from the assessment on day {best.day}"
        + (f", confirmed on day {confirmed_day}" if confirmed_day is not None else "")
        + f". Assessments: {trail}."
        + (f" {ignored} assessment(s) after the first PD were not counted." if ignored else "")
    )
    day, latest = kept[-1]  # the first PD, or else the latest assessment
    patient = _patient_words(best, (day, Response.NE if day in unseen else latest))
    return BestResponse(
        best.counted_as,
        best.day,
        confirmed_day,
        Explanation(
            clinician=clinician, patient=patient, rule=rule, warnings=tuple(map(str, warnings))
        ),
        tuple(counted),
        tuple(warnings),
    )


def _patient_words(best: Counted, latest: tuple[int, Response]) -> str:
    """The best result in the past tense, and, when it is not the latest, what came after.

    ``latest``: the first progression (nothing after it counts, section 4.4.3), or else
    the latest assessment, NE when it saw no disease (targets gone, non-targets not
    evaluated: PR by Table 1, but nothing shown to be there).

    A best response is history: told in the present tense ("no tumour can be seen") it
    would reassure a patient whose cancer has since grown.

    Examples:
        >>> cr = Counted(56, Response.CR, Response.CR, "confirmed by day 84")
        >>> print(_patient_words(cr, (112, Response.PD)))
        Looking at all the visits together, the best result was on day 56: no measurable tumour could be seen (complete remission). It is not the result now: later, on day 112, the cancer had grown or spread. Your care team will explain what this means for you.
    """
    if best.counted_as is Response.PD:
        seen_again = best.recorded is not Response.PD  # after a CR (Table 3 footnote a)
        what = (
            "disease was seen again after it had gone, which counts as the cancer growing"
            if seen_again
            else "the cancer had grown or spread"
        )
        return (
            f"Looking at all the visits together, there is no response to report: on day "
            f"{best.day}, {what}. Your care team will explain what this means for you."
        )
    words = (
        f"Looking at all the visits together, the best result was on day {best.day}: "
        f"{best.recorded.patient_then}."
    )
    if best.counted_as is not best.recorded:
        words += (
            " It does not count as a remission because no later scan has confirmed it."
            if best.recorded in (Response.CR, Response.PR)
            else " It does not count because it came too soon after the start of treatment."
        )
    day, now = latest
    if day == best.day or now is best.recorded:
        return words
    if now is Response.NE:
        return (
            f"{words} The latest assessment, on day {day}, could not show how things are now. "
            "Your care team will explain what this means for you."
        )
    when = "later, on day" if now is Response.PD else "at the latest assessment, on day"
    pending = (
        ", not yet confirmed by a later scan"
        if now in (Response.CR, Response.PR) and now.rank > best.counted_as.rank
        else ""
    )
    return (
        f"{words} It is not the result now: {when} {day}, {now.patient_then}{pending}. Your "
        "care team will explain what this means for you."
    )


def _read(assessments: Iterable[tuple[int, str | Response]]) -> list[tuple[int, Response]]:
    problems = Problems()
    visits: list[tuple[int, Response]] = []
    previous_day: int | None = None
    for position, (given, code) in enumerate(assessments, start=1):
        where = f"assessment {position}"
        # Any integer type will do (numpy's from a DataFrame too), never a bool.
        day = int(given) if isinstance(given, numbers.Integral) else None
        if day is None or isinstance(given, bool):
            problems.add(
                where, "day", f"{given!r} is not a whole number", "give days since baseline"
            )
        else:
            if day <= 0:
                problems.add(
                    where,
                    "day",
                    f"day {day} is not after baseline (day 0)",
                    "give days since the baseline scan; response is assessed after it",
                )
            if previous_day is not None and day <= previous_day:
                problems.add(
                    where,
                    "day",
                    f"day {day} is not after day {previous_day}",
                    "list assessments in time order, one per day",
                )
            previous_day = day
        try:
            response = Response(str(code).strip().upper())
        except ValueError:
            codes = ", ".join(r.value for r in Response)
            problems.add(
                where, "response", f"{code!r} is not a response code", f"use one of {codes}"
            )
            continue
        if day is not None:
            visits.append((day, response))
    problems.raise_if_any()
    return visits


def _too_early(day: int, sd_min_days: int, response: Response) -> tuple[Response, str]:
    if day >= sd_min_days:
        return response, f"counted as {response.value}: day {day} ≥ {sd_min_days}"
    return (
        Response.NE,
        f"day {day} is before the minimum of {sd_min_days} days for {response.value}",
    )


DISEASE_SEEN: Final = frozenset({Response.PR, Response.SD, Response.NON_CR_NON_PD})
"""Time-point responses that mean disease is present (PD ends the counting anyway)."""


def option_problems(
    confirmation_days: object, sd_min_days: object, max_ne_between: object, accept_sd: object
) -> list[Problem]:
    """What is wrong with the best-response options, every problem at once.

    Days and counts are whole numbers of 0 or more (numpy's integers too, never a bool);
    ``confirmation_days`` may be None (no confirmation); ``accept_sd`` is True or False.
    """
    problems: list[Problem] = []
    for name, value, what, fix in (
        (
            "confirmation_days",
            confirmation_days,
            "a number of days",
            "give whole days (e.g. 28), or None for no confirmation",
        ),
        ("sd_min_days", sd_min_days, "a number of days", "give whole days (e.g. 42)"),
        (
            "max_ne_between",
            max_ne_between,
            "a count",
            "give how many NE assessments may lie between a response and its confirmation: "
            "0, 1, 2…",
        ),
    ):
        if value is None and name == "confirmation_days":
            continue
        if not _whole(value) or int(value) < 0:  # type: ignore[call-overload]
            problems.append(Problem("options", name, f"{value!r} is not {what} of 0 or more", fix))
    if not is_boolean(accept_sd):
        problems.append(
            Problem(
                "options", "accept_sd", f"{accept_sd!r} is not True or False", "give True or False"
            )
        )
    return problems


def _whole(value: object) -> bool:
    """A whole number of any integer type (numpy's too), never a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _listed(unseen: Iterable[int], problems: Problems) -> list[int]:
    """The unseen days, read once (a generator would be empty the second time)."""
    try:
        return list(unseen)
    except TypeError:
        problems.add(
            "options", "unseen", f"{unseen!r} is not a list of days", "give a list of days"
        )
        return []


def _unseen_prs(visits: Sequence[tuple[int, Response]], unseen: Collection[int]) -> set[int]:
    """The days of ``unseen`` that are PRs among the assessments; anything else refused."""
    prs = {day for day, response in visits if response is Response.PR}
    days = {day for day, _ in visits}
    problems = Problems()
    for day in unseen:
        if isinstance(day, bool) or not isinstance(day, numbers.Integral) or int(day) not in days:
            problems.add(
                "options",
                "unseen",
                f"{day!r} is not the day of an assessment",
                "list the days of the PRs that saw no disease (targets gone, non-targets "
                "not evaluated)",
            )
        elif int(day) not in prs:
            problems.add(
                "options",
                "unseen",
                f"day {day} is not a PR",
                "only a PR can have seen no disease (Table 1: targets CR, non-targets NE)",
            )
    problems.raise_if_any()
    return {int(day) for day in unseen}


def is_boolean(value: object) -> bool:
    """True or False, as Python or numpy writes them (a string such as "no" is not)."""
    return isinstance(value, bool) or type(value).__name__ in {"bool_", "bool"}


def _after_cr(visits: Sequence[tuple[int, Response]], unseen: Collection[int] = ()) -> bool:
    """True when the latest assessment that is not NE (nor a PR that saw nothing) was a CR."""
    for day, earlier in reversed(visits):
        if earlier is not Response.NE and day not in unseen:
            return earlier is Response.CR
    return False


def confirming_day(  # noqa: PLR0917 - the options of best_response
    visits: Sequence[tuple[int, Response]],
    index: int,
    confirmation_days: int,
    max_ne_between: int,
    accept_sd: bool,
    unseen: Collection[int] = (),
) -> int | None:
    """The day of the first later assessment that confirms ``visits[index]``.

    A PR that saw no disease (``unseen``) lies between like an NE: it neither confirms
    nor breaks a CR.
    """
    day, response = visits[index]
    confirming = {Response.CR} if response is Response.CR else {Response.CR, Response.PR}
    between_ok = (
        {Response.CR, Response.NE}
        if response is Response.CR
        else {Response.CR, Response.PR, Response.NE}
    )
    ne_seen = sd_seen = 0
    for later_day, recorded in visits[index + 1 :]:
        later = Response.NE if later_day in unseen and response is Response.CR else recorded
        if later_day >= day + confirmation_days and later in confirming:
            return later_day
        if later is Response.NE:
            ne_seen += 1
        elif later is Response.SD and accept_sd and response is Response.PR:
            sd_seen += 1
        elif later not in between_ok:
            return None
        if ne_seen > max_ne_between or sd_seen > 1:
            return None
    return None


def _cr_then_pr(
    visits: Sequence[tuple[int, Response]], came_back: Mapping[int, Response]
) -> list[Deviation]:
    """Flag a PR counted as PD after a CR: RECIST 1.1 Table 3 footnote a asks for a check."""
    return [
        Deviation(
            f"day {visits[index][0]}",
            "PR after CR, counted as PD: if the CR was real, disease coming back is "
            "progression; if the CR was doubtful (small lesions likely still there), record "
            "it as PR, and the best response is PR",
            "Eisenhauer et al. 2009 (RECIST 1.1), Table 3 footnote",
        )
        for index, recorded in came_back.items()
        if recorded is Response.PR
    ]


def stable_response(criteria: Criteria, *, has_targets: bool) -> Response:
    """Neither response nor progression: SD, or what the criteria call it without targets.

    For disease that is only non-target, RECIST 1.1 says NON-CR/NON-PD (Table 2); WHO
    and RECIST 1.0 keep SD.

    Examples:
        >>> from remission.criteria import RECIST_1_1, WHO
        >>> stable_response(RECIST_1_1, has_targets=False).value
        'NON-CR/NON-PD'
        >>> stable_response(WHO, has_targets=False).value
        'SD'
    """
    if has_targets:
        return Response.SD
    return criteria.overall(None, Response.NON_CR_NON_PD, False).overall
