/* Draws the dashboard charts from the JSON the page embeds; every chart also has its table. */
(function () {
  function draw() {
    var el = document.getElementById("dashboard-data");
    if (!el || typeof Chart === "undefined") return;
    var d = JSON.parse(el.textContent);
    var charts = window.__xhCharts || [];
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var opts = { responsive: true, maintainAspectRatio: false, animation: false };
    var t = document.getElementById("chart-targets");
    if (t && d.targets.length) {
      charts.push(new Chart(t, { type: "bar", options: Object.assign({ indexAxis: "y" }, opts), data: {
        labels: d.targets.map(function (x) { return x.label; }),
        datasets: [{ label: "Mục tiêu (%)", data: d.targets.map(function (x) { return x.target; }), backgroundColor: "#90a4ae" },
                   { label: "Thực hiện (%)", data: d.targets.map(function (x) { return x.actual; }), backgroundColor: "#1e88e5" }] } }));
      t.parentNode.style.height = Math.max(240, 28 * d.targets.length) + "px";
    }
    var tr = document.getElementById("chart-trend");
    if (tr && d.trends.length) {
      charts.push(new Chart(tr, { type: "line", options: opts, data: { labels: d.years,
        datasets: d.trends.map(function (s) { return { label: s.label, data: s.data, spanGaps: true }; }) } }));
    }
    var r = document.getElementById("chart-ranking");
    if (r && d.ranking.labels.length) {
      charts.push(new Chart(r, { type: "bar", options: Object.assign({ indexAxis: "y" }, opts), data: {
        labels: d.ranking.labels, datasets: [{ label: d.ranking.label, data: d.ranking.data, backgroundColor: "#43a047" }] } }));
      r.parentNode.style.height = Math.max(240, 22 * d.ranking.labels.length) + "px";
    }
    window.__xhCharts = charts;
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
