// ECharts, tree-shaken to what the pages draw (bars and lines over a dataset, drawn as SVG, which prints
// sharply and stays accessible), with a Chinese look. Every chart reads an ECharts `dataset` built from the
// API's flat rows, so a chart shows exactly the numbers the API answers. Charts are registered by their
// element's id on `window.nianbaoCharts` so that a test (or a curious user) can read what each one shows.
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core'
// deep imports rather than the echarts/charts and echarts/components barrels: a barrel links every chart
// and component into the graph, and the bundler would then put the map's code in this shared chunk
import { install as BarChart } from 'echarts/lib/chart/bar/install.js'
import { install as LineChart } from 'echarts/lib/chart/line/install.js'
import { install as DatasetComponent } from 'echarts/lib/component/dataset/install.js'
import { install as GridComponent } from 'echarts/lib/component/grid/install.js'
import { install as LegendComponent } from 'echarts/lib/component/legend/install.js'
import { install as TooltipComponent } from 'echarts/lib/component/tooltip/install.js'
import { install as SVGRenderer } from 'echarts/lib/renderer/installSVGRenderer.js'
import type { Row } from './api.js'
import { RATIO, value } from './format.js'

use([BarChart, LineChart, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

declare global {
  interface Window {
    nianbaoCharts?: Record<string, ECharts>
  }
}

const PALETTE = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae', '#749f83']
const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'

export function chart(el: HTMLElement): ECharts {
  const existing = window.nianbaoCharts?.[el.id]
  if (existing) return existing
  const instance = init(el, null, { renderer: 'svg' })
  window.nianbaoCharts = { ...(window.nianbaoCharts ?? {}), [el.id]: instance }
  new ResizeObserver(() => instance.resize()).observe(el)
  return instance
}

export function draw(el: HTMLElement, option: EChartsCoreOption): ECharts {
  const instance = chart(el)
  instance.setOption({ color: PALETTE, textStyle: { fontFamily: FONT }, animation: false, ...option }, true)
  el.dataset.drawn = 'true'
  return instance
}

export interface RankedBars {
  rows: Row[]
  /** the row key that names a bar */
  name: string
  /** the row key of the value */
  value: string
  unit: string
  onClick?: (row: Row) => void
}

/** Horizontal bars, the first row on top: the regions or agencies in the order the API ranked them. */
export function rankedBars(el: HTMLElement, spec: RankedBars): ECharts {
  const rows = spec.rows.filter((r) => r[spec.value] !== null)
  el.style.height = `${Math.max(160, rows.length * 22 + 40)}px`
  // which fields the bars show, for whoever reads the chart's dataset back
  el.dataset.name = spec.name
  el.dataset.value = spec.value
  const instance = draw(el, {
    dataset: { source: rows, dimensions: Object.keys(rows[0] ?? { [spec.name]: '', [spec.value]: 0 }) },
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', valueFormatter: (v: number) => value(v, spec.unit) },
    xAxis: { type: 'value', splitNumber: 4, axisLabel: { hideOverlap: true, formatter: (v: number) => value(v, spec.unit) } },
    yAxis: { type: 'category', inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        encode: { y: spec.name, x: spec.value },
        label: { show: true, position: 'right', formatter: (p: { value: Row }) => value(p.value[spec.value], spec.unit) },
        cursor: spec.onClick ? 'pointer' : 'default'
      }
    ]
  })
  instance.off('click')
  if (spec.onClick) instance.on('click', (p) => spec.onClick!(p.data as Row))
  return instance
}

export interface Trend {
  rows: Row[]
  /** a count drawn as bars on the left axis */
  count?: { key: string; label: string; unit: string }
  /** a rate drawn as a line on the right axis */
  rate?: { key: string; label: string }
}

/** Years along the bottom: a count as bars and a rate as a line. */
export function trend(el: HTMLElement, spec: Trend): ECharts {
  const series: unknown[] = []
  const yAxis: unknown[] = []
  if (spec.count) {
    yAxis.push({ type: 'value', name: spec.count.unit, axisLabel: { formatter: (v: number) => value(v, spec.count!.unit) } })
    series.push({ type: 'bar', name: spec.count.label, encode: { x: 'year', y: spec.count.key }, yAxisIndex: 0 })
  }
  if (spec.rate) {
    yAxis.push({ type: 'value', name: '比率', min: 0, max: 1, axisLabel: { formatter: (v: number) => value(v, RATIO) } })
    series.push({
      type: 'line',
      name: spec.rate.label,
      encode: { x: 'year', y: spec.rate.key },
      yAxisIndex: yAxis.length - 1,
      connectNulls: false
    })
  }
  return draw(el, {
    dataset: { source: spec.rows.map((r) => ({ ...r, year: String(r.year) })) },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category' },
    yAxis,
    series
  })
}
