// The OpenAPI 3.1 document, generated from the routes' schemas, and Swagger UI.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { completeDocument, factsOf, openapiPath, type OperationFacts } from './openapi-contract.js'
import { readSampleData } from '../sample.js'
import { documentedFormats } from '../schemas/report.js'
import { renderMarkdown } from '../render/index.js'
import type { ReportInput } from '../format/document.js'

export const API_DESCRIPTION = `nianbao keeps China's 政府信息公开工作年度报告 (government information-disclosure annual reports):
agencies with their GB/T 2260 region codes, and every cell of their yearly reports in both national formats
(国办公开办函〔2019〕60号 and 〔2021〕30号), named by canonical codes.

Conventions:
- JSON bodies in camelCase; a blank cell is \`null\`, never 0; money is exact.
- Errors are RFC 9457 \`application/problem+json\`; invalid input lists \`errors\` with a JSON \`pointer\` into the body
  or the \`parameter\` at fault. A rejected request changes nothing.
- Lists return \`{ items, next }\`; pass \`next\` back as \`cursor\` for the following page (keyset pagination: stable
  while others write).`

/** The sample report's agency and report, and the report as text, as the document's examples. */
function examples() {
  const sample = readSampleData()
  const at = '2026-01-20T08:00:00.000Z'
  return {
    agencyCreate: sample.agency as unknown as Record<string, unknown>,
    agency: { id: 1, ...sample.agency, uscc: null, parentId: null, revision: 1, createdAt: at, updatedAt: at },
    report: { id: 1, agencyId: 1, ...sample.report, revision: 1, createdAt: at, updatedAt: at, state: 'accepted' },
    // the sample report as Markdown text, which the importer reads back cell for cell
    importText: renderMarkdown({ agencyId: 1, ...sample.report } as ReportInput, { agencyName: sample.agency.name })
  }
}

export default fp(
  async function openapi(app: FastifyInstance, opts: { ui?: boolean }) {
    const facts = new Map<string, OperationFacts>()
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'nianbao — 政府信息公开工作年度报告 API',
          version: '1.0.0',
          description: API_DESCRIPTION,
          license: { name: 'UNLICENSED', identifier: 'UNLICENSED' }
        },
        // one document per deployment: the server that serves it, whichever environment (production, staging or a
        // developer's machine) that is
        servers: [
          {
            url: '/',
            description: 'This server: the production, staging or development deployment that serves this document',
            'x-internal': false
          } as { url: string; description: string }
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API key from `POST /v1/keys` or `npm run keys -- create`: `Authorization: Bearer nbk_…`'
            }
          }
        },
        tags: [
          { name: 'agencies', description: 'Administrative bodies that publish reports' },
          { name: 'reports', description: 'Yearly reports, every cell of the standard tables' },
          { name: 'checks', description: 'Consistency rules (勾稽关系) of FORMAT.md §7: findings per report and validation' },
          { name: 'aggregates', description: 'Sums and indicators over groups of reports, for dashboards' },
          { name: 'statistics', description: 'Per-report values of chosen cells, for charts of raw figures' },
          { name: 'regions', description: 'GB/T 2260 administrative divisions' },
          { name: 'findings', description: 'Findings across reports, for supervisors, and their reviews' },
          { name: 'coverage', description: 'Who published the year’s report, late or not at all' },
          { name: 'imports', description: 'Published reports read from their text or HTML' },
          { name: 'keys', description: 'API keys with roles and scopes (admins only)' },
          { name: 'changes', description: 'Every change in commit order, for mirrors' },
          { name: 'health', description: 'Liveness and readiness' }
        ]
      },
      // what the plugins add to every operation (statuses, headers, security) and the examples: see openapi-contract.ts
      transform({ route, schema, url }) {
        for (const f of factsOf(route)) facts.set(`${f.method} ${openapiPath(url)}`, f)
        return { schema, url }
      },
      transformObject(document) {
        const { openapiObject } = document as { openapiObject: { components: { schemas: Record<string, unknown> } } }
        documentedFormats(openapiObject.components.schemas)
        return completeDocument(openapiObject, facts, examples())
      },
      refResolver: {
        buildLocalReference(json, _baseUri, _fragment, i) {
          return typeof json.$id === 'string' ? json.$id : `def-${i}`
        }
      }
    })
    if (opts.ui !== false) {
      await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } })
    }
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'openapi' }
)
