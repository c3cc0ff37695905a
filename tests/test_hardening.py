"""Attachments, personal data, the built-site scan and the all-or-nothing build."""

import os
import subprocess
import sys

import pytest
import yaml

from generator.kinds import is_role_address
from generator.knowledge.indexing import load_knowledge_base
from generator.site.sitecheck import scan_site
from generator.validation.attachments import check_file
from helpers import ENTRIES, entry_text, new_content, write
from sitebuild import write_config

PDF = b"%PDF-1.4\n%%EOF\n"


def bundle(content, files, **overrides):
    attachments = [{"file": name, "title": name} for name in files]
    write(content, "outreach/ev/index.md", entry_text("outreach", attachments=attachments, **overrides))
    for name, data in files.items():
        write(content, f"outreach/ev/{name}", data)
    return load_knowledge_base(content, "content")


def codes_at(kb):
    return sorted((p.path.rsplit("/", 1)[-1], p.code) for p in kb.problems)


def test_attachment_content_must_match_extension(tmp_path):
    kb = bundle(new_content(tmp_path), {
        "ok.pdf": PDF, "fake.pdf": b"<html>", "photo.jpg": b"\xff\xd8\xff\xe0xx", "fake.png": b"GIF89a",
        "sheet.xlsx": b"PK\x03\x04xx", "notes.txt": "筆記".encode(), "bad.csv": b"\xff\xfe\x00a",
        "virus.pdf": b"MZ\x90\x00", "run.sh": b"#!/bin/sh", "page.html": b"<p>", "logo.svg": b"<svg/>",
        "data.xyz": b"x",
    })
    assert codes_at(kb) == [
        ("bad.csv", "attachment-mismatch"), ("data.xyz", "attachment-type"), ("fake.pdf", "attachment-mismatch"),
        ("fake.png", "attachment-mismatch"), ("logo.svg", "attachment-executable"),
        ("page.html", "attachment-executable"), ("run.sh", "attachment-executable"),
        ("virus.pdf", "attachment-executable"),
    ]


def test_unlisted_bundle_files_are_checked_too(tmp_path):
    content = new_content(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    write(content, "outreach/ev/img/evil.html", b"<script>")
    kb = load_knowledge_base(content, "content")
    assert [(p.path, p.code) for p in kb.problems] == [("content/outreach/ev/img/evil.html", "attachment-executable")]


def test_symlinks_are_refused(tmp_path):
    content = new_content(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, content / "outreach/ev/link.txt")
    os.symlink(tmp_path, content / "outreach/ev/dir")
    os.symlink(secret, content / "tools/linked.md")
    kb = load_knowledge_base(content, "content")
    assert sorted((p.path, p.code) for p in kb.problems) == [
        ("content/outreach/ev/dir", "file-symlink"),
        ("content/outreach/ev/link.txt", "file-symlink"),
        ("content/tools/linked.md", "file-symlink"),
    ]


def test_size_limits_come_from_kb_yml(tmp_path):
    content = new_content(tmp_path)
    (tmp_path / "kb.yml").write_text("attachments:\n  max_file_mb: 1\n  max_entry_mb: 2\n")
    big = PDF + b"0" * (1024 * 1024)
    kb = bundle(content, {"a.pdf": big, "b.pdf": big[:900_000], "c.pdf": big[:900_000], "d.pdf": big[:500_000]})
    assert codes_at(kb) == [("a.pdf", "attachment-too-large"), ("index.md", "entry-too-large")]
    (tmp_path / "kb.yml").write_text("attachments:\n  max_file_mb: lots\n")
    kb = load_knowledge_base(content, "content")
    assert ("kb.yml", "type-int") in [(p.path, p.code) for p in kb.problems]


def test_default_limits_are_generous_for_normal_files(tmp_path):
    assert check_file(ENTRIES / "outreach/nkust-book-swap-festival/flyer.pdf", "f", 10 * 1024 * 1024) == []


@pytest.mark.parametrize("email,role", [
    ("service@library.example.org", True), ("intl@ala.org", True), ("lib-ill@ntu.edu.tw", True),
    ("wang.xiaoming@gmail.com", False), ("hung1234@nlpi.edu.tw", False),
])
def test_role_addresses(email, role):
    assert is_role_address(email) is role


def test_personal_contact_needs_consent(tmp_path):
    content = new_content(tmp_path)
    write(content, "outreach/a.md", entry_text("outreach", contact={"email": "wang.xiaoming@gmail.com"}))
    write(content, "outreach/b.md", entry_text("outreach", contact={"phone": "0912-345-678"}))
    write(content, "outreach/c.md", entry_text("outreach", contact={"phone": "02-2361-9132 分機 100"}))
    write(content, "outreach/d.md", entry_text("outreach", contact={"email": "wang.xiaoming@gmail.com", "consent": True}))
    kb = load_knowledge_base(content, "content")
    assert sorted((p.path, p.code) for p in kb.problems) == [
        ("content/outreach/a.md", "personal-contact"), ("content/outreach/b.md", "personal-contact")]


def test_scan_flags_script_handlers_and_javascript_urls(tmp_path):
    site = tmp_path / "site"
    theme = '<script>__md_scope=new URL("{}",location)</script><script src="{}assets/javascripts/bundle.js"></script>'
    write(site, "404.html", f"<html><body>{theme.format('/', '/')}</body></html>")
    write(site, "ok/index.html", f"<html><body>{theme.format('..', '../')}"
                                 f'<script id="__config" type="application/json">{{}}</script></body></html>')
    write(site, "bad/index.html", "<html><body>\n<p>x</p><script>alert(1)</script>\n"
                                  '<img src=x onerror="alert(1)">\n<a href="java&#x09;script:alert(1)">a</a>\n'
                                  '<script src="https://evil.example/x.js"></script><iframe src="/"></iframe></body></html>')
    found = sorted((p.path, p.line, p.code) for p in scan_site(site))
    assert found == [
        ("site/bad/index.html", 2, "site-script"),
        ("site/bad/index.html", 3, "site-event-handler"),
        ("site/bad/index.html", 4, "site-unsafe-url"),
        ("site/bad/index.html", 5, "site-embed"),
        ("site/bad/index.html", 5, "site-script"),
    ]


def test_build_fails_when_a_page_carries_foreign_script(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools"))
    cfg = write_config(tmp_path)
    config = yaml.safe_load(cfg.read_text())
    config["extra_javascript"] = ["https://cdn.example.com/tracker.js"]
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)], cwd=tmp_path,
                            capture_output=True, text=True, env={**os.environ, "KB_LANG": "en", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "[site-script]" in result.stderr and "tracker.js" in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_build_keeps_the_old_site_when_the_build_fails(tmp_path):
    project = tmp_path
    content = new_content(project)
    write(content, "tools/a.md", entry_text("tools"))
    write_config(project)
    kb = [sys.executable, "-m", "generator.cli", "build", "--root", str(project)]
    assert subprocess.run(kb, capture_output=True).returncode == 0
    marker = (project / "site/tools/a/index.html").read_text(encoding="utf-8")
    write(content, "tools/b.md", entry_text("tools", url="https://example.org/b", cost="gratis"))
    result = subprocess.run(kb, capture_output=True, text=True)
    assert result.returncode == 1
    assert (project / "site/tools/a/index.html").read_text(encoding="utf-8") == marker
    assert not (project / "site/tools/b").exists()
    assert not list(project.glob(".kb-build-*"))
