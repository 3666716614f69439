// Who may do what. Every write needs `Authorization: Bearer <key>`; reads are public unless
// READ_REQUIRES_KEY. Routes declare `config.access`: public, read, key (any valid key, whatever its role), write,
// review or admin (`review`: the acts
// of the filing workflow — transitions and reviews of findings — open to submitters, reviewers and admins, the
// service deciding which act each may make). Scopes (which regions or
// agencies a submitter may write) are checked where the agency is known: in the repositories, inside the
// write's transaction, through the request's Actor.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { KeyService } from '../auth/key-service.js'
import { ForbiddenError, UnauthorizedError } from '../errors.js'
import { MIN_KEY_LENGTH, mayReview, mayWrite, visibilityOf, type Actor, type ApiKey, type Visibility } from '../auth/keys.js'
import { chmodSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export type Access = 'public' | 'read' | 'key' | 'write' | 'review' | 'admin'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | null
    /** the writer, for repositories: checks scopes and signs the history */
    actor(): Actor
    /** which reports never accepted the request may read (README: Who reads what) */
    visibility(): Visibility
  }
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyInstance {
    /** the file this start wrote a generated bootstrap admin key to, if it did */
    bootstrapKeyWritten: string | undefined
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const PUBLIC_PREFIXES = ['/docs', '/openapi.json', '/healthz', '/readyz']

export interface AuthOptions {
  readRequiresKey?: boolean
  bootstrapAdminKey?: string
  /** where a generated bootstrap key is written (owner-only) when none is given */
  bootstrapKeyFile?: string
}

export default fp(
  async function auth(app: FastifyInstance, opts: AuthOptions) {
    const keys = app.services.keys
    app.decorate('bootstrapKeyWritten', await bootstrap(app, keys, opts))

    app.decorateRequest('apiKey', null)
    app.decorateRequest('visibility', function (this: FastifyRequest): Visibility {
      return visibilityOf(this.apiKey)
    })
    app.decorateRequest('actor', function (this: FastifyRequest): Actor {
      const key = this.apiKey
      if (!key) throw new UnauthorizedError('An API key is required to write.')
      return {
        keyId: key.id,
        keyName: key.name,
        role: key.role,
        may: (agency) => mayWrite(key, agency),
        mayReview: (agency) => mayReview(key, agency),
        check(agency) {
          if (!mayWrite(key, agency)) {
            throw new ForbiddenError(
              `Key “${key.name}” may not write agency ${agency.id ?? ''}${agency.id ? ' ' : ''}in region ${agency.regionCode}.`
            )
          }
        }
      }
    })

    // Two steps, so that the rate limiter (a route onRequest hook, after this one) counts every request,
    // refused ones included: a guessed key is a request like any other, counted against its address.
    // onRequest only identifies the key; preParsing, which runs after every onRequest hook and before the
    // body is read, refuses. Both are callback hooks: a request without a key (most reads) passes them without
    // a promise; one with a key waits for its lookup.
    const refusals = new WeakMap<FastifyRequest, { error: Error; challenge?: string }>()
    /** After the key (if any) is known: whether this request may go on, or the refusal to give it in preParsing. */
    const decide = (request: FastifyRequest, access: Access) => {
      const key = request.apiKey
      if (!key) {
        if (access === 'read' && !opts.readRequiresKey) return
        refusals.set(request, {
          error: new UnauthorizedError(
            access === 'read'
              ? 'An API key is required to read.'
              : access === 'key'
                ? 'An API key is required.'
                : 'An API key is required to write.'
          ),
          challenge: 'Bearer realm="nianbao"'
        })
      } else if (access === 'admin' && key.role !== 'admin')
        refusals.set(request, { error: new ForbiddenError('Only an admin key may do this.') })
      else if ((access === 'write' || access === 'review') && key.role === 'reader')
        refusals.set(request, { error: new ForbiddenError('A reader key may not write.') })
      else if (access === 'write' && key.role === 'reviewer') {
        refusals.set(request, { error: new ForbiddenError('A reviewer key may only accept or return reports and review findings.') })
      }
    }
    const invalidKey = (request: FastifyRequest) =>
      refusals.set(request, {
        error: new UnauthorizedError('The API key is not valid, or has been revoked.'),
        challenge: 'Bearer realm="nianbao", error="invalid_token"'
      })
    app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
      const url = request.url
      const access: Access =
        request.routeOptions.config?.access ??
        (PUBLIC_PREFIXES.some((p) => url.startsWith(p)) ? 'public' : WRITE_METHODS.has(request.method) ? 'write' : 'read')
      // a probe or the documentation answers whatever Authorization says
      if (access === 'public') return done()
      const header = request.headers.authorization
      if (header === undefined) {
        decide(request, access)
        return done()
      }
      const match = /^Bearer +([\x21-\x7e]{1,512})$/i.exec(header)
      if (!match) {
        invalidKey(request)
        return done()
      }
      keys.authenticate(match[1]).then((key) => {
        if (!key) invalidKey(request)
        else {
          request.apiKey = key
          decide(request, access)
        }
        done()
      }, done)
    })
    app.addHook('preParsing', (request: FastifyRequest, reply: FastifyReply, _payload: unknown, done: (err?: Error | null) => void) => {
      const refusal = refusals.get(request)
      if (!refusal) return done()
      if (refusal.challenge) reply.header('www-authenticate', refusal.challenge)
      done(refusal.error)
    })
  },
  { name: 'auth', dependencies: ['database'] }
)

/** On first start with no keys, an admin key: the deployment's, or a random one written to an owner-only file. */
async function bootstrap(app: FastifyInstance, keys: KeyService, opts: AuthOptions): Promise<string | undefined> {
  if ((await keys.count()) > 0) return
  if (opts.bootstrapAdminKey !== undefined) {
    if (opts.bootstrapAdminKey.length < MIN_KEY_LENGTH) {
      throw new Error(`BOOTSTRAP_ADMIN_KEY must be at least ${MIN_KEY_LENGTH} characters`)
    }
    if (await keys.bootstrap({ name: 'bootstrap admin', role: 'admin' }, opts.bootstrapAdminKey)) {
      app.log.info('created the bootstrap admin key from BOOTSTRAP_ADMIN_KEY')
    }
    return
  }
  if (!opts.bootstrapKeyFile) {
    app.log.warn('no API keys and nowhere to write a bootstrap key: writes will be refused until a key is created with `npm run keys`')
    return
  }
  const file = resolve(opts.bootstrapKeyFile)
  const created = await keys.bootstrap({ name: 'bootstrap admin', role: 'admin' })
  if (!created) return
  // the start checked that the folder exists and is writable; the file is owner-only even when it existed
  writeFileSync(file, `${created.key}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  app.log.warn({ file }, 'created a bootstrap admin key; it is in this owner-only file (read it, store it safely, delete the file)')
  return file
}
