import { buildTestApp } from '../helper.js'
const times = []
for (let i = 0; i < 8; i++) { const t0 = Date.now(); const app = await buildTestApp(); times.push(Date.now() - t0); await app.close() }
console.log(times.join(' '))
