import { expect } from 'vitest'
import { FLEET } from '../workers/fleet-scenario'
import { auditSends, type FleetAudit, type FleetRun, fleetLeads, readSends } from './fleet'

/**
 * The account-safety properties of a finished fleet run: every send once (by idempotency key), no
 * identity over a daily cap in its own time zone or over its inbox's hourly cap in any sliding hour, no
 * send claimed outside working hours, and every lead still there, each with a status that says why.
 */
export async function expectSafeFleet(
  run: FleetRun,
  least: { readonly sends: number; readonly atCap: number },
): Promise<FleetAudit> {
  const audit = await auditSends(run, readSends(run))
  // biome-ignore lint/suspicious/noConsole: what the run did is part of its result; it goes in the output.
  console.info(
    `fleet ${run.schema}: ${audit.sends} sends, ${audit.atCap} identity-days at a cap, by worker ${JSON.stringify(Object.fromEntries(audit.byWorker))}`,
  )
  expect(audit.duplicates, 'sent twice').toEqual([])
  expect(audit.late, 'sends without a claim, or delivered long after it').toEqual([])
  expect(audit.dayViolations, 'daily caps exceeded').toEqual([])
  expect(audit.hourViolations, 'hourly caps exceeded').toEqual([])
  expect(audit.outsideHours, 'sends outside working hours').toEqual([])
  // Enough work that identities reached their caps (the run is real time, so a loaded machine does less).
  expect(audit.sends).toBeGreaterThanOrEqual(least.sends)
  expect(audit.atCap).toBeGreaterThanOrEqual(least.atCap)
  const leads = await fleetLeads(run.url, run.schema)
  expect(leads).toHaveLength(FLEET.identities * FLEET.leadsPerIdentity)
  const unexplained = leads.filter(
    (lead) => lead.reason === undefined && lead.substatus === null && lead.status !== 'finished',
  )
  expect(
    unexplained.map((lead) => `${lead.campaignId}/${lead.leadId} ${lead.status}`),
    'leads with no reason',
  ).toEqual([])
  return audit
}
