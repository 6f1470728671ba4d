// Hazard statistics: the bar chart of open / closed / overdue hazards by township.
// Figures come from the json_script block "stats-chart-data" (no inline script: CSP).
(function () {
  "use strict";
  var data = document.getElementById("stats-chart-data");
  var el = document.getElementById("chart");
  if (!window.echarts || !el || !data) return;
  var chart = JSON.parse(data.textContent);
  var rows = chart.rows;
  function column(key) {
    return rows.map(function (r) { return r[key]; });
  }
  echarts.init(el).setOption({
    animation: false,
    tooltip: {trigger: "axis"},
    legend: {},
    xAxis: {type: "category", data: column("name")},
    yAxis: {type: "value", minInterval: 1},
    series: ["open", "closed", "overdue"].map(function (key) {
      return {name: chart.series[key], type: "bar", data: column(key)};
    })
  });
})();
