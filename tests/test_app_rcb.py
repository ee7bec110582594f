"""The "Residual cancer burden" page, driven by Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "rcb.py")


def run(**values: float) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    for key, value in values.items():
        at.number_input(key=key).set_value(value)
    at.button[0].click().run()
    return at


def test_renders_with_the_class_table() -> None:
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    assert not at.exception
    assert "RCB-III" in at.dataframe[0].value["class"].tolist()


def test_an_untouched_form_asks_for_the_values_not_a_false_pcr() -> None:
    at = run()
    assert not at.exception
    assert not any(m.value.startswith("## RCB") for m in at.markdown), "no result is shown"
    assert at.error, "a problem is shown"
    assert "is missing" in at.error[0].value


def test_pcr() -> None:
    at = run(rcb_d1=0, rcb_d2=0, rcb_ca=0, rcb_cis=0, rcb_ln=0)
    assert not at.exception
    assert any("RCB-0 — pathological complete response" in m.value for m in at.markdown)


def test_rcb_ii_case() -> None:
    # d_prim = √200 = 14.142; f_inv = 0.9 × 0.3 = 0.27; 1.4 × 3.818^0.17 = 1.758;
    # nodal: 4 × (1 − 0.75²) × 4 = 7; 7^0.17 = 1.392; total 3.150: RCB-II.
    at = run(rcb_d1=20, rcb_d2=10, rcb_ca=30, rcb_cis=10, rcb_ln=2, rcb_dmet=4)
    assert not at.exception
    assert any(m.value.startswith("## RCB-II") for m in at.markdown)
    assert at.metric[0].value == "3.150"


def test_positive_nodes_need_a_size_and_input_stays() -> None:
    at = run(rcb_d1=20, rcb_d2=10, rcb_ca=30, rcb_ln=2)
    assert not at.exception
    assert at.error, "a problem is shown"
    assert "largest lymph\\-node metastasis" in at.error[0].value
    assert at.number_input(key="rcb_d1").value == 20


def test_problems_name_the_fields_as_the_form_does() -> None:
    at = run(rcb_d1=20, rcb_d2=10, rcb_ca=30, rcb_cis=0, rcb_ln=2)
    assert not at.exception
    shown = at.error[0].value.replace("\\", "")  # without Markdown escapes
    assert "'Largest nodal metastasis (mm)'" in shown
    assert "largest_node_met_mm" not in shown
    assert "positive_nodes" not in shown
