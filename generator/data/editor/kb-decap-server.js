// decap-server for `kb edit` (generator/contribute/editor/server.py), with the checks it lacks.
//
// 1. Who may use it. decap-server reads and writes the working copy for whoever asks; bound to
//    127.0.0.1 that is this computer, but a web page that rebinds its own name to 127.0.0.1
//    reaches it too, under its own Host header (and could write .git/config). Only requests
//    addressed to 127.0.0.1 or localhost at this port, from the editor's own page (or from no
//    page at all), get through.
// 2. Where it may read and write: only under content/ (KB_EDITABLE), never .git/, never
//    outside the repository, never through a symbolic link. decap-server's own check allows any
//    path in the repository, .git/ included: a script that ran on the editor's origin rewrote
//    .git/config (core.fsmonitor: a command run at the next git status). Every path a request
//    names is checked here, each symbolic link resolved, and refused with 403 and the reason;
//    names of branches (cms/<collection>/<slug>) must be plain. Then, since with --workflow
//    decap-server checks out a draft's branch (a contributor's: it may hold a symbolic link the
//    working copy does not) before it reads, the file system calls it makes are checked too,
//    as they are made: a file read, written, moved, deleted or listed must resolve under
//    content/; symbolic links are left out of listings.
// 3. Headers: its answers are JSON for the editor's page, never a document (nosniff, a CSP
//    that allows nothing, no framing).
// 4. The media dialog's listing leaves out Markdown files (the entries themselves).
//
// Usage: node kb-decap-server.js NODE_MODULES   (PORT, MODE, GIT_REPO_DIRECTORY, LOG_LEVEL,
// KB_ALLOWED_ORIGINS and KB_EDITABLE, space-separated, in the environment)
"use strict";
const fs = require("fs");
const path = require("path");

const modules = path.resolve(process.argv[2]);
const decap = path.join(modules, "decap-server");
const express = require(require.resolve("express", { paths: [decap] }));

const port = Number(process.env.PORT);
const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
const origins = new Set((process.env.KB_ALLOWED_ORIGINS || "").split(/\s+/).filter(Boolean));
const repo = fs.realpathSync(path.resolve(process.env.GIT_REPO_DIRECTORY || process.cwd()));
const editable = (process.env.KB_EDITABLE || "content").split(/\s+/).filter(Boolean);
// The folders the editor may use, as real paths (content/ itself may be a link, made by the owner).
const roots = editable.map((rel) => {
  const abs = path.resolve(repo, rel);
  try {
    return fs.realpathSync(abs);
  } catch (e) {
    return abs;
  }
});

class Refused extends Error {}

const inside = (real) => roots.some((root) => real === root || real.startsWith(root + path.sep));

// The real path of `abs`: its nearest existing ancestor's, every link resolved, then the rest.
async function realPath(abs, real, lstat) {
  const rest = [];
  let existing = abs;
  for (;;) {
    try {
      await lstat(existing);
      break;
    } catch (e) {
      if (e.code !== "ENOENT" && e.code !== "ENOTDIR") throw e;
      const up = path.dirname(existing);
      if (up === existing) break;
      rest.unshift(path.basename(existing));
      existing = up;
    }
  }
  return path.join(await real(existing), ...rest); // a link to nowhere: realpath throws, refused
}

// --- 2a. The file system calls decap-server makes (installed before it is loaded) -------------
const promises = fs.promises;
const real = promises.realpath.bind(promises);
const lstat = promises.lstat.bind(promises);

async function guard(p, what) {
  const abs = path.resolve(repo, String(p));
  let resolved;
  try {
    resolved = await realPath(abs, real, lstat);
  } catch (e) {
    resolved = null;
  }
  if (resolved === null || !inside(resolved)) {
    throw new Refused(`kb edit: refused to ${what} ${path.relative(repo, abs) || "."}: outside ${editable.join(", ")}`);
  }
}

const wrap = (name, what, argsToCheck) => {
  const original = promises[name].bind(promises);
  promises[name] = async (...args) => {
    for (const i of argsToCheck) await guard(args[i], what);
    return original(...args);
  };
};
wrap("readFile", "read", [0]);
wrap("open", "open", [0]);
wrap("writeFile", "write", [0]);
wrap("appendFile", "write", [0]);
wrap("copyFile", "copy to", [1]);
wrap("mkdir", "make the folder", [0]);
wrap("unlink", "delete", [0]);
wrap("rm", "delete", [0]);
wrap("rmdir", "delete", [0]);
wrap("rename", "move", [0, 1]);
wrap("symlink", "link", [1]);
wrap("link", "link", [1]);
{
  const readdir = promises.readdir.bind(promises);
  promises.readdir = async (dir, options) => {
    await guard(dir, "list");
    const items = await readdir(dir, options);
    return options && options.withFileTypes ? items.filter((d) => !d.isSymbolicLink()) : items;
  };
}

const { registerLocalFs, registerLocalGit } = require(path.join(decap, "dist", "middlewares.js"));

// --- 2b. The paths and names a request carries ------------------------------------------------
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/; // no "..", no leading "-"
const STATUS = /^[a-z_]+$/;

// Each action's parameters that name a file or folder, and those that name a branch.
const PATHS = {
  info: () => [],
  entriesByFolder: (p) => [p.folder],
  entriesByFiles: (p) => (Array.isArray(p.files) ? p.files.map((f) => f && f.path) : [undefined]),
  getEntry: (p) => [p.path],
  unpublishedEntries: () => [],
  unpublishedEntry: () => [],
  unpublishedEntryDataFile: (p) => [p.path],
  unpublishedEntryMediaFile: (p) => [p.path],
  deleteUnpublishedEntry: () => [],
  persistEntry: (p) => {
    const files = [...(p.entry ? [p.entry] : []), ...(Array.isArray(p.dataFiles) ? p.dataFiles : [])];
    const assets = Array.isArray(p.assets) ? p.assets : [];
    return [...files.flatMap((f) => [f && f.path, ...(f && f.newPath !== undefined ? [f.newPath] : [])]),
      ...assets.map((a) => a && a.path)];
  },
  updateUnpublishedEntryStatus: () => [],
  publishUnpublishedEntry: () => [],
  getMedia: (p) => [p.mediaFolder],
  getMediaFile: (p) => [p.path],
  persistMedia: (p) => [p.asset && p.asset.path],
  deleteFile: (p) => [p.path],
  deleteFiles: (p) => (Array.isArray(p.paths) && p.paths.length ? p.paths : [undefined]),
  getDeployPreview: () => [],
};

async function checkPath(p) {
  if (typeof p !== "string" || p === "" || p.includes("\0")) throw new Refused("kb edit: a path is missing or not text");
  const parts = p.split(/[\\/]/);
  if (path.isAbsolute(p) || /^[A-Za-z]:/.test(p) || parts.includes("..")) {
    throw new Refused(`kb edit: refused ${JSON.stringify(p)}: only paths inside the repository, without ".."`);
  }
  if (parts.some((part) => part.startsWith("."))) {
    throw new Refused(`kb edit: refused ${JSON.stringify(p)}: no hidden files or folders (.git/)`);
  }
  const resolved = await realPath(path.resolve(repo, p), real, lstat).catch(() => null);
  if (resolved === null || !inside(resolved)) {
    throw new Refused(`kb edit: refused ${JSON.stringify(p)}: the editor reads and writes only under ` +
      `${editable.map((e) => e + "/").join(", ")} (symbolic links are followed to where they lead)`);
  }
}

async function checkRequest(body) {
  if (!body || typeof body !== "object" || typeof body.action !== "string") throw new Refused("kb edit: no action");
  const paths = Object.prototype.hasOwnProperty.call(PATHS, body.action) ? PATHS[body.action] : null;
  if (paths === null) throw new Refused(`kb edit: unknown action ${JSON.stringify(body.action)}`);
  const params = body.params && typeof body.params === "object" ? body.params : {};
  for (const p of paths(params)) await checkPath(p);
  for (const key of ["branch", "collection", "slug", "id"]) {
    if (params[key] !== undefined && !(typeof params[key] === "string" && NAME.test(params[key]))) {
      throw new Refused(`kb edit: refused the ${key} ${JSON.stringify(params[key])}: letters, digits, ".", "_", "-" and "/" only`);
    }
  }
  const statuses = [params.newStatus, params.options && params.options.status];
  if (statuses.some((s) => s !== undefined && !(typeof s === "string" && STATUS.test(s)))) {
    throw new Refused("kb edit: refused a status that is not a plain word");
  }
  if (params.cmsLabelPrefix !== undefined && !(typeof params.cmsLabelPrefix === "string" && /^[\x21-\x7e]*$/.test(params.cmsLabelPrefix))) {
    throw new Refused("kb edit: refused a label prefix with spaces or control characters");
  }
}

const app = express();
app.disable("x-powered-by");
app.use((req, res, next) => {
  res.set({
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
  });
  if (!hosts.has(req.headers.host || "")) {
    res.status(403).json({ error: "kb edit: this server answers requests to 127.0.0.1 only" });
  } else if (req.headers.origin && !origins.has(req.headers.origin)) {
    res.status(403).json({ error: "kb edit: only the editor's own page may use this server" });
  } else {
    next();
  }
});
app.post("/api/v1", express.json({ limit: "50mb" }), (req, res, next) => {
  checkRequest(req.body).then(() => {
    // 4. The media dialog lists an entry's own uploads, not the entries' text files beside them
    //    (a single-file entry's folder is its kind's: every other entry's .md was listed).
    if (req.body.action === "getMedia") {
      const json = res.json.bind(res);
      res.json = (value) => json(Array.isArray(value)
        ? value.filter((f) => !(f && /\.md$/i.test(String(f.name || f.path || "")))) : value);
    }
    next();
  }, (e) => {
    if (e instanceof Refused) res.status(403).json({ error: e.message });
    else next(e);
  });
});

(async () => {
  const register = process.env.MODE === "git" ? registerLocalGit : registerLocalFs;
  await register(app, { logLevel: process.env.LOG_LEVEL || "warn" });
  app.use((req, res) => res.status(404).json({ error: "kb edit: not found" }));
  app.listen(port, "127.0.0.1", () => console.log(`kb edit: decap-server on 127.0.0.1:${port}`));
})().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
