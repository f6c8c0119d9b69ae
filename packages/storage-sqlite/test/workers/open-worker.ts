/** Opens the store on a file (migrating it if needed) and prints how many migrations it applied. */
import { createSqliteStorage } from '../../src/index'

const storage = createSqliteStorage({ filename: String(process.argv[2]), onWarning: () => {} })
await storage.ready
const report = await storage.migrate()
await storage.transaction('default', (tx) => tx.put('state', `opened:${process.pid}`, { key: 'x', value: 1 }))
await storage.close()
process.stdout.write(JSON.stringify(report))
