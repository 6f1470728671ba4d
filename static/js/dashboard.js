// Dashboard charts (Apache ECharts, vendored). Data comes from the page's json_script blocks.
(function () {
  "use strict";
  var el = document.getElementById("targets-chart");
  var dataEl = document.getElementById("chart-data");
  if (!el || !dataEl || typeof echarts === "undefined") { return; }
  var d = JSON.parse(dataEl.textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    color: d.palette,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    tooltip: { trigger: "axis" },
    legend: { data: [d.labels.found, d.labels.closed] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: d.labels.found, type: "bar", data: d.found, label: { show: true, position: "top" } },
      { name: d.labels.closed, type: "bar", data: d.closed, label: { show: true, position: "top" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  window.addEventListener("beforeprint", function () { chart.resize(); });
})();
