import { seededRandom } from '../src/checks/consistent-report.js'
import { generateReport, planAgencies, traitsOf } from './lib/dataset.js'
const random = seededRandom(1)
const t0 = performance.now()
const agencies = planAgencies(2000, random)
const t1 = performance.now()
let n = 0, bytes = 0
for (const a of agencies) { const tr = traitsOf(a, random); const doc = generateReport({ ...a, id: 1 }, 2023, tr, random); bytes += JSON.stringify(doc).length; n++ }
const t2 = performance.now()
console.log('plan', (t1 - t0).toFixed(0), 'ms; per report', ((t2 - t1) / n).toFixed(3), 'ms; avg json', bytes / n)
