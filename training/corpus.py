"""Collects the permissively licensed code corpus of the default model, as xz-compressed shards.

    python3 training/corpus.py [--out training/data] [--workdir /tmp/samba-corpus]
                               [--eval-repos training/data/eval-repos.json] [--v1-only]
    python3 training/corpus.py --add v3 --xz-preset 1     # an incremental pass: new shards only

Runs on the developer machine (it needs the npm registry and Debian's archive, no GPU). Sources, in
this order (dedup keeps the first copy, so v1's sources come first):

* TypeScript / JavaScript: `npm pack NAME` for each package in NPM_PACKAGES (v1) and NPM_PACKAGES_V2;
  the license is read from the package's own package.json and must be permissive.
* Python: this machine's standard library, /usr/lib/python3.11 (PSF license), and DEBIAN_PYTHON.
* Go: the Go 1.19 standard library and toolchain from Debian's `golang-1.19-src` (BSD-3-Clause).
* v2, Debian packages (`apt-get download` + `dpkg -x`, enumerated with `apt-cache search`), each
  kept only when every `License:` of its machine-readable debian/copyright (debian/* aside) is
  permissive: Go (`golang-*-dev`, /usr/share/gocode/src), Rust (`librust-*-dev`,
  /usr/share/cargo/registry, and the standard library from `rust-src`), JavaScript / TypeScript
  (`node-*`, /usr/share/nodejs), Python (`python3-*`, Architecture: all), C and C++ (DEBIAN_C:
  headers under /usr/include, sources under /usr/src). Each language has a byte budget
  (LANG_BUDGET); packages are taken in a fixed random order until it is spent.

Incremental passes (--add v3; ADD_PASSES): the shards that manifest.json.xz lists are kept as they are
(never rewritten) and indexed for de-duplication (their keys cached per shard in WORKDIR/keys: about a
minute for shards 01-04 here, 70 s of CPU the first time); only the pass's new sources are collected:
NPM_PACKAGES_V3, and more of the Debian python3-* and node-* lists, interleaved, each up to its budget.
They go to the next shard numbers (shard-05 ...), hashes-v3.json.xz (the Python of every shard, old and
new, for device_corpus.py; hashes.json.xz stays as it was) and manifest.json.xz, whose "additions" entry
sums up the pass and lists its repositories as rows (read_manifest expands them to the dicts of
"repositories", with "added": "v3"). Running the same pass again
continues it (after a stop, or with a larger budget).

The Python of the GPU machine's own site-packages is collected there, by training/device_corpus.py,
with the same filters (imported from here) and against this run's hashes.

Filters: source extensions only; no minified files (long lines), no data tables (few letters), no
generated files ("Code generated", "@generated", "DO NOT EDIT" ...), no vendored, node_modules or
testdata folders, no down-levelled CommonJS that tsc/babel emitted next to shipped sources, only one
of several builds of the same module (dist/esm/cjs/umd ...). De-duplication across all sources:
exact (hash of the text), whitespace/comment-insensitive (norm_key), and near-duplicate (MinHash of
the file's distinct lines, LSH with verification: estimated Jaccard >= NEAR_DUP_JACCARD).

Evaluation repositories (eval-repos.json, written by the evaluation work; plus HELD_OUT) are kept out
of training: the packages themselves by name, and any file anywhere that equals or nearly equals one
of their files (vendored copies, other versions). HELD_OUT repositories are written with split
'heldout' (train.py measures held-out loss on them); the others are not written at all.

Writes OUT/shards/shard-NN.jsonl.xz (at most SHARD_MAX_BYTES each, one JSON object per file:
{"repo", "path", "lang", "split", "text"}, files of one repository consecutive), OUT/shards/hashes.json.xz
(what device_corpus.py needs to de-duplicate against this run and keep evaluation files out) and
OUT/manifest.json.xz (per repository: name, version, license, source, language, split, files, bytes;
totals). OUT/shards/ is git-ignored; training/device_data.sh moves the shards to the GPU machine.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import glob
import hashlib
import io
import json
import lzma
import os
import pickle
import re
import random
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import zlib

import numpy as np

# npm packages: well-known, permissively licensed, shipping readable .ts or unminified .js.
NPM_PACKAGES = [
    # TypeScript sources / declarations
    "typescript", "@types/node", "@types/vscode", "rxjs", "zod", "fp-ts", "io-ts", "immer",
    "@tanstack/query-core", "ts-pattern", "effect", "hono", "vscode-languageserver",
    "vscode-languageserver-protocol", "vscode-jsonrpc", "vscode-uri", "inversify", "type-fest",
    "@vue/reactivity", "@vue/runtime-core", "@vue/compiler-core", "@vue/shared", "vue-router",
    "pinia", "mobx", "@reduxjs/toolkit", "redux", "date-fns", "lit", "@lit/reactive-element",
    "tslib", "zustand", "jotai", "valibot", "neverthrow",
    # JavaScript sources
    "lodash-es", "express", "koa", "commander", "yargs", "chalk", "semver", "ramda", "d3-array",
    "d3-scale", "d3-shape", "three", "svelte", "preact", "eslint", "webpack", "acorn", "graphql",
    "marked", "markdown-it", "moment", "luxon", "fastify", "ws", "uuid", "mocha", "highlight.js",
    "chart.js", "immutable", "underscore", "axios", "minimatch", "debug", "esquery", "espree",
    # more of both
    "@angular/core", "@angular/common", "@angular/forms", "@angular/router", "@trpc/server",
    "@sinclair/typebox", "superstruct", "yup", "xstate", "remeda", "es-toolkit", "ajv", "mathjs",
    "@vueuse/core", "h3", "magic-string", "prosemirror-model", "prosemirror-state",
    "prosemirror-transform", "@codemirror/state", "@codemirror/view", "yjs", "kysely",
    "jquery", "react", "leaflet", "esprima", "jsdom", "undici", "postcss", "terser", "uglify-js",
    "knex", "mongoose", "bluebird", "async", "handlebars", "nunjucks", "joi", "js-yaml",
    "fs-extra", "chokidar", "socket.io", "cheerio", "htmlparser2", "less", "moment-timezone",
    "node-forge", "crypto-js", "inquirer", "vue", "@effect/platform", "@angular/compiler",
    "@types/react", "@types/lodash", "@types/express-serve-static-core", "@types/jest", "fast-check",
    "@nestjs/common", "@nestjs/core", "typeorm", "class-validator", "@vue/runtime-dom",
    "@vue/compiler-sfc", "utility-types",
]

# v2: more npm packages, well known and permissively licensed (each one's license is still
# checked from its own package.json; those that fail are listed under 'rejected')
NPM_PACKAGES_V2 = [
    "@angular/animations", "@angular/platform-browser", "@angular/cdk", "@apollo/client", "graphql-tag",
    "@graphql-tools/utils", "@graphql-tools/schema", "drizzle-orm", "sequelize", "@mikro-orm/core",
    "objection", "pg", "mysql2", "ioredis", "@redis/client", "bullmq", "amqplib", "kafkajs", "mqtt",
    "socket.io-client", "engine.io", "socket.io-parser", "nanoid", "dayjs", "dotenv", "glob",
    "fast-glob", "globby", "micromatch", "picomatch", "braces", "execa", "got", "ky", "node-fetch",
    "cross-fetch", "superagent", "form-data", "busboy", "multer", "body-parser", "cors", "helmet",
    "morgan", "cookie", "cookie-parser", "express-session", "passport", "jsonwebtoken", "jose",
    "bcryptjs", "validator", "qs", "query-string", "path-to-regexp", "router", "@koa/router",
    "@hapi/hapi", "@hapi/boom", "@hapi/hoek", "@nestjs/testing", "@nestjs/platform-express",
    "class-transformer", "reflect-metadata", "tsyringe", "typedi", "winston", "pino", "bunyan",
    "loglevel", "log4js", "yaml", "@iarna/toml", "smol-toml", "ini", "xml2js", "fast-xml-parser",
    "papaparse", "csv-parse", "csv-stringify", "qrcode", "ejs", "pug", "mustache", "liquidjs", "eta",
    "dompurify", "sanitize-html", "turndown", "unified", "remark-parse", "mdast-util-from-markdown",
    "micromark", "hast-util-to-html", "unist-util-visit", "vfile", "@typescript-eslint/parser",
    "@typescript-eslint/typescript-estree", "@typescript-eslint/utils",
    "@typescript-eslint/eslint-plugin", "eslint-plugin-react", "eslint-plugin-import", "stylelint",
    "@babel/core", "@babel/parser", "@babel/traverse", "@babel/generator", "@babel/types", "recast",
    "ast-types", "jscodeshift", "rollup", "vite", "browserslist", "autoprefixer",
    "postcss-selector-parser", "tailwindcss", "stylus", "clean-css", "csso", "svgo",
    "html-minifier-terser", "jest", "@jest/core", "expect", "vitest", "@vitest/runner", "chai", "sinon",
    "nock", "supertest", "ava", "uvu", "playwright-core", "puppeteer-core", "selenium-webdriver",
    "webdriverio", "react-dom", "react-router", "react-router-dom", "@remix-run/router", "react-redux",
    "redux-saga", "redux-thunk", "recoil", "@tanstack/react-query", "swr", "formik", "react-hook-form",
    "@hookform/resolvers", "styled-components", "@emotion/react", "@emotion/styled", "classnames",
    "clsx", "framer-motion", "@react-spring/core", "react-transition-group", "react-select",
    "@tanstack/virtual-core", "react-window", "downshift", "@headlessui/react", "@mui/material",
    "@mui/system", "@mui/base", "solid-js", "@sveltejs/kit", "alpinejs", "htmx.org",
    "@hotwired/stimulus", "backbone", "knockout", "mithril", "inferno", "hyperapp", "d3-selection",
    "d3-force", "d3-geo", "d3-hierarchy", "d3-interpolate", "d3-time", "d3-time-format", "d3-format",
    "d3-color", "vega-lite", "echarts", "@observablehq/plot", "pixi.js", "@babylonjs/core", "cannon-es",
    "matter-js", "konva", "fabric", "paper", "tone", "howler", "gl-matrix", "ol", "maplibre-gl",
    "proj4", "big.js", "bignumber.js", "decimal.js", "bn.js", "long", "ethers", "viem", "@noble/hashes",
    "@noble/curves", "tweetnacl", "buffer", "events", "readable-stream", "string_decoder", "util",
    "assert", "process", "path-browserify", "url", "punycode", "iconv-lite", "whatwg-url",
    "tough-cookie", "http-proxy", "http-proxy-middleware", "node-cron", "cron", "p-limit", "p-queue",
    "p-map", "p-retry", "async-retry", "retry", "bottleneck", "quick-lru", "keyv", "node-cache",
    "memoize-one", "reselect", "deepmerge", "lodash", "fast-deep-equal", "deep-equal",
    "fast-json-stable-stringify", "json-schema-traverse", "jsonpath-plus", "ajv-formats",
    "zod-to-json-schema", "openapi-types", "@apidevtools/swagger-parser", "@apollo/server",
    "type-graphql", "@pothos/core", "runtypes", "arktype", "purify-ts", "true-myth", "yargs-parser",
    "minimist", "meow", "cac", "citty", "clipanion", "@oclif/core", "ink", "enquirer", "prompts", "ora",
    "cli-progress", "boxen", "kleur", "picocolors", "colorette", "ansi-styles", "strip-ansi",
    "wrap-ansi", "string-width", "cli-table3", "watchpack", "nodemon", "concurrently", "zx", "shelljs",
    "archiver", "jszip", "adm-zip", "yauzl", "pako", "fflate", "mime", "mime-types", "content-type",
    "negotiator", "accepts", "type-is", "on-finished", "finalhandler", "serve-static", "send",
    "http-errors", "statuses", "raw-body", "bytes", "ms", "short-uuid", "ulid", "@paralleldrive/cuid2",
    "date-fns-tz", "chrono-node", "rrule", "i18next", "react-i18next", "intl-messageformat",
    "@formatjs/intl", "numeral", "currency.js", "dinero.js", "fuse.js", "flexsearch", "lunr",
    "minisearch", "natural", "compromise", "diff", "diff-match-patch", "fastest-levenshtein",
    "string-similarity", "slugify", "change-case", "camelcase", "pluralize", "he", "entities",
    "escape-html", "html-entities", "parse5", "domhandler", "domutils", "css-select", "css-what",
    "linkedom", "happy-dom", "@xmldom/xmldom", "sax", "jsonc-parser", "vscode-languageclient",
    "vscode-languageserver-textdocument", "vscode-languageserver-types", "monaco-editor", "codemirror",
    "@codemirror/language", "@codemirror/commands", "@codemirror/autocomplete", "@codemirror/lint",
    "@codemirror/search", "@lezer/common", "@lezer/lr", "@lezer/javascript", "prosemirror-view",
    "prosemirror-commands", "prosemirror-keymap", "prosemirror-history", "@tiptap/core", "slate",
    "slate-react", "quill", "lexical", "draft-js", "@xterm/xterm", "web-tree-sitter", "ts-morph",
    "@ts-morph/common", "ts-node", "tsx", "tsup", "@swc/helpers", "regenerator-runtime", "core-js",
    "es-abstract", "object-inspect", "side-channel", "idb", "dexie", "localforage", "lowdb", "sql.js",
    "mongodb", "bson", "@aws-sdk/client-s3", "@google-cloud/storage", "@firebase/firestore",
    "@supabase/supabase-js", "@supabase/postgrest-js", "stripe", "openai", "@anthropic-ai/sdk",
    "@langchain/core", "ai", "@octokit/rest", "@octokit/core", "@octokit/request", "simple-git",
    "isomorphic-git", "ssh2", "nodemailer", "showdown", "remarkable", "katex", "mermaid", "prismjs",
    "shiki", "vscode-textmate", "oauth4webapi", "openid-client", "@auth/core", "passport-jwt",
    "passport-local", "@casl/ability", "casbin", "graphql-ws", "fastify-plugin", "light-my-request",
    "find-my-way", "avvio", "thread-stream", "sonic-boom", "piscina", "workerpool", "comlink",
    "xstream", "kefir", "baconjs", "effector", "nanostores", "valtio", "mobx-react-lite",
    "mobx-state-tree", "vuex", "@vue/test-utils", "vue-i18n", "unplugin", "estree-walker",
    "@rollup/pluginutils", "@rollup/plugin-node-resolve", "@rollup/plugin-commonjs", "acorn-walk",
    "meriyah", "typedoc", "jsdoc", "@microsoft/api-extractor", "@microsoft/tsdoc",
    "@rushstack/node-core-library", "husky", "lint-staged", "cosmiconfig", "lilconfig", "conf",
    "env-paths", "find-up", "locate-path", "read-pkg", "resolve", "enhanced-resolve", "tsconfig-paths",
    "import-fresh", "jiti", "source-map", "source-map-support", "source-map-js", "error-stack-parser",
    "serialize-error", "http-status-codes", "axios-retry", "@sentry/core", "@sentry/node",
    "@opentelemetry/api", "@opentelemetry/sdk-trace-base", "@opentelemetry/core", "prom-client",
    "systeminformation", "cron-parser", "node-schedule", "@temporalio/workflow", "ag-grid-community",
    "@tanstack/router-core", "@tanstack/store", "@tanstack/form-core", "preact-render-to-string",
    "@preact/signals-core", "@angular/cli", "@angular/platform-server", "@ngrx/store", "@ngrx/effects",
    "rxfire", "@trpc/client", "@trpc/react-query", "superjson", "devalue", "seroval", "normalizr",
    "immutability-helper", "deep-diff", "fast-json-patch", "rfdc", "klona", "dequal", "object-hash",
    "hash-wasm", "js-sha256", "spark-md5", "crc-32", "base64-js", "ieee754", "js-base64", "msgpackr",
    "cbor-x", "protobufjs", "@grpc/grpc-js", "@grpc/proto-loader", "google-protobuf", "flatbuffers",
    "avsc", "apache-arrow", "@msgpack/msgpack",
]

# v3 (--add v3): the 8,000 most downloaded npm packages (downloads a month, from the npm package list
# of this project's development machine, highest first, ties by name) that are in neither list above
# nor an evaluation repository, leaving out per-platform binary builds (@esbuild/*, *-linux-x64 ...),
# icon and emoji sets, data-only packages (caniuse-lite, mime-db, tzdata ...), whole cloud SDKs
# (googleapis, aws-sdk, @aws-sdk/client-*) and toolchains (typescript, esbuild, electron, sharp, prisma).
# (The registry's search API, meant for this choice, answered 404 here.) Frozen, so that the pass is
# reproducible (training/data/npm-packages-v3.txt.xz, one name a line, in order); each package's
# license is still checked from its own package.json.
def _name_list(path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


NPM_PACKAGES_V3 = _name_list(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "npm-packages-v3.txt.xz"))

# Debian packages of pure-Python libraries (license: the package's upstream license, checked
# against the `Files: *` stanza of its debian/copyright)
DEBIAN_PYTHON = {
    "python3-django": "BSD-3-Clause", "python3-sympy": "BSD-3-Clause", "python3-requests": "Apache-2.0",
    "python3-flask": "BSD-3-Clause", "python3-werkzeug": "BSD-3-Clause", "python3-jinja2": "BSD-3-Clause",
    "python3-click": "BSD-3-Clause", "python3-attr": "MIT", "python3-pygments": "BSD-2-Clause",
    "python3-sqlalchemy": "MIT", "python3-networkx": "BSD-3-Clause", "python3-pandas": "BSD-3-Clause",
    "python3-rich": "MIT", "python3-aiohttp": "Apache-2.0", "python3-setuptools": "MIT",
    "python3-numpy": "BSD-3-Clause",
}

_V1_NPM = frozenset(NPM_PACKAGES)


def v1_source(repo: str) -> bool:
    """Whether a repository key comes from v1's sources (NPM_PACKAGES, CPython's and Go's standard
    libraries, DEBIAN_PYTHON): `train.py prepare --sources v1` trains on these alone, to measure
    what the later sources bought."""
    kind, _, name = repo.partition(":")
    return ((kind == "npm" and name in _V1_NPM) or kind in ("python", "go")
            or (kind == "debian" and name in DEBIAN_PYTHON))


# whole repositories held out for evaluation (a TypeScript one, a JavaScript one, a Python one)
HELD_OUT = {"npm:immer", "npm:semver", "python:email"}

PERMISSIVE = {"MIT", "ISC", "APACHE-2.0", "BSD-2-CLAUSE", "BSD-3-CLAUSE", "0BSD", "BSD", "UNLICENSE", "CC0-1.0",
              "PSF-2.0", "PYTHON-2.0"}

JS_EXT = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")
BUILD_DIRS = {"dist", "esm", "cjs", "es", "lib", "umd", "build", "module", "modules", "commonjs",
              "esm5", "esm2015", "es2015", "es2017", "es2020", "_esm", "_cjs", "_esm5", "_esm2015",
              "_types", "types", "typings", "node", "browser", "src", "source", "mjs", "fesm2022",
              "fesm2020", "dist-types", "out"}
SKIP_DIRS = {"node_modules", "vendor", "vendors", "_vendor", "vendored", "_vendored", "third_party", "third-party", "testdata",
             "__pycache__", "bower_components", "coverage", ".git"}
GENERATED = re.compile(r"@generated|auto-?generated|Code generated|DO NOT EDIT|THIS FILE IS GENERATED"
                       r"|This file is automatically generated|generated by (?:the )?(?:script|tool)",
                       re.IGNORECASE)
DOWNLEVEL = re.compile(r"__awaiter|__generator|_interopRequireDefault|__importDefault|__createBinding"
                       r"|_classCallCheck|_createClass|regeneratorRuntime")

MAX_FILE_BYTES = 400_000
MIN_FILE_BYTES = 64
MAX_LINE = 1000
PER_REPO_CAP = {"npm": 6_000_000, "python": 2_500_000, "debian": 3_000_000, "go": 700_000,
                "debian-go": 2_000_000, "debian-rust": 1_500_000, "debian-node": 2_000_000,
                "debian-c": 4_000_000}
PER_REPO_CAP_OVERRIDE = {"python:_modules": 6_000_000, "debian-rust:rust-src": 12_000_000}

# v2: bytes each language may take from the Debian sources (after filtering and de-duplication);
# sized so that shards 3-4 (after v1's Debian Python and the Go standard library, about 40 MB) hold
# them at xz preset 1 (about 4.9x on this code). Raising a budget and running again with --resume
# adds the next packages of that list in a new shard.
LANG_BUDGET = {"go": 65_000_000, "rust": 50_000_000, "c": 30_000_000, "node": 10_000_000, "python": 8_000_000}
DEB_BATCH = 12  # packages per apt-get download

# incremental passes (--add NAME): per source (bytes it may add, packages it takes per round of the
# interleaving). v3 adds TypeScript / JavaScript and Python, the evaluation's weakest languages.
ADD_PASSES = {"v3": {"npm": (400_000_000, 3), "debian-python": (130_000_000, 2), "debian-node": (40_000_000, 1)}}
SHARD_MAX_BYTES = 25 * 2**20
SHARD_CUT_BYTES = SHARD_MAX_BYTES - 3 * 2**20  # compressed output lags the input a little

# Debian C / C++ libraries whose headers (and, for a few, sources) are readable code
DEBIAN_C = [
    "libfmt-dev", "libspdlog-dev", "nlohmann-json3-dev", "rapidjson-dev", "libabsl-dev", "libprotobuf-dev",
    "libgrpc++-dev", "libflatbuffers-dev", "libre2-dev", "libleveldb-dev", "libsnappy-dev", "googletest",
    "libbenchmark-dev", "libgflags-dev", "libgoogle-glog-dev", "libuv1-dev", "libjansson-dev", "libyaml-dev",
    "libyaml-cpp-dev", "libexpat1-dev", "libzstd-dev", "libxxhash-dev", "libcjson-dev", "libpugixml-dev",
    "libcxxopts-dev", "libcli11-dev", "libsimdjson-dev", "libglm-dev", "libstb-dev", "libssl-dev",
    "libevent-dev", "libev-dev", "libnghttp2-dev", "libllhttp-dev", "libwebsockets-dev", "libcppzmq-dev",
    "libtbb-dev", "libhwy-dev", "libxsimd-dev", "libxtensor-dev", "libxtl-dev", "libthrift-dev",
    "libcapnp-dev", "libbrotli-dev", "libdeflate-dev", "libutf8proc-dev", "libonig-dev", "libsodium-dev",
    "libargon2-dev", "libjsoncpp-dev", "libdoctest-dev", "libvulkan-dev", "libwayland-dev", "libdrm-dev",
    "mesa-common-dev", "libx11-dev", "libxcb1-dev", "libepoxy-dev", "libffi-dev", "libarchive-dev",
    "libwebp-dev", "libharfbuzz-dev", "libxml2-dev", "libxslt1-dev", "libyajl-dev", "libjson-c-dev",
    "libnng-dev", "libmbedtls-dev", "libunwind-dev", "libjemalloc-dev", "libmimalloc-dev",
    "libdouble-conversion-dev", "libcrc32c-dev", "libroaring-dev", "libcctz-dev", "libsentencepiece-dev",
    "pybind11-dev", "libtomlplusplus-dev", "libmsgpack-c-dev", "libspirv-cross-c-shared-dev",
    "spirv-headers", "libopenxr-dev", "libgoogle-perftools-dev", "libhiredis-dev", "libmaxminddb-dev",
    "libnanoflann-dev", "libopencv-core-dev", "libtinyobjloader-dev", "libassimp-dev", "libbullet-dev",
    "libbox2d-dev", "libentt-dev", "libimgui-dev", "libmagic-enum-dev", "libexpected-dev", "librange-v3-dev",
    "libcereal-dev", "libtsl-robin-map-dev", "libparallel-hashmap-dev", "libfast-float-dev",
]
# licenses read by hand where debian/copyright lists more than the part we take
LICENSE_OVERRIDE = {"rust-src": ("MIT OR Apache-2.0", "library/ of rustc 1.63: 'Files: *' stanza of its copyright")}



def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Filters
# ----------------------------------------------------------------------------------------------


LICENSE_ALIASES = {"EXPAT": "MIT", "MIT/X11": "MIT", "X11": "MIT", "MIT-0": "MIT", "APACHE-2": "APACHE-2.0",
                   "APACHE": "APACHE-2.0", "APACHE2": "APACHE-2.0", "APACHE-2.0+": "APACHE-2.0",
                   "BSD-3": "BSD-3-CLAUSE", "BSD-2": "BSD-2-CLAUSE", "PSF": "PSF-2.0", "PSF-2": "PSF-2.0",
                   "CC0": "CC0-1.0", "THE UNLICENSE": "UNLICENSE"}


def license_ok(lic) -> bool:
    """True for an SPDX-like expression (npm, Debian, Python metadata) that is permissive in full:
    one alternative of an OR whose AND-ed parts are all in PERMISSIVE."""
    if isinstance(lic, dict):
        lic = lic.get("type", "")
    if isinstance(lic, list):
        return any(license_ok(x) for x in lic)
    if not isinstance(lic, str) or not lic:
        return False
    expr = re.sub(r"\s+", " ", lic.replace("(", " ").replace(")", " ").replace("/", " OR ").upper()).strip()
    expr = expr.replace("MIT OR X11", "MIT")
    for alt in re.split(r" OR |,? OR ", expr):
        parts = [p.strip() for p in re.split(r" AND |, ", alt) if p.strip()]
        parts = [LICENSE_ALIASES.get(p.split("~")[0], p.split("~")[0]) for p in parts]
        if parts and all(p in PERMISSIVE for p in parts):
            return True
    return False


def debian_copyright(path):
    """(summary, ok) from a machine-readable debian/copyright: ok when every License: of every
    Files: stanza that covers more than debian/ is permissive. Free-form files are not ok."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return "no debian/copyright", False
    lics, ok, seen_files = [], True, False
    for st in re.split(r"\n\s*\n", text):
        m = re.search(r"^Files:(.*(?:\n[ \t].*)*)", st, re.M)
        lm = re.search(r"^License:[ \t]*(.*)$", st, re.M)
        if not m or not lm:
            continue
        seen_files = True
        files = m.group(1).split()
        if files and all(f.startswith("debian/") for f in files):
            continue
        lic = lm.group(1).strip()
        if lic not in lics:
            lics.append(lic)
        if not license_ok(lic):
            ok = False
    if not seen_files:
        return "debian/copyright is not machine-readable", False
    return " AND ".join(f"({l})" if " " in l else l for l in lics), ok and bool(lics)


_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def readable(text: str) -> bool:
    """False for minified, binary-ish or data-table text."""
    if "\x00" in text:
        return False
    lines = text.split("\n")
    if not lines:
        return False
    if max(len(l) for l in lines) > MAX_LINE:
        return False
    if len(text) / len(lines) > 120:
        return False
    b = text.encode("utf-8", "replace")
    if len(b) - len(b.translate(None, _LETTERS)) < 0.25 * len(b):
        return False  # tables of numbers, hex dumps, base64
    return True


def is_generated(text: str) -> bool:
    head = "\n".join(text.split("\n", 12)[:12])
    return bool(GENERATED.search(head))


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n")
    text = re.sub(r"\n//# sourceMappingURL=.*$", "", text.rstrip()) + "\n"
    return text


def norm_key(text: str) -> str:
    """Hash that ignores whitespace and whole-line comments (near-duplicate detection)."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith("//") or s.startswith("#") or s.startswith("*") or s.startswith("/*"):
            continue
        out.append(re.sub(r"\s+", "", s))
    return hashlib.sha1("\n".join(out).encode()).hexdigest()


NEAR_DUP_JACCARD = 0.8   # estimated Jaccard of distinct lines at which a file is a near-duplicate
EVAL_JACCARD = 0.5       # and at which it is too close to an evaluation file to train on
MINHASH_PERM, MINHASH_BANDS = 20, 5
MINHASH_MIN_LINES = 8
_rng = np.random.default_rng(20261201)
_MH_B = _rng.integers(0, 2**63, size=MINHASH_PERM, dtype=np.uint64)


def h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8", "replace"), digest_size=8).digest(), "big")


def minhash(text: str):
    """MinHash signature (uint32[MINHASH_PERM]) of the file's distinct stripped lines; None for short files."""
    lines = {l.strip() for l in text.split("\n")}
    lines.discard("")
    if len(lines) < MINHASH_MIN_LINES:
        return None
    h = np.fromiter((zlib.crc32(l.encode("utf-8", "replace")) for l in lines), dtype=np.uint64, count=len(lines))
    # CRCs of similar lines are linearly related: mix them (splitmix64) with one salt per permutation
    return (_mix(h[None, :] ^ _MH_B[:, None]) >> np.uint64(32)).min(axis=1).astype(np.uint32)


def _mix(x):
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def band_keys(sig):
    r = MINHASH_PERM // MINHASH_BANDS
    return [int.from_bytes(hashlib.blake2b(bytes([b]) + sig[b * r:(b + 1) * r].tobytes(), digest_size=8).digest(), "big")
            for b in range(MINHASH_BANDS)]


class DedupIndex:
    """Exact, normalized and MinHash-LSH near-duplicate index over kept files."""

    def __init__(self, jaccard=NEAR_DUP_JACCARD):
        self.jaccard = jaccard
        self.exact, self.norm = set(), set()
        self.bands = {}
        self.sigs = []

    def check(self, text, keys=None):
        """'exact', 'near' or None; keys = (exact, norm, sig) when computed already."""
        e, n, sig = keys or file_keys(text)
        if e in self.exact:
            return "exact"
        if n in self.norm:
            return "near"
        if sig is not None:
            for k in band_keys(sig):
                j = self.bands.get(k)
                if j is not None and float(np.mean(self.sigs[j] == sig)) >= self.jaccard:
                    return "near"
        return None

    def add(self, keys):
        e, n, sig = keys
        self.exact.add(e)
        self.norm.add(n)
        if sig is not None:
            self.sigs.append(sig)
            for k in band_keys(sig):
                self.bands.setdefault(k, len(self.sigs) - 1)

    def dump(self):
        return {"exact": [format(x, "016x") for x in sorted(self.exact)],
                "norm": [format(x, "016x") for x in sorted(self.norm)],
                "sigs": [s.tobytes().hex() for s in self.sigs]}

    @classmethod
    def load(cls, d, jaccard=NEAR_DUP_JACCARD):
        ix = cls(jaccard)
        ix.exact = {int(x, 16) for x in d["exact"]}
        ix.norm = {int(x, 16) for x in d["norm"]}
        for hx in d["sigs"]:
            ix.add((None, None, np.frombuffer(bytes.fromhex(hx), dtype=np.uint32)))
        ix.exact.discard(None)
        ix.norm.discard(None)
        return ix


def file_keys(text):
    return h64(text), int(norm_key(text)[:16], 16), minhash(text)


# ----------------------------------------------------------------------------------------------
# npm
# ----------------------------------------------------------------------------------------------


def js_module_key(path: str):
    """(key, priority): builds of one module share a key; lower priority wins."""
    parts = path.split("/")
    dirs = [p for p in parts[:-1] if p.lower() not in BUILD_DIRS]
    name = parts[-1]
    for ext, pri in ((".d.mts", None), (".d.cts", None), (".d.ts", None)):
        if name.endswith(ext):
            return "/".join(dirs + [name[: -len(ext)]]) + "#d", 0
    stem, ext = os.path.splitext(name)
    if stem.endswith(".development") or stem.endswith(".production"):
        stem = stem.rsplit(".", 1)[0]
    pri = {".ts": 0, ".tsx": 0, ".mts": 1, ".cts": 2, ".mjs": 3, ".js": 4, ".jsx": 4, ".cjs": 5}[ext]
    return "/".join(dirs + [stem]), pri


def select_js(files):
    """[(path, lang, text)] from {path: text} of one package: per module the best build; sources
    (.ts) make the same module's .d.ts and compiled .js redundant; down-levelled output dropped."""
    has_ts_source = any(p.endswith((".ts", ".tsx", ".mts", ".cts")) and not re.search(r"\.d\.[mc]?ts$", p)
                        for p in files)
    best = {}
    for path, text in files.items():
        key, pri = js_module_key(path)
        if key not in best or (pri, len(path)) < (best[key][0], len(best[key][1])):
            best[key] = (pri, path)
    keep = []
    for key, (pri, path) in sorted(best.items(), key=lambda kv: kv[1][1]):
        if key.endswith("#d") and key[:-2] in best and best[key[:-2]][0] <= 2:
            continue  # the .ts source is there
        text = files[path]
        is_js = path.endswith((".js", ".mjs", ".cjs", ".jsx"))
        if is_js and has_ts_source:
            continue  # compiled output next to the shipped TypeScript sources
        if is_js and DOWNLEVEL.search(text):
            continue  # down-levelled output of a compiler
        lang = "javascript" if is_js else "typescript"
        keep.append((path, lang, text))
    return keep


def npm_fetch(name: str, tmp: str):
    d = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run(["npm", "pack", name, "--json", "--pack-destination", d],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-500:])
    info = json.loads(r.stdout)[0]
    return os.path.join(d, info["filename"]), info["version"]


def npm_fetch_batch(names, tmp):
    """{name: (tgz, version)} with one npm process for several packages (node's start-up is the
    cost on a busy machine); a batch that fails is fetched one by one."""
    d = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run(["npm", "pack", *names, "--json", "--pack-destination", d],
                       capture_output=True, text=True, timeout=900)
    if r.returncode == 0:
        infos = json.loads(r.stdout)
        if len(infos) == len(names):
            return {n: (os.path.join(d, i["filename"]), i["version"]) for n, i in zip(names, infos)}
    out = {}
    for n in names:
        try:
            out[n] = npm_fetch(n, tmp)
        except Exception as e:  # noqa: BLE001
            out[n] = e
    return out


def npm_repos(names, tmp):
    """[(name, (meta, files) or the exception)] for a batch of packages."""
    fetched = npm_fetch_batch(names, tmp)
    out = []
    for n in names:
        try:
            if isinstance(fetched[n], Exception):
                raise fetched[n]
            out.append((n, npm_repo(n, tmp, fetched[n])))
        except Exception as e:  # noqa: BLE001
            out.append((n, e))
    return out


def npm_repo(name: str, tmp: str, fetched=None):
    tgz, version = fetched or npm_fetch(name, tmp)
    files = {}
    pkg = {}
    with tarfile.open(tgz) as tf:
        for m in tf.getmembers():
            if not m.isfile():
                continue
            path = m.name.split("/", 1)[1] if "/" in m.name else m.name
            if path == "package.json":
                pkg = json.load(tf.extractfile(m))
                continue
            if not path.endswith(JS_EXT) or path.endswith((".min.js", ".min.mjs", ".min.cjs")):
                continue
            if any(p in SKIP_DIRS for p in path.split("/")[:-1]):
                continue
            if m.size > MAX_FILE_BYTES or m.size < MIN_FILE_BYTES:
                continue
            try:
                files[path] = tf.extractfile(m).read().decode("utf-8")
            except UnicodeDecodeError:
                continue
    os.remove(tgz)
    lic = pkg.get("license", pkg.get("licenses"))
    if isinstance(lic, list):
        lic = " OR ".join(x.get("type", "") if isinstance(x, dict) else str(x) for x in lic)
    if isinstance(lic, dict):
        lic = lic.get("type", "")
    if not license_ok(lic):
        return {"repo": f"npm:{name}", "version": version, "license": lic, "rejected": "license"}, []

    keep = select_js(files)
    meta = {"repo": f"npm:{name}", "name": name, "version": version, "license": lic,
            "source": f"npm pack {name}@{version}", "homepage": pkg.get("homepage")}
    return meta, keep


# ----------------------------------------------------------------------------------------------
# Python standard library, Go
# ----------------------------------------------------------------------------------------------


def python_repos(root="/usr/lib/python3.11"):
    groups = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
        rel = os.path.relpath(path, root)
        parts = rel.split("/")
        if any(p in SKIP_DIRS or p in ("site-packages", "dist-packages") or p.startswith("config-")
               for p in parts[:-1]):
            continue
        if "bad" in parts[-1] or "lib2to3/tests/data" in rel or "test/encoded_modules" in rel \
                or "test/tokenizedata" in rel:
            continue
        group = parts[0] if len(parts) > 1 else "_modules"
        if group == "test" and len(parts) > 2:
            group = "test/" + parts[1]
        groups[group].append(rel)
    lic_file = os.path.join(root, "LICENSE.txt")
    version = sys.version.split()[0] if root.endswith("3.11") else "?"
    out = []
    for g, rels in groups.items():
        files = []
        for rel in rels:
            try:
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    files.append((rel, "python", f.read()))
            except (UnicodeDecodeError, OSError):
                continue
        meta = {"repo": f"python:{g}", "name": f"cpython {g}", "version": version,
                "license": "PSF-2.0", "source": f"{root} (Debian python3.11, {lic_file})"}
        out.append((meta, files))
    return out


def debian_python_repos(tmp, skip=()):
    out = []
    for pkg, spdx in DEBIAN_PYTHON.items():
        if f"debian:{pkg}" in skip:
            continue
        d = tempfile.mkdtemp(dir=tmp)
        r = subprocess.run(["apt-get", "download", pkg], cwd=d, capture_output=True, text=True)
        debs = glob.glob(os.path.join(d, "*.deb"))
        if r.returncode != 0 or not debs:
            log(f"debian {pkg}: download failed: {r.stderr[-300:]}")
            continue
        version = urllib.parse.unquote(os.path.basename(debs[0]).split("_")[1])
        x = os.path.join(d, "x")
        subprocess.run(["dpkg", "-x", debs[0], x], check=True)
        copyright_lic = None
        cp = os.path.join(x, "usr", "share", "doc", pkg, "copyright")
        if os.path.exists(cp):
            stanzas = open(cp, encoding="utf-8", errors="replace").read().split("\n\n")
            for st in stanzas:
                if re.search(r"^Files:\s*\*\s*$", st, re.M):
                    m = re.search(r"^License:\s*(.+)$", st, re.M)
                    copyright_lic = m.group(1).strip() if m else None
            if copyright_lic is None:
                copyright_lic = "free-form debian/copyright; license text checked by hand"
        files = []
        root = os.path.join(x, "usr", "lib", "python3", "dist-packages")
        for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
            rel = os.path.relpath(path, root)
            if any(p in SKIP_DIRS for p in rel.split("/")[:-1]):
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    files.append((rel, "python", f.read()))
            except (UnicodeDecodeError, OSError):
                continue
        meta = {"repo": f"debian:{pkg}", "name": pkg, "version": version, "license": spdx,
                "debian_copyright_license": copyright_lic,
                "source": f"Debian bookworm {pkg} {version} (apt-get download), /usr/lib/python3/dist-packages"}
        log(f"debian {pkg} {version}: {len(files)} .py files, copyright 'Files: *' license {copyright_lic!r}")
        out.append((meta, files))
    return out


def go_repos(tmp):
    d = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run("apt-get download golang-1.19-src", shell=True, cwd=d, capture_output=True, text=True)
    if r.returncode != 0:
        log("go: apt-get download failed:", r.stderr[-300:])
        return []
    deb = glob.glob(os.path.join(d, "*.deb"))[0]
    version = os.path.basename(deb).split("_")[1]
    subprocess.run(["dpkg", "-x", deb, os.path.join(d, "x")], check=True)
    root = glob.glob(os.path.join(d, "x", "usr", "share", "go-1.19", "src"))[0]
    groups = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(root, "**", "*.go"), recursive=True)):
        rel = os.path.relpath(path, root)
        parts = rel.split("/")
        if any(p in SKIP_DIRS for p in parts[:-1]):
            continue
        group = "/".join(parts[:2]) if parts[0] in ("cmd", "crypto", "net", "go", "internal", "runtime",
                                                      "encoding", "image", "text", "math") and len(parts) > 2 \
            else parts[0]
        groups[group].append((rel, path))
    out = []
    for g, items in groups.items():
        files = []
        for rel, path in items:
            try:
                with open(path, encoding="utf-8") as f:
                    files.append((rel, "go", f.read()))
            except (UnicodeDecodeError, OSError):
                continue
        meta = {"repo": f"go:{g}", "name": f"go {g}", "version": version, "license": "BSD-3-Clause",
                "source": f"Debian golang-1.19-src {version}, /usr/share/go-1.19/src/{g}"}
        out.append((meta, files))
    return out


# ----------------------------------------------------------------------------------------------
# v2: Debian packages that ship source trees
# ----------------------------------------------------------------------------------------------

C_EXT = {".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp",
         ".hxx": "cpp", ".ipp": "cpp", ".inl": "cpp", ".tcc": "cpp"}
CPP_HINT = re.compile(r"^\s*(namespace\s+\w|template\s*<|class\s+\w+[^;]*\{|#include\s*<(?:vector|string|memory)>)", re.M)


def apt_list(pattern, arch_all=False):
    """Package names matching an apt-cache search of names, in a fixed random order."""
    r = subprocess.run(["apt-cache", "search", "--names-only", pattern], capture_output=True, text=True)
    names = sorted({l.split(" ", 1)[0] for l in r.stdout.splitlines() if l.strip()})
    if arch_all and names:
        r = subprocess.run(["apt-cache", "show", "--no-all-versions"] + names, capture_output=True, text=True)
        keep, pkg = set(), None
        for l in r.stdout.splitlines():
            if l.startswith("Package: "):
                pkg = l.split(" ", 1)[1]
            elif l.startswith("Architecture: ") and l.split(" ", 1)[1].strip() == "all":
                keep.add(pkg)
        names = sorted(keep)
    random.Random(20261201).shuffle(names)
    return names


def deb_download(pkgs, tmp):
    """{pkg: .deb path or the exception} with one apt-get for several packages (apt's start-up,
    about a CPU-second, is the cost of a small package); a batch that fails is fetched one by one."""
    d = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run(["apt-get", "download", *pkgs], cwd=d, capture_output=True, text=True, timeout=1800)
    out = {}
    for p in pkgs:
        debs = glob.glob(os.path.join(d, p + "_*.deb"))  # '_' is not allowed in package names
        if debs:
            out[p] = debs[0]
        elif r.returncode == 0 or len(pkgs) == 1:
            out[p] = RuntimeError(f"apt-get download {p} failed: {r.stderr.strip()[-200:]}")
        else:
            out[p] = deb_download([p], tmp)[p]
    if not os.listdir(d):
        os.rmdir(d)
    return out


def deb_extract(pkg, tmp, deb=None):
    """apt-get download (unless deb is given) + dpkg -x: (dir to remove, extracted root, version,
    license, license ok). The .deb is removed."""
    if deb is None:
        deb = deb_download([pkg], tmp)[pkg]
        if isinstance(deb, Exception):
            raise deb
    d = tempfile.mkdtemp(dir=tmp)
    version = urllib.parse.unquote(os.path.basename(deb).split("_")[1])
    x = os.path.join(d, "x")
    try:
        subprocess.run(["dpkg", "-x", deb, x], check=True)
    finally:
        os.remove(deb)
    doc = os.path.join(x, "usr", "share", "doc", pkg)
    if os.path.islink(doc) and not os.path.exists(os.path.join(doc, "copyright")):
        # -dev packages often link their doc folder to the library package's: read its copyright
        target = os.path.basename(os.readlink(doc))
        subprocess.run(["apt-get", "download", target], cwd=d, capture_output=True, timeout=900)
        for deb in glob.glob(os.path.join(d, target + "_*.deb")):
            subprocess.run(["dpkg", "-x", deb, os.path.join(d, "doc")], check=True)
        doc = os.path.join(d, "doc", "usr", "share", "doc", target)
    lic, ok = debian_copyright(os.path.join(doc, "copyright"))
    if pkg in LICENSE_OVERRIDE:
        lic, ok = LICENSE_OVERRIDE[pkg][0], True
    return d, x, version, lic, ok


def read_tree(root, want):
    """{relative path: text} of the files under root for which want(rel) is true."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(dn for dn in dirnames if dn not in SKIP_DIRS and not dn.startswith("."))
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root)
            if not want(rel) or os.path.islink(full):
                continue
            try:
                if not MIN_FILE_BYTES <= os.path.getsize(full) <= MAX_FILE_BYTES:
                    continue
                with open(full, encoding="utf-8") as f:
                    out[rel] = f.read()
            except (UnicodeDecodeError, OSError):
                continue
    return out


def c_lang(path, text):
    lang = C_EXT[os.path.splitext(path)[1]]
    if lang == "c" and path.endswith(".h") and CPP_HINT.search(text):
        lang = "cpp"
    return lang


def debian_repos(kind, pkgs, tmp):
    """[(pkg, (meta, files) or the exception)] for a batch of Debian packages of one kind."""
    debs = deb_download(pkgs, tmp)
    out = []
    for p in pkgs:
        try:
            if isinstance(debs[p], Exception):
                raise debs[p]
            out.append((p, debian_repo(kind, p, tmp, debs[p])))
        except Exception as e:  # noqa: BLE001
            out.append((p, e))
    for d in {os.path.dirname(v) for v in debs.values() if isinstance(v, str)}:
        shutil.rmtree(d, ignore_errors=True)
    return out


def debian_repo(kind, pkg, tmp, deb=None):
    """(meta, [(path, lang, text)]) of one Debian package of the given kind."""
    d, x, version, lic, ok = deb_extract(pkg, tmp, deb)
    try:
        meta = {"repo": f"{kind}:{pkg}", "name": pkg, "version": version, "license": lic,
                "source": f"Debian bookworm {pkg} {version} (apt-get download)"}
        if not ok:
            meta["rejected"] = "license"
            return meta, []
        files = []
        if kind == "debian-go":
            root = os.path.join(x, "usr", "share", "gocode", "src")
            files = [(p, "go", t) for p, t in read_tree(root, lambda r: r.endswith(".go")).items()]
            meta["source"] += ", /usr/share/gocode/src"
        elif kind == "debian-rust":
            if pkg == "rust-src":
                root = glob.glob(os.path.join(x, "usr", "src", "rustc-*", "library"))[0]
                meta["source"] += ", /usr/src/rustc-*/library"
            else:
                root = os.path.join(x, "usr", "share", "cargo", "registry")
                meta["source"] += ", /usr/share/cargo/registry"
            files = [(p, "rust", t) for p, t in read_tree(root, lambda r: r.endswith(".rs")).items()]
        elif kind == "debian-node":
            tree = {}
            for sub in ("usr/share/nodejs", "usr/lib/nodejs"):
                for p, t in read_tree(os.path.join(x, sub), lambda r: r.endswith(JS_EXT)
                                      and not r.endswith((".min.js", ".min.mjs", ".min.cjs"))).items():
                    tree[p] = t
            files = select_js(tree)
            meta["source"] += ", /usr/share/nodejs"
        elif kind == "debian":
            root = os.path.join(x, "usr", "lib", "python3", "dist-packages")
            files = [(p, "python", t) for p, t in read_tree(root, lambda r: r.endswith(".py")).items()]
            meta["source"] += ", /usr/lib/python3/dist-packages"
        elif kind == "debian-c":
            for sub in ("usr/include", "usr/src"):
                for p, t in read_tree(os.path.join(x, sub), lambda r: os.path.splitext(r)[1] in C_EXT).items():
                    files.append((sub.split("/")[1] + "/" + p, c_lang(p, t), t))
            meta["source"] += ", /usr/include and /usr/src"
        return meta, files
    finally:
        shutil.rmtree(d, ignore_errors=True)


def prefetch(items, fn, jobs):
    """fn(item) for items on `jobs` threads (network-bound), yielded in order; stop by closing."""
    with cf.ThreadPoolExecutor(jobs) as ex:
        futs = collections.deque()
        it = iter(items)
        try:
            for item in it:
                futs.append((item, ex.submit(fn, item)))
                if len(futs) >= 2 * jobs:
                    break
            while futs:
                item, fu = futs.popleft()
                nxt = next(it, None)
                if nxt is not None:
                    futs.append((nxt, ex.submit(fn, nxt)))
                try:
                    yield item, fu.result(), None
                except Exception as e:  # noqa: BLE001
                    yield item, None, e
        finally:
            for _, fu in futs:
                fu.cancel()


# ----------------------------------------------------------------------------------------------
# Evaluation repositories
# ----------------------------------------------------------------------------------------------


def load_eval_repos(path):
    if not path or not os.path.exists(path):
        log(f"eval repositories: {path} not found; keeping out HELD_OUT only")
        return []
    return json.load(open(path))["repositories"]


def eval_names(entries):
    """Names under which an evaluation repository could come in from any source."""
    names = set()
    for e in entries:
        n = e["name"].split("/")[-1].lower()
        names |= {n, e["repo"].split(":", 1)[1].lower()}
        if e["repo"].startswith("deb:"):
            pkg = e["repo"].split(":", 1)[1]
            names |= {pkg, re.sub(r"^python3-", "", pkg)}
    return names


def eval_files(entry, tmp):
    """[(path, text)] of one evaluation repository, fetched as its entry's source says."""
    src, root = entry["source"], entry.get("root", "")
    m = re.match(r"npm pack (\S+)", src)
    if m:
        tgz, _ = npm_fetch(m.group(1), tmp)
        out = []
        with tarfile.open(tgz) as tf:
            for mem in tf.getmembers():
                if mem.isfile() and mem.name.endswith(JS_EXT):
                    try:
                        out.append((mem.name, tf.extractfile(mem).read().decode("utf-8")))
                    except UnicodeDecodeError:
                        pass
        os.remove(tgz)
        return out
    m = re.match(r"apt-get download (\S+?)(?:=\S+)?\s", src + " ")
    if m:
        d, x, *_ = deb_extract(m.group(1), tmp)
        try:
            tree = read_tree(x, lambda r: r.endswith((".py", ".go", ".js", ".ts", ".rs")))
            return list(tree.items())
        finally:
            shutil.rmtree(d, ignore_errors=True)
    m = re.match(r"(/\S+)", src)
    if m and os.path.isdir(m.group(1)):
        return list(read_tree(m.group(1), lambda r: r.endswith((".py", ".go", ".js", ".ts"))).items())
    raise RuntimeError(f"cannot fetch evaluation repository {entry['repo']} from {src!r}")


# ----------------------------------------------------------------------------------------------
# Writing: filters, de-duplication, shards, manifest
# ----------------------------------------------------------------------------------------------


class ShardWriter:
    """xz shards of at most SHARD_MAX_BYTES; a repository's files stay in one shard."""

    def __init__(self, shard_dir, preset, prefix="shard", closed=()):
        self.dir, self.preset, self.prefix = shard_dir, preset, prefix
        self.shards = list(closed)  # shards of an earlier run that this one continues (--resume)
        self.n = len(self.shards)
        self.f = None

    def _open(self):
        self.n += 1
        self.path = os.path.join(self.dir, f"{self.prefix}-{self.n:02d}.jsonl.xz")
        self.f = open(self.path, "wb")
        self.comp = lzma.LZMACompressor(preset=self.preset)
        self.written = 0
        self.repos = 0

    def _close(self):
        self.f.write(self.comp.flush())
        self.f.close()
        size = os.path.getsize(self.path)
        assert size <= SHARD_MAX_BYTES, f"{self.path} is {size} bytes"
        self.shards.append({"file": os.path.basename(self.path), "xz_bytes": size, "repositories": self.repos})
        log(f"shard {self.path}: {size / 2**20:.2f} MiB, {self.repos} repositories")

    def write_repo(self, blob: bytes) -> str:
        """Appends one repository's JSONL; returns the shard's file name."""
        # start a new shard before a repository that could overflow this one (xz makes code at
        # least 3x smaller; the compressor's output lags its input by a few MB at most)
        if self.f is None or (self.repos and self.written + len(blob) // 3 >= SHARD_CUT_BYTES):
            if self.f is not None:
                self._close()
            self._open()
        out = self.comp.compress(blob)
        self.f.write(out)
        self.written += len(out)
        self.repos += 1
        return os.path.basename(self.path)

    def finish(self):
        if self.f is not None:
            self._close()
        return self.shards


class Sink:
    def __init__(self, shard_dir, eval_index, stats, preset, closed=()):
        self.writer = ShardWriter(shard_dir, preset, closed=closed)
        self.eval = eval_index
        self.stats = stats
        self.index = DedupIndex()
        self.py_index = DedupIndex()  # the Python files, for device_corpus.py
        self.manifest = []
        self.lang_bytes = collections.Counter()

    def add_repo(self, meta, files, split, cap):
        n_files, n_bytes, langs, lines = 0, 0, collections.Counter(), []
        for path, lang, text in files:
            text = clean(text)
            if len(text) < MIN_FILE_BYTES:
                continue
            if not readable(text):
                self.stats["minified_or_data"] += 1
                continue
            if is_generated(text):
                self.stats["generated"] += 1
                continue
            keys = file_keys(text)
            if split == "train" and self.eval.check(text, keys):
                self.stats["eval_overlap"] += 1
                continue
            dup = self.index.check(text, keys)
            if dup:
                self.stats["dup_" + dup] += 1
                continue
            nb = len(text.encode())
            if n_bytes + nb > cap:
                self.stats["over_cap"] += 1
                continue
            self.index.add(keys)
            if lang == "python":
                self.py_index.add(keys)
            lines.append(json.dumps({"repo": meta["repo"], "path": path, "lang": lang, "split": split,
                                     "text": text}, ensure_ascii=False) + "\n")
            n_files += 1
            n_bytes += nb
            langs[lang] += nb
        if n_files == 0:
            return 0
        shard = self.writer.write_repo("".join(lines).encode())
        m = dict(meta, split=split, files=n_files, bytes=n_bytes, languages=dict(langs),
                 shard=shard)
        self.manifest.append(m)
        self.lang_bytes.update(langs)
        log(f"{meta['repo']:48s} {split:8s} {n_files:6d} files {n_bytes / 1e6:7.2f} MB {meta['license']}")
        return n_bytes

    def finish(self):
        self.writer.finish()

    def resume(self, shard_dir, doc, cache_dir=None):
        """Continues the run whose manifest is doc: its closed shards' repositories stay as they are,
        and every file in them is indexed again, so that de-duplication sees them. With cache_dir, each
        shard's keys are kept there (by name and size): indexing 440 MB of code takes minutes here."""
        self.manifest = [m for m in doc["repositories"] if m["shard"] in {sh["file"] for sh in doc["shards"]}]
        for sh in doc["shards"]:
            keys = shard_keys(os.path.join(shard_dir, sh["file"]), cache_dir)
            for is_py, k in keys:
                self.index.add(k)
                if is_py:
                    self.py_index.add(k)
            log(f"resume: {sh['file']}: {len(keys)} files indexed")


def shard_keys(path, cache_dir=None):
    """[(is_python, file_keys)] of every file of a shard, cached in cache_dir by the shard's name and size."""
    cache = None
    if cache_dir:
        cache = os.path.join(cache_dir, f"keys-{os.path.basename(path)}-{os.path.getsize(path)}"
                                        f"-{MINHASH_PERM}x{MINHASH_BANDS}.pkl")
        if os.path.exists(cache):
            with open(cache, "rb") as f:
                return pickle.load(f)
    out = []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            out.append((o["lang"] == "python", file_keys(o["text"])))
    if cache:
        with open(cache + ".tmp", "wb") as f:
            pickle.dump(out, f)
        os.replace(cache + ".tmp", cache)
    return out


def repack(out_dir, preset):
    """Rewrites the shards at another xz preset (fewer, smaller shards at 9) and updates the manifest."""
    shard_dir = os.path.join(out_dir, "shards")
    old = sorted(glob.glob(os.path.join(shard_dir, "shard-*.jsonl.xz")))
    w = ShardWriter(shard_dir, preset, prefix="repack")
    where = {}
    for path in old:
        with lzma.open(path, "rb") as f:
            cur, buf = None, []
            for line in f:
                repo = json.loads(line)["repo"]
                if repo != cur and buf:
                    where[cur] = w.write_repo(b"".join(buf))
                    buf = []
                cur = repo
                buf.append(line)
            if buf:
                where[cur] = w.write_repo(b"".join(buf))
    shards = w.finish()
    for path in old:
        os.remove(path)
    for sh in shards:
        new = sh["file"].replace("repack-", "shard-")
        os.rename(os.path.join(shard_dir, sh["file"]), os.path.join(shard_dir, new))
        sh["file"] = new
    man_path = os.path.join(out_dir, MANIFEST)
    doc = read_manifest(man_path)
    for m in doc["repositories"]:
        m["shard"] = where[m["repo"]].replace("repack-", "shard-")
    doc["shards"] = shards
    doc["xz_preset"] = preset
    write_manifest(man_path, doc)
    log(f"repacked {len(old)} shards into {len(shards)} at xz preset {preset}")


STOP = []


class Stopped(Exception):
    pass


def add_pass(args, done, take, stats, kept):
    """--add v3: new npm packages (NPM_PACKAGES_V3, in order), more Debian python3-* and node-*
    packages (continuing v2's fixed random order, each until its ADD_PASSES budget is spent). The
    sources are interleaved, so that a pass stopped early (SIGTERM, the time-box) has some of each;
    their downloads overlap on threads, and the main thread filters and writes."""
    cfg = ADD_PASSES[args.add]

    def npm_stream(names):
        names = [n for n in names if f"npm:{n}" not in done]
        batches = [names[i:i + 8] for i in range(0, len(names), 8)]
        for batch, results, err in prefetch(batches, lambda b: npm_repos(b, args.workdir), 2):
            yield from (results or [(n, err) for n in batch])

    def deb_stream(kind, pkgs):
        pkgs = [p for p in pkgs if f"{kind}:{p}" not in done]
        batches = [pkgs[i:i + DEB_BATCH] for i in range(0, len(pkgs), DEB_BATCH)]
        for batch, results, err in prefetch(batches, lambda b: debian_repos(kind, b, args.workdir), 2):
            yield from (results or [(p, err) for p in batch])

    v1_py = set(DEBIAN_PYTHON)
    streams = []  # [label, budget, weight, iterator, bytes taken]
    for label, (budget, weight) in cfg.items():
        if label == "npm":
            it = npm_stream(NPM_PACKAGES_V3)
        elif label == "debian-python":
            it = deb_stream("debian", [p for p in apt_list(r"^python3-", arch_all=True) if p not in v1_py])
        elif label == "debian-node":
            it = deb_stream("debian-node", apt_list(r"^node-"))
        if args.limit:
            it = (x for _, x in zip(range(args.limit), it))
        kind = {"npm": "npm", "debian-python": "debian", "debian-node": "debian-node"}[label]
        before = sum(m["bytes"] for m in kept if m.get("added") == args.add and m["repo"].startswith(kind + ":"))
        streams.append([label, budget, weight, it, before])  # (before: an earlier run of this pass)
    log(f"--add {args.add}: " + ", ".join(f"{st[0]} (budget {st[1] / 1e6:.0f} MB)" for st in streams))
    while streams:
        for st in list(streams):
            for _ in range(st[2]):
                item = next(st[3], None)
                if item is None or st[4] >= st[1]:
                    st[3].close()
                    streams.remove(st)
                    log(f"--add {args.add}: {st[0]}: {st[4] / 1e6:.1f} MB taken, "
                        f"{'budget spent' if item is not None else 'list done'}")
                    break
                name, res = item
                if isinstance(res, Exception):
                    log(f"{st[0]} {name}: FAILED {str(res)[:200]}")
                    stats["fetch_failed"] += 1
                    continue
                st[4] += take(*res)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    ap.add_argument("--workdir", default="/tmp/samba-corpus")
    ap.add_argument("--eval-repos", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "data", "eval-repos.json"))
    ap.add_argument("--v1-only", action="store_true", help="v1's sources only (no NPM_PACKAGES_V2, no Debian v2)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many packages per v2 source (testing)")
    ap.add_argument("--jobs", type=int, default=6)
    ap.add_argument("--xz-preset", type=int, default=9,
                    help="9: about 7x, 0.8 CPU-s per MB; 1: about 5.7x, 0.07 CPU-s per MB (a busy machine)")
    ap.add_argument("--resume", action="store_true",
                    help="continue after the shards that OUT/manifest.json.xz lists (a run that was stopped or "
                         "killed, or new sources): their files are indexed again, their repositories skipped, "
                         "and later shards rewritten")
    ap.add_argument("--repack", action="store_true",
                    help="only rewrite the existing shards at --xz-preset (after a fast first pass)")
    ap.add_argument("--add", choices=sorted(ADD_PASSES),
                    help="an incremental pass: the shards of OUT/manifest.json.xz stay as they are and are "
                         "de-duplicated against (as --resume), and only this pass's new sources are collected, "
                         "into the next shard numbers; hashes go to hashes-PASS.json.xz (hashes.json.xz is kept)")
    args = ap.parse_args()
    if args.repack:
        return repack(args.out, args.xz_preset)
    if args.add:
        args.resume = True
    os.makedirs(args.workdir, exist_ok=True)
    shard_dir = os.path.join(args.out, "shards")
    os.makedirs(shard_dir, exist_ok=True)
    prev = {"shards": [], "repositories": [], "rejected": [], "filters": {"removed": {}}}
    if args.resume:
        prev = read_manifest(os.path.join(args.out, MANIFEST))
        if prev.get("xz_preset") not in (None, args.xz_preset):
            log(f"resume: the closed shards are at xz preset {prev['xz_preset']}, new ones at {args.xz_preset}")
        for sh in prev["shards"]:
            path = os.path.join(shard_dir, sh["file"])
            if not os.path.exists(path) or os.path.getsize(path) != sh["xz_bytes"]:
                raise SystemExit(f"corpus.py --resume: {path} is missing or not the {sh['xz_bytes']} bytes that "
                                 f"manifest.json.xz says; copy the closed shards there, or run without --resume")
    closed = {sh["file"] for sh in prev["shards"]}
    for old in glob.glob(os.path.join(shard_dir, "shard-*.jsonl.xz")):
        if os.path.basename(old) not in closed:
            os.remove(old)  # a shard that a stopped run had not closed

    stats = collections.Counter({k: v for k, v in prev["filters"]["removed"].items() if k != "stopped_early"})
    args.stats_before = collections.Counter(stats)  # what this run removes is stats - stats_before
    args.prev_additions = prev.get("additions", {})
    # 1. evaluation repositories: their files are indexed first, so that nothing close to them is kept
    evals = load_eval_repos(args.eval_repos)
    blocked = eval_names(evals)
    eval_index = DedupIndex(EVAL_JACCARD)
    eval_listed = []
    for e, fs, err in prefetch(evals, lambda e: eval_files(e, args.workdir), args.jobs):
        if err:
            raise SystemExit(f"corpus.py: cannot fetch evaluation repository {e['repo']}: {err}; "
                             f"it must be indexed to keep it out of training")
        for _, text in fs:
            text = clean(text)
            if len(text) >= MIN_FILE_BYTES:
                eval_index.add(file_keys(text))
        eval_listed.append({"repo": e["repo"], "version": e.get("version"), "files_indexed": len(fs),
                            "heldout_split": e["repo"] in HELD_OUT})
        log(f"eval {e['repo']}: {len(fs)} files indexed")
    held_out = HELD_OUT | {e["repo"] for e in evals if e.get("heldout")}

    sink = Sink(shard_dir, eval_index, stats, args.xz_preset, closed=prev["shards"])
    if args.resume:
        cache = os.path.join(args.workdir, "keys")
        os.makedirs(cache, exist_ok=True)
        sink.resume(shard_dir, prev, cache)
    rejected = list(prev["rejected"])
    done = {m["repo"] for m in sink.manifest} | {r["repo"] for r in rejected}

    def take(meta, files):
        if STOP:
            raise Stopped()
        if meta["repo"] in done:
            return 0  # in a closed shard of the run this one continues
        if meta.get("rejected"):
            log(f"{meta['repo']}: rejected ({meta['rejected']}: {meta['license']!r})")
            rejected.append(dict(meta, added=args.add) if args.add else meta)
            return 0
        kind, name = meta["repo"].split(":", 1)
        split = "heldout" if meta["repo"] in held_out else "train"
        if split == "train" and (name.lower() in blocked or re.sub(r"^(node|python3|golang)-", "", name.lower())
                                 in blocked):
            log(f"{meta['repo']}: an evaluation repository, left out")
            stats["eval_repository"] += 1
            return 0
        cap = PER_REPO_CAP_OVERRIDE.get(meta["repo"], PER_REPO_CAP[kind])
        if args.add:
            meta = dict(meta, added=args.add)
        n_closed = len(sink.writer.shards)
        n = sink.add_repo(meta, files, split, cap)
        if len(sink.writer.shards) > n_closed:  # a shard was closed: it is usable now
            write_outputs(args, sink, eval_index, eval_listed, blocked, held_out, rejected, stats, final=False)
        return n

    def on_term(signum, frame):
        STOP.append(signum)
        log("corpus.py: stopping after the current repository (SIGTERM); the shards so far stay valid")
    signal.signal(signal.SIGTERM, on_term)
    try:
        if args.add:  # only the new sources of an incremental pass
            add_pass(args, done, take, stats, sink.manifest)
        else:
            # 2. v1's sources, in v1's order
            names = NPM_PACKAGES + ([] if args.v1_only else [n for n in NPM_PACKAGES_V2 if n not in NPM_PACKAGES])
            names = [n for n in names if f"npm:{n}" not in done]
            batches = [names[i:i + 8] for i in range(0, len(names), 8)]
            for batch, results, err in prefetch(batches, lambda b: npm_repos(b, args.workdir), max(2, args.jobs // 2)):
                for name, res in (results or [(n, err) for n in batch]):
                    if isinstance(res, Exception):
                        log(f"npm {name}: FAILED {str(res)[:200]}")
                        stats["fetch_failed"] += 1
                        continue
                    take(*res)
            for meta, files in python_repos() + debian_python_repos(args.workdir, done) + go_repos(args.workdir):
                take(meta, files)

            # 3. v2: Debian source trees, each language until its budget is spent
            if not args.v1_only:
                v1_py = set(DEBIAN_PYTHON)
                # the languages the corpus lacks first (Go, Rust, C/C++); npm already gave most node-* code
                sources = [
                    ("debian-go", "go", [p for p in apt_list(r"^golang-.*-dev$")]),
                    ("debian-rust", "rust", ["rust-src"] + apt_list(r"^librust-[^+]*-dev$")),
                    ("debian-c", "c", DEBIAN_C),
                    ("debian-node", "node", apt_list(r"^node-")),
                    ("debian", "python", [p for p in apt_list(r"^python3-", arch_all=True) if p not in v1_py]),
                ]
                for kind, budget_key, pkgs in sources:
                    ours = {f"{kind}:{p}" for p in pkgs}  # (v1's Debian Python is of the same kind, not of this list)
                    spent = sum(m["bytes"] for m in sink.manifest if m["repo"] in ours)
                    pkgs = [p for p in pkgs if f"{kind}:{p}" not in done]
                    if args.limit:
                        pkgs = pkgs[:args.limit]  # a quick trial of the whole pipeline
                    batches = [pkgs[i:i + DEB_BATCH] for i in range(0, len(pkgs), DEB_BATCH)]
                    gen = prefetch(batches, lambda b, k=kind: debian_repos(k, b, args.workdir), args.jobs)
                    for batch, results, err in gen:
                        for pkg, res in (results or [(p, err) for p in batch]):
                            if isinstance(res, Exception):
                                log(f"{kind}:{pkg}: FAILED {str(res)[:200]}")
                                stats["fetch_failed"] += 1
                                continue
                            spent += take(*res)
                            if spent >= LANG_BUDGET[budget_key]:
                                break
                        if spent >= LANG_BUDGET[budget_key]:
                            gen.close()
                            break
                    log(f"{kind}: {spent / 1e6:.1f} MB of {LANG_BUDGET[budget_key] / 1e6:.0f} MB")
    except Stopped:
        stats["stopped_early"] = 1
    sink.finish()
    write_outputs(args, sink, eval_index, eval_listed, blocked, held_out, rejected, stats, final=True)


# an incremental pass's repositories are listed as rows of these columns in additions[PASS]["rows"]
# (8,000 of them as dicts would add 1.4 MB to the tracked files); read_manifest expands them
ADDED_COLUMNS = ["repo", "version", "license", "files", "bytes", "languages", "shard"]
ADDED_SOURCE = {"npm": "npm pack {name}@{version}",
                "debian": "Debian bookworm {name} {version} (apt-get download), /usr/lib/python3/dist-packages",
                "debian-node": "Debian bookworm {name} {version} (apt-get download), /usr/share/nodejs"}


# The manifest, xz-compressed: with the v3 pass's 8,000 repositories it is 1.5 MB of JSON.
MANIFEST = "manifest.json.xz"


def _open_text(path, mode):
    """Text, through xz when the name ends in .xz."""
    if not path.endswith(".xz"):
        return open(path, mode, encoding="utf-8")
    return lzma.open(path, mode + "t", encoding="utf-8", **({"preset": 9} if mode == "w" else {}))


def read_manifest(path):
    """The manifest with every repository as a dict in "repositories" (those of incremental passes too)."""
    with _open_text(path, "r") as f:
        doc = json.load(f)
    for tag, add in doc.get("additions", {}).items():
        for row in add.pop("rows", []):
            m = dict(zip(add["columns"], row))
            kind, name = m["repo"].split(":", 1)
            m.update(name=name, source=ADDED_SOURCE[kind].format(name=name, version=m["version"]), split="train",
                     added=tag)
            doc["repositories"].append(m)
        add.pop("columns", None)
    return doc


def write_manifest(path, doc):
    """Writes what read_manifest reads: one line per repository, a pass's repositories as its rows."""
    passes = doc.get("additions", {})
    rows = {tag: [[m[c] for c in ADDED_COLUMNS] for m in doc["repositories"] if m.get("added") == tag]
            for tag in passes}
    own = [m for m in doc["repositories"] if not m.get("added")]
    top = {k: v for k, v in doc.items() if k not in ("additions", "rejected", "repositories")}

    def line(x):
        return json.dumps(x, ensure_ascii=False, separators=(",", ":"))

    tmp = path + ".tmp" + (".xz" if path.endswith(".xz") else "")
    with _open_text(tmp, "w") as f:
        f.write(json.dumps(top, indent=1, ensure_ascii=False)[:-2] + ',\n "additions": {')
        for i, (tag, add) in enumerate(passes.items()):
            summary = {k: v for k, v in add.items() if k not in ("columns", "rows")}
            f.write(("," if i else "") + f'\n  "{tag}": ' + json.dumps(summary, indent=1)[:-2].replace("\n", "\n  "))
            f.write(f',\n   "columns": {line(ADDED_COLUMNS)},\n   "rows": [\n'
                    + ",\n".join("    " + line(r) for r in rows[tag]) + "\n   ]\n  }")
        f.write("\n },\n")
        for key, items in (("rejected", doc["rejected"]), ("repositories", own)):
            f.write(f' "{key}": [\n' + ",\n".join("  " + line(x) for x in items) + "\n ]"
                    + (",\n" if key == "rejected" else "\n}\n"))
    os.replace(tmp, path)


def write_outputs(args, sink, eval_index, eval_listed, blocked, held_out, rejected, stats, final):
    """hashes.json.xz and manifest.json.xz for the shards closed so far (all of them when final)."""
    shard_dir = os.path.join(args.out, "shards")
    closed = {sh["file"] for sh in sink.writer.shards}
    repos = [m for m in sink.manifest if m["shard"] in closed]
    # 4. what device_corpus.py needs: this run's Python files and the evaluation files
    hashes = {"note": "training/corpus.py: keys of the Python files in the shards (de-duplication on the GPU "
                      "machine) and of the evaluation repositories' files (kept out everywhere); see DedupIndex",
              "minhash": {"perm": MINHASH_PERM, "bands": MINHASH_BANDS, "seed": 20261201},
              "python": sink.py_index.dump(), "eval": eval_index.dump(), "eval_names": sorted(blocked),
              "python_distributions": sorted({re.sub(r"^python3-", "", m["name"]).lower()
                                              for m in repos if m["repo"].startswith("debian:")})}
    hashes_name = f"hashes-{args.add}.json.xz" if args.add else "hashes.json.xz"
    with lzma.open(os.path.join(shard_dir, hashes_name + ".tmp"), "wt", preset=6) as f:
        json.dump(hashes, f)
    os.replace(os.path.join(shard_dir, hashes_name + ".tmp"), os.path.join(shard_dir, hashes_name))

    totals = collections.defaultdict(lambda: collections.Counter())
    for m in repos:
        for lang, nb in m["languages"].items():
            totals[m["split"]][lang] += nb
    doc = {
        "note": "Corpus of the default model (training/corpus.py, and training/device_corpus.py on the GPU "
                "machine: its entries are in device_manifest.json, written there). Bytes are UTF-8 bytes after "
                "filtering and de-duplication. One entry per repository (an npm package, a Debian package, or "
                "one top-level package of a standard library); split 'heldout' repositories are never trained on.",
        "filters": {"max_file_bytes": MAX_FILE_BYTES, "max_line_chars": MAX_LINE,
                    "per_repository_cap_bytes": dict(PER_REPO_CAP, **PER_REPO_CAP_OVERRIDE),
                    "language_budget_bytes_debian_v2": LANG_BUDGET,
                    "near_duplicate": {"minhash_perm": MINHASH_PERM, "bands": MINHASH_BANDS,
                                       "jaccard": NEAR_DUP_JACCARD, "eval_jaccard": EVAL_JACCARD},
                    "removed": dict(stats)},
        "held_out": sorted(held_out),
        "evaluation_repositories": eval_listed,
        "totals": {s: dict(c) for s, c in totals.items()},
        "complete": final,
        "shards": sink.writer.shards,
        "xz_preset": args.xz_preset,
        "additions": dict(args.prev_additions),
        "rejected": [dict({"repo": r["repo"], "version": r["version"], "license": r["license"]},
                          **({"added": r["added"]} if r.get("added") else {})) for r in rejected],
        "repositories": repos,
    }
    if args.add:
        # this pass alone: what it added, what it removed (with the removals of earlier runs of the same pass)
        mine = [m for m in repos if m.get("added") == args.add]
        added_totals = collections.Counter()
        for m in mine:
            added_totals.update(m["languages"])
        earlier = collections.Counter({k: v for k, v in args.prev_additions.get(args.add, {}).get("removed", {}).items()
                                       if k != "stopped_early"})
        doc["additions"][args.add] = {
            "command": f"python3 training/corpus.py --add {args.add} --xz-preset {args.xz_preset}",
            "sources_and_budgets_bytes": {k: v[0] for k, v in ADD_PASSES[args.add].items()},
            "npm_candidates": len(NPM_PACKAGES_V3),
            "repositories": len(mine), "files": sum(m["files"] for m in mine),
            "totals": dict(added_totals),
            "rejected_license": sum(1 for r in rejected if r.get("added") == args.add),
            "removed": dict(earlier + (stats - args.stats_before)),
            "shards": sorted({m["shard"] for m in mine}),
            "hashes": hashes_name,
            "complete": final and not stats.get("stopped_early"),
        }
    write_manifest(os.path.join(args.out, MANIFEST), doc)
    if not final:
        return
    log(f"removed: {dict(stats)}")
    log(f"totals: {json.dumps(doc['totals'])}")


if __name__ == "__main__":
    main()
