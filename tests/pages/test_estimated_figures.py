"""Token figures the app counted itself, because the server sent none, say so wherever a run is shown."""

from streamlit.testing.v1 import AppTest


def show(estimated: bool) -> None:
    from components.playground.panel import side_metrics
    from tests.fakes.results import side_result

    side_metrics(side_result("openai:m@http://127.0.0.1:8080/v1", output_tokens=42, tokens_estimated=estimated))


def shown(estimated: bool) -> str:
    at = AppTest.from_function(show, args=(estimated,), default_timeout=30).run()
    assert not at.exception
    return "\n".join(block.value for block in [*at.markdown, *at.caption])


def test_estimated_counts_are_labelled_with_the_reason():
    text = shown(True)
    assert "**42 (estimated)**" in text and "**10.0 (estimated)**" in text
    assert "the server reported no token counts" in text


def test_reported_counts_carry_no_label():
    text = shown(False)
    assert "**42**" in text and "estimated" not in text.lower()
