// 年度报告 charts: ECharts (vendored, no CDN) over the figures the page carries as JSON.
// The tables below the charts hold the same figures, so the page works without JavaScript.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("annual-charts");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    document.querySelectorAll(".chart-box").forEach(function (box) {
      var series = data[box.dataset.series];
      var option;
      if (box.dataset.chart === "pie") {
        option = {
          title: { text: box.dataset.title, left: "center", textStyle: { fontSize: 15 } },
          tooltip: { trigger: "item" },
          series: [{ type: "pie", radius: "55%", top: 30, data: series, label: { formatter: "{b}：{c}" } }]
        };
      } else {
        option = {
          title: { text: box.dataset.title, left: "center", textStyle: { fontSize: 15 } },
          tooltip: { trigger: "axis" },
          grid: { left: 40, right: 10, bottom: 50, top: 40 },
          xAxis: { type: "category", data: series.names, axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: series.values, itemStyle: { color: "#8b0000" } }]
        };
      }
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption(option);
      box.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
