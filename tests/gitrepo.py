"""Real temporary Git repositories with fixed authors and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class Repo:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Setup")
        self.git("config", "user.email", "setup@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, env: dict | None = None) -> str:
        return subprocess.run(["git", *args], cwd=self.path, check=True, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}).stdout

    def commit(self, message: str, author: str, email: str, date: str, *paths: str) -> None:
        self.git("add", "-A", *paths)
        stamp = f"{date}T10:00:00+08:00"
        self.git("commit", "-q", "--allow-empty", "-m", message, f"--author={author} <{email}>",
                 env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
