import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { CrmAssociationKind, CrmValue } from '../ports/crm'

export interface CrmSyncOptions {
  /** Sync these campaigns only (default every campaign with contacts or conversations CRM sync on). */
  readonly campaignIds?: readonly string[]
  /**
   * Sync these leads only (still only as their campaigns' CRM sync settings allow), with their tasks'
   * completion.
   */
  readonly leadIds?: readonly string[]
  /** The paceline user the automatic exports run for (Users Mapping); default the default owner. */
  readonly userId?: string
}

export interface CrmExportOptions {
  readonly leadIds: readonly string[]
  /** The paceline user exporting (Users Mapping picks the owner of new records). */
  readonly userId?: string
  /** Replace the CRM's existing values with paceline's. Default false: fill empty fields only. */
  readonly overwrite?: boolean
  /** This export's association type (default the configuration's). */
  readonly associationType?: CrmAssociationKind
  /** Values of the manual export fields, by CRM field. */
  readonly values?: Readonly<Record<string, CrmValue>>
  readonly companyValues?: Readonly<Record<string, CrmValue>>
  /** Overwrite the owner of existing records too. */
  readonly overwriteOwner?: boolean
  /** Export the lead's company as well (default true). */
  readonly exportCompany?: boolean
}

const id = z.string().trim().min(1, 'must not be empty')
const ids = z.array(id)
const crmValue = z.union([z.string(), z.number(), z.boolean(), z.null()])

const syncSchema = z.strictObject({
  campaignIds: ids.optional(),
  leadIds: ids.optional(),
  userId: id.optional(),
})

const exportSchema = z.strictObject({
  leadIds: ids.min(1),
  userId: id.optional(),
  overwrite: z.boolean().optional(),
  associationType: z.enum(['additional', 'primary', 'primary_replacing']).optional(),
  values: z.record(z.string(), crmValue).optional(),
  companyValues: z.record(z.string(), crmValue).optional(),
  overwriteOwner: z.boolean().optional(),
  exportCompany: z.boolean().optional(),
})

export function parseCrmSyncOptions(options: unknown): CrmSyncOptions {
  const result = syncSchema.safeParse(options ?? {})
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'engine.crm.sync options', result.error)
  return result.data
}

export function parseCrmExportOptions(options: unknown): CrmExportOptions {
  const result = exportSchema.safeParse(options)
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'engine.crm.export options', result.error)
  return result.data
}
