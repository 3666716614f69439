// `npm start`: runs the server bundle, building it first when it is missing or older than any file it
// was built from (the first start after a clone or an edit takes a second or two more; the others none).
import { pathToFileURL } from 'node:url'
import { BUNDLE, bundle, isStale } from './bundle.mjs'

if (isStale()) {
  process.stderr.write('nianbao: building dist/nianbao.mjs\n')
  await bundle()
}
await import(pathToFileURL(BUNDLE).href)
