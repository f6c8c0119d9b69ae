import { runQuickstart } from './quickstart'

runQuickstart()
