"""README's promises: two set-up commands, and CI runs the test one verbatim."""

import re
from pathlib import Path

import remission

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.DOTALL)


def test_exactly_two_setup_commands() -> None:
    assert setup_commands() == ["bash scripts/run.sh", "bash scripts/check.sh"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_python_example_runs() -> None:
    example = README.split("## Ten lines of Python", 1)[1].split("```python\n", 1)[1]
    code = example.split("```", 1)[0]
    namespace: dict[str, object] = {"print": lambda *args: None}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    r = namespace["r"]
    assert isinstance(r, remission.Assessment)
    assert r.response is remission.Response.PR


def test_criteria_table_lists_every_set() -> None:
    for name in remission.CRITERIA:
        assert f"| `{name}`" in README
