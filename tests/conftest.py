import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Run in GitHub Actions, the suite would see the generator's own repository here, and every test
# site (its own address) would fail the check that a site is the repository's (knowledge/project.py).
# Tests that want it set it themselves.
os.environ.pop("GITHUB_REPOSITORY", None)

# Markers by what a module's tests start (`make test-fast` leaves both out):
# - browser: Debian's Chromium driven by Playwright (and the servers it opens);
# - build: a real engine build, kb serve or kb edit, or other long-running processes.
BROWSER = {"test_attack", "test_browser", "test_editor", "test_editor_trial", "test_editor_untrusted_files",
           "test_offline_preview", "test_search_browser", "test_reader_browser"}
BUILD = {"test_build", "test_containment", "test_editor_stop", "test_engine", "test_hardening", "test_kinds",
         "test_photos", "test_platform", "test_preview", "test_publishing", "test_reviewer_warnings", "test_serve",
         "test_serve_problems", "test_templates", "test_workflows", "test_issuepublish", "test_synth", "test_init", "test_new_kind", "test_wheel", "test_upgrade", "test_reader_site"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in BROWSER:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.build)
        elif module in BUILD:
            item.add_marker(pytest.mark.build)


@pytest.fixture(autouse=True)
def _every_kind_and_default_values_after_each_test():
    """A test that opens a site (kb.yml: kinds, vocabularies) leaves the process as it found it:
    every kind of the generator and the default vocabularies (generator/knowledge/project.py)."""
    yield
    from generator.kinds import select
    from generator.model import vocab

    select(None)
    vocab.use_site_terms({})
