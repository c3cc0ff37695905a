// decap-server for `kb edit` (generator/editserver.py), with the one check it lacks: which
// Host and Origin may use it. decap-server reads and writes the working copy for whoever asks;
// bound to 127.0.0.1 that is this computer, but a web page that rebinds its own name to
// 127.0.0.1 reaches it too, under its own Host header (and could write .git/config). Here only
// requests addressed to 127.0.0.1 or localhost at this port, from the editor's own page (or
// from no page at all), get through; then decap-server's own middlewares do the work.
//
// Usage: node kb-decap-server.js NODE_MODULES   (PORT, MODE, GIT_REPO_DIRECTORY, LOG_LEVEL and
// KB_ALLOWED_ORIGINS, space-separated, in the environment)
"use strict";
const path = require("path");

const modules = path.resolve(process.argv[2]);
const decap = path.join(modules, "decap-server");
const express = require(require.resolve("express", { paths: [decap] }));
const { registerLocalFs, registerLocalGit } = require(path.join(decap, "dist", "middlewares.js"));

const port = Number(process.env.PORT);
const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
const origins = new Set((process.env.KB_ALLOWED_ORIGINS || "").split(/\s+/).filter(Boolean));

const app = express();
app.use((req, res, next) => {
  if (!hosts.has(req.headers.host || "")) {
    res.status(403).json({ error: "kb edit: this server answers requests to 127.0.0.1 only" });
  } else if (req.headers.origin && !origins.has(req.headers.origin)) {
    res.status(403).json({ error: "kb edit: only the editor's own page may use this server" });
  } else {
    next();
  }
});

(async () => {
  const register = process.env.MODE === "git" ? registerLocalGit : registerLocalFs;
  await register(app, { logLevel: process.env.LOG_LEVEL || "warn" });
  app.listen(port, "127.0.0.1", () => console.log(`kb edit: decap-server on 127.0.0.1:${port}`));
})().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
