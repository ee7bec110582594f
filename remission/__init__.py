"""remission: rule-based tumour-response classification, explained.

Classify baseline and follow-up tumour measurements under the founding document's
50 % rule (``basic``, the default), WHO 1981, RECIST 1.0 or RECIST 1.1, with the numbers,
the rule that fired and its citation, in clinician and patient words.

Examples:
    >>> import remission
    >>> r = remission.classify([52.0, 31.0], [20.0, 11.0], criteria="recist1.1")
    >>> r.response
    <Response.PR: 'PR'>
"""

from importlib import import_module
from typing import TYPE_CHECKING

from remission.best import BestResponse, best_response
from remission.criteria import CRITERIA, Criteria, get_criteria
from remission.engine import Assessment, LesionResult, Series, classify, classify_series, compare
from remission.errors import Deviation, InvalidInput, Problem
from remission.explain import Explanation
from remission.measurements import TOO_SMALL, Lesion, Unit, Visit
from remission.rcb import RcbClass, RcbResult, rcb
from remission.recurrence import Recurrence, RecurrenceKind, classify_recurrence
from remission.response import NonTargetStatus, Response
from remission.wording import DISCLAIMER

if TYPE_CHECKING:  # the batch API loads pandas, so it is imported on first use (below)
    from remission import examples
    from remission.frame import best_response_frame, classify_frame
    from remission.sr import read_sr

__all__ = [
    "CRITERIA",
    "DISCLAIMER",
    "TOO_SMALL",
    "Assessment",
    "BestResponse",
    "Criteria",
    "Deviation",
    "Explanation",
    "InvalidInput",
    "Lesion",
    "LesionResult",
    "NonTargetStatus",
    "Problem",
    "RcbClass",
    "RcbResult",
    "Recurrence",
    "RecurrenceKind",
    "Response",
    "Series",
    "Unit",
    "Visit",
    "best_response",
    "best_response_frame",
    "classify",
    "classify_frame",
    "classify_recurrence",
    "classify_series",
    "compare",
    "examples",
    "get_criteria",
    "rcb",
    "read_sr",
]

__version__ = "0.1.0"

_LAZY = {
    "best_response_frame": "remission.frame",
    "classify_frame": "remission.frame",
    "examples": "remission.examples",
    "read_sr": "remission.sr",  # pydicom and highdicom, the `dicom` extra
}


def __getattr__(name: str) -> object:
    """Load the batch API (pandas) and the DICOM reader when first used: `import remission` stays light."""
    if name not in _LAZY:
        raise AttributeError(f"module 'remission' has no attribute {name!r}")
    module = import_module(_LAZY[name])
    return module if name == "examples" else getattr(module, name)
