// GB/T 2260 regions (province / prefecture / county) from a maintained public data set; see dataset.ts
// for what is kept and how the municipalities and directly administered counties are shaped.
export { NATIONAL_CODE, type Region, type RegionLevel } from './region.js'
export { childrenOf, getRegion, isValidRegionCode, regionName, regionOfPrefix, regionPath, subdivisionsOf } from './lookup.js'
export { inferRegion } from './infer.js'
