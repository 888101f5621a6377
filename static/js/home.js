/* The home page's small charts of a manager's area (templates/home.html). The numbers come from
   the page's json_script block (dashboard.todo.home_todo); the summary table under them has the
   same counts by kind. Chart.js is served from npm. */
(function () {
  "use strict";
  var source = document.getElementById("home-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colors = {
    level_1: "#0dcaf0",
    level_2: "#198754",
    none: "#adb5bd",
    targeted: "#6c757d",
    achieved: "#0d6efd"
  };
  var numberFormat = new Intl.NumberFormat("vi-VN");
  function options(stacked) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: "vi-VN",
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              return ctx.dataset.label + ": " + numberFormat.format(ctx.parsed.y);
            }
          }
        }
      },
      scales: {
        x: { stacked: stacked },
        y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } }
      }
    };
  }
  function series(block, keys) {
    return keys.map(function (key) {
      return { label: data.series[key], data: block[key], backgroundColor: colors[key] };
    });
  }
  var levels = document.getElementById("home-chart-levels");
  if (levels) {
    new window.Chart(levels, {
      type: "bar",
      data: { labels: data.levels.labels, datasets: series(data.levels, ["level_2", "level_1", "none"]) },
      options: options(true)
    });
    levels.setAttribute("data-drawn", "1");
  }
  var targets = document.getElementById("home-chart-targets");
  if (targets) {
    new window.Chart(targets, {
      type: "bar",
      data: { labels: data.targets.labels, datasets: series(data.targets, ["targeted", "achieved"]) },
      options: options(false)
    });
    targets.setAttribute("data-drawn", "1");
  }
})();
