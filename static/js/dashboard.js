/* 进度看板: draws the charts of the page from the JSON in #dashboard-data with ECharts (served locally). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var palette = ["#98a2b3", "#2e90fa", "#f79009", "#c8102e", "#12b76a", "#7a5af8"];
  var instances = [];

  function option(chart) {
    var stacked = chart.kind === "stacked_area";
    var horizontal = chart.key === "satisfaction" && chart.categories.length > 8;
    var valueAxis = { type: "value", minInterval: 1 };
    if (chart.percent) { valueAxis = { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }; }
    var categoryAxis = { type: "category", data: chart.categories, axisLabel: { interval: "auto", hideOverlap: true } };
    var series = chart.series.map(function (s, i) {
      var item = { name: s.name, type: stacked ? "line" : "bar", data: s.data };
      if (stacked) { item.stack = "units"; item.areaStyle = {}; item.smooth = false; item.symbol = "none"; }
      if (chart.percent) {
        item.label = { show: true, position: horizontal ? "right" : "top", formatter: "{c}%" };
        item.markLine = { silent: true, symbol: "none", lineStyle: { color: "#c8102e", type: "dashed" },
          label: { formatter: "2/3" }, data: [horizontal ? { xAxis: 66.7 } : { yAxis: 66.7 }] };
      }
      return item;
    });
    return {
      color: chart.series.length === 1 ? ["#2e90fa"] : chart.series.length === 2 ? ["#2e90fa", "#12b76a"] : palette,
      tooltip: { trigger: "axis", valueFormatter: chart.percent ? function (v) { return v + "%"; } : undefined },
      legend: { show: chart.series.length > 1, top: 0, type: "scroll" },
      grid: { left: 8, right: 24, top: chart.series.length > 1 ? 36 : 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? Object.assign({}, categoryAxis, { inverse: true }) : valueAxis,
      series: series
    };
  }

  charts.forEach(function (chart) {
    var node = document.querySelector('[data-chart="' + chart.key + '"]');
    if (!node || !chart.categories.length) { return; }
    if (chart.key === "satisfaction" && chart.categories.length > 8) {
      node.style.height = Math.max(280, chart.categories.length * 26) + "px";
    }
    var instance = echarts.init(node, null, { renderer: "canvas" });
    instance.setOption(option(chart));
    instances.push(instance);
  });
  window.addEventListener("resize", function () { instances.forEach(function (i) { i.resize(); }); });
})();
