// The development reports printed as PDF (landscape layout, see make-documents.ts) import with every hand-read value.
import { checkDocuments } from './documents-cases.js'

checkDocuments('.landscape.pdf')
