// Content negotiation for resources nianbao can render in several media types. `output=` in the query wins
// over the Accept header (for links opened in a browser); a header that accepts none of them is a 406.
import { Negotiator } from '@fastify/accept-negotiator'
import createError from '@fastify/error'

export const OUTPUTS = {
  json: 'application/json',
  html: 'text/html',
  md: 'text/markdown',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
} as const
export type Output = keyof typeof OUTPUTS

const NotAcceptable = createError<[string]>('NIANBAO_NOT_ACCEPTABLE', '%s', 406)
const byType = new Map(Object.entries(OUTPUTS).map(([k, v]) => [v as string, k as Output]))

/** How many distinct Accept headers each negotiator remembers the answer for. */
export const NEGOTIATION_CACHE_SIZE = 256

/**
 * The negotiator's memory of answers, bounded: a client sending a new Accept header with every request
 * must not grow the process. The oldest entry goes first (a Map iterates in insertion order).
 */
export class BoundedCache<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super()
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value as K)
    return super.set(key, value)
  }
}

export function createOutputNegotiator(outputs: Output[]) {
  const negotiator = new Negotiator({
    supportedValues: outputs.map((o) => OUTPUTS[o] as string),
    cache: new BoundedCache<string, string>(NEGOTIATION_CACHE_SIZE)
  })
  return function chooseOutput(accept: string | undefined, output: Output | undefined): Output {
    if (output) return output
    if (accept === undefined || accept === '' || accept === '*/*') return outputs[0]
    const type = negotiator.negotiate(accept)
    if (type === null) {
      throw new NotAcceptable(
        `None of the media types in Accept can be served; this resource is available as ${outputs.map((o) => OUTPUTS[o]).join(', ')}.`
      )
    }
    return byType.get(type)!
  }
}
