import { hash32 } from '@paceline/core'
import pg from 'pg'
import { expect, it } from 'vitest'
import { type FleetRun, seedFleet, startFleet } from './support/fleet'
import { expectSafeFleet } from './support/fleet-assertions'
import { startPostgresServer, type TestPostgresServer } from './support/postgres-server'
import { FLEET } from './workers/fleet-scenario'

/** Real milliseconds from the start of virtual time to its end. */
const FLEET_REAL_MS = (FLEET.end - FLEET.start) / FLEET.speed

/** Waits real time: the faults land on running processes at moments of the run. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Cuts the database connections of the workers (not the harness's) with pg_terminate_backend, as an
 * administrator or a connection pooler would; returns how many were cut.
 */
async function terminateWorkerConnections(url: string, seed: number): Promise<number> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where application_name = 'paceline' and pid <> pg_backend_pid()",
    )
    const chosen = rows.filter((_, n) => hash32(seed, 'cut', n) % 2 === 0)
    for (const row of chosen) await admin.query('select pg_terminate_backend($1)', [row.pid])
    return chosen.length
  } finally {
    await admin.end()
  }
}

it('keeps every property through SIGKILLed workers, cut connections and a PostgreSQL restart', async () => {
  // Its own server: this test restarts it.
  const server: TestPostgresServer = await startPostgresServer()
  let run: FleetRun | undefined
  try {
    await seedFleet(server.url, 'fleet')
    run = startFleet(server.url, 'fleet', ['w1', 'w2', 'w3', 'w4'])
    const end = run.t0 + (FLEET_REAL_MS - 3000)
    const faults = { kills: 0, cuts: 0, restarts: 0 }
    let generation = 0
    for (let step = 0; Date.now() < end; step++) {
      // Seeded moments: 1 to 4 real seconds apart.
      await pause(1000 + (hash32(2026, 'fault', step) % 3000))
      if (Date.now() >= end) break
      const kind = hash32(2026, 'kind', step) % 3
      if (faults.restarts === 0 && Date.now() > run.t0 + FLEET_REAL_MS / 2) {
        await server.restart()
        faults.restarts++
      } else if (kind === 0 || kind === 1) {
        const alive = [...run.workers.keys()]
        const victim = alive[hash32(2026, 'victim', step) % alive.length]
        if (victim !== undefined) {
          run.workers.get(victim)?.kill('SIGKILL')
          faults.kills++
          // A replacement starts under a new name, as a restarted container would.
          run.spawnWorker(`${victim.split('.')[0]}.${++generation}`)
        }
      } else {
        faults.cuts += await terminateWorkerConnections(server.url, step)
      }
    }
    await run.finished()
    // biome-ignore lint/suspicious/noConsole: what the run did is part of its result; it goes in the output.
    console.info(`faults: ${JSON.stringify(faults)}`)
    expect(faults.kills).toBeGreaterThanOrEqual(4)
    expect(faults.cuts).toBeGreaterThanOrEqual(2)
    expect(faults.restarts).toBe(1)
    // Workers spend much of this run dead or waiting for the server: less gets done, all of it checked.
    await expectSafeFleet(run, { sends: 100, atCap: 5 })
  } finally {
    run?.dispose()
    await server.stop()
  }
}, 300_000)
