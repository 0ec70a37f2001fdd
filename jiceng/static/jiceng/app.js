// Jiceng front-end glue: no inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function renderCharts(root) {
    if (typeof window.echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source || el.dataset.rendered) return;
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 16, bottom: 64, top: 36 },
        xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: spec.categories.length > 8 ? 40 : 0 } },
        yAxis: { type: "value" },
        series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
      });
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    document.querySelectorAll("[data-toggle=nav]").forEach(function (button) {
      button.addEventListener("click", function () {
        var nav = document.getElementById("nav");
        var open = nav.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    renderCharts(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); });
})();
