import t from 'tap'
import { readFileSync } from 'node:fs'
import { ConfigSchema } from '../src/config.js'
import { RULES } from '../src/checks/index.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

t.test('the README documents every setting, with its default', async (t) => {
  const props = (ConfigSchema as unknown as { properties: Record<string, { default?: unknown }> }).properties
  for (const [key, schema] of Object.entries(props)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`))
    t.ok(row, `${key} is in the configuration table`)
    if (schema.default !== undefined && schema.default !== '') t.match(row, `\`${String(schema.default)}\``, `${key} default`)
  }
})

t.test('the README shows the quick start and the test command', async (t) => {
  t.match(readme, 'npm install && npm start')
  t.match(readme, 'npm test')
})

t.test('the README lists every rule with its Chinese name and severity', async (t) => {
  const rows = readme.split('\n').filter((line) => /^\| [A-Z]+\d?-\d\d \|/.test(line))
  t.same(
    rows.map((line) =>
      line
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim())
    ),
    RULES.map((r) => [r.id, r.name, r.severity])
  )
})
