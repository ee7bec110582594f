"""A roles CSV: the roles (and nodes) a viewer did not record, one row per lesion."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from remission.errors import Problem

__all__ = ["ROLES", "ROLE_COLUMNS", "RoleRow", "Roles", "read_roles"]

ROLE_COLUMNS: Final = ("lesion", "role")
"""A roles CSV's required columns; ``patient`` and ``node`` are optional."""
ROLES: Final = ("target", "non-target", "new")

Roles = Mapping[str, str] | pd.DataFrame | str | os.PathLike[str] | bytes
"""Roles given: a CSV (path or bytes), a DataFrame, or a mapping lesion → role."""

# --------------------------------------------------------------------------- roles CSV


@dataclass(frozen=True)
class RoleRow:
    """One row of a roles CSV: its line, the patient it is limited to, role and node."""

    line: int
    patient: str | None
    role: str
    node: bool | None


def read_roles(
    roles: Roles | None,
    problems: list[Problem],
) -> dict[str, list[RoleRow]]:
    """Lesion (Tracking Identifier text or UID) → the rows that give its role."""
    if roles is None:
        return {}
    if isinstance(roles, Mapping):
        frame = pd.DataFrame({"lesion": list(roles), "role": list(roles.values())})
    elif isinstance(roles, pd.DataFrame):
        frame = roles.astype(str)
    else:
        try:
            source: Any = io.BytesIO(roles) if isinstance(roles, bytes) else Path(roles)
            frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
            problems.append(
                Problem(
                    "roles CSV",
                    "file",
                    f"cannot be read ({type(error).__name__})",
                    "give a UTF-8 CSV with the columns lesion,role",
                )
            )
            return {}
    names = {str(c).strip().lower(): c for c in frame.columns}
    missing = [c for c in ROLE_COLUMNS if c not in names]
    if missing:
        problems.append(
            Problem(
                "roles CSV, row 1 (header)",
                ", ".join(missing),
                "the column is missing",
                "give the columns lesion,role (optional: patient, node)",
            )
        )
        return {}
    found: dict[str, list[RoleRow]] = {}
    for position, row in enumerate(frame.itertuples(index=False), start=2):
        cells = dict(zip(frame.columns, row, strict=True))
        lesion = str(cells[names["lesion"]]).strip()
        role = str(cells[names["role"]]).strip().lower().replace("nontarget", "non-target")
        where = f"roles CSV, row {position}"
        if not lesion:
            problems.append(
                Problem(where, "lesion", "is empty", "give the lesion's Tracking Identifier")
            )
            continue
        if role not in ROLES:
            problems.append(
                Problem(where, "role", f"{role!r} is not a role", "write target, non-target or new")
            )
            continue
        node: bool | None = None
        if "node" in names:
            word = str(cells[names["node"]]).strip().lower()
            if word in {"yes", "y", "true", "1"}:
                node = True
            elif word in {"no", "n", "false", "0"}:
                node = False
            elif word:
                problems.append(
                    Problem(where, "node", f"{word!r} is not yes or no", "write yes or no")
                )
                continue
        patient = str(cells[names["patient"]]).strip() if "patient" in names else ""
        found.setdefault(lesion, []).append(RoleRow(position, patient or None, role, node))
    return found
