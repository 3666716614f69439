// Writes the OpenAPI document the code generates to openapi/openapi.json (committed; a test fails when the
// two drift apart). Run after changing any route or schema: npm run openapi
import { writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'

export async function generateOpenApi(): Promise<string> {
  const app = await buildApp({ databaseFile: ':memory:', sampleData: false, logger: false })
  await app.ready()
  const text = JSON.stringify(app.swagger(), null, 2) + '\n'
  await app.close()
  return text
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = new URL('../openapi/openapi.json', import.meta.url)
  writeFileSync(target, await generateOpenApi())
  console.log('wrote openapi/openapi.json')
}
