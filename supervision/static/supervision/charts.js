/* Supervision charts: Apache ECharts (static/vendor/echarts) over the JSON the page embeds
   (#supervision-charts). Each chart can be saved as PNG (ECharts' saveAsImage); a click on a bar or
   slice opens the list of records behind that number (the same links as the table under it). */
(function () {
  "use strict";
  function render() {
    var data = document.getElementById("supervision-charts");
    if (!data || typeof echarts === "undefined") { return; }
    var charts = JSON.parse(data.textContent);
    charts.forEach(function (c) {
      var el = document.getElementById("chart-" + c.key);
      if (!el) { return; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      var toolbox = { feature: { saveAsImage: { title: el.dataset.saveLabel || "PNG", name: "supervision-" + c.key } } };
      var option;
      if (c.kind === "pie") {
        option = {
          toolbox: toolbox, tooltip: { trigger: "item" },
          series: [{ type: "pie", radius: "60%", data: c.labels.map(function (l, i) { return { name: l, value: c.values[i] }; }) }]
        };
      } else if (c.kind === "scatter") {
        option = {
          toolbox: toolbox, tooltip: { trigger: "item" }, legend: { data: c.series },
          xAxis: { type: "value", name: c.xname }, yAxis: { type: "value", name: c.yname },
          series: [
            { name: c.series[0], type: "scatter", data: c.normal },
            { name: c.series[1], type: "scatter", data: c.flagged, itemStyle: { color: "#b91c1c" }, symbolSize: 12 }
          ]
        };
      } else {
        var series = [{ name: (c.series[0] || c.title), type: "bar", data: c.values }];
        if (c.values2 && c.values2.length) { series.push({ name: c.series[1], type: "bar", data: c.values2 }); }
        option = {
          toolbox: toolbox, tooltip: { trigger: "axis" }, legend: c.series.length ? { data: c.series } : undefined,
          grid: { left: 8, right: 8, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: c.labels, axisLabel: { interval: 0, rotate: c.labels.length > 4 ? 30 : 0 } },
          yAxis: { type: "value" }, series: series
        };
      }
      chart.setOption(option);
      if (c.links && c.links.length) {
        chart.on("click", function (p) { if (c.links[p.dataIndex]) { window.location.href = c.links[p.dataIndex]; } });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", render); } else { render(); }
})();
