// ECharts' per-chart installers, imported by path so that the bundle holds only what is drawn; ECharts ships
// their types under types/src, not beside the files, so they are declared here as what `use()` takes.
type EChartsInstaller = import('echarts/core').EChartsExtensionInstaller
declare module 'echarts/lib/chart/bar/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/chart/line/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/chart/map/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/component/dataset/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/component/grid/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/component/legend/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/component/tooltip/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/component/visualMap/install.js' {
  export const install: EChartsInstaller
}
declare module 'echarts/lib/renderer/installSVGRenderer.js' {
  export const install: EChartsInstaller
}
