"""The package's public face: its names, its independence from the UI, its import cost."""

import subprocess
import sys

import remission


def test_public_names_are_pinned() -> None:
    # Adding a name is a decision; removing one breaks users' scripts.
    core = {
        "Assessment",
        "BestResponse",
        "CRITERIA",
        "Criteria",
        "DISCLAIMER",
        "Deviation",
        "Explanation",
        "InvalidInput",
        "Lesion",
        "LesionResult",
        "NonTargetStatus",
        "Problem",
        "Response",
        "Series",
        "TOO_SMALL",
        "Unit",
        "Visit",
        "best_response",
        "classify",
        "classify_series",
        "compare",
        "get_criteria",
    }
    assert core <= set(remission.__all__)
    assert remission.__all__ == sorted(remission.__all__, key=lambda n: (not n.isupper(), n))
    for name in remission.__all__:
        assert hasattr(remission, name), name


def test_core_never_imports_streamlit() -> None:
    code = (
        "import sys, remission, remission.frame, remission.cli; print('streamlit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_import_loads_neither_pandas_nor_streamlit() -> None:
    # `import remission` stays light (benchmarks/bench_import.py measures it); pandas
    # loads only when a table is classified.
    code = "import sys, remission; print(sorted({'pandas', 'streamlit'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_invalid_input_is_a_value_error() -> None:
    assert issubclass(remission.InvalidInput, ValueError)
