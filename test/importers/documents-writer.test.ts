// The development reports printed as PDF (writer layout, see make-documents.ts) import with every hand-read value.
import { checkDocuments } from './documents-cases.js'

checkDocuments('.writer.pdf')
