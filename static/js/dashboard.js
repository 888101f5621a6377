/* Dashboard charts (programme/templates/programme/dashboard.html). The numbers come from the
   page's json_script block; the same numbers are in the tables under each chart, so the page
   stays readable without JavaScript or with a screen reader. Chart.js is served from npm. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colors = { level_1: "#0dcaf0", level_2: "#198754", none: "#adb5bd", standard: "#0d6efd" };
  var numberFormat = new Intl.NumberFormat("vi-VN");
  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false, // the numbers matter, not the motion (and screenshots stay stable)
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
    }
  };

  function mark(canvas) {
    canvas.setAttribute("data-drawn", "1");
  }

  var kinds = document.getElementById("chart-kinds");
  if (kinds) {
    new window.Chart(kinds, {
      type: "bar",
      data: {
        labels: data.kinds.labels,
        datasets: ["level_2", "level_1", "none"].map(function (key) {
          return { label: data.series[key], data: data.kinds[key], backgroundColor: colors[key] };
        })
      },
      options: Object.assign({}, common, {
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        }
      })
    });
    mark(kinds);
  }

  var trend = document.getElementById("chart-trend");
  if (trend) {
    new window.Chart(trend, {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: ["standard", "level_1", "level_2"].map(function (key) {
          return {
            label: data.series[key],
            data: data.trend[key],
            borderColor: colors[key],
            backgroundColor: colors[key],
            borderWidth: key === "standard" ? 3 : 2,
            tension: 0.2
          };
        })
      },
      options: Object.assign({}, common, {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      })
    });
    mark(trend);
  }
})();
