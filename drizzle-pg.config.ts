import { defineConfig } from 'drizzle-kit'

// PostgreSQL's schema and migrations, beside SQLite's (drizzle.config.ts); `npm run db:generate` runs both.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg.ts',
  out: './db/migrations-pg'
})
