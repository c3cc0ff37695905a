"""Every bad input in tests/corpus is rejected with its own code at its exact position."""

import pytest

from corpus_cases import cases, run_case

CASES = cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_rejected_at_its_position(name, tmp_path):
    outcome = run_case(name, CASES[name], tmp_path)
    assert outcome.crashed is None
    assert outcome.expected in outcome.found, outcome.found
    assert outcome.seconds < 10  # bounded: a generous ceiling, not a speed target


def test_corpus_covers_the_listed_kinds_of_bad_input():
    codes = {spec["code"] for spec in CASES.values()}
    assert {"yaml-syntax", "fm-unclosed", "yaml-duplicate-key", "yaml-alias", "yaml-tab", "yaml-coerced",
            "date-invalid", "key-unknown", "key-missing", "type-list", "file-empty", "file-encoding",
            "file-binary", "fm-too-large", "yaml-too-deep", "raw-html", "link-unsafe", "attachment-executable",
            "attachment-mismatch", "attachment-outside", "personal-contact"} <= codes
