#!/usr/bin/env node
// The browser tests (packages/report, packages/board) run headless Chromium from the @sparticuz/chromium npm
// package, which unpacks its binary into the temporary folder on first use. Two test files doing that at
// the same time on a fresh machine would race (one could start a binary the other is still writing), so
// `pnpm test` unpacks it once, here, before the tests start (about 3 s the first time, nothing after).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'packages', 'board', 'package.json'))
const entry = require.resolve('@sparticuz/chromium')
const { default: chromium } = await import(pathToFileURL(entry).href)
const started = Date.now()
const path = await chromium.executablePath()
process.stderr.write(`Chromium for the browser tests: ${path} (${Date.now() - started} ms)\n`)
