import { packageBuild } from '../../tsup.shared'

export default packageBuild({ entry: { index: 'src/index.ts', demo: 'src/demo/index.ts' } })
