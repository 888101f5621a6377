/* The analysis chart (improvement/templates/improvement/analysis.html): schools blocked by each
   of the top indicators and schools each would lift. The numbers come from the page's
   json_script block and are the same as the table under the chart. Chart.js is served from npm. */
(function () {
  "use strict";
  var source = document.getElementById("improvement-data");
  var canvas = document.getElementById("chart-blockers");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.blockers.labels,
      datasets: [
        { label: data.series.blocked, data: data.blockers.blocked, backgroundColor: "#dc3545" },
        { label: data.series.lifted, data: data.blockers.lifted, backgroundColor: "#198754" }
      ]
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: "vi-VN",
      plugins: { legend: { position: "bottom" } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
  canvas.setAttribute("data-drawn", "1");
})();
