// A deployment's approved map (MAP_DIR), drawn with the same data as the bars. Loaded only when the
// deployment has a map for the region shown: nianbao ships no boundary data. Features are joined to rows
// by their six-digit adcode (`properties.adcode`, else `properties.code`).
import { registerMap, use } from 'echarts/core'
// deep imports, so that the map's code stays in this lazily loaded chunk rather than the shared one
import { install as MapChart } from 'echarts/lib/chart/map/install.js'
import { install as VisualMapComponent } from 'echarts/lib/component/visualMap/install.js'
import type { Row } from './api.js'
import { draw } from './charts.js'
import { value } from './format.js'

use([MapChart, VisualMapComponent])

interface Feature {
  properties?: Record<string, unknown>
}

export async function regionMap(
  el: HTMLElement,
  adcode: string,
  spec: { rows: Row[]; adcodeKey: string; nameKey: string; value: string; unit: string; onClick: (row: Row) => void }
) {
  const geo = (await (await fetch(`/maps/${adcode}.json`)).json()) as { features: Feature[] }
  for (const f of geo.features) {
    const p = (f.properties ??= {})
    p.adcode = String(p.adcode ?? p.code ?? '')
  }
  registerMap(adcode, geo as never)
  el.style.height = '480px'
  const byAdcode = new Map(spec.rows.map((r) => [String(r[spec.adcodeKey]), r]))
  const data = spec.rows.map((r) => ({ name: String(r[spec.adcodeKey]), value: r[spec.value], row: r }))
  const values = data.map((d) => d.value).filter((v): v is number => typeof v === 'number')
  const instance = draw(el, {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number }) =>
        `${byAdcode.get(p.name)?.[spec.nameKey] ?? p.name}：${value(Number.isFinite(p.value) ? p.value : null, spec.unit)}`
    },
    visualMap: {
      min: Math.min(0, ...values),
      max: Math.max(1e-9, ...values),
      calculable: true,
      left: 8,
      bottom: 8,
      inRange: { color: ['#fde7e3', '#c23531'] },
      formatter: (v: number) => value(v, spec.unit)
    },
    series: [
      {
        type: 'map',
        map: adcode,
        nameProperty: 'adcode',
        data,
        label: { show: false, formatter: (p: { name: string }) => String(byAdcode.get(p.name)?.[spec.nameKey] ?? p.name) },
        emphasis: { label: { show: true } }
      }
    ]
  })
  instance.off('click')
  instance.on('click', (p) => {
    const row = byAdcode.get(p.name)
    if (row) spec.onClick(row)
  })
  return instance
}
