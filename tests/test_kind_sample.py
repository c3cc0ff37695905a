"""Kind.sample(): every kind makes a valid entry from its declared examples, against a site's
own registries (not the sample knowledge base's)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from generator.model.registries import load_registries

REGISTRIES = {
    "tags.yml": "reading:\n  zh: 閱讀推廣\n  en: Reading promotion\n",
    "institutions.yml": ("hill-lib:\n  name_zh: 山丘市立圖書館\n  name_en: Hill City Library\n"
                         "  type: public\n"),
    "organizations.yml": ("mla:\n  name_zh: 山丘圖書館學會\n  name_en: Hill Library Association\n"
                          "  type: organization\n  website: https://mla.example.org/\n"),
}


def site_with_samples(tmp_path, kinds):
    content = tmp_path / "content"
    (content / "registries").mkdir(parents=True)
    for name, text in REGISTRIES.items():
        (content / "registries" / name).write_text(text, encoding="utf-8")
    registries, problems = load_registries(content)
    assert problems == []
    for kind in kinds:
        data, body = kind.sample(registries)
        (content / kind.folder).mkdir()
        text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n" + body
        (content / kind.folder / "sample.md").write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize("kind_id", sorted(KINDS))
def test_sample_is_a_valid_entry(tmp_path, kind_id):
    kind = KINDS[kind_id]
    content = site_with_samples(tmp_path, [kind])
    kb = load_knowledge_base(content, today=dt.date(2024, 6, 1))
    assert [(p.path, p.line, p.code) for p in kb.problems] == []
    [entry] = kb.entries
    assert entry.kind is kind
    # the site's own registry values, not the examples' (which name the sample site's)
    for f in kind.schema.fields:
        if f.required and getattr(f.type, "registry", None) == "institutions":
            assert entry.data[f.name] == "hill-lib"


def test_samples_of_every_kind_together(tmp_path):
    content = site_with_samples(tmp_path, KINDS.values())
    kb = load_knowledge_base(content, today=dt.date(2024, 6, 1))
    assert kb.errors == []
    assert len(kb.entries) == len(KINDS)
